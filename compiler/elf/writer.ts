// writeObject: a Program as an ELF64 little-endian relocatable object for EM_BPF that libbpf
// (and so `bpftool prog loadall`) accepts. Built as a fixed series of steps: name and group
// the programs, lay out the code with its map relocations, describe everything in BTF, then
// place the sections and write the file. The same Program always gives the same bytes.

import { LDDW, PseudoSrc } from '../isa/opcode';
import type { CompiledProbe, Program } from '../program';
import {
  BtfBuilder,
  encodeBtfExt,
  Linkage,
  VAR_GLOBAL_ALLOCATED,
  VOID,
  type BtfExtSection,
  type LineInfo,
} from './btf';
import { ByteWriter } from './bytes';
import {
  ELF_HEADER_SIZE,
  ELF_MAGIC,
  ELFCLASS64,
  ELFDATA2LSB,
  EM_BPF,
  ET_REL,
  EV_CURRENT,
  INSN_SIZE,
  LICENSE,
  R_BPF_64_64,
  REL_SIZE,
  SECTION,
  SECTION_HEADER_SIZE,
  SHF_ALLOC,
  SHF_EXECINSTR,
  SHF_INFO_LINK,
  SHF_WRITE,
  STB_GLOBAL,
  STB_LOCAL,
  STT_FUNC,
  STT_OBJECT,
  STT_SECTION,
  SYMBOL_SIZE,
  SectionType,
  symbolInfo,
} from './elfFormat';
import { mapDefinitionType } from './mapBtf';
import { encodeMetadata, METADATA_FORMAT, METADATA_VERSION, type ObjectMetadata } from './metadata';
import { mapSymbolNames, programSymbolName, sectionNameFor, subprogramSymbol } from './naming';
import { StringTable } from './stringTable';

interface PlacedProgram {
  probe: CompiledProbe;
  symbol: string;
  /** Byte offset in its section. */
  offset: number;
  /** Its callback subprograms, placed in `.text`. */
  subprograms: PlacedSubprogram[];
}

interface PlacedSubprogram {
  symbol: string;
  /** Byte offset in `.text`. */
  offset: number;
  /** Slots [start, end) of the probe's bytecode. */
  start: number;
  end: number;
}

/** An `lddw` the loader fills in: with a map (src=1 once loaded) or a subprogram address
 *  (src=4, against `.text`'s section symbol with the subprogram's offset in its imm, as
 *  clang writes the address of a static function). */
type Relocation = { offset: number } & ({ mapId: number } | { text: true });

interface ProgramSection {
  name: string;
  programs: PlacedProgram[];
  code: Uint8Array;
  relocations: Relocation[];
}

interface OutputSection {
  name: string;
  type: SectionType;
  flags: number;
  data: Uint8Array;
  link?: number;
  info?: number;
  addralign: number;
  entsize?: number;
}

