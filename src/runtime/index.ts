// The runtime API the CLI driver calls: verify every probe's bytecode, run a probe's program
// per event on the VM, and expose map contents and emitted records.

import { decode } from '../../compiler/isa/encode';
import { PseudoSrc } from '../../compiler/isa/opcode';
import type { CompiledProbe, Program } from '../../compiler/program';
import { PT_REGS, type Event } from '../../probes/event';
import { HELPER_SPECS, HelperEnv, createHelpers, mapPointer } from './helpers';
import { MapSet, StackTraceMap, type MapEntry } from './maps';
import { CTX_REGION, REGION_HI_BASE } from './memory';
import { JitProgram } from './jit';
import { VerifierError, verify } from './verifier';
import {
  DEFAULT_INSTRUCTION_BUDGET,
  DecodedProgram,
  Interpreter,
  Machine,
  VmError,
  type Executable,
} from './vm';

export { VerifierError, VmError };

export interface RuntimeOptions {
  /**
   * CPUs that per-CPU maps hold values for. Default 1; an event on a higher CPU grows every
   * per-CPU map, so any event CPU works and mapEntries gives one value per CPU seen so far.
   */
  ncpus?: number;
  /** Seed of bpf_get_prandom_u32's generator (default 1). */
  seed?: number;
  /** Instructions one program run may execute (default 1,000,000). */
  instructionBudget?: number;
  /** Called when an update of a new key fails because the map is full (-E2BIG). */
  onMapFull?: (mapId: number) => void;
  /**
   * 'jit' (default): every verified program runs as JavaScript (jit.ts); 'interpreter': the
   * reference interpreter (vm.ts) runs them. `executorFromEnv` reads BPFSCOPE_EXECUTOR.
   */
  executor?: Executor;
}

export type Executor = 'jit' | 'interpreter';
export const EXECUTORS: readonly Executor[] = ['jit', 'interpreter'];

/** The executor BPFSCOPE_EXECUTOR names (undefined when unset); throws on another value. */
export function executorFromEnv(env: Record<string, string | undefined>): Executor | undefined {
  const value = env.BPFSCOPE_EXECUTOR;
  if (value === undefined || value === '') return undefined;
  if ((EXECUTORS as readonly string[]).includes(value)) return value as Executor;
  throw new RangeError(`BPFSCOPE_EXECUTOR must be one of ${EXECUTORS.join(', ')}, not '${value}'`);
}

/** Context bytes a probe's program may read: the kernel's limit for its program type. */
export function contextSize(probe: CompiledProbe): number {
  const kinds = probe.attachPoints.map((a) => a.split(':')[0]!);
  // Tracepoint programs may read the whole raw record (the kernel allows PERF_MAX_TRACE_SIZE).
  if (
    kinds.length > 0 &&
    kinds.every((k) => k === 'tracepoint' || k === 't' || k === 'rawtracepoint' || k === 'rt')
  )
    return 2048;
  // perf_event programs (profile, interval, software, hardware) get bpf_perf_event_data.
  if (
    kinds.every((k) =>
      ['profile', 'p', 'interval', 'i', 'software', 's', 'hardware', 'h'].includes(k),
    )
  )
    return PT_REGS.size + 16;
  return PT_REGS.size;
}

export class Runtime {
  readonly maps: MapSet;
  readonly env: HelperEnv;
  private readonly machine: Machine;
  private readonly programs: Executable[];
  /** Stack bytes each program can touch, cleared before it runs. */
  private readonly stackBytes: number[] = [];
  /** Context buffers by size: an event's context is copied into one, so that its region
   *  and view are made once. */
  private readonly contexts = new Map<number, Uint8Array>();
  readonly executor: Executor;

