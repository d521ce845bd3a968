// Builds the emulated memory an event's pointers point into (Event.memory).

import type { MemoryRegion } from './event';

export const USER_BASE = 0x7ffc_0000_0000n;
export const KERNEL_BASE = 0xffff_8881_0000_0000n;

const encoder = new TextEncoder();

/** Hands out addresses for one source (deterministic: a counter per space) and collects the
 *  regions of the event being built. */
export class MemoryBuilder {
  private nextUser = USER_BASE;
  private nextKernel = KERNEL_BASE;
  private regions: MemoryRegion[] = [];

  /** Places `bytes` and returns their address. Allocations are 16-byte aligned. */
  put(bytes: Uint8Array, kernel = false): bigint {
    const address = kernel ? this.nextKernel : this.nextUser;
    const step = BigInt((bytes.length + 16) & ~15);
    if (kernel) this.nextKernel += step;
    else this.nextUser += step;
    if (this.nextUser > USER_BASE + 0x1_0000_0000n) this.nextUser = USER_BASE;
    if (this.nextKernel > KERNEL_BASE + 0x1_0000_0000n) this.nextKernel = KERNEL_BASE;
    this.regions.push({ address, bytes, kernel });
    return address;
  }

  /** A NUL-terminated string. */
  putString(text: string, kernel = false): bigint {
    const utf8 = encoder.encode(text);
    const bytes = new Uint8Array(utf8.length + 1);
    bytes.set(utf8);
    return this.put(bytes, kernel);
  }

  /** A region at a fixed address (replayed raw memory). */
  putAt(address: bigint, bytes: Uint8Array, kernel: boolean): void {
    this.regions.push({ address, bytes, kernel });
  }

  /** The regions placed since the last take, for one event. */
  take(): MemoryRegion[] {
    const regions = this.regions;
    this.regions = [];
    return regions;
  }
}

/** Reads a NUL-terminated string at `address` from the regions, or undefined when unmapped. */
export function readString(
  memory: readonly MemoryRegion[],
  address: bigint,
  limit = 4096,
): string | undefined {
  for (const region of memory) {
    const start = region.address;
    const end = start + BigInt(region.bytes.length);
    if (address < start || address >= end) continue;
    const from = Number(address - start);
    let to = from;
    while (to < region.bytes.length && region.bytes[to] !== 0 && to - from < limit) to++;
    return new TextDecoder().decode(region.bytes.subarray(from, to));
  }
  return undefined;
}
