// BTF for maps: the libbpf map definition struct of each map (`type`, `max_entries`,
// `key`/`value` or `key_size`/`value_size`, numbers encoded as a pointer to an array of that
// many ints) and C-like types for script maps' keys and values, following the layouts in
// compiler/program.ts. A layout that does not come out at the map's exact byte size is
// described as a plain byte array instead, so the kernel's size checks always agree.

import { BpfMapType, type MapDef } from '../program';
import { tupleLayout, type Aggregation, type Type } from '../types';
import { BtfBuilder, type BtfMember } from './btf';

/** Bytes per member of a map definition struct (each member is a pointer). */
const MEMBER_SIZE = 8;

/** Map types whose kernel implementation rejects BTF key/value types. */
const SIZES_ONLY = new Set<BpfMapType>([BpfMapType.PerfEventArray, BpfMapType.StackTrace]);
/** Map types indexed by a u32, whose BTF key the kernel requires to be a 32-bit INT. */
const ARRAYS = new Set<BpfMapType>([BpfMapType.Array, BpfMapType.PercpuArray]);

export function mapDefinitionType(btf: BtfBuilder, map: MapDef, symbol: string): number {
  const members: { name: string; type: number }[] = [
    { name: 'type', type: numberField(btf, map.bpfType) },
    { name: 'max_entries', type: numberField(btf, map.maxEntries) },
  ];
  if (map.bpfType !== BpfMapType.Ringbuf) {
    if (SIZES_ONLY.has(map.bpfType) || !map.script) {
      members.push({ name: 'key_size', type: numberField(btf, map.keySize) });
      members.push({ name: 'value_size', type: numberField(btf, map.valueSize) });
    } else {
      const key = sized(btf, keyType(btf, map, symbol), map.keySize);
      const value = sized(btf, valueType(btf, map, symbol), map.valueSize);
      members.push({ name: 'key', type: btf.pointer(key) });
      members.push({ name: 'value', type: btf.pointer(value) });
    }
  }
  return btf.struct(
    '',
    members.length * MEMBER_SIZE,
    members.map((m, i) => ({ ...m, offset: i * MEMBER_SIZE })),
  );
}

/** `int (*name)[value]`: how libbpf's __uint() macro encodes a number. */
function numberField(btf: BtfBuilder, value: number): number {
  return btf.pointer(btf.array(btf.int('int', 4, 'signed'), value));
}

function bytes(btf: BtfBuilder, size: number): number {
  return btf.array(btf.int('unsigned char', 1), size);
}

/** `type` if it has exactly `size` bytes, else an array of `size` bytes. */
function sized(btf: BtfBuilder, type: number | undefined, size: number): number {
  return type !== undefined && btf.sizeOf(type) === size ? type : bytes(btf, size);
}

function int64(btf: BtfBuilder, signed: boolean): number {
  return signed ? btf.int('long', 8, 'signed') : btf.int('unsigned long', 8);
}

function keyType(btf: BtfBuilder, map: MapDef, symbol: string): number | undefined {
  if (ARRAYS.has(map.bpfType)) return btf.int('unsigned int', 4);
  const script = map.script!;
  const parts: { name: string; type: number | undefined; size: number }[] = script.keyTypes.map(
    (type, i) => {
      const id = type.kind === 'int' ? int64(btf, type.signed) : cType(btf, type);
      return { name: `k${i}`, type: id, size: id === undefined ? 0 : btf.sizeOf(id) };
    },
  );
  const value = script.value;
  const bucketed =
    value.kind === 'aggregation' &&
    (value.aggregation.kind === 'hist' || value.aggregation.kind === 'lhist');
  // A keyless map has the single key 0; a keyless hist/lhist is keyed by its bucket alone.
  if (parts.length === 0 && !bucketed) parts.push({ name: 'k0', type: int64(btf, false), size: 8 });
  if (bucketed) parts.push({ name: 'bucket', type: int64(btf, false), size: 8 });
  if (parts.some((p) => p.type === undefined || p.size === 0)) return undefined;
  if (parts.length === 1) return parts[0].type;
  const members: BtfMember[] = [];
  let offset = 0;
  for (const part of parts) {
    members.push({ name: part.name, type: part.type!, offset });
    offset += part.size;
  }
  return btf.struct(`${symbol}_key`, offset, members);
}

