// A script map's contents as bpftrace's user space sees them: per-CPU values combined,
// aggregations decoded, hist/lhist buckets grouped by key, entries in bpftrace's print order.

import type { MapDef, ScriptMapInfo } from '../../compiler/program';
import { sizeOf, type Aggregation, type Type } from '../../compiler/types';
import { compareBigint, compareBytes, readI64, readU64 } from './bytes';
import type { FormatContext, MapEntry } from './context';
import { decodeValue, type Value } from './values';

interface Keyed {
  /** Raw key bytes (without a hist/lhist bucket index). */
  key: Uint8Array;
  keyParts: Value[];
}

export interface NumberEntry extends Keyed {
  value: bigint;
}
export interface AverageEntry extends Keyed {
  total: bigint;
  count: bigint;
  average: bigint;
}
export interface HistEntry extends Keyed {
  /** Bucket index (see ScriptMapInfo) → count. */
  buckets: Map<number, bigint>;
  total: bigint;
}
export interface ValueEntry extends Keyed {
  value: Value;
}

export type MapContents =
  /** count, sum, min, max and integer-valued maps. */
  | { kind: 'number'; signed: boolean; entries: NumberEntry[] }
  | { kind: 'avg' | 'stats'; signed: boolean; entries: AverageEntry[] }
  | { kind: 'hist'; entries: HistEntry[] }
  | { kind: 'lhist'; min: bigint; max: bigint; step: bigint; entries: HistEntry[] }
  /** string, tuple and other values. */
  | { kind: 'value'; entries: ValueEntry[] };

const U64 = 1n << 64n;

/** The map's entries, combined across CPUs and sorted as bpftrace prints them. */
export function readMap(
  def: MapDef,
  info: ScriptMapInfo,
  raw: MapEntry[],
  ctx: FormatContext,
): MapContents {
  const keyed = (key: Uint8Array): Keyed => ({ key, keyParts: decodeKey(info.keyTypes, key, ctx) });
  if (info.value.kind === 'value') {
    const type = info.value.type;
    if (type.kind === 'int' || type.kind === 'bool' || type.kind === 'pointer') {
      const signed = type.kind === 'int' && type.signed;
      const entries = raw.map((e) => ({ ...keyed(e.key), value: intValue(type, e.values[0]) }));
      return { kind: 'number', signed, entries: sortByNumber(entries) };
    }
    const entries = raw.map((e) => ({
      ...keyed(e.key),
      value: decodeValue(type, e.values[0], 0, ctx, { wideInts: true }),
    }));
    return { kind: 'value', entries: sortByKeyParts(entries, info.keyTypes) };
  }
  const aggregation = info.value.aggregation;
  switch (aggregation.kind) {
    case 'count':
    case 'sum': {
      const signed = aggregation.kind === 'sum' && aggregation.signed;
      const rows =
        raw.length === 0 && isKeylessCount(info) ? [{ key: new Uint8Array(8), values: [] }] : raw;
      const entries = rows.map((e) => ({
        ...keyed(e.key),
        value: wrap(sumCpus(e.values, 0), signed),
      }));
      return { kind: 'number', signed, entries: sortByNumber(entries) };
    }
    case 'min':
    case 'max': {
      const entries = raw.map((e) => ({
        ...keyed(e.key),
        value: extremeOfCpus(e.values, aggregation),
      }));
      return { kind: 'number', signed: aggregation.signed, entries: sortByNumber(entries) };
    }
    case 'avg':
    case 'stats': {
      // 0.17 reads the total as int64 and divides signed even for unsigned arguments:
      // avg((uint64)-1) prints -1.
      const entries = raw.map((e) => averageEntry(keyed(e.key), e.values, true));
      entries.sort((a, b) => compareBigint(a.average, b.average) || compareBytes(a.key, b.key));
      return { kind: aggregation.kind, signed: true, entries };
    }
    case 'hist':
    case 'lhist': {
      const entries = groupBuckets(raw, def.keySize - 8, keyed);
      entries.sort((a, b) => compareBigint(a.total, b.total) || compareBytes(a.key, b.key));
      if (aggregation.kind === 'hist') return { kind: 'hist', entries };
      return {
        kind: 'lhist',
        min: aggregation.min,
        max: aggregation.max,
        step: aggregation.step,
        entries,
      };
    }
  }
}

