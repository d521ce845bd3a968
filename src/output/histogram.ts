// hist/lhist bucket rows: the range from the first to the last non-empty bucket, each as
// `%-16s%8d |%-52s|` (text) or a {min, max, count} object (JSON).

import { jsonObject } from './json';
import { lhistNumberLabel, powerOfTwoLabel } from './labels';

export type BucketScale =
  { kind: 'hist' } | { kind: 'lhist'; min: bigint; max: bigint; step: bigint };

const BAR_WIDTH = 52;

/** Indices of the buckets to print, lowest to highest non-empty, gaps included. */
export function printedRange(buckets: Map<number, bigint>): number[] {
  const used = [...buckets].filter(([, count]) => count !== 0n).map(([index]) => index);
  if (used.length === 0) return [];
  const first = Math.min(...used);
  const last = Math.max(...used);
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

function regularBuckets(scale: BucketScale & { kind: 'lhist' }): bigint {
  return (scale.max - scale.min) / scale.step;
}

export function bucketLabel(scale: BucketScale, index: number): string {
  if (scale.kind === 'hist') {
    if (index === 0) return '(..., 0)';
    if (index === 1) return '[0]';
    if (index === 2) return '[1]';
    return `[${powerOfTwoLabel(index - 2)}, ${powerOfTwoLabel(index - 1)})`;
  }
  const i = BigInt(index);
  if (i === 0n) return `(..., ${lhistNumberLabel(scale.min)})`;
  if (i > regularBuckets(scale)) return `[${lhistNumberLabel(scale.max)}, ...)`;
  const low = scale.min + (i - 1n) * scale.step;
  return `[${lhistNumberLabel(low)}, ${lhistNumberLabel(low + scale.step)})`;
}

/** The rows of one key; the count column shows count/div, the bars the undivided counts. */
export function bucketRowsText(
  scale: BucketScale,
  buckets: Map<number, bigint>,
  div: bigint,
): string {
  const range = printedRange(buckets);
  const max = range.reduce((m, i) => ((buckets.get(i) ?? 0n) > m ? (buckets.get(i) ?? 0n) : m), 0n);
  let text = '';
  for (const index of range) {
    const count = buckets.get(index) ?? 0n;
    const bar = '@'.repeat(max === 0n ? 0 : Number((BigInt(BAR_WIDTH) * count) / max));
    const shown = (count / div).toString();
    text += `${bucketLabel(scale, index).padEnd(16)}${shown.padStart(8)} |${bar.padEnd(BAR_WIDTH)}|\n`;
  }
  return text;
}

export function bucketRowsJson(
  scale: BucketScale,
  buckets: Map<number, bigint>,
  div: bigint,
): string {
  const objects = printedRange(buckets).map((index) => {
    const count: [string, string] = ['count', ((buckets.get(index) ?? 0n) / div).toString()];
    const bounds = bucketBounds(scale, index);
    const members: [string, string][] = [];
    if (bounds.min !== undefined) members.push(['min', bounds.min.toString()]);
    if (bounds.max !== undefined) members.push(['max', bounds.max.toString()]);
    return jsonObject([...members, count]);
  });
  return `[${objects.join(', ')}]`;
}

/** Inclusive bounds; the open ends of the first and last buckets are left out. */
export function bucketBounds(scale: BucketScale, index: number): { min?: bigint; max?: bigint } {
  const i = BigInt(index);
  if (scale.kind === 'hist') {
    if (i === 0n) return { max: -1n };
    if (i === 1n) return { min: 0n, max: 0n };
    return { min: 1n << (i - 2n), max: (1n << (i - 1n)) - 1n };
  }
  if (i === 0n) return { max: scale.min - 1n };
  if (i > regularBuckets(scale)) return { min: scale.max };
  const low = scale.min + (i - 1n) * scale.step;
  return { min: low, max: low + scale.step - 1n };
}
