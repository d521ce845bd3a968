// What every event source (simulated workload, recorded trace, strace log) offers the driver
// and the ProbeHost: a catalog of what can be attached, a symbol table, and a time-ordered
// stream of events for the probes that are attached.

import type { ResolvedAttachPoint } from '../compiler/host';
import type { Event, SymbolTable } from './event';
import type { TracepointCatalog } from './tracepoints';

export interface ProbeCatalog {
  tracepoints: TracepointCatalog;
  /** Kernel functions that kprobes/kretprobes/kfuncs attach to. */
  kernelFunctions: readonly string[];
  /** uprobe targets: absolute binary path → function names. */
  binaries: ReadonlyMap<string, readonly string[]>;
  /** USDT probes: binary path → `provider:name` entries. */
  usdt: ReadonlyMap<string, readonly string[]>;
}

export interface EventRequest {
  /** Attach points the run uses (BEGIN/END may be included; they are ignored). Interval and
   *  profile points carry `periodNs`; the source generates their ticks on its clock. */
  probes: readonly ResolvedAttachPoint[];
}

export interface EventSource {
  /** Human-readable description, e.g. `sim:webserver seed=1`, `trace:run.jsonl`. */
  readonly name: string;
  readonly catalog: ProbeCatalog;
  readonly symbols: SymbolTable;
  readonly ncpus: number;
  /** Virtual time of the start of the run (ns since boot); BEGIN runs at this time. */
  readonly startNs: bigint;
  /** Wall-clock time of boot (ns since the epoch) when the source knows it — a recording
   *  does; a simulated run's boot is placed so that startNs is the wall clock of the run. */
  readonly bootWallNs?: bigint;
  /** Virtual time the run ends at when no `exit()` stops it earlier; END runs at this time. */
  readonly endNs: bigint;
  /** Events for the requested probes in ascending `ts` (ties in a stable order). Only events
   *  whose `probe` is one of the requested canonical names are produced. */
  events(request: EventRequest): Iterable<Event>;
}