export function writeObject(program: Program): Uint8Array {
  const programSymbols = program.probes.map((p) => programSymbolName(p.index, p.attachPoints));
  if (new Set(programSymbols).size !== programSymbols.length)
    throw new Error('two probes would have the same program symbol (duplicate probe indexes)');
  const mapSymbols = mapSymbolNames(
    program.maps.map((m) => m.name),
    programSymbols,
  );
  const { sections, text } = layOutPrograms(program, programSymbols);
  // Callbacks of for loops live in `.text`; an object without them has no `.text`.
  const codeSections = text.code.length > 0 ? [...sections, text] : sections;

  const btf = new BtfBuilder();
  const maps = describeMaps(btf, program, mapSymbols);
  const btfExt = describePrograms(btf, program, sections, text);

  const metadata: ObjectMetadata = {
    format: METADATA_FORMAT,
    version: METADATA_VERSION,
    program: {
      ...program,
      probes: program.probes.map(({ bytecode: _code, ...rest }, i) => ({
        ...rest,
        symbol: programSymbols[i],
      })),
    },
    mapSymbols,
  };

  const output: OutputSection[] = [];
  /** Appends a section and returns its index (index 0 is the null section). */
  const add = (section: OutputSection) => output.push(section);
  const strtab = progbits(SECTION.strtab, new Uint8Array(), 0, 1);
  strtab.type = SectionType.Strtab;
  const strtabIndex = add(strtab);
  const codeIndexes: number[] = [];
  const relSections: { section: ProgramSection; rel: OutputSection }[] = [];
  for (const section of codeSections) {
    codeIndexes.push(
      add(progbits(section.name, section.code, SHF_ALLOC | SHF_EXECINSTR, INSN_SIZE)),
    );
    if (section.relocations.length === 0) continue;
    const rel = progbits(`.rel${section.name}`, new Uint8Array(), SHF_INFO_LINK, 8);
    Object.assign(rel, { type: SectionType.Rel, info: codeIndexes.at(-1), entsize: REL_SIZE });
    add(rel);
    relSections.push({ section, rel });
  }
  const textIndex = codeIndexes[sections.length] ?? 0;
  add(
    progbits(SECTION.license, new TextEncoder().encode(`${LICENSE}\0`), SHF_ALLOC | SHF_WRITE, 1),
  );
  // libbpf refuses an empty `.maps` section, so a program without maps has none.
  const mapsIndex =
    maps.size > 0
      ? add(progbits(SECTION.maps, new Uint8Array(maps.size), SHF_ALLOC | SHF_WRITE, 8))
      : 0;
  add(progbits(SECTION.bpfscope, encodeMetadata(metadata), 0, 1));
  add(progbits(SECTION.btf, btf.encode(), 0, 4));
  add(progbits(SECTION.btfExt, btfExt, 0, 4));
  const symtab = progbits(SECTION.symtab, new Uint8Array(), 0, 8);
  Object.assign(symtab, { type: SectionType.Symtab, link: strtabIndex, entsize: SYMBOL_SIZE });
  const symtabIndex = add(symtab);

  // Symbols: null, the callback subprograms (local: static functions, which libbpf takes
  // for subprograms), then the programs and maps (global; .symtab's info is the first).
  const strings = new StringTable();
  const symbols = new ByteWriter().zeros(SYMBOL_SIZE);
  let symbolCount = 1;
  const addSymbol = (
    name: string,
    type: number,
    shndx: number,
    value: number,
    size: number,
    binding = STB_GLOBAL,
  ) => {
    const info = symbolInfo(binding, type);
    symbols.u32(strings.add(name)).u8(info).u8(0).u16(shndx).u64(value).u64(size);
    return symbolCount++;
  };
  for (const section of sections)
    for (const placed of section.programs)
      for (const sub of placed.subprograms)
        addSymbol(
          sub.symbol,
          STT_FUNC,
          textIndex,
          sub.offset,
          (sub.end - sub.start) * INSN_SIZE,
          STB_LOCAL,
        );
  const textSymbol =
    text.code.length > 0 ? addSymbol('', STT_SECTION, textIndex, 0, 0, STB_LOCAL) : 0;
  symtab.info = symbolCount;
  sections.forEach((section, i) => {
    for (const placed of section.programs)
      addSymbol(placed.symbol, STT_FUNC, codeIndexes[i], placed.offset, mainSize(placed));
  });
  const symbolIndexOfMap = maps.placements.map((placement, id) =>
    addSymbol(mapSymbols[id], STT_OBJECT, mapsIndex, placement.offset, placement.size),
  );
  symtab.data = symbols.finish();

  for (const { section, rel } of relSections) {
    const data = new ByteWriter();
    for (const r of section.relocations) {
      const symbol = 'mapId' in r ? symbolIndexOfMap[r.mapId] : textSymbol;
      data.u64(r.offset).u64((BigInt(symbol) << 32n) | BigInt(R_BPF_64_64));
    }
    rel.data = data.finish();
    rel.link = symtabIndex;
  }

  // Section names share .strtab with the symbol names, as clang's objects do.
  const nameOffsets = output.map((section) => strings.add(section.name));
  strtab.data = strings.finish();
  return writeFile(output, nameOffsets, strtabIndex);
}

