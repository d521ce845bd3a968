// readObject: rebuilds the Program from an object written by writeObject — the metadata
// from `.bpfscope`, each probe's code from its FUNC symbol, map ids restored into the
// `lddw` immediates from the relocations. Read as a fixed series of checked steps; any
// inconsistency is an ObjectFileError naming the first problem found.

import { LDDW, PseudoSrc } from '../isa/opcode';
import type { CompiledProbe, Program } from '../program';
import { ByteReader, OutOfBounds } from './bytes';
import {
  ELF_HEADER_SIZE,
  ELF_MAGIC,
  ELFCLASS64,
  ELFDATA2LSB,
  EM_BPF,
  INSN_SIZE,
  R_BPF_64_64,
  REL_SIZE,
  SECTION,
  SECTION_HEADER_SIZE,
  SHF_EXECINSTR,
  SYMBOL_SIZE,
  STT_FUNC,
  STT_SECTION,
  STT_OBJECT,
  SectionType,
  type ElfSymbol,
  type SectionHeader,
} from './elfFormat';
import { ObjectFileError } from './errors';
import { decodeMetadata, type ProbeMetadata } from './metadata';
import { subprogramSymbol } from './naming';

/** A failure inside one step; readObject prefixes the file name. */
class Bad extends Error {}

