// The probe's stack frame: a downward bump allocator below r10. Scratch variables are
// allocated once at entry; temporaries are released by resetting to a mark after each
// statement. Every block is 8-byte aligned and rounded up to 8 bytes, so it can be zeroed
// with doubleword stores.

export const MAX_STACK = 512;

export class StackOverflowError extends Error {}

export class Frame {
  private top = 0;
  /** Deepest extent reached, in bytes. */
  high = 0;

  /** Returns the (negative) r10-relative offset of a fresh block of `size` bytes. */
  alloc(size: number): number {
    this.top += Math.max(8, Math.ceil(size / 8) * 8);
    if (this.top > MAX_STACK) throw new StackOverflowError('BPF stack limit of 512 bytes exceeded');
    this.high = Math.max(this.high, this.top);
    return -this.top;
  }

  mark(): number {
    return this.top;
  }

  release(mark: number): void {
    this.top = mark;
  }
}

/** Rounded size of a block as Frame.alloc lays it out. */
export function blockSize(size: number): number {
  return Math.max(8, Math.ceil(size / 8) * 8);
}
