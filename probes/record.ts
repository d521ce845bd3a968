// Lays out tracepoint records exactly as their format says (common fields, then each field at
// its offset and size) and reads them back by field name.

import type { MemoryRegion } from './event';
import { MemoryBuilder, readString } from './memory';
import {
  isStringField,
  type ProbeTracepointField,
  type ProbeTracepointFormat,
} from './tracepoint_format';

/** A field value: an integer, a string (for `char *`, `char[N]` and `__data_loc char[]`
 *  fields), an array of integers (for `unsigned long args[6]`) or raw bytes. */
export type FieldValue = number | bigint | string | readonly (number | bigint)[] | Uint8Array;

export interface CommonFields {
  pid: number;
  flags?: number;
  preemptCount?: number;
}

const encoder = new TextEncoder();

export function toBigInt(value: number | bigint | string): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(Math.trunc(value));
  return BigInt(value.trim());
}

/** Builds the raw record. String pointer fields given as text are placed in user memory via
 *  `memory`; `__data_loc` strings go after the fixed part of the record. */
export function buildTracepointRecord(
  format: ProbeTracepointFormat,
  values: Readonly<Record<string, FieldValue | undefined>>,
  common: CommonFields,
  memory: MemoryBuilder,
): Uint8Array {
  const dynamic: { field: ProbeTracepointField; bytes: Uint8Array }[] = [];
  for (const field of format.fields) {
    const value = values[field.name];
    if (field.dataLoc && value !== undefined) {
      const bytes =
        typeof value === 'string'
          ? nulTerminated(value)
          : value instanceof Uint8Array
            ? value
            : undefined;
      if (bytes) dynamic.push({ field, bytes });
    }
  }
  const dynamicSize = dynamic.reduce((n, d) => n + d.bytes.length, 0);
  const size = format.size + dynamicSize;
  const record = new Uint8Array(Math.ceil(size / 8) * 8);
  const view = new DataView(record.buffer);
  let dynamicOffset = format.size;
  for (const field of format.fields) {
    let value: FieldValue | undefined = values[field.name];
    if (field.name === 'common_type') value ??= format.id;
    else if (field.name === 'common_pid') value ??= common.pid;
    else if (field.name === 'common_flags') value ??= common.flags ?? 0;
    else if (field.name === 'common_preempt_count') value ??= common.preemptCount ?? 0;
    if (value === undefined) continue;
    if (field.dataLoc) {
      const d = dynamic.find((x) => x.field === field);
      if (d) {
        record.set(d.bytes, dynamicOffset);
        writeInt(view, field.offset, field.size, BigInt(dynamicOffset | (d.bytes.length << 16)));
        dynamicOffset += d.bytes.length;
      } else if (typeof value !== 'string') writeValue(view, record, field, value, memory);
      continue;
    }
    writeValue(view, record, field, value, memory);
  }
  return record;
}

function nulTerminated(text: string): Uint8Array {
  const utf8 = encoder.encode(text);
  const out = new Uint8Array(utf8.length + 1);
  out.set(utf8);
  return out;
}

function writeValue(
  view: DataView,
  record: Uint8Array,
  field: ProbeTracepointField,
  value: FieldValue,
  memory: MemoryBuilder,
) {
  if (typeof value === 'string') {
    if (field.type.kind === 'array') {
      const bytes = encoder.encode(value).subarray(0, field.size - 1);
      record.set(bytes, field.offset);
      return;
    }
    if (field.type.kind === 'pointer') {
      writeInt(view, field.offset, field.size, memory.putString(value));
      return;
    }
    writeInt(view, field.offset, field.size, toBigInt(value));
    return;
  }
  if (value instanceof Uint8Array) {
    if (field.type.kind === 'pointer') writeInt(view, field.offset, field.size, memory.put(value));
    else record.set(value.subarray(0, field.size), field.offset);
    return;
  }
  if (typeof value === 'object') {
    const element =
      field.type.kind === 'array' && field.type.element.kind === 'int'
        ? field.type.element.size
        : 8;
    value.forEach((v, i) => {
      if ((i + 1) * element <= field.size)
        writeInt(view, field.offset + i * element, element, toBigInt(v));
    });
    return;
  }
  writeInt(view, field.offset, field.size, toBigInt(value));
}

export function writeInt(view: DataView, offset: number, size: number, value: bigint): void {
  const v = BigInt.asUintN(size * 8, value);
  switch (size) {
    case 1:
      view.setUint8(offset, Number(v));
      break;
    case 2:
      view.setUint16(offset, Number(v), true);
      break;
    case 4:
      view.setUint32(offset, Number(v), true);
      break;
    default:
      view.setBigUint64(offset, BigInt.asUintN(64, value), true);
  }
}

export function readInt(view: DataView, offset: number, size: number, signed: boolean): bigint {
  let v: bigint;
  switch (size) {
    case 1:
      v = BigInt(view.getUint8(offset));
      break;
    case 2:
      v = BigInt(view.getUint16(offset, true));
      break;
    case 4:
      v = BigInt(view.getUint32(offset, true));
      break;
    default:
      v = view.getBigUint64(offset, true);
  }
  return signed ? BigInt.asIntN(size * 8, v) : v;
}

/** Field values by name, strings resolved through `memory` where the pointer is mapped. */
export function decodeTracepointRecord(
  format: ProbeTracepointFormat,
  ctx: Uint8Array,
  memory: readonly MemoryRegion[],
): Record<string, bigint | string | bigint[]> {
  const view = new DataView(ctx.buffer, ctx.byteOffset, ctx.byteLength);
  const out: Record<string, bigint | string | bigint[]> = {};
  for (const field of format.fields) {
    if (field.offset + field.size > ctx.length) continue;
    if (field.dataLoc) {
      const loc = Number(readInt(view, field.offset, 4, false));
      const offset = loc & 0xffff;
      const length = loc >>> 16;
      const bytes = ctx.subarray(offset, Math.min(ctx.length, offset + length));
      const nul = bytes.indexOf(0);
      out[field.name] = new TextDecoder().decode(nul >= 0 ? bytes.subarray(0, nul) : bytes);
      continue;
    }
    if (field.type.kind === 'array') {
      const bytes = ctx.subarray(field.offset, field.offset + field.size);
      if (isStringField(field)) {
        const nul = bytes.indexOf(0);
        out[field.name] = new TextDecoder().decode(nul >= 0 ? bytes.subarray(0, nul) : bytes);
      } else {
        const el = field.type.element.kind === 'int' ? field.type.element.size : 1;
        const signed = field.type.element.kind === 'int' && field.type.element.signed;
        const values: bigint[] = [];
        for (let o = 0; o + el <= field.size; o += el)
          values.push(readInt(view, field.offset + o, el, signed));
        out[field.name] = values;
      }
      continue;
    }
    const signed = field.type.kind === 'int' ? field.type.signed : false;
    const value = readInt(view, field.offset, field.size, signed);
    if (isStringField(field)) {
      const text = readString(memory, value);
      out[field.name] = text ?? value;
      continue;
    }
    out[field.name] = value;
  }
  return out;
}
