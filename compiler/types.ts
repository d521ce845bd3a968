// bpftrace's value types, as the checker assigns them and codegen and the output side read
// them. Plain data; helpers for size/layout and for bpftrace's spelling of a type are here.

export type IntSize = 1 | 2 | 4 | 8;

export type Type =
  | { kind: 'none' }
  | { kind: 'int'; size: IntSize; signed: boolean }
  | { kind: 'bool' }
  /** A NUL-terminated char array of `size` bytes (size includes the NUL). */
  | { kind: 'string'; size: number }
  /** `buf()` result: a length-prefixed byte array of at most `size` bytes. */
  | { kind: 'buffer'; size: number }
  | { kind: 'tuple'; elements: Type[] }
  | { kind: 'pointer'; to: Type }
  | { kind: 'array'; element: Type; length: number }
  | { kind: 'record'; name: string; union: boolean; fields: RecordFieldType[]; size: number }
  /** A builtin value whose text is produced in user space (stack, symbol, address…). */
  | { kind: 'opaque'; name: OpaqueName; size: number; stack?: StackShape }
  | { kind: 'aggregation'; aggregation: Aggregation };

export interface RecordFieldType {
  name: string;
  type: Type;
  offset: number;
}

/** How a kstack/ustack is taken and printed: `kstack(perf, 3)`. Absent: bpftrace mode, 127. */
export interface StackShape {
  mode: StackMode;
  /** Frames taken (the stack map's depth) and printed. */
  limit: number;
}

export const STACK_MODES = ['bpftrace', 'perf', 'raw'] as const;
export type StackMode = (typeof STACK_MODES)[number];
export const DEFAULT_STACK_LIMIT = 127;

export type OpaqueName =
  | 'kstack'
  | 'ustack'
  | 'ksym'
  | 'usym'
  | 'inet'
  | 'username'
  | 'timestamp'
  | 'strerror'
  | 'cgroup_path'
  | 'macaddr'
  | 'probe'
  | 'ctx';

export type Aggregation =
  | { kind: 'count' }
  | { kind: 'sum'; signed: boolean }
  | { kind: 'min'; signed: boolean }
  | { kind: 'max'; signed: boolean }
  | { kind: 'avg'; signed: boolean }
  | { kind: 'stats'; signed: boolean }
  | { kind: 'hist' }
  | { kind: 'lhist'; min: bigint; max: bigint; step: bigint };

export const NONE: Type = { kind: 'none' };
export const INT64: Type = { kind: 'int', size: 8, signed: true };
export const UINT64: Type = { kind: 'int', size: 8, signed: false };
export const UINT32: Type = { kind: 'int', size: 4, signed: false };

export function intType(size: IntSize, signed: boolean): Type {
  return { kind: 'int', size, signed };
}

/** C alignment of a type as laid out on the BPF stack or in a record. */
export function alignmentOf(type: Type): number {
  switch (type.kind) {
    case 'int':
      return type.size;
    case 'bool':
      return 1;
    case 'pointer':
      return 8;
    case 'tuple':
      return Math.max(1, ...type.elements.map(alignmentOf));
    case 'array':
      return alignmentOf(type.element);
    case 'record':
      return Math.max(1, ...type.fields.map((f) => alignmentOf(f.type)));
    case 'opaque':
    case 'aggregation':
      return 8;
    default:
      return 1;
  }
}

export function sizeOf(type: Type): number {
  switch (type.kind) {
    case 'none':
      return 0;
    case 'int':
      return type.size;
    case 'bool':
      return 1;
    case 'string':
      return type.size;
    case 'buffer':
      return type.size + 1;
    case 'pointer':
      return 8;
    case 'array':
      return sizeOf(type.element) * type.length;
    case 'record':
      return type.size;
    case 'opaque':
      return type.size;
    case 'aggregation':
      return 8;
    case 'tuple':
      return tupleLayout(type.elements).size;
  }
}

/** C-style layout: each element at its alignment, total padded to the largest alignment. */
export function tupleLayout(elements: Type[]): { offsets: number[]; size: number } {
  let offset = 0;
  let maxAlign = 1;
  const offsets: number[] = [];
  for (const element of elements) {
    const align = alignmentOf(element);
    maxAlign = Math.max(maxAlign, align);
    offset = Math.ceil(offset / align) * align;
    offsets.push(offset);
    offset += sizeOf(element);
  }
  return { offsets, size: Math.ceil(offset / maxAlign) * maxAlign };
}

/** bpftrace 0.17's spelling of a type in diagnostics: `int64`, `unsigned int8`, `string[4]`. */
export function typeName(type: Type): string {
  switch (type.kind) {
    case 'none':
      return 'none';
    case 'int':
      return `${type.signed ? '' : 'unsigned '}int${type.size * 8}`;
    case 'bool':
      return 'bool';
    case 'string':
      return `string[${type.size}]`;
    case 'buffer':
      return `buffer[${type.size + 1}]`;
    case 'tuple':
      return `(${type.elements.map(typeName).join(',')})`;
    case 'pointer':
      return `${typeName(type.to)} *`;
    case 'array':
      return `${typeName(type.element)}[${type.length}]`;
    case 'record':
      return `${type.union ? 'union' : 'struct'} ${type.name}`;
    case 'opaque':
      return type.name === 'macaddr' ? 'mac_address' : type.name;
    case 'aggregation':
      return type.aggregation.kind;
  }
}

export function sameType(a: Type, b: Type): boolean {
  return JSON.stringify(a, bigintSafe) === JSON.stringify(b, bigintSafe);
}

function bigintSafe(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
