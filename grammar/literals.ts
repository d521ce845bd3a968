// Integer and string literal scanning with bpftrace 0.17's rules and error messages.

const TWO_64 = 1n << 64n;
const TWO_63 = 1n << 63n;

export type LiteralResult<T> =
  { ok: true; value: T; end: number } | { ok: false; message: string; end: number };

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isHexDigit = (c: string | undefined) => c !== undefined && /^[0-9a-fA-F]$/.test(c);
const isOctalDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '7';

/** Reinterpret an unsigned 64-bit value as int64, as 0.17 stores every literal. */
export function wrapInt64(value: bigint): bigint {
  const v = BigInt.asUintN(64, value);
  return v >= TWO_63 ? v - TWO_64 : v;
}

/** `[0-9]([0-9_]*[0-9])?` starting at `start`; returns the end offset. */
function digitRun(src: string, start: number): number {
  let end = start + 1;
  let lastDigit = end;
  while (isDigit(src[end]) || src[end] === '_') {
    end++;
    if (isDigit(src[end - 1])) lastDigit = end;
  }
  return lastDigit;
}

/**
 * Scan an integer literal at `start` (which holds a digit): hex `0x…` (no separators, no
 * suffix), or decimal/octal digits with `_` separators, an optional exponent `eN`, and an
 * optional ignored suffix `u`/`l`/`ul`/`ll`/`ull` (any case).
 */
export function scanInteger(src: string, start: number): LiteralResult<bigint> {
  if (
    src[start] === '0' &&
    (src[start + 1] === 'x' || src[start + 1] === 'X') &&
    isHexDigit(src[start + 2])
  ) {
    let end = start + 2;
    while (isHexDigit(src[end])) end++;
    return checkRange(BigInt('0x' + src.slice(start + 2, end)), end);
  }
  const mantissaEnd = digitRun(src, start);
  let end = mantissaEnd;
  let exponentText: string | null = null;
  if ((src[end] === 'e' || src[end] === 'E') && isDigit(src[end + 1])) {
    const expEnd = digitRun(src, end + 1);
    exponentText = src.slice(end + 1, expEnd).replace(/_/g, '');
    end = expEnd;
  }
  if (src[end] === 'u' || src[end] === 'U') end++;
  if (src[end] === 'l' || src[end] === 'L') {
    end++;
    if (src[end] === 'l' || src[end] === 'L') end++;
  }
  const digits = src.slice(start, mantissaEnd);
  const mantissa = digits.includes('_') ? digits.replace(/_/g, '') : digits;
  if (exponentText !== null) {
    const coefficient = BigInt(mantissa);
    if (coefficient > 9n) {
      return {
        ok: false,
        message: `Coefficient part of scientific literal must be in range (0,9), got: ${coefficient}`,
        end,
      };
    }
    const exponent = BigInt(exponentText);
    if (exponent > 16n)
      return { ok: false, message: `Exponent will overflow integer range: ${exponent}`, end };
    return { ok: true, value: coefficient * 10n ** exponent, end };
  }
  // strtoull with base 0: a leading 0 means octal, and a non-octal digit stops the parse.
  if (mantissa.length > 1 && mantissa[0] === '0') {
    if (![...mantissa].every(isOctalDigit)) {
      return { ok: false, message: 'Found trailing non-numeric characters', end };
    }
    return checkRange(BigInt('0o' + mantissa.slice(1)), end);
  }
  return checkRange(BigInt(mantissa), end);
}

function checkRange(value: bigint, end: number): LiteralResult<bigint> {
  if (value >= TWO_64) return { ok: false, message: 'stoull', end };
  return { ok: true, value: wrapInt64(value), end };
}

export interface StringScan {
  /** Decoded bytes, one char per byte (latin1). */
  value: string;
  /** Offset just past the closing quote (or where scanning stopped). */
  end: number;
  terminated: boolean;
  /** Escape errors with the offset just past the offending escape. */
  errors: { message: string; end: number }[];
}

const simpleEscapes: Partial<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '"': '"',
  '\\': '\\',
};

/** Scan a string literal whose opening `"` is at `start`. A newline ends it unterminated. */
export function scanString(src: string, start: number): StringScan {
  const errors: StringScan['errors'] = [];
  const plainEnd = plainStringEnd(src, start + 1);
  if (src[plainEnd] === '"') {
    return { value: src.slice(start + 1, plainEnd), end: plainEnd + 1, terminated: true, errors };
  }
  let value = src.slice(start + 1, plainEnd);
  let i = plainEnd;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '"') return { value, end: i + 1, terminated: true, errors };
    if (c === '\n') break;
    if (c !== '\\') {
      value += utf8Bytes(src, i);
      i += c.length === 1 && isHighSurrogate(src.charCodeAt(i)) ? 2 : 1;
      continue;
    }
    const e = src[i + 1];
    if (e === undefined || e === '\n') {
      i++;
      break;
    }
    const simple = simpleEscapes[e];
    if (simple !== undefined) {
      value += simple;
      i += 2;
    } else if (isOctalDigit(e)) {
      let j = i + 1;
      while (j < i + 4 && isOctalDigit(src[j])) j++;
      const code = parseInt(src.slice(i + 1, j), 8);
      if (code > 255)
        errors.push({ message: `octal escape sequence out of range '${src.slice(i, j)}'`, end: j });
      else value += String.fromCharCode(code);
      i = j;
    } else if (e === 'x' && isHexDigit(src[i + 2])) {
      let j = i + 2;
      while (j < i + 4 && isHexDigit(src[j])) j++;
      value += String.fromCharCode(parseInt(src.slice(i + 2, j), 16));
      i = j;
    } else {
      errors.push({ message: `invalid escape character '\\${e}'`, end: i + 2 });
      i += 2;
    }
  }
  return { value, end: i, terminated: false, errors };
}

/** Where the run of ASCII text without escapes, quotes or newlines starting at `i` ends:
 *  such text is its own value. */
function plainStringEnd(src: string, i: number): number {
  for (; i < src.length; i++) {
    const code = src.charCodeAt(i);
    if (code >= 0x80 || code === 0x22 || code === 0x5c || code === 0x0a) return i;
  }
  return i;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

const utf8 = new TextEncoder();

/** The UTF-8 bytes of the code point at `i`, as latin1 chars. */
function utf8Bytes(src: string, i: number): string {
  const cp = src.codePointAt(i)!;
  if (cp < 0x80) return String.fromCharCode(cp);
  return Array.from(utf8.encode(String.fromCodePoint(cp)), (b) => String.fromCharCode(b)).join('');
}

/** Encode a latin1 byte string as a bpftrace string literal (inverse of scanString). */
export function quoteString(value: string): string {
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    const c = value[i]!;
    if (c === '"') out += '\\"';
    else if (c === '\\') out += '\\\\';
    else if (c === '\n') out += '\\n';
    else if (c === '\t') out += '\\t';
    else if (c === '\r') out += '\\r';
    else if (code < 0x20 || code >= 0x7f) out += '\\' + code.toString(8).padStart(3, '0');
    else out += c;
  }
  return out + '"';
}
