// Little-endian byte buffers: a growable writer for building sections, and a bounds-checked
// reader whose every out-of-range access becomes a described failure instead of a RangeError.

export class ByteWriter {
  private buffer = new Uint8Array(256);
  private view = new DataView(this.buffer.buffer);
  length = 0;

  private reserve(extra: number): number {
    const at = this.length;
    const needed = at + extra;
    if (needed > this.buffer.length) {
      let size = this.buffer.length * 2;
      while (size < needed) size *= 2;
      const grown = new Uint8Array(size);
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
      this.view = new DataView(grown.buffer);
    }
    this.length = needed;
    return at;
  }

  u8(value: number): this {
    const at = this.reserve(1);
    this.view.setUint8(at, value);
    return this;
  }
  u16(value: number): this {
    const at = this.reserve(2);
    this.view.setUint16(at, value, true);
    return this;
  }
  u32(value: number): this {
    const at = this.reserve(4);
    this.view.setUint32(at, value >>> 0, true);
    return this;
  }
  u64(value: number | bigint): this {
    const at = this.reserve(8);
    this.view.setBigUint64(at, BigInt(value), true);
    return this;
  }
  bytes(data: Uint8Array): this {
    const at = this.reserve(data.length);
    this.buffer.set(data, at);
    return this;
  }
  zeros(count: number): this {
    this.reserve(count);
    return this;
  }
  /** Pads with zeros up to a multiple of `alignment`. */
  align(alignment: number): this {
    const rest = this.length % alignment;
    if (rest !== 0) this.zeros(alignment - rest);
    return this;
  }
  /** Overwrites a u32 written earlier. */
  patchU32(at: number, value: number): void {
    this.view.setUint32(at, value >>> 0, true);
  }
  /** Overwrites a u64 written earlier. */
  patchU64(at: number, value: number | bigint): void {
    this.view.setBigUint64(at, BigInt(value), true);
  }
  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

/** Thrown by ByteReader when a read leaves its bytes; readers turn it into their own error. */
export class OutOfBounds extends Error {}

export class ByteReader {
  private readonly view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    /** What these bytes are, for messages ("the file", "section .symtab"). */
    readonly what: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.bytes.length;
  }

  private check(at: number, size: number): void {
    if (!Number.isSafeInteger(at) || at < 0 || at + size > this.bytes.length)
      throw new OutOfBounds(
        `${size}-byte read at offset ${at} of ${this.what} is outside its ${this.bytes.length} bytes`,
      );
  }

  u8(at: number): number {
    this.check(at, 1);
    return this.view.getUint8(at);
  }
  u16(at: number): number {
    this.check(at, 2);
    return this.view.getUint16(at, true);
  }
  u32(at: number): number {
    this.check(at, 4);
    return this.view.getUint32(at, true);
  }
  i32(at: number): number {
    this.check(at, 4);
    return this.view.getInt32(at, true);
  }
  /** A u64 that must fit a JS number safely (file offsets and sizes). */
  u64(at: number): number {
    this.check(at, 8);
    const value = this.view.getBigUint64(at, true);
    if (value > BigInt(Number.MAX_SAFE_INTEGER))
      throw new OutOfBounds(`value ${value} at offset ${at} of ${this.what} is too large`);
    return Number(value);
  }
  /** A sub-range as a new reader. */
  slice(at: number, size: number, what: string): ByteReader {
    this.check(at, size);
    return new ByteReader(this.bytes.subarray(at, at + size), what);
  }
  /** The NUL-terminated string starting at `at`. */
  cString(at: number): string {
    this.check(at, 1);
    const end = this.bytes.indexOf(0, at);
    if (end < 0) throw new OutOfBounds(`string at offset ${at} of ${this.what} is not terminated`);
    return new TextDecoder('utf-8', { fatal: false }).decode(this.bytes.subarray(at, end));
  }
}
