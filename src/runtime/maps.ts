// Emulated BPF maps with the kernel's semantics for the map types bpfscope uses: update flags
// and their errors, max_entries, per-CPU values, LRU eviction, perf/ring buffer output and
// stack trace storage. Map ids are MapDef.id (compiler/program.ts).

import { BpfMapType, type MapDef } from '../../compiler/program';

export const BPF_ANY = 0n;
export const BPF_NOEXIST = 1n;
export const BPF_EXIST = 2n;

export const ENOENT = 2;
export const E2BIG = 7;
export const EFAULT = 14;
export const EEXIST = 17;
export const EINVAL = 22;

export interface MapEntry {
  key: Uint8Array;
  /** One per CPU for per-CPU maps, else one. */
  values: Uint8Array[];
}

function keyString(key: Uint8Array): string {
  let s = '';
  for (let i = 0; i < key.length; i++) s += String.fromCharCode(key[i]!);
  return s;
}

/** A map the VM's helpers operate on. Values are stored in place; lookups return views. */
export abstract class EmulatedMap {
  constructor(readonly def: MapDef) {}
  get perCpu(): boolean {
    return (
      this.def.bpfType === BpfMapType.PercpuHash || this.def.bpfType === BpfMapType.PercpuArray
    );
  }
  abstract lookup(key: Uint8Array, cpu: number): Uint8Array | undefined;
  /** Returns 0 or a negative errno, as bpf_map_update_elem does. */
  abstract update(key: Uint8Array, value: Uint8Array, flags: bigint, cpu: number): number;
  abstract delete(key: Uint8Array): number;
  abstract entries(): MapEntry[];
  abstract clear(): void;
  /** Keeps keys, zeroes every value. */
  zero(): void {
    for (const e of this.entries()) for (const v of e.values) v.fill(0);
  }
  /** Makes room for CPU ids below `ncpus` in per-CPU values. */
  abstract growCpus(ncpus: number): void;
}

function checkFlags(flags: bigint): number {
  return flags > BPF_EXIST ? -EINVAL : 0;
}

class HashMap extends EmulatedMap {
  protected readonly table = new Map<string, MapEntry>();
  constructor(
    def: MapDef,
    protected ncpus: number,
    private readonly lru: boolean,
  ) {
    super(def);
  }

  private touch(k: string, e: MapEntry): void {
    if (!this.lru) return;
    this.table.delete(k);
    this.table.set(k, e);
  }

  lookup(key: Uint8Array, cpu: number): Uint8Array | undefined {
    const k = keyString(key);
    const e = this.table.get(k);
    if (!e) return undefined;
    this.touch(k, e);
    return e.values[this.perCpu ? cpu : 0];
  }

  update(key: Uint8Array, value: Uint8Array, flags: bigint, cpu: number): number {
    const bad = checkFlags(flags);
    if (bad) return bad;
    const k = keyString(key);
    const e = this.table.get(k);
    if (e) {
      if (flags === BPF_NOEXIST) return -EEXIST;
      e.values[this.perCpu ? cpu : 0]!.set(value.subarray(0, this.def.valueSize));
      this.touch(k, e);
      return 0;
    }
    if (flags === BPF_EXIST) return -ENOENT;
    if (this.table.size >= this.def.maxEntries) {
      if (!this.lru) return -E2BIG;
      const oldest = this.table.keys().next();
      if (!oldest.done) this.table.delete(oldest.value);
    }
    const count = this.perCpu ? this.ncpus : 1;
    const values: Uint8Array[] = [];
    for (let c = 0; c < count; c++) values.push(new Uint8Array(this.def.valueSize));
    values[this.perCpu ? cpu : 0]!.set(value.subarray(0, this.def.valueSize));
    this.table.set(k, { key: key.slice(0, this.def.keySize), values });
    return 0;
  }

  delete(key: Uint8Array): number {
    return this.table.delete(keyString(key)) ? 0 : -ENOENT;
  }

  entries(): MapEntry[] {
    return [...this.table.values()];
  }

  clear(): void {
    this.table.clear();
  }

  growCpus(ncpus: number): void {
    if (!this.perCpu || ncpus <= this.ncpus) return;
    for (const e of this.table.values())
      while (e.values.length < ncpus) e.values.push(new Uint8Array(this.def.valueSize));
    this.ncpus = ncpus;
  }
}

class ArrayMap extends EmulatedMap {
  /** values[index][cpu] */
  private readonly values: Uint8Array[][] = [];
  constructor(def: MapDef, ncpus: number) {
    super(def);
    const count = this.perCpu ? ncpus : 1;
    for (let i = 0; i < def.maxEntries; i++) {
      const row: Uint8Array[] = [];
      for (let c = 0; c < count; c++) row.push(new Uint8Array(def.valueSize));
      this.values.push(row);
    }
  }

  private index(key: Uint8Array): number | undefined {
    if (key.length < 4) return undefined;
    const i = new DataView(key.buffer, key.byteOffset, 4).getUint32(0, true);
    return i < this.def.maxEntries ? i : undefined;
  }

