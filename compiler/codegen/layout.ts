// Byte layouts of map keys, map values and record arguments (program.ts, ScriptMapInfo).

import type { Aggregation, Type } from '../types';
import { sizeOf } from '../types';
import type { ScriptMapInfo } from '../program';

/** Integer-like values travel in registers; everything else lives in memory. */
export function isScalar(type: Type): boolean {
  switch (type.kind) {
    case 'int':
    case 'bool':
    case 'pointer':
    case 'none':
      return true;
    case 'opaque':
      return type.size <= 8;
    default:
      return false;
  }
}

/** Size a value takes as a map key part, map value, variable or record argument:
 *  scalars widen to 8 bytes; memory values keep their own size. */
export function slotSize(type: Type): number {
  return isScalar(type) ? 8 : sizeOf(type);
}

export interface KeyLayout {
  offsets: number[];
  size: number;
}

export function keyLayout(keyTypes: readonly Type[]): KeyLayout {
  if (keyTypes.length === 0) return { offsets: [], size: 8 };
  const offsets: number[] = [];
  let size = 0;
  for (const t of keyTypes) {
    offsets.push(size);
    size += slotSize(t);
  }
  return { offsets, size };
}

/** hist/lhist keys carry an 8-byte bucket index after the script's key parts. */
export function hasBucketKey(info: ScriptMapInfo): boolean {
  return (
    info.value.kind === 'aggregation' &&
    (info.value.aggregation.kind === 'hist' || info.value.aggregation.kind === 'lhist')
  );
}

/** Where a hist/lhist key's bucket index lies: after the script's key parts; the key of a
 *  keyless hist/lhist is the bucket index alone (as in bpftrace 0.17). */
export function bucketOffset(info: ScriptMapInfo): number {
  return info.keyTypes.length === 0 ? 0 : keyLayout(info.keyTypes).size;
}

export function mapKeySize(info: ScriptMapInfo): number {
  return hasBucketKey(info) ? bucketOffset(info) + 8 : keyLayout(info.keyTypes).size;
}

export function aggregationValueSize(aggregation: Aggregation): number {
  switch (aggregation.kind) {
    case 'min':
    case 'max':
    case 'avg':
    case 'stats':
      return 16;
    default:
      return 8;
  }
}

export function mapValueSize(info: ScriptMapInfo): number {
  return info.value.kind === 'aggregation'
    ? aggregationValueSize(info.value.aggregation)
    : slotSize(info.value.type);
}

/** A keyless count is a per-CPU array of one entry (array keys are 4 bytes). */
export function isKeylessCount(info: ScriptMapInfo): boolean {
  return (
    info.keyTypes.length === 0 &&
    info.value.kind === 'aggregation' &&
    info.value.aggregation.kind === 'count'
  );
}
