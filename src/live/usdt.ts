// USDT probes of a real binary: the SystemTap SDT notes (.note.stapsdt, type 3, owner
// "stapsdt"): each names a provider and probe, the probe's address, its semaphore (0 if
// none) and its argument specification; addresses are adjusted by where .stapsdt.base lies.

import { fileOffset, readElf } from './elf_symbols';

export interface UsdtProbe {
  provider: string;
  name: string;
  /** File offset to put the uprobe at. */
  offset: bigint;
  /** File offset of the semaphore (the uprobe's reference counter), 0n when there is none. */
  semaphoreOffset: bigint;
  /** e.g. `-4@%edi 8@%rax`. */
  args: string;
}

const cache = new Map<string, UsdtProbe[] | null>();

/** The binary's USDT probes, or undefined when it is not an ELF file. */
export function usdtProbes(path: string): UsdtProbe[] | undefined {
  const cached = cache.get(path);
  if (cached !== undefined) return cached ?? undefined;
  const image = readElf(path);
  if (!image) {
    cache.set(path, null);
    return undefined;
  }
  const probes: UsdtProbe[] = [];
  const notes = image.section('.note.stapsdt');
  const base = image.section('.stapsdt.base');
  if (notes) {
    const b = notes.bytes;
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    let at = 0;
    while (at + 12 <= b.length) {
      const nameSize = v.getUint32(at, true);
      const descSize = v.getUint32(at + 4, true);
      const type = v.getUint32(at + 8, true);
      const nameAt = at + 12;
      const descAt = nameAt + align4(nameSize);
      const next = descAt + align4(descSize);
      if (next > b.length) break;
      const owner = text(b, nameAt, nameAt + nameSize);
      if (type === 3 && owner === 'stapsdt' && descSize >= 24) {
        let pc = v.getBigUint64(descAt, true);
        const noteBase = v.getBigUint64(descAt + 8, true);
        const semaphore = v.getBigUint64(descAt + 16, true);
        if (base && noteBase !== 0n) pc += base.address - noteBase;
        const strings = text(b, descAt + 24, descAt + descSize).split('\0');
        const offset = fileOffset(image, pc);
        const semaphoreOffset = semaphore === 0n ? 0n : (dataFileOffset(image, semaphore) ?? 0n);
        if (offset !== undefined)
          probes.push({
            provider: strings[0] ?? '',
            name: strings[1] ?? '',
            offset,
            semaphoreOffset,
            args: strings[2] ?? '',
          });
      }
      at = next;
    }
  }
  cache.set(path, probes);
  return probes;
}

/** Semaphores live in .probes (a data section): translate through the section table. */
function dataFileOffset(image: NonNullable<ReturnType<typeof readElf>>, address: bigint) {
  const probes = image.section('.probes');
  if (probes && address >= probes.address && address < probes.address + BigInt(probes.bytes.length))
    return address - probes.address + probes.offset;
  return fileOffset(image, address);
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

function text(bytes: Uint8Array, from: number, to: number): string {
  let end = to;
  while (end > from && bytes[end - 1] === 0) end--;
  return Buffer.from(bytes.subarray(from, end)).toString('latin1');
}
