// Parses tracefs `format` files (events/<cat>/<name>/format) into TracepointFormat, giving each
// field the type bpftrace 0.17 gives it.

import type { TracepointField, TracepointFormat } from '../compiler/host';
import { intType, type IntSize, type Type } from '../compiler/types';

/** A field as the probes layer describes it: `dataLoc` marks `__data_loc` fields, whose 4-byte
 *  value is `offset | length << 16` of bytes stored after the fixed part of the record. */
export interface ProbeTracepointField extends TracepointField {
  dataLoc: boolean;
}

export interface ProbeTracepointFormat extends TracepointFormat {
  fields: ProbeTracepointField[];
}

/** One `field:` line's numbers, as stored in the bundled catalog. */
export type RawField = [declaration: string, offset: number, size: number, signed: number];

const FIELD_LINE = /^\s*field:(.*);\s*offset:(\d+);\s*size:(\d+);\s*signed:(\d+);/;

export function parseTracepointFormat(
  text: string,
  category: string,
  fallbackName?: string,
): ProbeTracepointFormat {
  const name = /^name:\s*(\S+)/m.exec(text)?.[1] ?? fallbackName ?? '';
  const id = Number(/^ID:\s*(\d+)/m.exec(text)?.[1] ?? 0);
  const raw: RawField[] = [];
  for (const line of text.split('\n')) {
    const m = FIELD_LINE.exec(line);
    if (m) raw.push([m[1]!.trim(), Number(m[2]), Number(m[3]), Number(m[4])]);
  }
  return formatFromRawFields(category, name, id, raw);
}

export function formatFromRawFields(
  category: string,
  name: string,
  id: number,
  raw: RawField[],
): ProbeTracepointFormat {
  const fields = raw.map(fieldFromRaw);
  const size = fields.reduce((end, f) => Math.max(end, f.offset + f.size), 0);
  return { category, name, id, fields, size };
}

export function fieldFromRaw([
  declaration,
  offset,
  size,
  signedFlag,
]: RawField): ProbeTracepointField {
  const decl = splitDeclaration(declaration);
  const signed = signedFlag !== 0;
  return {
    name: decl.name,
    declaration,
    offset,
    size,
    signed,
    dataLoc: decl.dataLoc,
    type: fieldType(decl, size, signed),
  };
}

interface Declaration {
  /** The C type without the name and array suffix, e.g. `const char *`. */
  base: string;
  name: string;
  arrayLength?: number;
  dataLoc: boolean;
}

function splitDeclaration(declaration: string): Declaration {
  let text = declaration.trim();
  const dataLoc = text.startsWith('__data_loc ');
  if (dataLoc) text = text.slice('__data_loc '.length);
  let arrayLength: number | undefined;
  const array = /\[(\w*)\]\s*$/.exec(text);
  // `char[] name` (data_loc) puts the brackets on the type, `char comm[16]` on the name.
  const nameMatch = /([A-Za-z_]\w*)\s*(\[\w*\])?\s*$/.exec(text);
  const name = nameMatch?.[1] ?? text;
  let base = nameMatch ? text.slice(0, nameMatch.index).trim() : '';
  if (array && nameMatch?.[2]) {
    const n = Number(array[1]);
    arrayLength = Number.isFinite(n) && array[1] !== '' ? n : undefined;
  }
  base = base.replace(/\[\w*\]\s*$/, '').trim();
  return { base, name, arrayLength, dataLoc };
}

