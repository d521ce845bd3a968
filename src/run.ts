// The run loop: BEGIN, then the source's events in time order, each delivered to the
// programs attached to its probe, then END and the map dump at exit — with the records each
// invocation emits handed to the output side after that invocation returns (bpftrace's
// asynchronous print/clear/zero semantics).

import type { Program } from '../compiler/program';
import type { ProbeHost, ResolvedAttachPoint } from '../compiler/host';
import type { Event } from '../probes/event';
import { PT_REGS } from '../probes/event';
import type { EventSource } from '../probes/source';
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
  for (const probe of program.probes) {
    for (const raw of probe.attachPoints) {
      const result = host.resolveAttachPoint(raw);
      if (!result.ok) throw new AttachError(`${raw}: ${result.message}`);
      for (const point of result.points) attached.push({ probeIndex: probe.index, point });
    }
  }
  return attached;
}

export interface RunOptions {
  program: Program;
  attached: AttachedProbe[];
  source: EventSource;
  runtime: Runtime;
  output: Output;
  /** Called once the probes are attached, before BEGIN runs. */
  onAttached?: () => void;
  /** Called for every event the run consumes (for --record). */
  onEvent?: (event: Event) => void;
}

export interface RunResult {
  /** Exit code given to exit(), 0 otherwise. */
  exitCode: number;
  /** True when exit() stopped the run, false when the source ran out. */
  exited: boolean;
}

/** The task that BEGIN and END run in: bpfscope's own process, as bpftrace's run in its own. */
function selfEvent(probe: string, ts: bigint): Event {
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

export function runProgram(options: RunOptions): RunResult {
  const { attached, source, runtime, output } = options;
  output.attached(attached.length);
  options.onAttached?.();

  let exit: { code: number } | undefined;
  const invoke = (probeIndex: number, event: Event) => {
    runtime.run(probeIndex, event);
    for (const record of runtime.takeRecords()) {
      if (exit) break;
      const result = output.handleRecord(record, runtime);
      if (result.exit) exit = result.exit;
    }
  };
  const runSpecial = (provider: 'BEGIN' | 'END', ts: bigint) => {
    for (const a of attached) {
      if (a.point.provider === provider) invoke(a.probeIndex, selfEvent(provider, ts));
      if (exit && provider === 'BEGIN') return;
    }
  };

  runSpecial('BEGIN', source.startNs);
  if (!exit) {
    const byName = new Map<string, number[]>();
    for (const a of attached) {
      if (a.point.provider === 'BEGIN' || a.point.provider === 'END') continue;
      const list = byName.get(a.point.name) ?? [];
      list.push(a.probeIndex);
      byName.set(a.point.name, list);
    }
    if (byName.size > 0) {
      const probes = attached.map((a) => a.point);
      for (const event of source.events({ probes })) {
        options.onEvent?.(event);
        for (const probeIndex of byName.get(event.probe) ?? []) {
          invoke(probeIndex, event);
          if (exit) break;
        }
        if (exit) break;
      }
    }
  }
  const exitCode = exit?.code ?? 0;
  const exited = exit !== undefined;
  // END runs whether or not exit() was called; its own exit() only ends END.
  exit = undefined;
  runSpecial('END', source.endNs);
  output.printMapsAtExit(runtime);
  return { exitCode, exited };
}