/** Bytes of a program's own code in its section (its subprograms are in `.text`). */
function mainSize(placed: PlacedProgram): number {
  return (placed.subprograms[0]?.start ?? placed.probe.bytecode.length / INSN_SIZE) * INSN_SIZE;
}

function progbits(name: string, data: Uint8Array, flags: number, addralign: number): OutputSection {
  return { name, type: SectionType.Progbits, flags, data, addralign };
}

/** Groups programs into sections by name and copies their code, turning map ids and
 *  subprogram addresses into relocations; callback subprograms go to `.text`, where libbpf
 *  takes static functions for subprograms. */
function layOutPrograms(
  program: Program,
  symbols: string[],
): { sections: ProgramSection[]; text: ProgramSection } {
  const byName = new Map<string, { name: string; programs: PlacedProgram[] }>();
  program.probes.forEach((probe, i) => {
    if (probe.bytecode.length % INSN_SIZE !== 0)
      throw new Error(`probe ${probe.index}: bytecode is not a whole number of instructions`);
    const name = sectionNameFor(probe.attachPoints);
    let group = byName.get(name);
    if (!group) byName.set(name, (group = { name, programs: [] }));
    const starts = probe.subprograms ?? [];
    const subprograms = starts.map((start, k) => ({
      symbol: subprogramSymbol(symbols[i], k),
      offset: 0,
      start,
      end: k + 1 < starts.length ? starts[k + 1] : probe.bytecode.length / INSN_SIZE,
    }));
    group.programs.push({ probe, symbol: symbols[i], offset: 0, subprograms });
  });
  // Subprograms lie in `.text` in section, program, subprogram order.
  let textSize = 0;
  for (const { programs } of byName.values())
    for (const sub of programs.flatMap((p) => p.subprograms)) {
      sub.offset = textSize;
      textSize += (sub.end - sub.start) * INSN_SIZE;
    }
  const textCode = new ByteWriter();
  const textRelocations: Relocation[] = [];
  const sections = [...byName.values()].map(({ name, programs }) => {
    const code = new ByteWriter();
    const relocations: Relocation[] = [];
    for (const placed of programs) {
      placed.offset = code.length;
      const { probe } = placed;
      const main = placed.subprograms[0]?.start ?? probe.bytecode.length / INSN_SIZE;
      code.bytes(relocatable(program, placed, 0, main, placed.offset, relocations));
      for (const sub of placed.subprograms) {
        textCode.bytes(
          relocatable(program, placed, sub.start, sub.end, sub.offset, textRelocations),
        );
      }
    }
    return { name, programs, code: code.finish(), relocations };
  });
  const text = {
    name: SECTION.text,
    programs: [],
    code: textCode.finish(),
    relocations: textRelocations,
  };
  return { sections, text };
}

/**
 * Slots [from, to) of a program's bytecode as they go into a section at byte `base`, each
 * map reference as clang writes one (`r = 0 ll` plus a relocation; libbpf sets src=1 and the
 * map fd) and each subprogram address as `lddw src=4, imm=0` relocated against the
 * subprogram's symbol.
 */
