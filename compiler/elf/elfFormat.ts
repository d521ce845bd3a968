// ELF64 facts the object writer and reader share (System V gABI; eBPF psABI for EM_BPF and
// its relocation types). Sizes are those of the ELF64 structures.

export const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46] as const;
export const ELFCLASS64 = 2;
export const ELFDATA2LSB = 1;
export const EV_CURRENT = 1;
export const ET_REL = 1;
export const EM_BPF = 247;

export const ELF_HEADER_SIZE = 64;
export const SECTION_HEADER_SIZE = 64;
export const SYMBOL_SIZE = 24;
export const REL_SIZE = 16;

export const enum SectionType {
  Null = 0,
  Progbits = 1,
  Symtab = 2,
  Strtab = 3,
  Rel = 9,
}

export const SHF_WRITE = 0x1;
export const SHF_ALLOC = 0x2;
export const SHF_EXECINSTR = 0x4;
export const SHF_INFO_LINK = 0x40;

export const STB_LOCAL = 0;
export const STB_GLOBAL = 1;
export const STT_OBJECT = 1;
export const STT_FUNC = 2;
export const STT_SECTION = 3;

/** R_BPF_64_64: the 64-bit immediate of an `lddw` refers to the symbol. */
export const R_BPF_64_64 = 1;

export function symbolInfo(binding: number, type: number): number {
  return (binding << 4) | (type & 0xf);
}

export interface SectionHeader {
  name: string;
  type: SectionType;
  flags: number;
  offset: number;
  size: number;
  link: number;
  info: number;
  addralign: number;
  entsize: number;
}

export interface ElfSymbol {
  name: string;
  binding: number;
  type: number;
  sectionIndex: number;
  value: number;
  size: number;
}

/** Bytes per eBPF instruction slot. */
export const INSN_SIZE = 8;

/** Section names bpfscope writes besides the program sections. */
export const SECTION = {
  /** Where libbpf looks for subprograms (the callbacks of for loops). */
  text: '.text',
  strtab: '.strtab',
  symtab: '.symtab',
  license: 'license',
  maps: '.maps',
  btf: '.BTF',
  btfExt: '.BTF.ext',
  bpfscope: '.bpfscope',
} as const;

export const LICENSE = 'GPL';
