// The run loop: BEGIN, then the source's events in time order, each delivered to the
// programs attached to its probe, then END and the map dump at exit — with the records each
// invocation emits handed to the output side after that invocation returns (bpftrace's
// asynchronous print/clear/zero semantics).

import { ELAPSED_MAP_NAME, type Program } from '../compiler/program';
import type { ProbeHost, ResolvedAttachPoint } from '../compiler/host';
import type { Event } from '../probes/event';
import { PT_REGS } from '../probes/event';
import type { Backend, RecordHandler } from './backend';
import type { Runtime } from './runtime/index';
import type { Output } from './output/index';

export interface AttachedProbe {
  probeIndex: number;
  point: ResolvedAttachPoint;
}

export class AttachError extends Error {}

/** Resolves every probe's attach points; fails on the first that does not resolve. */
export function attachProbes(program: Program, host: ProbeHost): AttachedProbe[] {
  const attached: AttachedProbe[] = [];
  // Runtime programs are numbered by position: a block whose attach points got programs of
  // their own appears several times, with the same `index`.
  program.probes.forEach((probe, position) => {
    for (const raw of probe.attachPoints) {
      const result = host.resolveAttachPoint(raw);
      if (!result.ok) throw new AttachError(`${raw}: ${result.message}`);
      for (const point of result.points) attached.push({ probeIndex: position, point });
    }
  });
  return attached;
}

export interface RunOptions {
  backend: Backend;
  attached: AttachedProbe[];
  output: Output;
  /** -q: no "Attaching N probes..." line. */
  quiet?: boolean;
  /** Called once the probes are attached, before BEGIN runs. */
  onAttached?: () => void;
  /** Called after BEGIN and after each batch of events: output produced so far goes out. */
  onBatchEnd?: () => void;
  /** Asked between batches of events: true once the run must stop (SIGINT, SIGTERM). */
  shouldStop?: () => boolean;
}

export interface RunResult {
  /** Exit code given to exit(), 0 otherwise. */
  exitCode: number;
  /** True when exit() stopped the run. */
  exited: boolean;
  /** True when a signal stopped the run. */
  stopped: boolean;
}

/** The task that BEGIN and END run in: bpfscope's own process, as bpftrace's run in its own. */
export function selfEvent(probe: string, ts: bigint): Event {
  return {
    probe,
    ts,
    cpu: 0,
    pid: 1000,
    tid: 1000,
    uid: 0,
    gid: 0,
    comm: 'bpfscope',
    ctx: new Uint8Array(PT_REGS.size),
    memory: [],
  };
}

/**
 * Delivers BEGIN/END and events to one program's attached probes, handing the records each
 * invocation emits to the output after that invocation returns. runProgram drives one over a
 * whole source; the REPL drives one per compiled session script.
 */
export class ProbeDispatcher {
  /** Set once a record asks to exit; later records are not handled. */
  exit: { code: number } | undefined;
  private readonly byName = new Map<string, number[]>();

  constructor(
    readonly attached: readonly AttachedProbe[],
    private readonly runtime: Runtime,
    private readonly output: Output,
  ) {
    for (const a of attached) {
      if (a.point.provider === 'BEGIN' || a.point.provider === 'END') continue;
      const list = this.byName.get(a.point.name) ?? [];
      list.push(a.probeIndex);
      this.byName.set(a.point.name, list);
    }
  }

  /** True when some probe receives events from the source (not only BEGIN/END). */
  get hasEventProbes(): boolean {
    return this.byName.size > 0;
  }

  invoke(probeIndex: number, event: Event): void {
    this.runtime.invoke(probeIndex, event);
    for (const record of this.runtime.takeRecords()) {
      if (this.exit) break;
      const result = this.output.handleRecord(record, this.runtime);
      if (result.exit) this.exit = result.exit;
    }
  }

  /** Runs the BEGIN or END probes (those `include` accepts) in attach order; exit() stops BEGIN. */
  runSpecial(
    provider: 'BEGIN' | 'END',
    ts: bigint,
    include: (probeIndex: number) => boolean = () => true,
  ): void {
    for (const a of this.attached) {
      if (a.point.provider === provider && include(a.probeIndex))
        this.invoke(a.probeIndex, selfEvent(provider, ts));
      if (this.exit && provider === 'BEGIN') return;
    }
  }

  /** Runs every probe attached to the event's probe, until one exits. */
  deliver(event: Event): void {
    for (const probeIndex of this.byName.get(event.probe) ?? []) {
      this.invoke(probeIndex, event);
      if (this.exit) break;
    }
  }
}

/** Stores the run's start time where the `elapsed` builtin's code reads it. */
export function setStartTime(runtime: Runtime, startNs: bigint): void {
  const map = runtime.program.maps.find((m) => m.name === ELAPSED_MAP_NAME);
  if (!map) return;
  const value = new Uint8Array(8);
  new DataView(value.buffer).setBigUint64(0, startNs, true);
  runtime.updateMap(map.id, new Uint8Array(map.keySize), value);
}

/**
 * A run as bpftrace's: BEGIN, then the backend's events until they end, a program calls
 * exit() or a signal stops the run; then END (its own exit() only ends END) and the maps.
 */
export async function runProgram(options: RunOptions): Promise<RunResult> {
  const { attached, backend, output } = options;
  if (!options.quiet) output.attached(attached.length);
  options.onAttached?.();

  backend.setStartTime(backend.startNs);
  let exit: { code: number } | undefined;
  const handle: RecordHandler = (records) => {
    for (const record of records) {
      if (exit) return 'exit';
      const result = output.handleRecord(record, backend.maps);
      if (result.exit) exit = result.exit;
    }
    return exit ? 'exit' : 'continue';
  };
  const runSpecial = (provider: 'BEGIN' | 'END', ts: bigint) => {
    for (const a of attached) {
      if (a.point.provider !== provider) continue;
      handle(backend.runSpecial(a.probeIndex, provider, ts));
      if (exit && provider === 'BEGIN') return;
    }
  };
  runSpecial('BEGIN', backend.startNs);
  options.onBatchEnd?.();
  let end = { endedBy: 'exit', endNs: backend.startNs };
  if (!exit) {
    end = await backend.deliver(handle, {
      batchEnd: () => options.onBatchEnd?.(),
      shouldStop: () => options.shouldStop?.() ?? false,
    });
  }
  const exitCode = exit?.code ?? 0;
  const exited = exit !== undefined;
  // END runs however the run ended — at once after an exit(), as bpftrace does.
  exit = undefined;
  runSpecial('END', end.endNs);
  output.printMapsAtExit(backend.maps);
  return { exitCode, exited, stopped: end.endedBy === 'stop' };
}
