// A BTF builder (Linux Documentation/bpf/btf.rst): hands out type ids in creation order,
// deduplicates identical types and strings, and encodes the `.BTF` section. Also the
// `.BTF.ext` encoder for func_info and line_info.

import { ByteWriter } from './bytes';
import { StringTable } from './stringTable';

export const BTF_MAGIC = 0xeb9f;
const BTF_VERSION = 1;
const BTF_HEADER_SIZE = 24;
const BTF_EXT_HEADER_SIZE = 32;

const enum Kind {
  Int = 1,
  Ptr = 2,
  Array = 3,
  Struct = 4,
  Union = 5,
  Func = 12,
  FuncProto = 13,
  Var = 14,
  Datasec = 15,
}

const INT_SIGNED = 1 << 0;
const INT_CHAR = 1 << 1;
const INT_BOOL = 1 << 2;

export const enum Linkage {
  Static = 0,
  Global = 1,
}
/** A VAR's linkage for a global variable with storage (what clang gives map definitions). */
export const VAR_GLOBAL_ALLOCATED = 1;

/** Type id 0 is `void`. */
export const VOID = 0;

export interface BtfMember {
  name: string;
  type: number;
  /** Byte offset in the struct (written as a bit offset). */
  offset: number;
}

/** An INT's encoding: the kernel accepts at most one of these per INT. */
export type IntEncoding = 'unsigned' | 'signed' | 'char' | 'bool';
const INT_ENCODING_BITS: Record<IntEncoding, number> = {
  unsigned: 0,
  signed: INT_SIGNED,
  char: INT_CHAR,
  bool: INT_BOOL,
};

export class BtfBuilder {
  readonly strings = new StringTable();
  private readonly types: Uint8Array[] = [];
  private readonly ids = new Map<string, number>();
  private readonly sizes: number[] = [0];

  /** Byte size of a type built here (0 for void, functions and protos). */
  sizeOf(id: number): number {
    return this.sizes[id] ?? 0;
  }

  private add(key: string, size: number, encode: (out: ByteWriter) => void): number {
    const known = this.ids.get(key);
    if (known !== undefined) return known;
    const out = new ByteWriter();
    encode(out);
    this.types.push(out.finish());
    const id = this.types.length;
    this.ids.set(key, id);
    this.sizes[id] = size;
    return id;
  }

  private header(
    out: ByteWriter,
    name: string,
    kind: Kind,
    vlen: number,
    sizeOrType: number,
  ): void {
    out
      .u32(this.strings.add(name))
      .u32((kind << 24) | (vlen & 0xffff))
      .u32(sizeOrType);
  }

  int(name: string, size: number, intEncoding: IntEncoding = 'unsigned'): number {
    const encoding = INT_ENCODING_BITS[intEncoding];
    return this.add(`int:${name}:${size}:${encoding}`, size, (out) => {
      this.header(out, name, Kind.Int, 0, size);
      out.u32((encoding << 24) | (size * 8));
    });
  }

  pointer(to: number): number {
    return this.add(`ptr:${to}`, 8, (out) => this.header(out, '', Kind.Ptr, 0, to));
  }

  array(element: number, count: number): number {
    const index = this.int('unsigned int', 4);
    return this.add(`array:${element}:${count}`, this.sizeOf(element) * count, (out) => {
      this.header(out, '', Kind.Array, 0, 0);
      out.u32(element).u32(index).u32(count);
    });
  }

  struct(name: string, size: number, members: BtfMember[], union = false): number {
    const kind = union ? Kind.Union : Kind.Struct;
    const key = `${kind}:${name}:${size}:${members.map((m) => `${m.name}/${m.type}/${m.offset}`).join(',')}`;
    return this.add(key, size, (out) => {
      this.header(out, name, kind, members.length, size);
      for (const member of members)
        out
          .u32(this.strings.add(member.name))
          .u32(member.type)
          .u32(member.offset * 8);
    });
  }

