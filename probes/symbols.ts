// A sorted symbol map implementing SymbolTable for simulated and replayed events.

import type { SymbolTable } from './event';

export interface SymbolEntry {
  name: string;
  address: bigint;
  size: number;
  kernel: boolean;
}

export class SymbolMap implements SymbolTable {
  private readonly tables: Record<'k' | 'u', SymbolEntry[]> = { k: [], u: [] };
  private sorted = true;

  add(entry: SymbolEntry): void {
    this.tables[entry.kernel ? 'k' : 'u'].push(entry);
    this.sorted = false;
  }

  entries(): SymbolEntry[] {
    this.sort();
    return [...this.tables.k, ...this.tables.u];
  }

  lookup(address: bigint, kernel: boolean): { name: string; offset: number } | undefined {
    this.sort();
    const table = this.tables[kernel ? 'k' : 'u'];
    let lo = 0;
    let hi = table.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const e = table[mid]!;
      if (address < e.address) hi = mid - 1;
      else if (address >= e.address + BigInt(Math.max(e.size, 1))) lo = mid + 1;
      else return { name: e.name, offset: Number(address - e.address) };
    }
    return undefined;
  }

  address(name: string, kernel: boolean): bigint | undefined {
    this.sort();
    return this.tables[kernel ? 'k' : 'u'].find((e) => e.name === name)?.address;
  }

  symbolize(address: bigint, kernel: boolean): string | undefined {
    const hit = this.lookup(address, kernel);
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
