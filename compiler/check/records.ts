// Types written in the script: `int8`…`uint64`, and struct/union definitions from the preamble
// laid out with C rules (fields at their alignment, size padded to the largest alignment).

import type { RecordDefinition, TypeName } from '../../grammar/ast';
import { charArrayType, isPlainChar } from './char_array';
import { alignmentOf, sizeOf, type IntSize, type RecordFieldType, type Type } from '../types';

const SCRIPT_INTS: Record<string, Type> = {
  int8: { kind: 'int', size: 1, signed: true },
  int16: { kind: 'int', size: 2, signed: true },
  int32: { kind: 'int', size: 4, signed: true },
  int64: { kind: 'int', size: 8, signed: true },
  uint8: { kind: 'int', size: 1, signed: false },
  uint16: { kind: 'int', size: 2, signed: false },
  uint32: { kind: 'int', size: 4, signed: false },
  uint64: { kind: 'int', size: 8, signed: false },
};

/** C base types allowed inside struct definitions (x86-64 LP64). */
const C_INTS: Record<string, [IntSize, boolean]> = {
  char: [1, true],
  'signed char': [1, true],
  'unsigned char': [1, false],
  bool: [1, false],
  _Bool: [1, false],
  short: [2, true],
  'short int': [2, true],
  'unsigned short': [2, false],
  'unsigned short int': [2, false],
  int: [4, true],
  signed: [4, true],
  'signed int': [4, true],
  unsigned: [4, false],
  'unsigned int': [4, false],
  long: [8, true],
  'long int': [8, true],
  'unsigned long': [8, false],
  'unsigned long int': [8, false],
  'long long': [8, true],
  'long long int': [8, true],
  'unsigned long long': [8, false],
  'unsigned long long int': [8, false],
  u8: [1, false],
  u16: [2, false],
  u32: [4, false],
  u64: [8, false],
  s8: [1, true],
  s16: [2, true],
  s32: [4, true],
  s64: [8, true],
  __u8: [1, false],
  __u16: [2, false],
  __u32: [4, false],
  __u64: [8, false],
  __s8: [1, true],
  __s16: [2, true],
  __s32: [4, true],
  __s64: [8, true],
  size_t: [8, false],
  pid_t: [4, true],
  uid_t: [4, false],
  gid_t: [4, false],
};

/** A script integer type name (`int8`…`uint64`), as casts and sizeof accept. */
export function scriptIntType(name: string): Type | undefined {
  return SCRIPT_INTS[name];
}

export class RecordTable {
  private readonly records = new Map<string, Type>();

  /** Defines the preamble's records in order (a field may use an earlier record). */
  define(definitions: RecordDefinition[]): void {
    for (const def of definitions) {
      const key = `${def.union ? 'union' : 'struct'} ${def.name}`;
      this.records.set(key, this.layout(def));
    }
  }

  /** `struct NAME` / `union NAME`, if defined in the script. */
  record(kind: 'struct' | 'union', name: string): Type | undefined {
    return this.records.get(`${kind} ${name}`);
  }

  /** A field's type name (C base types allowed) with its pointer depth applied. */
  fieldType(type: TypeName): Type | undefined {
    let base: Type | undefined;
    if (type.record === 'struct' || type.record === 'union')
      base = this.record(type.record, type.name);
    else if (type.record === 'enum') base = { kind: 'int', size: 4, signed: false };
    else base = SCRIPT_INTS[type.name] ?? cInt(type.name);
    if (!base && type.pointerDepth > 0) base = { kind: 'none' };
    if (!base) return undefined;
    for (let i = 0; i < type.pointerDepth; i++) base = { kind: 'pointer', to: base };
    return base;
  }

  private layout(def: RecordDefinition): Type {
    const fields: RecordFieldType[] = [];
    let offset = 0;
    let size = 0;
    let align = 1;
    for (const field of def.fields) {
      let type: Type = this.fieldType(field.type) ?? { kind: 'int', size: 8, signed: true };
      let lengths = [...field.arrayLengths].reverse();
      const plainChar = field.type.pointerDepth === 0 && !field.type.record;
      if (lengths.length > 0 && plainChar && isPlainChar(field.type.name)) {
        type = charArrayType(lengths[0]);
        lengths = lengths.slice(1);
      }
      for (const length of lengths) type = { kind: 'array', element: type, length };
      const a = alignmentOf(type);
      align = Math.max(align, a);
      if (def.union) {
        fields.push({ name: field.name, type, offset: 0 });
        size = Math.max(size, sizeOf(type));
      } else {
        offset = Math.ceil(offset / a) * a;
        fields.push({ name: field.name, type, offset });
        offset += sizeOf(type);
        size = offset;
      }
    }
    size = Math.ceil(size / align) * align;
    return { kind: 'record', name: def.name, union: def.union, fields, size };
  }
}

function cInt(name: string): Type | undefined {
  const normalized = name
    .replace(/\s+/g, ' ')
    .replace(/^const /, '')
    .trim();
  const entry = C_INTS[normalized];
  return entry ? { kind: 'int', size: entry[0], signed: entry[1] } : undefined;
}