// Signedness of C integer types by name; anything else (typedefs we do not know) takes the
// format file's `signed:` flag.
const SIGNED_BY_NAME: Record<string, boolean> = {
  char: true,
  'signed char': true,
  'unsigned char': false,
  short: true,
  'short int': true,
  'unsigned short': false,
  int: true,
  'signed int': true,
  unsigned: false,
  'unsigned int': false,
  long: true,
  'long int': true,
  'unsigned long': false,
  'long long': true,
  'unsigned long long': false,
  bool: false,
  _Bool: false,
  s8: true,
  s16: true,
  s32: true,
  s64: true,
  u8: false,
  u16: false,
  u32: false,
  u64: false,
  __s8: true,
  __s16: true,
  __s32: true,
  __s64: true,
  __u8: false,
  __u16: false,
  __u32: false,
  __u64: false,
  pid_t: true,
  size_t: false,
  ssize_t: true,
  loff_t: true,
  umode_t: false,
  uid_t: false,
  gid_t: false,
  dev_t: false,
  gfp_t: false,
};

const SIZE_BY_NAME: Record<string, IntSize> = {
  char: 1,
  'signed char': 1,
  'unsigned char': 1,
  bool: 1,
  _Bool: 1,
  s8: 1,
  u8: 1,
  __s8: 1,
  __u8: 1,
  short: 2,
  'unsigned short': 2,
  s16: 2,
  u16: 2,
  __s16: 2,
  __u16: 2,
  umode_t: 2,
  int: 4,
  unsigned: 4,
  'unsigned int': 4,
  s32: 4,
  u32: 4,
  __s32: 4,
  __u32: 4,
  pid_t: 4,
  uid_t: 4,
  gid_t: 4,
  dev_t: 4,
  gfp_t: 4,
};

function normaliseBase(base: string): string {
  return base
    .replace(/\b(const|volatile|struct|enum|union)\b/g, (kw) =>
      kw === 'const' || kw === 'volatile' ? '' : kw,
    )
    .replace(/\s+/g, ' ')
    .trim();
}

function fieldType(decl: Declaration, size: number, formatSigned: boolean): Type {
  // 0.17 reads a __data_loc field as the 64-bit address of its data (ctx + offset).
  if (decl.dataLoc) return intType(8, true);
  const base = normaliseBase(decl.base);
  if (base.endsWith('*')) {
    const pointee = base.replace(/\*\s*$/, '').trim();
    return { kind: 'pointer', to: pointeeType(pointee) };
  }
  if (decl.arrayLength !== undefined) {
    const elementSize = SIZE_BY_NAME[base] ?? (decl.arrayLength > 0 ? size / decl.arrayLength : 1);
    const element = intType(asIntSize(elementSize), SIGNED_BY_NAME[base] ?? formatSigned);
    return { kind: 'array', element, length: decl.arrayLength };
  }
  return intType(asIntSize(size), SIGNED_BY_NAME[base] ?? formatSigned);
}

function pointeeType(pointee: string): Type {
  if (pointee.endsWith('*'))
    return { kind: 'pointer', to: pointeeType(pointee.replace(/\*\s*$/, '').trim()) };
  const size = SIZE_BY_NAME[pointee];
  if (size !== undefined) return intType(size, SIGNED_BY_NAME[pointee] ?? false);
  if (pointee === 'void' || pointee === '') return intType(1, false);
  const wide = SIGNED_BY_NAME[pointee];
  if (wide !== undefined) return intType(8, wide);
  // Pointers to structs we have no layout for read as bytes.
  return intType(1, false);
}

function asIntSize(n: number): IntSize {
  return n === 1 || n === 2 || n === 4 || n === 8 ? n : 8;
}

/** True when the field reads as a C string: `char *` pointers and `char[N]` arrays. */
export function isStringField(field: ProbeTracepointField): boolean {
  const t = field.type;
  if (field.dataLoc) return /\bchar\b/.test(field.declaration);
  if (t.kind === 'pointer')
    return t.to.kind === 'int' && t.to.size === 1 && /\bchar\b/.test(field.declaration);
  if (t.kind === 'array')
    return t.element.kind === 'int' && t.element.size === 1 && /\bchar\b/.test(field.declaration);
  return false;
}

/** bpftrace's `-lv` listing line for a field: the declaration as written. */
export function verboseFieldLine(field: ProbeTracepointField): string {
  return `    ${field.declaration}`;
}