export function isKeylessCount(info: ScriptMapInfo): boolean {
  return (
    info.keyTypes.length === 0 &&
    info.value.kind === 'aggregation' &&
    info.value.aggregation.kind === 'count'
  );
}

/** Key parts: integers are 8 bytes and print as signed 64-bit whatever their declared type. */
function decodeKey(keyTypes: Type[], key: Uint8Array, ctx: FormatContext): Value[] {
  let offset = 0;
  return keyTypes.map((type) => {
    const size = type.kind === 'int' ? 8 : sizeOf(type);
    const value: Value =
      type.kind === 'int'
        ? { kind: 'int', value: readI64(key, offset) }
        : decodeValue(type, key, offset, ctx, { inKey: true });
    offset += size;
    return value;
  });
}

function intValue(type: Type, bytes: Uint8Array): bigint {
  if (type.kind !== 'int') return readU64(bytes, 0);
  const raw = readU64(bytes, 0);
  const bits = type.size * 8;
  return type.signed ? BigInt.asIntN(bits, raw) : BigInt.asUintN(bits, raw);
}

function wrap(value: bigint, signed: boolean): bigint {
  return signed ? BigInt.asIntN(64, value) : BigInt.asUintN(64, value);
}

function sumCpus(values: Uint8Array[], offset: number): bigint {
  return values.reduce((sum, v) => (sum + readU64(v, offset)) % U64, 0n);
}

/** min/max: the extreme of the CPUs whose isSet word is 1; 0 when none is set (zeroed). */
function extremeOfCpus(
  values: Uint8Array[],
  aggregation: Aggregation & { kind: 'min' | 'max'; signed: boolean },
): bigint {
  let best: bigint | undefined;
  for (const v of values) {
    if (readU64(v, 8) === 0n) continue;
    const value = wrap(readU64(v, 0), aggregation.signed);
    if (best === undefined || (aggregation.kind === 'min' ? value < best : value > best))
      best = value;
  }
  return best ?? 0n;
}

function averageEntry(keyed: Keyed, values: Uint8Array[], signed: boolean): AverageEntry {
  const total = wrap(sumCpus(values, 0), signed);
  const count = sumCpus(values, 8);
  // C++ 64-bit division truncates toward zero, as BigInt division does.
  const average = count === 0n ? 0n : wrap(total / count, signed);
  return { ...keyed, total, count, average };
}

function groupBuckets(
  raw: MapEntry[],
  keySize: number,
  keyed: (key: Uint8Array) => Keyed,
): HistEntry[] {
  const byKey = new Map<string, HistEntry>();
  for (const e of raw) {
    const key = e.key.slice(0, keySize);
    const id = key.join(',');
    let entry = byKey.get(id);
    if (!entry) byKey.set(id, (entry = { ...keyed(key), buckets: new Map(), total: 0n }));
    const count = sumCpus(e.values, 0);
    const bucket = Number(readU64(e.key, keySize));
    entry.buckets.set(bucket, (entry.buckets.get(bucket) ?? 0n) + count);
    entry.total += count;
  }
  return [...byKey.values()];
}

/** By value; equal values (kernel hash order in bpftrace) by raw key for determinism. */
function sortByNumber(entries: NumberEntry[]): NumberEntry[] {
  return entries.sort((a, b) => compareBigint(a.value, b.value) || compareBytes(a.key, b.key));
}

/** By key parts left to right: integers unsigned, strings bytewise; other parts keep their order. */
function sortByKeyParts(entries: ValueEntry[], keyTypes: Type[]): ValueEntry[] {
  const compare = (type: Type, a: Value, b: Value): number => {
    if (a.kind === 'int' && b.kind === 'int')
      return compareBigint(BigInt.asUintN(64, a.value), BigInt.asUintN(64, b.value));
    if (type.kind === 'string' && a.kind === 'text' && b.kind === 'text')
      return a.text < b.text ? -1 : a.text > b.text ? 1 : 0;
    return 0;
  };
  return entries.sort((a, b) => {
    for (let i = 0; i < keyTypes.length; i++) {
      const order = compare(keyTypes[i], a.keyParts[i], b.keyParts[i]);
      if (order !== 0) return order;
    }
    return 0;
  });
}
