// Symbols of the live machine: kernel addresses from /proc/kallsyms, user addresses through
// the process's /proc/PID/maps and the ELF symbols of the file mapped there. Kept per pid
// for the run (a process that exits before its stacks print is looked up from the cache).

import { readFileSync } from 'node:fs';
import type { SymbolTable } from '../../probes/event';
import { readElf, type ElfFunction } from './elf_symbols';

interface Mapping {
  start: bigint;
  end: bigint;
  offset: bigint;
  path: string;
}

export class LiveSymbols implements SymbolTable {
  private kernel?: { address: bigint; name: string }[];
  private readonly maps = new Map<number, Mapping[]>();

  symbolize(address: bigint, kernel: boolean, pid?: number): string | undefined {
    const found = this.lookup(address, kernel, pid);
    if (!found) return undefined;
    return found.offset === 0 ? found.name : `${found.name}+${found.offset}`;
  }

  lookup(
    address: bigint,
    kernel: boolean,
    pid?: number,
  ): { name: string; offset: number } | undefined {
    if (kernel) return this.kernelLookup(address);
    if (pid === undefined) return undefined;
    const mapping = this.processMaps(pid).find((m) => address >= m.start && address < m.end);
    if (!mapping) return undefined;
    const image = readElf(mapping.path);
    if (!image) return undefined;
    // The file offset of the address, then the virtual address the ELF symbols use.
    const fileOffset = address - mapping.start + mapping.offset;
    const segment = image.segments.find(
      (s) => fileOffset >= s.offset && fileOffset < s.offset + s.filesz,
    );
    if (!segment) return undefined;
    const vaddr = fileOffset - segment.offset + segment.vaddr;
    const fn = containing(image.byAddress, vaddr);
    return fn ? { name: fn.name, offset: Number(vaddr - fn.address) } : undefined;
  }

  address(name: string, kernel: boolean): bigint | undefined {
    if (!kernel) return undefined;
    return this.kernelSymbols().find((s) => s.name === name)?.address;
  }

  /** Reads (and keeps) the mappings of `pid`; call while the process lives. */
  processMaps(pid: number): Mapping[] {
    const cached = this.maps.get(pid);
    if (cached) return cached;
    const mappings: Mapping[] = [];
    try {
      for (const line of readFileSync(`/proc/${pid}/maps`, 'utf8').split('\n')) {
        const m = /^([0-9a-f]+)-([0-9a-f]+) \S+ ([0-9a-f]+) \S+ \d+\s+(\/.*)$/.exec(line);
        if (!m) continue;
        mappings.push({
          start: BigInt(`0x${m[1]}`),
          end: BigInt(`0x${m[2]}`),
          offset: BigInt(`0x${m[3]}`),
          path: `/proc/${pid}/root${m[4]!.replace(/ \(deleted\)$/, '')}`,
        });
      }
    } catch {
      return [];
    }
    this.maps.set(pid, mappings);
    return mappings;
  }

  private kernelSymbols(): { address: bigint; name: string }[] {
    if (this.kernel) return this.kernel;
    const symbols: { address: bigint; name: string }[] = [];
    try {
      for (const line of readFileSync('/proc/kallsyms', 'utf8').split('\n')) {
        const [addr, type, name] = line.split(/\s+/);
        if (!addr || !name || !type || !'tTwW'.includes(type)) continue;
        symbols.push({ address: BigInt(`0x${addr}`), name });
      }
    } catch {
      // no kernel symbols: addresses print in hex
    }
    symbols.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
    this.kernel = symbols;
    return symbols;
  }

  private kernelLookup(address: bigint): { name: string; offset: number } | undefined {
    const table = this.kernelSymbols();
    let lo = 0;
    let hi = table.length - 1;
    let best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (table[mid]!.address <= address) {
        best = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (best < 0 || table[best]!.address === 0n) return undefined;
    return { name: table[best]!.name, offset: Number(address - table[best]!.address) };
  }
}

function containing(sorted: ElfFunction[], address: bigint): ElfFunction | undefined {
  let lo = 0;
  let hi = sorted.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.address <= address) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (best < 0) return undefined;
  const fn = sorted[best]!;
  if (fn.size !== 0n && address >= fn.address + fn.size) return undefined;
  return fn;
}