  /** Verifies every probe; throws VerifierError (with `probeIndex` set) on the first unsafe one. */
  constructor(
    readonly program: Program,
    options: RuntimeOptions = {},
  ) {
    this.executor = options.executor ?? 'jit';
    this.maps = new MapSet(program.maps, Math.max(1, options.ncpus ?? 1));
    this.env = new HelperEnv(this.maps, options.seed ?? 1, options.onMapFull);
    this.machine = new Machine(
      createHelpers(this.env),
      options.instructionBudget ?? DEFAULT_INSTRUCTION_BUDGET,
    );
    this.programs = program.probes.map((probe, i) => {
      const insns = decode(probe.bytecode);
      try {
        verify(insns, { ctxSize: contextSize(probe), maps: program.maps, helpers: HELPER_SPECS });
      } catch (e) {
        if (e instanceof VerifierError) e.probeIndex = i;
        throw e;
      }
      const decoded = new DecodedProgram(insns);
      this.stackBytes[i] = decoded.stackBytes;
      const resolve = (src: number, imm: number) =>
        src === PseudoSrc.MapFd ? mapPointer(imm) : undefined;
      return this.executor === 'interpreter'
        ? new Interpreter(decoded, resolve)
        : new JitProgram(decoded, resolve);
    });
  }

  /** Runs probe `probeIndex`'s program on `event`; returns r0. Throws VmError on a fault. */
  run(probeIndex: number, event: Event): bigint {
    this.invoke(probeIndex, event);
    return this.machine.reg(0);
  }

  /** run() for the run loop, which does not need r0. */
  invoke(probeIndex: number, event: Event): void {
    const program = this.programs[probeIndex];
    if (!program) throw new RangeError(`no probe ${probeIndex}`);
    this.maps.ensureCpu(event.cpu);
    const m = this.machine;
    m.reset(this.stackBytes[probeIndex]);
    m.memory.setFixed(CTX_REGION, this.context(event.ctx), false);
    m.lo[1] = 0;
    m.hi[1] = REGION_HI_BASE + CTX_REGION;
    this.env.event = event;
    try {
      program.invoke(m);
    } finally {
      this.env.event = undefined;
    }
  }

  private context(ctx: Uint8Array): Uint8Array {
    let buffer = this.lastContext;
    if (buffer.length !== ctx.length) {
      buffer = this.contexts.get(ctx.length) ?? new Uint8Array(ctx.length);
      this.contexts.set(ctx.length, buffer);
      this.lastContext = buffer;
    }
    buffer.set(ctx);
    return buffer;
  }
  private lastContext: Uint8Array = new Uint8Array(0);

  /** Instructions executed by the last run. */
  get lastInstructionCount(): number {
    return this.machine.executed;
  }

  /** Records emitted since the last call, in emission order. */
  takeRecords(): Uint8Array[] {
    const records = this.maps.records;
    return records.length === 0 ? [] : records.splice(0);
  }

  mapEntries(mapId: number): MapEntry[] {
    return this.mapById(mapId).entries();
  }

  clearMap(mapId: number): void {
    this.mapById(mapId).clear();
  }

  /** Stores a value as user space would with BPF_MAP_UPDATE_ELEM (maps that are not per-CPU). */
  updateMap(mapId: number, key: Uint8Array, value: Uint8Array): void {
    this.mapById(mapId).update(key, value, 0n, 0);
  }

  /** Keeps keys, zeroes values. */
  zeroMap(mapId: number): void {
    this.mapById(mapId).zero();
  }

  /** Addresses stored by get_stackid, innermost first. */
  stackTrace(stackMapId: number, stackId: number): bigint[] {
    const map = this.mapById(stackMapId);
    if (!(map instanceof StackTraceMap))
      throw new Error(`map ${map.def.name} is not a stack trace map`);
    return map.stack(stackId);
  }

  /** Text written by bpf_trace_printk so far. */
  get printk(): readonly string[] {
    return this.env.printk;
  }

  /** Failed updates of new keys in full maps so far, by map id (bpftrace warns about these). */
  get mapFullCounts(): ReadonlyMap<number, number> {
    return this.env.mapFull;
  }

  /** Signals requested by bpf_send_signal so far. */
  get signals(): readonly { pid: number; signal: number }[] {
    return this.env.signals;
  }

  private mapById(mapId: number) {
    const map = this.maps.get(mapId);
    if (!map) throw new RangeError(`no map ${mapId}`);
    return map;
  }
}
