// The VM's address space. Every memory area a program can address directly (its stack, the
// event context, map values, test memory) is a region; region i lives at address
// (REGION_HI_BASE + i) << 32, so a pointer's high 32 bits name the region and its low 32
// bits are the offset in it. Pointer arithmetic that leaves a region changes the high half
// and then faults. Event memory (MemoryRegion) keeps its own addresses and is only reached
// through the probe_read helpers, as in the kernel.

import type { MemoryRegion } from '../../probes/event';

export const REGION_HI_BASE = 0xffffa000;
export const STACK_REGION = 0;
export const CTX_REGION = 1;
/** First region handed out during a run (map values, test memory). */
export const FIRST_DYNAMIC_REGION = 2;

/** Stack bytes of one call frame (the kernel's MAX_BPF_STACK). */
export const FRAME_SIZE = 512;
/** Call frames: the main program plus nested bpf-to-bpf calls (kernel MAX_CALL_FRAMES). */
export const MAX_FRAMES = 8;
export const STACK_SIZE = FRAME_SIZE * MAX_FRAMES;

export function regionAddress(region: number, offset = 0): bigint {
  return (BigInt(REGION_HI_BASE + region) << 32n) + BigInt(offset);
}

/** Resolved memory: `bytes[offset .. offset+size)` is the addressed range. */
export interface Resolved {
  bytes: Uint8Array;
  offset: number;
}

let lastEpoch = 0;

/**
 * Memory that helpers hand to programs again and again (map values): its bytes, one view,
 * and the region it has in the current run, so that exposing it costs no allocation.
 */
export class Exposed {
  readonly view: DataView;
  /** Region in the run whose epoch is `epoch`. */
  region = -1;
  epoch = -1;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
}

/** The regions of one program run. Region bytes are views of their owners' storage. */
export class AddressSpace {
  readonly bytes: Uint8Array[] = [];
  readonly views: DataView[] = [];
  readonly writable: boolean[] = [];
  count = 0;
  /** Offset in its region of the last address `locate` found. */
  offset = 0;
  /** Names this run, unique across address spaces: an Exposed from another epoch has no
   *  region here. */
  private epoch = ++lastEpoch;
  private readonly index = new Map<Uint8Array, number>();

  /** Sets a fixed region (the stack, the context) whose bytes `addressOf` never looks up. */
  setFixed(i: number, bytes: Uint8Array, writable: boolean): void {
    if (this.bytes[i] === bytes) return;
    this.bytes[i] = bytes;
    this.views[i] = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.writable[i] = writable;
    if (i >= this.count) this.count = i + 1;
  }

  /** Sets region `i` (stack and ctx are fixed slots). */
  set(i: number, bytes: Uint8Array, writable: boolean): void {
    const old = this.bytes[i];
    if (old) this.index.delete(old);
    this.bytes[i] = bytes;
    this.views[i] = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.writable[i] = writable;
    this.index.set(bytes, i);
    if (i >= this.count) this.count = i + 1;
  }

  /** The address of `bytes[offset]`, adding `bytes` as a region if it is not one yet. */
  addressOf(bytes: Uint8Array, writable: boolean, offset = 0): bigint {
    let i = this.index.get(bytes);
    if (i === undefined) {
      i = this.count;
      this.set(i, bytes, writable);
    }
    return regionAddress(i, offset);
  }

  /** The region of `x` in this run, added if it has none yet (its address is region << 32). */
  expose(x: Exposed, writable: boolean): number {
    if (x.epoch === this.epoch) return x.region;
    const i = this.count++;
    this.bytes[i] = x.bytes;
    this.views[i] = x.view;
    this.writable[i] = writable;
    x.region = i;
    x.epoch = this.epoch;
    return i;
  }

  /** Drops dynamic regions (called at the start of each run). Entries past `count` are
   *  unreachable and overwritten later, so the arrays keep their length. */
  reset(): void {
    if (this.count === FIRST_DYNAMIC_REGION) return;
    if (this.index.size > 0) this.index.clear();
    this.count = FIRST_DYNAMIC_REGION;
    this.epoch = ++lastEpoch;
  }

  /** The bytes at [address, address+size) if they lie inside one region. */
  resolve(address: bigint, size: number, write: boolean): Resolved | undefined {
    const hi = Number(BigInt.asUintN(64, address) >> 32n);
    const lo = Number(BigInt.asUintN(32, address));
    const i = hi - REGION_HI_BASE;
    if (i < 0 || i >= this.count) return undefined;
    const bytes = this.bytes[i]!;
    if (lo + size > bytes.length || (write && !this.writable[i])) return undefined;
    return { bytes, offset: lo };
  }

  /**
   * The region holding [hi:lo, hi:lo + size), or -1; its offset is left in `offset`. The
   * number form of `resolve`, for helpers on the hot path.
   */
  locate(lo: number, hi: number, size: number, write: boolean): number {
    const i = (hi >>> 0) - REGION_HI_BASE;
    if (i < 0 || i >= this.count) return -1;
    const at = lo >>> 0;
    if (at + size > this.bytes[i]!.length || (write && !this.writable[i])) return -1;
    this.offset = at;
    return i;
  }
}

/** Finds event memory holding [address, address+size), honouring the kernel/user split. */
export function resolveEventMemory(
  memory: readonly MemoryRegion[],
  address: bigint,
  size: number,
  space: 'kernel' | 'user' | 'any',
): Resolved | undefined {
  for (const region of memory) {
    if (space !== 'any' && region.kernel !== (space === 'kernel')) continue;
    const start = region.address;
    if (address >= start && address + BigInt(size) <= start + BigInt(region.bytes.length))
      return { bytes: region.bytes, offset: Number(address - start) };
  }
  return undefined;
}
