// The probes layer's front door: attach-point resolution (ProbeHost), tracepoint formats, and
// the event sources a run reads from (simulated workloads, recorded traces, strace logs).

export { resolveAttachPoint, parseProbeNumber, globToRegExp, LIBRARY_PATHS } from './attach';
export { createProbeHost, type ProbeListing } from './host';
export type { EventSource, EventRequest, ProbeCatalog } from './source';
export {
  parseTracepointFormat,
  isStringField,
  type ProbeTracepointField,
  type ProbeTracepointFormat,
} from './tracepoint_format';
export {
  bundledTracepoints,
  defaultTracepoints,
  liveTracepoints,
  type TracepointCatalog,
} from './tracepoints';
export { decodeTracepointRecord, buildTracepointRecord } from './record';
export { SymbolMap, type SymbolEntry } from './symbols';
export {
  createSimulatedSource,
  listWorkloads,
  UnknownWorkloadError,
  DEFAULT_SEED,
  DEFAULT_DURATION_NS,
  DEFAULT_NCPUS,
  type SimulationOptions,
} from './sim/source';
export { machineImage, standardCatalog } from './machine';
export { replayFromText, replayText, detectReplayFormat, type ReplayOptions } from './replay';
export { createTraceWriter, type TraceWriter } from './trace/writer';
export { TraceFileError } from './trace/errors';
export { benchProbes, formatBench, type BenchResult } from './bench';
