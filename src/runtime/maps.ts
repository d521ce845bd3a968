// Emulated BPF maps with the kernel's semantics for the map types bpfscope uses: update flags
// and their errors, max_entries, per-CPU values, LRU eviction, perf/ring buffer output and
// stack trace storage. Map ids are MapDef.id (compiler/program.ts).

import { BpfMapType, type MapDef } from '../../compiler/program';
import { Exposed } from './memory';

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

/** FNV-1a over `size` bytes of `bytes` from `offset`. */
function hashBytes(bytes: Uint8Array, offset: number, size: number): number {
  let h = 0x811c9dc5;
  for (let i = offset, end = offset + size; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h;
}

function sameBytes(key: Uint8Array, bytes: Uint8Array, offset: number): boolean {
  for (let i = 0; i < key.length; i++) if (key[i] !== bytes[offset + i]) return false;
  return true;
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
  /**
   * The value for the key at `bytes[offset..offset+keySize)`, exposed to programs without
   * allocating (helpers' hot path). Maps whose values are not stored build one each time.
   */
  lookupAt(bytes: Uint8Array, offset: number, cpu: number): Exposed | undefined {
    const value = this.lookup(bytes.subarray(offset, offset + this.def.keySize), cpu);
    return value && new Exposed(value);
  }
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

/** A hash map entry: its values (one per CPU for per-CPU maps) and their exposed forms. */
interface HashEntry extends MapEntry {
  hash: number;
  exposed: Exposed[];
  /** The next entry whose key has the same hash. */
  next: HashEntry | undefined;
}

/**
 * Hash maps, hashed by the key bytes themselves (no per-lookup allocation). `order` keeps
 * insertion order (and recency for LRU maps), as the kernel's iteration does not matter
 * but printing and eviction need one.
 */
class HashMap extends EmulatedMap {
  private readonly buckets = new Map<number, HashEntry>();
  private readonly order = new Set<HashEntry>();
  constructor(
    def: MapDef,
    protected ncpus: number,
    private readonly lru: boolean,
  ) {
    super(def);
  }

  private find(bytes: Uint8Array, offset: number, hash: number): HashEntry | undefined {
    for (let e = this.buckets.get(hash); e; e = e.next)
      if (sameBytes(e.key, bytes, offset)) return e;
    return undefined;
  }

  private touch(e: HashEntry): void {
    if (!this.lru) return;
    this.order.delete(e);
    this.order.add(e);
  }

  private keySize(key: Uint8Array): number {
    return Math.min(key.length, this.def.keySize);
  }

  lookup(key: Uint8Array, cpu: number): Uint8Array | undefined {
    return this.lookupAt(key, 0, cpu)?.bytes;
  }

  override lookupAt(bytes: Uint8Array, offset: number, cpu: number): Exposed | undefined {
    const size = this.def.keySize;
    const e = this.find(bytes, offset, hashBytes(bytes, offset, size));
    if (!e) return undefined;
    this.touch(e);
    return e.exposed[this.perCpu ? cpu : 0];
  }

  update(key: Uint8Array, value: Uint8Array, flags: bigint, cpu: number): number {
    const bad = checkFlags(flags);
    if (bad) return bad;
    return this.updateAt(key, 0, value, 0, Number(flags), cpu);
  }

  /** update() with the key and value at offsets and flags already known to be ≤ BPF_EXIST. */
  updateAt(
    keyBytes: Uint8Array,
    keyOffset: number,
    valueBytes: Uint8Array,
    valueOffset: number,
    flags: number,
    cpu: number,
  ): number {
    const keySize = Math.min(this.def.keySize, keyBytes.length - keyOffset);
    const hash = hashBytes(keyBytes, keyOffset, keySize);
    const e = this.find(keyBytes, keyOffset, hash);
    const valueSize = Math.min(this.def.valueSize, valueBytes.length - valueOffset);
    if (e) {
      if (flags === Number(BPF_NOEXIST)) return -EEXIST;
      const value = e.values[this.perCpu ? cpu : 0]!;
      for (let i = 0; i < valueSize; i++) value[i] = valueBytes[valueOffset + i]!;
      this.touch(e);
      return 0;
    }
    if (flags === Number(BPF_EXIST)) return -ENOENT;
    if (this.order.size >= this.def.maxEntries) {
      if (!this.lru) return -E2BIG;
      const oldest = this.order.values().next();
      if (!oldest.done) this.remove(oldest.value);
    }
    const count = this.perCpu ? this.ncpus : 1;
    const values: Uint8Array[] = [];
    for (let c = 0; c < count; c++) values.push(new Uint8Array(this.def.valueSize));
    values[this.perCpu ? cpu : 0]!.set(valueBytes.subarray(valueOffset, valueOffset + valueSize));
    const entry: HashEntry = {
      key: keyBytes.slice(keyOffset, keyOffset + keySize),
      values,
      exposed: values.map((v) => new Exposed(v)),
      hash,
      next: this.buckets.get(hash),
    };
    this.buckets.set(hash, entry);
    this.order.add(entry);
    return 0;
  }

  private remove(e: HashEntry): void {
    this.order.delete(e);
    let head = this.buckets.get(e.hash);
    if (head === e) {
      if (e.next) this.buckets.set(e.hash, e.next);
      else this.buckets.delete(e.hash);
      return;
    }
    for (; head; head = head.next)
      if (head.next === e) {
        head.next = e.next;
        return;
      }
  }

  delete(key: Uint8Array): number {
    const size = this.keySize(key);
    const e = this.find(key, 0, hashBytes(key, 0, size));
    if (!e) return -ENOENT;
    this.remove(e);
    return 0;
  }

  entries(): MapEntry[] {
    return [...this.order];
  }

  clear(): void {
    this.buckets.clear();
    this.order.clear();
  }

  growCpus(ncpus: number): void {
    if (!this.perCpu || ncpus <= this.ncpus) return;
    for (const e of this.order)
      while (e.values.length < ncpus) {
        const value = new Uint8Array(this.def.valueSize);
        e.values.push(value);
        e.exposed.push(new Exposed(value));
      }
    this.ncpus = ncpus;
  }
}

class ArrayMap extends EmulatedMap {
  /** values[index][cpu], and their exposed forms */
  private readonly values: Uint8Array[][] = [];
  private readonly exposed: Exposed[][] = [];
  constructor(def: MapDef, ncpus: number) {
    super(def);
    const count = this.perCpu ? ncpus : 1;
    for (let i = 0; i < def.maxEntries; i++) {
      const row: Uint8Array[] = [];
      for (let c = 0; c < count; c++) row.push(new Uint8Array(def.valueSize));
      this.values.push(row);
      this.exposed.push(row.map((v) => new Exposed(v)));
    }
  }

  private index(key: Uint8Array, offset = 0): number | undefined {
    if (key.length < offset + 4) return undefined;
    const i =
      (key[offset]! |
        (key[offset + 1]! << 8) |
        (key[offset + 2]! << 16) |
        (key[offset + 3]! << 24)) >>>
      0;
    return i < this.def.maxEntries ? i : undefined;
  }

  lookup(key: Uint8Array, cpu: number): Uint8Array | undefined {
    const i = this.index(key);
    return i === undefined ? undefined : this.values[i]![this.perCpu ? cpu : 0];
  }

  override lookupAt(bytes: Uint8Array, offset: number, cpu: number): Exposed | undefined {
    const i = this.index(bytes, offset);
    return i === undefined ? undefined : this.exposed[i]![this.perCpu ? cpu : 0];
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
    this.values.forEach((row, i) => {
      while (row.length < ncpus) {
        const value = new Uint8Array(this.def.valueSize);
        row.push(value);
        this.exposed[i]!.push(new Exposed(value));
      }
    });
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
  /** Appends a copy of `bytes[offset..offset+size)`. */
  outputAt(bytes: Uint8Array, offset: number, size: number): void {
    this.sink.push(bytes.slice(offset, offset + size));
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
