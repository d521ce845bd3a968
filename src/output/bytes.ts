// Byte-level helpers. Output text is handled as "byte strings": JS strings whose every char
// code is one output byte (0-255), so NUL bytes and non-UTF-8 data pass through unchanged.

export function readInt(bytes: Uint8Array, offset: number, size: number, signed: boolean): bigint {
  let value = 0n;
  for (let i = size - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[offset + i] ?? 0);
  return signed ? BigInt.asIntN(size * 8, value) : value;
}

export function readU64(bytes: Uint8Array, offset: number): bigint {
  return readInt(bytes, offset, 8, false);
}

export function readI64(bytes: Uint8Array, offset: number): bigint {
  return readInt(bytes, offset, 8, true);
}

/** Bytes `[offset, offset+size)` up to (not including) the first NUL, as a byte string. */
export function cString(bytes: Uint8Array, offset: number, size: number): string {
  let text = '';
  const end = Math.min(bytes.length, offset + size);
  for (let i = offset; i < end && bytes[i] !== 0; i++) text += String.fromCharCode(bytes[i]);
  return text;
}

export function bytesToByteString(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return text;
}

/**
 * A JS string from the Program (format strings, separators) as a byte string: chars up to
 * 0xFF are taken as bytes (the grammar decodes `\xNN` escapes to such chars), anything above
 * is UTF-8 encoded.
 */
export function toByteString(text: string): string {
  // eslint-disable-next-line no-control-regex
  if (/^[\u0000-\u00ff]*$/.test(text)) return text;
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code <= 0xff) out += ch;
    else out += bytesToByteString(new TextEncoder().encode(ch));
  }
  return out;
}

export function byteStringToBytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  return bytes;
}

/** memcmp order of two byte arrays (shorter first when one is a prefix of the other). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

export function compareBigint(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