function relocatable(
  program: Program,
  placed: PlacedProgram,
  from: number,
  to: number,
  base: number,
  relocations: Relocation[],
): Uint8Array {
  const { probe } = placed;
  const copy = probe.bytecode.slice(from * INSN_SIZE, to * INSN_SIZE);
  const view = new DataView(copy.buffer);
  forEachPseudoReference(copy, probe.index, (at, src, imm) => {
    const slot = from + at / INSN_SIZE;
    if (src === PseudoSrc.MapFd) {
      if (imm < 0 || imm >= program.maps.length)
        throw new Error(`probe ${probe.index}: instruction ${slot} refers to unknown map ${imm}`);
      relocations.push({ offset: base + at, mapId: imm });
      copy[at + 1] &= 0x0f;
    } else {
      const target = placed.subprograms.find((sub) => sub.start === slot + imm + 1);
      if (!target)
        throw new Error(`probe ${probe.index}: instruction ${slot} refers to no subprogram`);
      relocations.push({ offset: base + at, text: true });
      view.setInt32(at + 4, target.offset, true);
      return;
    }
    view.setInt32(at + 4, 0, true);
  });
  return copy;
}

/** Calls `visit` with the byte offset and map id of every `lddw src=1` in `code`. */
export function forEachMapReference(
  code: Uint8Array,
  probeIndex: number,
  visit: (at: number, mapId: number) => void,
): void {
  forEachPseudoReference(code, probeIndex, (at, src, imm) => {
    if (src === PseudoSrc.MapFd) visit(at, imm);
  });
}

/** Calls `visit` for every `lddw` that loads a map (src=1) or a subprogram address (src=4). */
function forEachPseudoReference(
  code: Uint8Array,
  probeIndex: number,
  visit: (at: number, src: PseudoSrc.MapFd | PseudoSrc.Func, imm: number) => void,
): void {
  const view = new DataView(code.buffer, code.byteOffset, code.byteLength);
  for (let at = 0; at + INSN_SIZE <= code.length; at += INSN_SIZE) {
    if (view.getUint8(at) !== LDDW) continue;
    const src = view.getUint8(at + 1) >> 4;
    if (src === PseudoSrc.MapFd || src === PseudoSrc.Func)
      visit(at, src, view.getInt32(at + 4, true));
    else if (src !== PseudoSrc.Imm64)
      throw new Error(
        `probe ${probeIndex}: lddw with src=${src} cannot be expressed as a libbpf relocation`,
      );
    at += INSN_SIZE;
  }
}

/** BTF map definitions in a `.maps` DATASEC; returns where each map lies in `.maps`. */
function describeMaps(btf: BtfBuilder, program: Program, symbols: string[]) {
  let size = 0;
  const placements: { offset: number; size: number; variable: number }[] = [];
  for (const map of program.maps) {
    const definition = mapDefinitionType(btf, map, symbols[map.id]);
    const variable = btf.variable(symbols[map.id], definition, VAR_GLOBAL_ALLOCATED);
    placements.push({ offset: size, size: btf.sizeOf(definition), variable });
    size += btf.sizeOf(definition);
  }
  if (placements.length > 0)
    btf.datasec(
      SECTION.maps,
      size,
      placements.map((p) => ({ type: p.variable, offset: p.offset, size: p.size })),
    );
  return { size, placements };
}

/** A FUNC per program and per callback subprogram, and the .BTF.ext func_info and line_info
 *  of every code section. */
