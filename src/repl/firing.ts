// Which of the catalog's probes have events in a source: Tab completion offers these first
// (`tracepoint:sched:sched_sw` → `sched_switch`, which the workload produces, rather than also
// `sched_swap_numa`, which it never does).

import type { ResolvedAttachPoint } from '../../compiler/host';
import type { ProbeListing } from '../../probes/host';
import type { EventSource } from '../../probes/source';

/** Kinds of probe whose events depend on the source (timers and BEGIN/END always fire). */
const SOURCE_PROBES = /^(tracepoint|kprobe|kretprobe|kfunc|kretfunc|uprobe|uretprobe|usdt):/;
/** Virtual time sampled from a simulation: enough for every kind of activity to show up. */
export const SIMULATION_SAMPLE_NS = 100_000_000n;

/** Probe names with events in the first `sampleNs` of the source (all of it when undefined). */
export function probesThatFire(
  source: EventSource,
  host: ProbeListing,
  sampleNs?: bigint,
): Set<string> {
  const points: ResolvedAttachPoint[] = [];
  for (const name of host.listProbes()) {
    if (!SOURCE_PROBES.test(name)) continue;
    const resolved = host.resolveAttachPoint(name);
    if (resolved.ok) points.push(...resolved.points);
  }
  const seen = new Set<string>();
  const until = sampleNs === undefined ? source.endNs : source.startNs + sampleNs;
  for (const event of source.events({ probes: points })) {
    if (event.ts > until) break;
    seen.add(event.probe);
  }
  return seen;
}
