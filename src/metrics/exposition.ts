// Every map in the Prometheus text exposition format (version 0.0.4) or OpenMetrics 1.0 text,
// read through the exit dump's path so a scrape shows the printed numbers:
//   count()                    counter  bpfscope_<map>_total
//   sum(), min(), max(), avg() gauge    bpfscope_<map>          (sums can go down)
//   stats()                    gauge    bpfscope_<map>{stat="count|average|total"}
//   hist(), lhist()            histogram bpfscope_<map>_bucket{le=...} (cumulative) and _count
//   integer values             gauge    bpfscope_<map>
// Map keys become labels: `key` for a one-part key, `key1`, `key2`, ... otherwise, valued as
// the key prints. hist/lhist buckets go up to the highest non-empty bucket (every bucket for
// lhist), each `le` the bucket's inclusive upper bound, then +Inf; the maps keep no sum of the
// values, so there is no _sum. Maps of strings, tuples and other values are not exported (a
// comment says so). At most MAX_SERIES_PER_MAP keys of a map are exported — those with the
// largest values (counts, totals) — and bpfscope_dropped_keys{map="@name"} counts the rest.

import { bucketBounds } from '../output/histogram';
import type { HistEntry, MapContents } from '../output/mapdata';
import type { MapSnapshot } from '../output/snapshot';
import { valueText, type Value } from '../output/values';
import { displayText } from '../pictures/text';

export const MAX_SERIES_PER_MAP = 1000;

export type ExpositionFormat = 'prometheus' | 'openmetrics';

export const CONTENT_TYPES: Record<ExpositionFormat, string> = {
  prometheus: 'text/plain; version=0.0.4; charset=utf-8',
  openmetrics: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
};

export interface RunCounters {
  /** Events delivered to the probes so far. */
  events: number;
  /** Events the backend lost. */
  lostEvents: number;
}

export function metricName(mapName: string): string {
  const bare = mapName.replace(/^@/, '');
  return `bpfscope_${bare === '' ? 'map' : bare.replace(/[^a-zA-Z0-9_]/g, '_')}`;
}

