// Decoding a typed value from record or map bytes, and rendering it as bpftrace prints it:
// text (`print`, map values and keys) or JSON. Opaque builtin values become their text here.

import { sizeOf, tupleLayout, type Type } from '../../compiler/types';
import { cString, readInt } from './bytes';
import { formatBuffer } from './cformat';
import type { FormatContext } from './context';
import { jsonString } from './json';
import { formatOpaque } from './opaque';

export type Value =
  | { kind: 'int'; value: bigint }
  | { kind: 'bool'; value: boolean }
  | { kind: 'text'; text: string }
  | { kind: 'buffer'; bytes: Uint8Array }
  | { kind: 'tuple'; elements: Value[] }
  | { kind: 'array'; elements: Value[] }
  | { kind: 'record'; fields: { name: string; value: Value }[] };

export interface DecodeOptions {
  /** Integers occupy 8 bytes (map values and key parts) whatever their type's width. */
  wideInts?: boolean;
  /** The value is a map key part (stacks are indented by 4 instead of 8). */
  inKey?: boolean;
}

export function decodeValue(
  type: Type,
  bytes: Uint8Array,
  offset: number,
  ctx: FormatContext,
  options: DecodeOptions = {},
): Value {
  switch (type.kind) {
    case 'int': {
      const raw = readInt(bytes, offset, options.wideInts ? 8 : type.size, type.signed);
      const bits = type.size * 8;
      return {
        kind: 'int',
        value: type.signed ? BigInt.asIntN(bits, raw) : BigInt.asUintN(bits, raw),
      };
    }
    case 'pointer':
      return { kind: 'int', value: readInt(bytes, offset, 8, false) };
    case 'bool':
      return { kind: 'bool', value: bytes[offset] !== 0 };
    case 'string':
      return { kind: 'text', text: cString(bytes, offset, type.size) };
    case 'buffer': {
      const length = Math.min(bytes[offset] ?? 0, type.size);
      return { kind: 'buffer', bytes: bytes.slice(offset + 1, offset + 1 + length) };
    }
    case 'tuple': {
      const { offsets } = tupleLayout(type.elements);
      return {
        kind: 'tuple',
        elements: type.elements.map((element, i) =>
          decodeValue(element, bytes, offset + offsets[i], ctx, { inKey: options.inKey }),
        ),
      };
    }
    case 'array': {
      const size = sizeOf(type.element);
      const elements: Value[] = [];
      for (let i = 0; i < type.length; i++)
        elements.push(decodeValue(type.element, bytes, offset + i * size, ctx));
      return { kind: 'array', elements };
    }
    case 'record':
      return {
        kind: 'record',
        fields: type.fields.map((f) => ({
          name: f.name,
          value: decodeValue(f.type, bytes, offset + f.offset, ctx),
        })),
      };
    case 'opaque':
      return { kind: 'text', text: formatOpaque(type, bytes, offset, ctx, options.inKey ?? false) };
    default:
      return { kind: 'text', text: '' };
  }
}

/** Text form: integers in decimal, strings raw, tuples `(1, two, (3, four))`. */
export function valueText(value: Value): string {
  switch (value.kind) {
    case 'int':
      return value.value.toString();
    case 'bool':
      return value.value ? 'true' : 'false';
    case 'text':
      return value.text;
    case 'buffer':
      return formatBuffer('r', value.bytes);
    case 'tuple':
      return `(${value.elements.map(valueText).join(', ')})`;
    case 'array':
      return `[${value.elements.map(valueText).join(',')}]`;
    case 'record':
      return `{ ${value.fields.map((f) => `.${f.name} = ${valueText(f.value)}`).join(', ')} }`;
  }
}

/** JSON form: integers bare, strings escaped, tuples and arrays without spaces. */
export function valueJson(value: Value): string {
  switch (value.kind) {
    case 'int':
      return value.value.toString();
    case 'bool':
      return value.value ? 'true' : 'false';
    case 'text':
      return jsonString(value.text);
    case 'buffer':
      return jsonString(formatBuffer('r', value.bytes));
    case 'tuple':
    case 'array':
      return `[${value.elements.map(valueJson).join(',')}]`;
    case 'record':
      return `{${value.fields.map((f) => `${jsonString(f.name)}: ${valueJson(f.value)}`).join(', ')}}`;
  }
}
