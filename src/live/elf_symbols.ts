// Function symbols of real executables and shared libraries (ELF64 little-endian), for
// uprobes: names from .symtab and .dynsym (version suffixes stripped), and the file offset a
// uprobe attaches at (the symbol's address translated through its PT_LOAD segment).

import { closeSync, openSync, readSync, fstatSync } from 'node:fs';
import { LiveAttachError } from './errors';

export interface ElfFunction {
  name: string;
  address: bigint;
  size: bigint;
}

export interface ElfImage {
  path: string;
  /** Functions by name (first definition wins), and sorted by address for lookups. */
  functions: Map<string, ElfFunction>;
  byAddress: ElfFunction[];
  segments: { vaddr: bigint; offset: bigint; filesz: bigint; executable: boolean }[];
  /** ET_DYN (shared object / PIE) or ET_EXEC. */
  shared: boolean;
  /** Raw sections by name, for USDT notes. */
  section(name: string): { bytes: Uint8Array; address: bigint; offset: bigint } | undefined;
}

const cache = new Map<string, ElfImage | null>();

const MAX_ELF_BYTES = 1 << 30;

/** The parsed image, or undefined when the file is not a readable ELF64 file. */
export function readElf(path: string): ElfImage | undefined {
  const cached = cache.get(path);
  if (cached !== undefined) return cached ?? undefined;
  let image: ElfImage | null = null;
  try {
    image = parseElf(path, readWhole(path));
  } catch {
    image = null;
  }
  cache.set(path, image);
  return image ?? undefined;
}

function readWhole(path: string): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size > MAX_ELF_BYTES) throw new Error('too large');
    const bytes = new Uint8Array(size);
    let at = 0;
    while (at < size) {
      const n = readSync(fd, bytes, at, size - at, at);
      if (n <= 0) break;
      at += n;
    }
    return bytes;
  } finally {
    closeSync(fd);
  }
}

interface Section {
  name: string;
  type: number;
  address: bigint;
  offset: number;
  size: number;
  link: number;
  entsize: number;
}

function parseElf(path: string, bytes: Uint8Array): ElfImage | null {
  if (bytes.length < 64 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c) return null;
  if (bytes[4] !== 2 || bytes[5] !== 1) return null; // ELF64, little-endian
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = v.getUint16(16, true);
  const phoff = Number(v.getBigUint64(32, true));
  const shoff = Number(v.getBigUint64(40, true));
  const phentsize = v.getUint16(54, true);
  const phnum = v.getUint16(56, true);
  const shentsize = v.getUint16(58, true);
  const shnum = v.getUint16(60, true);
  const shstrndx = v.getUint16(62, true);

  const segments: ElfImage['segments'] = [];
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (at + 56 > bytes.length) break;
    if (v.getUint32(at, true) !== 1) continue; // PT_LOAD
    segments.push({
      executable: (v.getUint32(at + 4, true) & 1) !== 0,
      offset: v.getBigUint64(at + 8, true),
      vaddr: v.getBigUint64(at + 16, true),
      filesz: v.getBigUint64(at + 32, true),
    });
  }

  const sections: Section[] = [];
  for (let i = 0; i < shnum; i++) {
    const at = shoff + i * shentsize;
    if (at + 64 > bytes.length) break;
    sections.push({
      name: String(v.getUint32(at, true)),
      type: v.getUint32(at + 4, true),
      address: v.getBigUint64(at + 16, true),
      offset: Number(v.getBigUint64(at + 24, true)),
      size: Number(v.getBigUint64(at + 32, true)),
      link: v.getUint32(at + 40, true),
      entsize: Number(v.getBigUint64(at + 56, true)),
    });
  }
  const names = sections[shstrndx];
  for (const s of sections) s.name = names ? cString(bytes, names.offset + Number(s.name)) : '';

  const functions = new Map<string, ElfFunction>();
  for (const s of sections) {
    if (s.type !== 2 && s.type !== 11) continue; // SHT_SYMTAB, SHT_DYNSYM
    const strtab = sections[s.link];
    if (!strtab) continue;
    const entsize = s.entsize || 24;
    for (
      let at = s.offset;
      at + 24 <= s.offset + s.size && at + 24 <= bytes.length;
      at += entsize
    ) {
      const info = bytes[at + 4]!;
      const symType = info & 0xf;
      const shndx = v.getUint16(at + 6, true);
      const value = v.getBigUint64(at + 8, true);
      if ((symType !== 2 && symType !== 10) || shndx === 0 || value === 0n) continue;
      const raw = cString(bytes, strtab.offset + v.getUint32(at, true));
      const name = raw.split('@')[0]!;
      if (name === '' || functions.has(name)) continue;
      functions.set(name, { name, address: value, size: v.getBigUint64(at + 16, true) });
    }
  }
  const byAddress = [...functions.values()].sort((a, b) =>
    a.address < b.address ? -1 : a.address > b.address ? 1 : 0,
  );
  return {
    path,
    functions,
    byAddress,
    segments,
    shared: type === 3,
    section(name) {
      const s = sections.find((x) => x.name === name);
      if (!s || s.offset + s.size > bytes.length) return undefined;
      return {
        bytes: bytes.subarray(s.offset, s.offset + s.size),
        address: s.address,
        offset: BigInt(s.offset),
      };
    },
  };
}

function cString(bytes: Uint8Array, at: number): string {
  let end = at;
  while (end < bytes.length && bytes[end] !== 0) end++;
  return Buffer.from(bytes.subarray(at, end)).toString('latin1');
}

/** The file offset of a virtual address, through the PT_LOAD segment that holds it. */
export function fileOffset(image: ElfImage, address: bigint): bigint | undefined {
  for (const s of image.segments) {
    if (address >= s.vaddr && address < s.vaddr + s.filesz) return address - s.vaddr + s.offset;
  }
  return undefined;
}

/** `func` or `func+off` or an address → the file offset to attach a uprobe at. */
export function resolveUprobeOffset(path: string, spec: string, probeName: string): bigint {
  const image = readElf(path);
  if (!image) throw new LiveAttachError(`${probeName}: ${path} is not an ELF64 file`);
  const [func, offsetText] = spec.split('+') as [string, string | undefined];
  let address: bigint;
  if (/^(0x[0-9a-fA-F]+|\d+)$/.test(func)) {
    address = BigInt(func);
    // An address must be where a function starts, as bpftrace 0.17 checks.
    if (![...image.functions.values()].some((f) => f.address === address))
      throw new LiveAttachError(`Could not resolve address: ${path}:0x${address.toString(16)}`);
  } else {
    const sym = image.functions.get(func);
    if (!sym) throw new LiveAttachError(`${probeName}: no function ${func} in ${path}`);
    address = sym.address;
  }
  if (offsetText !== undefined) {
    const extra = BigInt(offsetText);
    const sym = [...image.functions.values()].find((f) => f.address === address);
    if (sym && extra >= sym.size)
      throw new LiveAttachError(
        `Offset outside the function bounds ('${sym.name}' size is ${sym.size})`,
      );
    address += extra;
  }
  const offset = fileOffset(image, address);
  if (offset === undefined)
    throw new LiveAttachError(`${probeName}: address 0x${address.toString(16)} is not in ${path}`);
  return offset;
}