  lookup(key: Uint8Array, cpu: number): Uint8Array | undefined {
    const i = this.index(key);
    return i === undefined ? undefined : this.values[i]![this.perCpu ? cpu : 0];
  }

  update(key: Uint8Array, value: Uint8Array, flags: bigint, cpu: number): number {
    const bad = checkFlags(flags);
    if (bad) return bad;
    const i = this.index(key);
    if (i === undefined) return -E2BIG;
    if (flags === BPF_NOEXIST) return -EEXIST;
    this.values[i]![this.perCpu ? cpu : 0]!.set(value.subarray(0, this.def.valueSize));
    return 0;
  }

  delete(): number {
    return -EINVAL;
  }

  entries(): MapEntry[] {
    return this.values.map((values, i) => {
      const key = new Uint8Array(this.def.keySize);
      new DataView(key.buffer).setUint32(0, i, true);
      return { key, values };
    });
  }

  clear(): void {
    this.zero();
  }

  growCpus(ncpus: number): void {
    if (!this.perCpu) return;
    for (const row of this.values)
      while (row.length < ncpus) row.push(new Uint8Array(this.def.valueSize));
  }
}

/** Perf event arrays and ring buffers: programs append records; user space takes them. */
class OutputMap extends EmulatedMap {
  constructor(
    def: MapDef,
    private readonly sink: Uint8Array[],
  ) {
    super(def);
  }
  output(data: Uint8Array): void {
    this.sink.push(data.slice());
  }
  lookup(): undefined {
    return undefined;
  }
  update(): number {
    return -EINVAL;
  }
  delete(): number {
    return -EINVAL;
  }
  entries(): MapEntry[] {
    return [];
  }
  clear(): void {}
  growCpus(): void {}
}

/** BPF_MAP_TYPE_STACK_TRACE: id → return addresses, as bpf_get_stackid stores them. */
class StackTraceMap extends EmulatedMap {
  private readonly stacks: bigint[][] = [];
  private readonly ids = new Map<string, number>();
  /** Stores a stack; returns its id or a negative errno when the map is full. */
  store(stack: readonly bigint[]): number {
    const depth = Math.floor(this.def.valueSize / 8);
    const kept = stack.slice(0, depth);
    const k = kept.join(',');
    const known = this.ids.get(k);
    if (known !== undefined) return known;
    if (this.stacks.length >= this.def.maxEntries) return -EEXIST;
    const id = this.stacks.length;
    this.stacks.push(kept);
    this.ids.set(k, id);
    return id;
  }
  stack(id: number): bigint[] {
    return this.stacks[id]?.slice() ?? [];
  }
  lookup(key: Uint8Array): Uint8Array | undefined {
    if (key.length < 4) return undefined;
    const id = new DataView(key.buffer, key.byteOffset, 4).getUint32(0, true);
    const stack = this.stacks[id];
    if (!stack) return undefined;
    const value = new Uint8Array(this.def.valueSize);
    const view = new DataView(value.buffer);
    stack.forEach((a, i) => view.setBigUint64(i * 8, a, true));
    return value;
  }
  update(): number {
    return -EINVAL;
  }
  delete(): number {
    return -EINVAL;
  }
  entries(): MapEntry[] {
    return this.stacks.map((_, id) => {
      const key = new Uint8Array(4);
      new DataView(key.buffer).setUint32(0, id, true);
      return { key, values: [this.lookup(key)!] };
    });
  }
  clear(): void {
    this.stacks.length = 0;
    this.ids.clear();
  }
  growCpus(): void {}
}

/** All maps of a program, by id, and the records they collected. */
export class MapSet {
  readonly maps: EmulatedMap[] = [];
  /** Records appended by perf_event_output / ringbuf_output, in emission order. */
  readonly records: Uint8Array[] = [];
  private ncpus: number;

  constructor(defs: readonly MapDef[], ncpus: number) {
    this.ncpus = ncpus;
    for (const def of defs) this.maps[def.id] = this.create(def);
  }

  private create(def: MapDef): EmulatedMap {
    switch (def.bpfType) {
      case BpfMapType.Hash:
      case BpfMapType.PercpuHash:
        return new HashMap(def, this.ncpus, false);
      case BpfMapType.LruHash:
        return new HashMap(def, this.ncpus, true);
      case BpfMapType.Array:
      case BpfMapType.PercpuArray:
        return new ArrayMap(def, this.ncpus);
      case BpfMapType.PerfEventArray:
      case BpfMapType.Ringbuf:
        return new OutputMap(def, this.records);
      case BpfMapType.StackTrace:
        return new StackTraceMap(def);
    }
    throw new Error(`map ${def.name}: unsupported map type ${def.bpfType as number}`);
  }

  get(id: number): EmulatedMap | undefined {
    return this.maps[id];
  }

  /** Ensures per-CPU maps have a value slot for `cpu`. */
  ensureCpu(cpu: number): void {
    if (cpu < this.ncpus) return;
    this.ncpus = cpu + 1;
    for (const m of this.maps) m?.growCpus(this.ncpus);
  }

  get cpuCount(): number {
    return this.ncpus;
  }
}

export { HashMap, ArrayMap, OutputMap, StackTraceMap };
