// --metrics [ADDR:]PORT: the maps served over HTTP while the run goes on (the run loop yields
// between batches of events, so scrapes are answered during the run). The endpoint opens
// before BEGIN and closes when the run ends, after the exit dump; a scrape after that finds
// nothing listening.

import type { Program } from '../../compiler/program';
import type { MapStore, OutputEnv } from '../output/index';
import { readScriptMaps } from '../output/snapshot';
import { exposition, type RunCounters } from '../metrics/exposition';
import { parseMetricsAddress, startMetricsServer, type MetricsServer } from '../metrics/server';

export async function serveMetrics(
  spec: string,
  program: Program,
  maps: MapStore,
  env: OutputEnv,
  counters: () => RunCounters,
): Promise<MetricsServer> {
  return startMetricsServer(parseMetricsAddress(spec), (format) =>
    exposition(readScriptMaps(program, maps, env), counters(), format),
  );
}