export function readObject(bytes: Uint8Array, fileName: string): Program {
  try {
    return readSteps(new ByteReader(bytes, 'the file'));
  } catch (error) {
    if (error instanceof Bad || error instanceof OutOfBounds)
      throw new ObjectFileError(fileName, error.message);
    // Anything else (say, a stack overflow on absurdly nested JSON) is still bad input.
    throw new ObjectFileError(
      fileName,
      `malformed object (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}

function readSteps(file: ByteReader): Program {
  const sections = readSectionHeaders(file);
  const symtab = sections.findIndex((s) => s.type === SectionType.Symtab);
  if (symtab < 0) throw new Bad('no symbol table (.symtab)');
  const symbols = readSymbols(file, sections, symtab);
  const metadataSection = sections.find((s) => s.name === SECTION.bpfscope);
  if (!metadataSection)
    throw new Bad(
      `no ${SECTION.bpfscope} section: not an object written by bpfscope (only those can be run)`,
    );
  let metadata;
  try {
    metadata = decodeMetadata(sectionData(file, metadataSection).bytes);
  } catch (error) {
    if (error instanceof OutOfBounds) throw error;
    throw new Bad(`${SECTION.bpfscope} section: ${(error as Error).message}`);
  }
  const mapIdOfSymbol = new Map(metadata.mapSymbols.map((name, id) => [name, id]));
  const { probes: probeMetadata, ...rest } = metadata.program;
  const probes = probeMetadata.map((probe) =>
    readProbe(file, sections, symbols, probe, mapIdOfSymbol),
  );
  return { ...rest, probes };
}

function readSectionHeaders(file: ByteReader): SectionHeader[] {
  if (file.length < ELF_HEADER_SIZE) throw new Bad(`not an ELF file: only ${file.length} bytes`);
  if (ELF_MAGIC.some((byte, i) => file.u8(i) !== byte))
    throw new Bad('not an ELF file (bad magic number)');
  if (file.u8(4) !== ELFCLASS64) throw new Bad('not a 64-bit ELF file');
  if (file.u8(5) !== ELFDATA2LSB) throw new Bad('not a little-endian ELF file');
  const machine = file.u16(18);
  if (machine !== EM_BPF)
    throw new Bad(`not an eBPF object (e_machine ${machine}, expected ${EM_BPF})`);
  const shoff = file.u64(40);
  const shentsize = file.u16(58);
  const shnum = file.u16(60);
  const shstrndx = file.u16(62);
  if (shentsize !== SECTION_HEADER_SIZE) throw new Bad(`bad section header size ${shentsize}`);
  if (shnum === 0) throw new Bad('no sections');
  if (shoff + shnum * SECTION_HEADER_SIZE > file.length)
    throw new Bad(
      `section headers (offset ${shoff}, ${shnum} entries) run past the end of the file`,
    );
  if (shstrndx >= shnum) throw new Bad(`section name table index ${shstrndx} is out of range`);
  const raw = Array.from({ length: shnum }, (_, i) => {
    const at = shoff + i * SECTION_HEADER_SIZE;
    return {
      nameOffset: file.u32(at),
      header: {
        name: '',
        type: file.u32(at + 4),
        flags: file.u64(at + 8),
        offset: file.u64(at + 24),
        size: file.u64(at + 32),
        link: file.u32(at + 40),
        info: file.u32(at + 44),
        addralign: file.u64(at + 48),
        entsize: file.u64(at + 56),
      } as SectionHeader,
    };
  });
  for (const [i, { header }] of raw.entries())
    if (header.type !== SectionType.Null && header.offset + header.size > file.length)
      throw new Bad(
        `section ${i} (offset ${header.offset}, ${header.size} bytes) runs past the end of the file`,
      );
  const names = sectionData(file, raw[shstrndx].header);
  for (const [i, entry] of raw.entries()) {
    if (entry.nameOffset >= names.length && !(i === 0 && entry.nameOffset === 0))
      throw new Bad(`section ${i}: name offset ${entry.nameOffset} is outside the name table`);
    entry.header.name = names.length === 0 ? '' : names.cString(entry.nameOffset);
  }
  return raw.map((r) => r.header);
}

function sectionData(file: ByteReader, section: SectionHeader): ByteReader {
  return file.slice(section.offset, section.size, `section ${section.name || '(unnamed)'}`);
}

function readSymbols(
  file: ByteReader,
  sections: SectionHeader[],
  symtabIndex: number,
): ElfSymbol[] {
  const symtab = sections[symtabIndex];
  if (symtab.size % SYMBOL_SIZE !== 0)
    throw new Bad(`.symtab size ${symtab.size} is not a multiple of ${SYMBOL_SIZE}`);
  if (symtab.link >= sections.length)
    throw new Bad(`.symtab links to missing section ${symtab.link}`);
  const data = sectionData(file, symtab);
  const names = sectionData(file, sections[symtab.link]);
  const symbols: ElfSymbol[] = [];
  for (let at = 0; at < data.length; at += SYMBOL_SIZE) {
    const nameOffset = data.u32(at);
    const info = data.u8(at + 4);
    symbols.push({
      name: nameOffset === 0 ? '' : names.cString(nameOffset),
      binding: info >> 4,
      type: info & 0xf,
      sectionIndex: data.u16(at + 6),
      value: data.u64(at + 8),
      size: data.u64(at + 16),
    });
  }
  return symbols;
}

function readProbe(
  file: ByteReader,
  sections: SectionHeader[],
  symbols: ElfSymbol[],
  probe: ProbeMetadata,
  mapIdOfSymbol: Map<string, number>,
): CompiledProbe {
  const what = `program ${probe.symbol}`;
  // The program's own code, then its callback subprograms (in `.text`) in order.
  const names = [
    probe.symbol,
    ...(probe.subprograms ?? []).map((_, k) => subprogramSymbol(probe.symbol, k)),
  ];
  const pieces = names.map((name) => readFunction(file, sections, symbols, name));
  const starts: number[] = [];
  let total = 0;
  for (const piece of pieces) {
    starts.push(total / INSN_SIZE);
    total += piece.symbol.size;
  }
  if (starts.slice(1).some((start, k) => start !== probe.subprograms![k]))
    throw new Bad(`${what}: its subprograms do not start where its metadata says`);
  const bytecode = new Uint8Array(total);
  pieces.forEach((piece, k) => bytecode.set(piece.code, starts[k] * INSN_SIZE));
  const view = new DataView(bytecode.buffer);

  pieces.forEach(({ symbol }, k) => {
    const sectionIndex = symbol.sectionIndex;
    sections.forEach((rel, relIndex) => {
      if (rel.type !== SectionType.Rel || rel.info !== sectionIndex) return;
      if (rel.size % REL_SIZE !== 0)
        throw new Bad(`${rel.name}: size ${rel.size} is not a multiple of ${REL_SIZE}`);
      const data = sectionData(file, rel);
      for (let at = 0; at < data.length; at += REL_SIZE) {
        const offset = data.u64(at);
        if (offset < symbol.value || offset >= symbol.value + symbol.size) continue;
        const where = `${rel.name} (section ${relIndex}) entry ${at / REL_SIZE}`;
        const type = data.u32(at + 8);
        const target = symbols[data.u32(at + 12)];
        if (type !== R_BPF_64_64) throw new Bad(`${where}: unsupported relocation type ${type}`);
        const insn = offset - symbol.value + starts[k] * INSN_SIZE;
        if (
          insn % INSN_SIZE !== 0 ||
          insn + 2 * INSN_SIZE > starts[k] * INSN_SIZE + symbol.size ||
          bytecode[insn] !== LDDW
        )
          throw new Bad(`${where}: offset ${offset} is not an lddw instruction`);
        const src = bytecode[insn + 1] >> 4;
        const imm = view.getInt32(insn + 4, true);
        if (target?.type === STT_SECTION && src === PseudoSrc.Func) {
          // A subprogram's address: its offset in the section the symbol stands for.
          const sub = pieces.findIndex(
            (p, i) =>
              i > 0 && p.symbol.sectionIndex === target.sectionIndex && p.symbol.value === imm,
          );
          if (sub < 0) throw new Bad(`${where}: offset ${imm} is not a subprogram of ${what}`);
          view.setInt32(insn + 4, starts[sub] - (insn / INSN_SIZE + 1), true);
          continue;
        }
        if (imm !== 0)
          throw new Bad(`${where}: the lddw at offset ${offset} is not a relocatable \`r = 0 ll\``);
        if (!target || target.type !== STT_OBJECT)
          throw new Bad(`${where}: does not refer to a map symbol`);
        const mapId = mapIdOfSymbol.get(target.name);
        if (mapId === undefined) throw new Bad(`${where}: refers to unknown map '${target.name}'`);
        if (src !== PseudoSrc.Imm64)
          throw new Bad(`${where}: the lddw at offset ${offset} is not a relocatable \`r = 0 ll\``);
        bytecode[insn + 1] = (PseudoSrc.MapFd << 4) | (bytecode[insn + 1] & 0x0f);
        view.setInt32(insn + 4, mapId, true);
      }
    });
  });
  const { symbol: _symbol, ...rest } = probe;
  return { ...rest, bytecode };
}

/** The code of the FUNC symbol `name`, checked to lie whole in a program section. */
function readFunction(
  file: ByteReader,
  sections: SectionHeader[],
  symbols: ElfSymbol[],
  name: string,
): { symbol: ElfSymbol; code: Uint8Array } {
  const what = `program ${name}`;
  const symbol = symbols.find((s) => s.name === name && s.type === STT_FUNC);
  if (!symbol) throw new Bad(`${what}: no FUNC symbol`);
  const section = sections[symbol.sectionIndex];
  if (!section || section.type !== SectionType.Progbits || !(section.flags & SHF_EXECINSTR))
    throw new Bad(`${what}: symbol is not in a program section`);
  if (symbol.value % INSN_SIZE !== 0 || symbol.size % INSN_SIZE !== 0)
    throw new Bad(
      `${what}: offset ${symbol.value} or size ${symbol.size} is not a whole number of instructions`,
    );
  if (symbol.value + symbol.size > section.size)
    throw new Bad(
      `${what}: ${symbol.size} bytes at offset ${symbol.value} run past its section ${section.name}`,
    );
  const code = sectionData(file, section).bytes.slice(symbol.value, symbol.value + symbol.size);
  return { symbol, code };
}
