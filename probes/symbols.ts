// A sorted symbol map implementing SymbolTable for simulated and replayed events.

import type { SymbolTable } from './event';

export interface SymbolEntry {
  name: string;
  address: bigint;
  size: number;
  kernel: boolean;
  /** Path of the user binary or library the symbol belongs to; per-process lookups need it. */
  image?: string;
}

export class SymbolMap implements SymbolTable {
  private readonly tables: Record<'k' | 'u', SymbolEntry[]> = { k: [], u: [] };
  private sorted = true;
  /** Images each known process maps; a process not listed here sees every image. */
  private readonly processImages = new Map<number, ReadonlySet<string>>();

  add(entry: SymbolEntry): void {
    this.tables[entry.kernel ? 'k' : 'u'].push(entry);
    this.sorted = false;
  }

  /** Records the images `pid` maps (its executable and libraries), replacing earlier ones (exec). */
  mapProcess(pid: number, images: readonly string[]): void {
    this.processImages.set(pid, new Set(images));
  }

  entries(): SymbolEntry[] {
    this.sort();
    return [...this.tables.k, ...this.tables.u];
  }

  lookup(
    address: bigint,
    kernel: boolean,
    pid?: number,
  ): { name: string; offset: number; image?: string } | undefined {
    const entry = this.find(address, kernel);
    if (!entry || !this.mappedBy(entry, pid)) return undefined;
    return { name: entry.name, offset: Number(address - entry.address), image: entry.image };
  }

  private find(address: bigint, kernel: boolean): SymbolEntry | undefined {
    this.sort();
    const table = this.tables[kernel ? 'k' : 'u'];
    let lo = 0;
    let hi = table.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const e = table[mid]!;
      if (address < e.address) hi = mid - 1;
      else if (address >= e.address + BigInt(Math.max(e.size, 1))) lo = mid + 1;
      else return e;
    }
    return undefined;
  }

  private mappedBy(entry: SymbolEntry, pid: number | undefined): boolean {
    if (entry.kernel || entry.image === undefined || pid === undefined) return true;
    return this.processImages.get(pid)?.has(entry.image) ?? true;
  }

  address(name: string, kernel: boolean): bigint | undefined {
    this.sort();
    return this.tables[kernel ? 'k' : 'u'].find((e) => e.name === name)?.address;
  }

  symbolize(address: bigint, kernel: boolean, pid?: number): string | undefined {
    const hit = this.lookup(address, kernel, pid);
    if (!hit) return undefined;
    return hit.offset === 0 ? hit.name : `${hit.name}+${hit.offset}`;
  }

  private sort(): void {
    if (this.sorted) return;
    for (const t of Object.values(this.tables))
      t.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
    this.sorted = true;
  }
}