function describePrograms(
  btf: BtfBuilder,
  program: Program,
  sections: ProgramSection[],
  text: ProgramSection,
): Uint8Array {
  const proto = btf.funcProto(btf.int('int', 4, 'signed'), [
    { name: 'ctx', type: btf.pointer(VOID) },
  ]);
  const sourceLines = program.source.split('\n').map((line) => line.replace(/\r$/, ''));
  const fileNameOff = btf.strings.add(program.sourceName);
  const strings = (line: number) => ({
    fileNameOff,
    lineOff: btf.strings.add(sourceLines[line - 1] ?? ''),
  });
  const ext: BtfExtSection[] = sections.map((section) => ({
    sectionNameOff: btf.strings.add(section.name),
    funcs: section.programs.map((placed) => ({
      insnOffset: placed.offset,
      typeId: btf.func(placed.symbol, proto, Linkage.Global),
    })),
    lines: section.programs.flatMap((placed) =>
      lineInfo(placed.probe, 0, mainSize(placed) / INSN_SIZE, placed.offset, strings),
    ),
  }));
  const subprograms = sections.flatMap((section) =>
    section.programs.flatMap((placed) => placed.subprograms.map((sub) => ({ placed, sub }))),
  );
  if (subprograms.length > 0) {
    // long callback(struct bpf_map *map, void *key, void *value, void *ctx)
    const callback = btf.funcProto(btf.int('long', 8, 'signed'), [
      { name: 'map', type: btf.pointer(VOID) },
      { name: 'key', type: btf.pointer(VOID) },
      { name: 'value', type: btf.pointer(VOID) },
      { name: 'ctx', type: btf.pointer(VOID) },
    ]);
    ext.push({
      sectionNameOff: btf.strings.add(text.name),
      funcs: subprograms.map(({ sub }) => ({
        insnOffset: sub.offset,
        typeId: btf.func(sub.symbol, callback, Linkage.Static),
      })),
      lines: subprograms.flatMap(({ placed, sub }) =>
        lineInfo(placed.probe, sub.start, sub.end, sub.offset, strings),
      ),
    });
  }
  return encodeBtfExt(ext);
}

/**
 * Line records for slots [from, to) of a program (the program's own code or one subprogram)
 * placed at byte `base`: one at its first instruction (the kernel requires it) and one
 * wherever the source line changes. Slots without a line (0) keep the previous line; a
 * second `lddw` slot never gets a record.
 */
function lineInfo(
  probe: CompiledProbe,
  from: number,
  to: number,
  base: number,
  strings: (line: number) => { fileNameOff: number; lineOff: number },
): LineInfo[] {
  const records: LineInfo[] = [];
  const lines = probe.lines.slice(from, to);
  let current = -1;
  for (let slot = 0; slot < to - from; slot++) {
    let line = lines[slot] ?? 0;
    if (slot === 0 && line === 0) line = lines.find((l) => l > 0) ?? 0;
    if ((line !== 0 || slot === 0) && line !== current) {
      records.push({ insnOffset: base + slot * INSN_SIZE, ...strings(line), line, column: 0 });
      current = line;
    }
    if (probe.bytecode[(from + slot) * INSN_SIZE] === LDDW) slot++;
  }
  return records;
}

function writeFile(
  sections: OutputSection[],
  nameOffsets: number[],
  strtabIndex: number,
): Uint8Array {
  const out = new ByteWriter();
  out.zeros(ELF_HEADER_SIZE);
  const placed = sections.map((section) => {
    out.align(section.addralign);
    const offset = out.length;
    out.bytes(section.data);
    return offset;
  });
  out.align(8);
  const sectionHeaders = out.length;
  out.zeros(SECTION_HEADER_SIZE);
  sections.forEach((section, i) => {
    out
      .u32(nameOffsets[i])
      .u32(section.type)
      .u64(section.flags)
      .u64(0)
      .u64(placed[i])
      .u64(section.data.length)
      .u32(section.link ?? 0)
      .u32(section.info ?? 0)
      .u64(section.addralign)
      .u64(section.entsize ?? 0);
  });
  const bytes = out.finish();
  const header = new ByteWriter();
  header.bytes(Uint8Array.from(ELF_MAGIC)).u8(ELFCLASS64).u8(ELFDATA2LSB).u8(EV_CURRENT).zeros(9);
  header
    .u16(ET_REL)
    .u16(EM_BPF)
    .u32(EV_CURRENT)
    .u64(0)
    .u64(0)
    .u64(sectionHeaders)
    .u32(0)
    .u16(ELF_HEADER_SIZE)
    .u16(0)
    .u16(0)
    .u16(SECTION_HEADER_SIZE)
    .u16(sections.length + 1)
    .u16(strtabIndex);
  bytes.set(header.finish(), 0);
  return bytes;
}