function valueType(btf: BtfBuilder, map: MapDef, symbol: string): number | undefined {
  const value = map.script!.value;
  if (value.kind === 'aggregation') return aggregationType(btf, value.aggregation, symbol);
  if (value.type.kind === 'int') return int64(btf, value.type.signed);
  return cType(btf, value.type);
}

function aggregationType(btf: BtfBuilder, aggregation: Aggregation, symbol: string): number {
  const pair = (first: string, second: string, signed: boolean) =>
    btf.struct(`${symbol}_value`, 16, [
      { name: first, type: int64(btf, signed), offset: 0 },
      { name: second, type: int64(btf, false), offset: 8 },
    ]);
  switch (aggregation.kind) {
    case 'count':
    case 'hist':
    case 'lhist':
      return int64(btf, false);
    case 'sum':
      return int64(btf, aggregation.signed);
    case 'min':
    case 'max':
      return pair('value', 'is_set', aggregation.signed);
    case 'avg':
    case 'stats':
      return pair('total', 'count', aggregation.signed);
  }
}

const INT_NAMES: Record<number, [string, string]> = {
  1: ['signed char', 'unsigned char'],
  2: ['short', 'unsigned short'],
  4: ['int', 'unsigned int'],
  8: ['long', 'unsigned long'],
};

/** Whether members are in offset order and inside the struct, as the kernel requires. */
function fits(btf: BtfBuilder, members: BtfMember[], size: number): boolean {
  let last = 0;
  for (const member of members) {
    if (member.offset < last || member.offset + btf.sizeOf(member.type) > size) return false;
    last = member.offset;
  }
  return true;
}

function isIdentifier(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}

/** The BTF of a value type as laid out in memory, or undefined if it has no bytes. */
function cType(btf: BtfBuilder, type: Type): number | undefined {
  switch (type.kind) {
    case 'int': {
      const [signed, unsigned] = INT_NAMES[type.size];
      return btf.int(
        type.signed ? signed : unsigned,
        type.size,
        type.signed ? 'signed' : 'unsigned',
      );
    }
    case 'bool':
      return btf.int('_Bool', 1, 'bool');
    case 'string':
      return type.size > 0 ? btf.array(btf.int('char', 1, 'signed'), type.size) : undefined;
    case 'pointer':
      return btf.int('unsigned long', 8);
    case 'array': {
      const element = cType(btf, type.element);
      return element === undefined || type.length <= 0
        ? undefined
        : btf.array(element, type.length);
    }
    case 'tuple': {
      const layout = tupleLayout(type.elements);
      const members: BtfMember[] = [];
      for (const [i, element] of type.elements.entries()) {
        const id = cType(btf, element);
        if (id === undefined) return undefined;
        members.push({ name: `f${i}`, type: id, offset: layout.offsets[i] });
      }
      return fits(btf, members, layout.size) ? btf.struct('', layout.size, members) : undefined;
    }
    case 'record': {
      const members: BtfMember[] = [];
      for (const [i, field] of type.fields.entries()) {
        const id = cType(btf, field.type);
        if (id === undefined) return undefined;
        members.push({
          name: isIdentifier(field.name) ? field.name : `f${i}`,
          type: id,
          offset: field.offset,
        });
      }
      if (!fits(btf, members, type.size)) return undefined;
      return btf.struct(isIdentifier(type.name) ? type.name : '', type.size, members, type.union);
    }
    case 'buffer':
    case 'opaque':
    case 'aggregation': {
      const size = type.kind === 'buffer' ? type.size + 1 : type.kind === 'opaque' ? type.size : 8;
      return size === 8 ? btf.int('unsigned long', 8) : size > 0 ? bytes(btf, size) : undefined;
    }
    case 'none':
      return undefined;
  }
}
