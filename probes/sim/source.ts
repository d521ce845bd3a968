// The simulated workload as an EventSource (the default source of a run).

import type { Event } from '../event';
import type { EventRequest, EventSource } from '../source';
import { defaultTracepoints, type TracepointCatalog } from '../tracepoints';
import { machineImage, standardCatalog } from '../machine';
import { runEngine } from './engine';
import { DEFAULT_WORKLOAD, WORKLOADS } from './workloads';

export interface SimulationOptions {
  /** Workload name (see listWorkloads); default `webserver`. */
  workload?: string;
  seed?: number;
  /** Virtual run time in ns when no exit() ends it; default 1 s. */
  durationNs?: bigint;
  ncpus?: number;
  /** Use the live tracefs formats when readable (default true). */
  liveTracepoints?: boolean;
  tracepoints?: TracepointCatalog;
}

export const DEFAULT_SEED = 1;
export const DEFAULT_DURATION_NS = 1_000_000_000n;
export const DEFAULT_NCPUS = 4;
/** The virtual clock starts at 1 h 23 min after boot, a plausible `nsecs` value. */
export const SIM_START_NS = 4_980_123_456_789n;

export class UnknownWorkloadError extends Error {
  constructor(readonly workload: string) {
    super(`unknown workload '${workload}' (known: ${WORKLOADS.map((w) => w.name).join(', ')})`);
  }
}

export function listWorkloads(): { name: string; description: string }[] {
  return WORKLOADS.map(({ name, description }) => ({ name, description }));
}

export function createSimulatedSource(options: SimulationOptions = {}): EventSource {
  const name = options.workload ?? DEFAULT_WORKLOAD;
  const workload = WORKLOADS.find((w) => w.name === name);
  if (!workload) throw new UnknownWorkloadError(name);
  const seed = options.seed ?? DEFAULT_SEED;
  const ncpus = options.ncpus ?? DEFAULT_NCPUS;
  const tracepoints = options.tracepoints ?? defaultTracepoints({ live: options.liveTracepoints });
  const image = machineImage();
  const startNs = SIM_START_NS;
  const endNs = startNs + (options.durationNs ?? DEFAULT_DURATION_NS);
  return {
    name: `sim:${name} seed=${seed}`,
    catalog: standardCatalog(tracepoints),
    symbols: image.symbols,
    ncpus,
    startNs,
    endNs,
    events(request: EventRequest): Iterable<Event> {
      return {
        [Symbol.iterator]: () =>
          runEngine({ workload, seed, ncpus, startNs, endNs, tracepoints, image }, request.probes),
      };
    },
  };
}
