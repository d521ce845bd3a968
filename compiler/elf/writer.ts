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
  STT_FUNC,
  STT_OBJECT,
  SYMBOL_SIZE,
  SectionType,
  symbolInfo,
} from './elfFormat';
import { mapDefinitionType } from './mapBtf';
import { encodeMetadata, METADATA_FORMAT, METADATA_VERSION, type ObjectMetadata } from './metadata';
import { mapSymbolNames, programSymbolName, sectionNameFor } from './naming';
import { StringTable } from './stringTable';

interface PlacedProgram {
  probe: CompiledProbe;
  symbol: string;
  /** Byte offset in its section. */
  offset: number;
}

interface ProgramSection {
  name: string;
  programs: PlacedProgram[];
  code: Uint8Array;
  /** Map relocations: byte offset of the `lddw` in the section and the map id. */
  relocations: { offset: number; mapId: number }[];
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
  const sections = layOutPrograms(program, programSymbols);

  const btf = new BtfBuilder();
  const maps = describeMaps(btf, program, mapSymbols);
  const btfExt = describePrograms(btf, program, sections);

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
  const programIndexes: number[] = [];
  const relSections: OutputSection[] = [];
  for (const section of sections) {
    programIndexes.push(
      add(progbits(section.name, section.code, SHF_ALLOC | SHF_EXECINSTR, INSN_SIZE)),
    );
    if (section.relocations.length === 0) continue;
    const rel = progbits(`.rel${section.name}`, new Uint8Array(), SHF_INFO_LINK, 8);
    Object.assign(rel, { type: SectionType.Rel, info: programIndexes.at(-1), entsize: REL_SIZE });
    add(rel);
    relSections.push(rel);
  }
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
  Object.assign(symtab, {
    type: SectionType.Symtab,
    link: strtabIndex,
    info: 1,
    entsize: SYMBOL_SIZE,
  });
  const symtabIndex = add(symtab);

  // Symbols (all global, so .symtab's first non-local index is 1): null, programs, maps.
  const strings = new StringTable();
  const symbols = new ByteWriter().zeros(SYMBOL_SIZE);
  let symbolCount = 1;
  const addSymbol = (name: string, type: number, shndx: number, value: number, size: number) => {
    const info = symbolInfo(STB_GLOBAL, type);
    symbols.u32(strings.add(name)).u8(info).u8(0).u16(shndx).u64(value).u64(size);
    return symbolCount++;
  };
  sections.forEach((section, i) => {
    for (const placed of section.programs)
      addSymbol(
        placed.symbol,
        STT_FUNC,
        programIndexes[i],
        placed.offset,
        placed.probe.bytecode.length,
      );
  });
  const symbolIndexOfMap = maps.placements.map((placement, id) =>
    addSymbol(mapSymbols[id], STT_OBJECT, mapsIndex, placement.offset, placement.size),
  );
  symtab.data = symbols.finish();

  sections
    .filter((section) => section.relocations.length > 0)
    .forEach((section, i) => {
      const rel = new ByteWriter();
      for (const r of section.relocations)
        rel.u64(r.offset).u64((BigInt(symbolIndexOfMap[r.mapId]) << 32n) | BigInt(R_BPF_64_64));
      relSections[i].data = rel.finish();
      relSections[i].link = symtabIndex;
    });

  // Section names share .strtab with the symbol names, as clang's objects do.
  const nameOffsets = output.map((section) => strings.add(section.name));
  strtab.data = strings.finish();
  return writeFile(output, nameOffsets, strtabIndex);
}

function progbits(name: string, data: Uint8Array, flags: number, addralign: number): OutputSection {
  return { name, type: SectionType.Progbits, flags, data, addralign };
}