/** A label value: backslash, double quote and line feed escaped. */
export function labelValue(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function helpText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

type Labels = [string, string][];

function labelSet(labels: Labels): string {
  if (labels.length === 0) return '';
  return `{${labels.map(([k, v]) => `${k}="${labelValue(v)}"`).join(',')}}`;
}

function keyLabels(parts: Value[]): Labels {
  const texts = parts.map((p) => displayText(valueText(p)));
  if (texts.length === 1) return [['key', texts[0]]];
  return texts.map((t, i) => [`key${i + 1}`, t]);
}

class Family {
  readonly lines: string[] = [];
  constructor(
    readonly name: string,
    readonly type: 'counter' | 'gauge' | 'histogram',
    readonly help: string,
  ) {}

  sample(suffix: string, labels: Labels, value: bigint | number | string): void {
    this.lines.push(`${this.name}${suffix}${labelSet(labels)} ${value}`);
  }

  render(format: ExpositionFormat): string {
    // OpenMetrics names a counter's family without the _total its samples carry.
    const family =
      format === 'openmetrics' && this.type === 'counter'
        ? this.name.replace(/_total$/, '')
        : this.name;
    return (
      `# HELP ${family} ${helpText(this.help)}\n# TYPE ${family} ${this.type}\n` +
      this.lines.map((l) => `${l}\n`).join('')
    );
  }
}

export function exposition(
  snapshots: MapSnapshot[],
  counters: RunCounters,
  format: ExpositionFormat = 'prometheus',
): string {
  const families: Family[] = [];
  const comments: string[] = [];
  const dropped = new Family(
    'bpfscope_dropped_keys',
    'gauge',
    `keys of a map left out of this exposition (at most ${MAX_SERIES_PER_MAP} per map)`,
  );
  for (const snapshot of snapshots) {
    const family = mapFamily(snapshot);
    if (!family) {
      comments.push(
        `# bpfscope: ${helpText(displayText(snapshot.name))} holds ${snapshot.contents.kind === 'value' ? 'non-numeric values' : 'values'} and is not exported\n`,
      );
      continue;
    }
    const all = snapshot.contents.entries.length;
    const kept = all > MAX_SERIES_PER_MAP ? MAX_SERIES_PER_MAP : all;
    fill(family, limitEntries(snapshot.contents, kept));
    if (kept < all) dropped.sample('', [['map', displayText(snapshot.name)]], all - kept);
    families.push(family);
  }
  const events = new Family('bpfscope_events_total', 'counter', 'events delivered to the probes');
  events.sample('', [], counters.events);
  const lost = new Family('bpfscope_lost_events_total', 'counter', 'events the backend lost');
  lost.sample('', [], counters.lostEvents);
  families.push(events, lost);
  if (dropped.lines.length > 0) families.push(dropped);
  return (
    comments.join('') +
    families.map((f) => f.render(format)).join('') +
    (format === 'openmetrics' ? '# EOF\n' : '')
  );
}

function mapFamily(snapshot: MapSnapshot): Family | undefined {
  const value = snapshot.info.value;
  const name = metricName(snapshot.name);
  const shown = displayText(snapshot.name);
  if (value.kind === 'value') {
    if (snapshot.contents.kind !== 'number') return undefined;
    return new Family(name, 'gauge', `${shown}: integer values of the bpfscope script`);
  }
  const kind = value.aggregation.kind;
  const help = `${shown}: ${kind}() of the bpfscope script`;
  switch (kind) {
    case 'count':
      return new Family(`${name}_total`, 'counter', help);
    case 'hist':
    case 'lhist':
      return new Family(name, 'histogram', help);
    default:
      return new Family(name, 'gauge', help);
  }
}

/** The `count` entries with the largest values (entries are sorted ascending). */
function limitEntries(contents: MapContents, count: number): MapContents {
  if (count >= contents.entries.length) return contents;
  return { ...contents, entries: contents.entries.slice(-count) } as MapContents;
}

function fill(family: Family, contents: MapContents): void {
  switch (contents.kind) {
    case 'number':
      for (const e of contents.entries) family.sample('', keyLabels(e.keyParts), e.value);
      return;
    case 'avg':
      for (const e of contents.entries) family.sample('', keyLabels(e.keyParts), e.average);
      return;
    case 'stats':
      for (const e of contents.entries) {
        const labels = keyLabels(e.keyParts);
        family.sample('', [...labels, ['stat', 'count']], e.count);
        family.sample('', [...labels, ['stat', 'average']], e.average);
        family.sample('', [...labels, ['stat', 'total']], e.total);
      }
      return;
    case 'hist':
    case 'lhist': {
      const last = lastBucket(contents);
      for (const e of contents.entries) histogramSamples(family, contents, e, last);
      return;
    }
    case 'value':
      return;
  }
}

/** The highest bucket index to list before +Inf. */
function lastBucket(contents: MapContents & { kind: 'hist' | 'lhist' }): number {
  if (contents.kind === 'lhist') return Number((contents.max - contents.min) / contents.step);
  let last = 0;
  for (const e of contents.entries)
    for (const [index, count] of e.buckets) if (count !== 0n && index > last) last = index;
  return last;
}

function histogramSamples(
  family: Family,
  scale: MapContents & { kind: 'hist' | 'lhist' },
  entry: HistEntry,
  last: number,
): void {
  const labels = keyLabels(entry.keyParts);
  let cumulative = 0n;
  for (let index = 0; index <= last; index++) {
    cumulative += entry.buckets.get(index) ?? 0n;
    const bound = bucketBounds(scale, index).max;
    if (bound === undefined) break;
    family.sample('_bucket', [...labels, ['le', bound.toString()]], cumulative);
  }
  family.sample('_bucket', [...labels, ['le', '+Inf']], entry.total);
  family.sample('_count', labels, entry.total);
}
