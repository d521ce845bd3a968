// JSON text as bpftrace 0.17 writes it: `{"type": T, "data": D}` with `", "` / `": "`
// separators for objects and no spaces inside value arrays (tuples).

/**
 * bpftrace's escaper: `"` `\` and \n \t \r escaped, other bytes below 0x20 as \u00XX. It
 * tests a signed `char`, so bytes 0x80-0xff count as "below 0x20" too and their sign-extended
 * int is printed: byte 0xc3 becomes `\uffffffc3`.
 */
export function jsonString(byteString: string): string {
  let out = '"';
  for (const ch of byteString) {
    const code = ch.charCodeAt(0);
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else if (code >= 0x80) out += `\\u${((0xffffff00 | code) >>> 0).toString(16)}`;
    else out += ch;
  }
  return out + '"';
}

export function jsonEvent(type: string, data: string): string {
  return `{"type": ${jsonString(type)}, "data": ${data}}\n`;
}

/** An object from already-rendered member values, in the given order. */
export function jsonObject(members: [string, string][]): string {
  return `{${members.map(([k, v]) => `${jsonString(k)}: ${v}`).join(', ')}}`;
}