/** Groups programs into sections by name and copies their code, turning map ids into relocations. */
function layOutPrograms(program: Program, symbols: string[]): ProgramSection[] {
  const byName = new Map<string, { name: string; programs: PlacedProgram[] }>();
  program.probes.forEach((probe, i) => {
    const name = sectionNameFor(probe.attachPoints);
    let group = byName.get(name);
    if (!group) byName.set(name, (group = { name, programs: [] }));
    group.programs.push({ probe, symbol: symbols[i], offset: 0 });
  });
  return [...byName.values()].map(({ name, programs }) => {
    const code = new ByteWriter();
    const relocations: ProgramSection['relocations'] = [];
    for (const placed of programs) {
      const bytecode = placed.probe.bytecode;
      if (bytecode.length % INSN_SIZE !== 0)
        throw new Error(
          `probe ${placed.probe.index}: bytecode is not a whole number of instructions`,
        );
      placed.offset = code.length;
      const copy = bytecode.slice();
      forEachMapReference(copy, placed.probe.index, (at, mapId) => {
        if (mapId < 0 || mapId >= program.maps.length)
          throw new Error(
            `probe ${placed.probe.index}: instruction ${at / INSN_SIZE} refers to unknown map ${mapId}`,
          );
        relocations.push({ offset: placed.offset + at, mapId });
        // As clang writes a map reference: `r = 0 ll` plus the relocation; libbpf sets
        // src=1 and the map fd when it loads the program.
        copy[at + 1] &= 0x0f;
        new DataView(copy.buffer).setInt32(at + 4, 0, true);
      });
      code.bytes(copy);
    }
    return { name, programs, code: code.finish(), relocations };
  });
}

/** Calls `visit` with the byte offset and map id of every `lddw src=1` in `code`. */
export function forEachMapReference(
  code: Uint8Array,
  probeIndex: number,
  visit: (at: number, mapId: number) => void,
): void {
  const view = new DataView(code.buffer, code.byteOffset, code.byteLength);
  for (let at = 0; at + INSN_SIZE <= code.length; at += INSN_SIZE) {
    if (view.getUint8(at) !== LDDW) continue;
    const src = view.getUint8(at + 1) >> 4;
    if (src === PseudoSrc.MapFd) visit(at, view.getInt32(at + 4, true));
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

/** A FUNC per program, and the .BTF.ext func_info and line_info of every section. */
function describePrograms(
  btf: BtfBuilder,
  program: Program,
  sections: ProgramSection[],
): Uint8Array {
  const proto = btf.funcProto(btf.int('int', 4, 'signed'), [
    { name: 'ctx', type: btf.pointer(VOID) },
  ]);
  const sourceLines = program.source.split('\n').map((line) => line.replace(/\r$/, ''));
  const fileNameOff = btf.strings.add(program.sourceName);
  const ext: BtfExtSection[] = sections.map((section) => ({
    sectionNameOff: btf.strings.add(section.name),
    funcs: section.programs.map((placed) => ({
      insnOffset: placed.offset,
      typeId: btf.func(placed.symbol, proto, Linkage.Global),
    })),
    lines: section.programs.flatMap((placed) =>
      lineInfo(placed.probe, placed.offset, (line) => ({
        fileNameOff,
        lineOff: btf.strings.add(sourceLines[line - 1] ?? ''),
      })),
    ),
  }));
  return encodeBtfExt(ext);
}

/**
 * Line records for one program: one at its first instruction (the kernel requires it) and
 * one wherever the source line changes. Slots without a line (0) keep the previous line;
 * a second `lddw` slot never gets a record.
 */
function lineInfo(
  probe: CompiledProbe,
  base: number,
  strings: (line: number) => { fileNameOff: number; lineOff: number },
): LineInfo[] {
  const records: LineInfo[] = [];
  const slots = probe.bytecode.length / INSN_SIZE;
  let current = -1;
  for (let slot = 0; slot < slots; slot++) {
    let line = probe.lines[slot] ?? 0;
    if (slot === 0 && line === 0) line = probe.lines.find((l) => l > 0) ?? 0;
    if (line !== 0 || slot === 0) {
      if (line !== current) {
        records.push({ insnOffset: base + slot * INSN_SIZE, ...strings(line), line, column: 0 });
        current = line;
      }
    }
    if (probe.bytecode[slot * INSN_SIZE] === LDDW) slot++;
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