  funcProto(returns: number, params: { name: string; type: number }[]): number {
    const key = `proto:${returns}:${params.map((p) => `${p.name}/${p.type}`).join(',')}`;
    return this.add(key, 0, (out) => {
      this.header(out, '', Kind.FuncProto, params.length, returns);
      for (const param of params) out.u32(this.strings.add(param.name)).u32(param.type);
    });
  }

  func(name: string, proto: number, linkage: Linkage): number {
    return this.add(`func:${name}:${proto}:${linkage}`, 0, (out) =>
      this.header(out, name, Kind.Func, linkage, proto),
    );
  }

  variable(name: string, type: number, linkage: number): number {
    return this.add(`var:${name}:${type}:${linkage}`, this.sizeOf(type), (out) => {
      this.header(out, name, Kind.Var, 0, type);
      out.u32(linkage);
    });
  }

  datasec(
    name: string,
    size: number,
    vars: { type: number; offset: number; size: number }[],
  ): number {
    const key = `datasec:${name}:${size}:${vars.map((v) => `${v.type}/${v.offset}/${v.size}`).join(',')}`;
    return this.add(key, size, (out) => {
      this.header(out, name, Kind.Datasec, vars.length, size);
      for (const v of vars) out.u32(v.type).u32(v.offset).u32(v.size);
    });
  }

  /** The `.BTF` section: header, type section, string section. */
  encode(): Uint8Array {
    const typeSection = new ByteWriter();
    for (const type of this.types) typeSection.bytes(type);
    const strings = this.strings.finish();
    return new ByteWriter()
      .u16(BTF_MAGIC)
      .u8(BTF_VERSION)
      .u8(0)
      .u32(BTF_HEADER_SIZE)
      .u32(0)
      .u32(typeSection.length)
      .u32(typeSection.length)
      .u32(strings.length)
      .bytes(typeSection.finish())
      .bytes(strings)
      .finish();
  }
}

export interface FuncInfo {
  /** Byte offset of the function's first instruction in its section. */
  insnOffset: number;
  typeId: number;
}

export interface LineInfo {
  insnOffset: number;
  fileNameOff: number;
  lineOff: number;
  line: number;
  column: number;
}

/** func_info and line_info of one program section; `sectionNameOff` is in the BTF strings. */
export interface BtfExtSection {
  sectionNameOff: number;
  funcs: FuncInfo[];
  lines: LineInfo[];
}

const FUNC_INFO_SIZE = 8;
const LINE_INFO_SIZE = 16;

/** The `.BTF.ext` section (func_info and line_info; no CO-RE relocations). */
export function encodeBtfExt(sections: BtfExtSection[]): Uint8Array {
  const funcInfo = new ByteWriter().u32(FUNC_INFO_SIZE);
  for (const section of sections) {
    funcInfo.u32(section.sectionNameOff).u32(section.funcs.length);
    for (const f of section.funcs) funcInfo.u32(f.insnOffset).u32(f.typeId);
  }
  const lineInfo = new ByteWriter().u32(LINE_INFO_SIZE);
  for (const section of sections) {
    lineInfo.u32(section.sectionNameOff).u32(section.lines.length);
    for (const l of section.lines)
      lineInfo
        .u32(l.insnOffset)
        .u32(l.fileNameOff)
        .u32(l.lineOff)
        .u32((l.line << 10) | Math.min(l.column, 0x3ff));
  }
  return new ByteWriter()
    .u16(BTF_MAGIC)
    .u8(BTF_VERSION)
    .u8(0)
    .u32(BTF_EXT_HEADER_SIZE)
    .u32(0)
    .u32(funcInfo.length)
    .u32(funcInfo.length)
    .u32(lineInfo.length)
    .u32(funcInfo.length + lineInfo.length)
    .u32(0)
    .bytes(funcInfo.finish())
    .bytes(lineInfo.finish())
    .finish();
}
