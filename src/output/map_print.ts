// A map printed as bpftrace 0.17 prints it, by `print(@m, top, div)` or at exit: text with
// its per-kind blank lines (behaviour "Maps, aggregations and output" §2), or one JSON line.

import { bucketRowsJson, bucketRowsText } from './histogram';
import { jsonEvent, jsonObject } from './json';
import type { AverageEntry, MapContents } from './mapdata';
import { valueJson, valueText, type Value } from './values';

export interface PrintLimits {
  /** Keep only the last `top` entries of the sorted order; 0 = all. */
  top: bigint;
  /** Divide printed values; 0 counts as 1. */
  div: bigint;
}

export const NO_LIMITS: PrintLimits = { top: 0n, div: 1n };

/** Applies top/div the way each kind honours them (stats ignores both, lhist ignores div). */
function limited(
  contents: MapContents,
  limits: PrintLimits,
): { contents: MapContents; div: bigint } {
  if (contents.kind === 'stats') return { contents, div: 1n };
  const div = contents.kind === 'lhist' || limits.div === 0n ? 1n : limits.div;
  const top = Number(limits.top);
  if (top === 0 || top >= contents.entries.length) return { contents, div };
  return { contents: { ...contents, entries: contents.entries.slice(-top) } as MapContents, div };
}

function keyText(parts: Value[]): string {
  return parts.length === 0 ? '' : `[${parts.map(valueText).join(', ')}]`;
}

function statsText(e: AverageEntry): string {
  return `count ${e.count}, average ${e.average}, total ${e.total}`;
}

export function mapText(name: string, all: MapContents, limits: PrintLimits): string {
  const { contents, div } = limited(all, limits);
  switch (contents.kind) {
    case 'number':
      return lines(contents.entries.map((e) => `${name}${keyText(e.keyParts)}: ${e.value / div}`));
    case 'value':
      return lines(
        contents.entries.map((e) => `${name}${keyText(e.keyParts)}: ${valueText(e.value)}`),
      );
    case 'avg':
      return (
        lines(contents.entries.map((e) => `${name}${keyText(e.keyParts)}: ${e.average / div}`)) +
        '\n'
      );
    case 'stats':
      return (
        lines(contents.entries.map((e) => `${name}${keyText(e.keyParts)}: ${statsText(e)}`)) + '\n'
      );
    case 'hist':
    case 'lhist':
      if (contents.entries.length === 0) return '\n';
      return contents.entries
        .map(
          (e) => `${name}${keyText(e.keyParts)}: \n${bucketRowsText(contents, e.buckets, div)}\n`,
        )
        .join('');
  }
}

/** One line per entry; an empty map prints one empty line. */
function lines(entries: string[]): string {
  return entries.length === 0 ? '\n' : entries.map((l) => l + '\n').join('');
}

/** The JSON line of a map, or '' for an empty map (JSON prints nothing for those). */
export function mapJson(name: string, all: MapContents, limits: PrintLimits): string {
  const { contents, div } = limited(all, limits);
  if (contents.entries.length === 0) return '';
  const keyless = contents.entries.length === 1 && contents.entries[0].keyParts.length === 0;
  const data = (values: [Value[], string][]): string =>
    jsonObject([
      [name, keyless ? values[0][1] : jsonObject(values.map(([parts, v]) => [jsonKey(parts), v]))],
    ]);
  switch (contents.kind) {
    case 'number':
      return jsonEvent(
        'map',
        data(contents.entries.map((e) => [e.keyParts, (e.value / div).toString()])),
      );
    case 'value':
      return jsonEvent('map', data(contents.entries.map((e) => [e.keyParts, valueJson(e.value)])));
    case 'avg':
      return jsonEvent(
        'stats',
        data(contents.entries.map((e) => [e.keyParts, (e.average / div).toString()])),
      );
    case 'stats':
      return jsonEvent(
        'stats',
        data(
          contents.entries.map((e) => [
            e.keyParts,
            jsonObject([
              ['count', e.count.toString()],
              ['average', e.average.toString()],
              ['total', e.total.toString()],
            ]),
          ]),
        ),
      );
    case 'hist':
    case 'lhist':
      return jsonEvent(
        'hist',
        data(contents.entries.map((e) => [e.keyParts, bucketRowsJson(contents, e.buckets, div)])),
      );
  }
}

/** Key parts in their text form joined by "," (no space). */
function jsonKey(parts: Value[]): string {
  return parts.map(valueText).join(',');
}
