// A string table as ELF (.strtab) and BTF both use: NUL-terminated strings, the empty string
// at offset 0, each distinct string stored once, offsets handed out in insertion order.

export class StringTable {
  private readonly offsets = new Map<string, number>();
  private readonly parts: Uint8Array[] = [];
  private size = 0;
  private readonly encoder = new TextEncoder();

  constructor() {
    this.add('');
  }

  add(text: string): number {
    const known = this.offsets.get(text);
    if (known !== undefined) return known;
    const offset = this.size;
    // An embedded NUL would end the string early; the table cannot hold one.
    const encoded = this.encoder.encode(text.replace(/\0/g, '?'));
    const bytes = new Uint8Array(encoded.length + 1);
    bytes.set(encoded);
    this.parts.push(bytes);
    this.offsets.set(text, offset);
    this.size += bytes.length;
    return offset;
  }

  get length(): number {
    return this.size;
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const part of this.parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }
}
