// Decodes strace's notation for arguments and return values.

import { ERRNO_VALUES } from '../abi';
import type { SyscallArg } from '../syscall_events';
import { constantValue } from './constants';

/** Size of the zeroed memory a `{...}` structure argument points to. */
const STRUCT_BYTES = 144;

/** Splits `a, "b,c", {x, y}, [1, 2]` at top-level commas. */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      i = skipString(text, i);
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = text.slice(start).trim();
  if (last !== '' || parts.length > 0) parts.push(last);
  return parts;
}

/** Index of the closing quote of the string starting at `open`. */
export function skipString(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return text.length;
}

/** Index of the `)` that closes the argument list starting after `open` (the `(`), or -1. */
export function findCallEnd(text: string, open: number): number {
  let depth = 1;
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') i = skipString(text, i);
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return c === ')' ? i : -1;
    }
  }
  return -1;
}

/** Decodes a C string literal as strace prints it (`\n`, `\t`, `\x1b`, `\177`, …). */
export function decodeCString(body: string): Uint8Array {
  const out: number[] = [];
  const utf8 = new TextEncoder();
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      const code = c.codePointAt(0)!;
      if (code < 0x80) out.push(code);
      else {
        out.push(...utf8.encode(String.fromCodePoint(code)));
        if (code > 0xffff) i++;
      }
      continue;
    }
    const n = body[++i];
    const simple: Record<string, number> = {
      n: 10,
      t: 9,
      r: 13,
      v: 11,
      f: 12,
      a: 7,
      b: 8,
      '\\': 92,
      '"': 34,
      "'": 39,
      '?': 63,
      e: 27,
    };
    if (n === undefined) break;
    if (n in simple) out.push(simple[n]!);
    else if (n === 'x' && /^[0-9a-fA-F]/.test(body.slice(i + 1))) {
      const hex = /^[0-9a-fA-F]{1,2}/.exec(body.slice(i + 1))![0];
      out.push(parseInt(hex, 16));
      i += hex.length;
    } else if (/[0-7]/.test(n)) {
      const oct = /^[0-7]{1,3}/.exec(body.slice(i))![0];
      out.push(parseInt(oct, 8) & 0xff);
      i += oct.length - 1;
    } else out.push(n.charCodeAt(0));
  }
  return new Uint8Array(out);
}

export class ArgumentError extends Error {}

/** One argument: its name when strace printed `name=value`, and its value. */
export interface DecodedArg {
  name?: string;
  value: SyscallArg;
}

export function decodeArgument(raw: string): DecodedArg {
  let text = raw.replace(/\/\*.*?\*\//g, '').trim();
  const named = /^([a-z_][a-z0-9_]*)=(?![=])/i.exec(text);
  let name: string | undefined;
  if (named && !text.startsWith('"')) {
    name = named[1];
    text = text.slice(named[0].length).trim();
  }
  return { name, value: decodeValue(text) };
}

function decodeValue(text: string): SyscallArg {
  if (text.startsWith('"')) {
    const end = skipString(text, 0);
    const bytes = decodeCString(text.slice(1, end));
    const withNul = new Uint8Array(bytes.length + 1);
    withNul.set(bytes);
    return { bytes: withNul };
  }
  if (text.startsWith('[')) return decodeArray(text);
  if (text.startsWith('{')) return { bytes: new Uint8Array(STRUCT_BYTES) };
  if (text.startsWith('~[')) return { bytes: new Uint8Array(8) };
  if (text === '' || text === '...') return 0;
  return evaluate(text);
}

function decodeArray(text: string): SyscallArg {
  const inner = text.slice(1, text.lastIndexOf(']'));
  const items = splitTopLevel(inner).filter((s) => s !== '...' && s !== '');
  if (items.length > 0 && items.every((s) => s.startsWith('"'))) {
    return {
      strings: items.map((s) =>
        new TextDecoder().decode(decodeCString(s.slice(1, skipString(s, 0)))),
      ),
    };
  }
  if (items.length > 0 && items.every((s) => /^-?(0x[0-9a-f]+|\d+)(<[^>]*>)?$/i.test(s))) {
    const bytes = new Uint8Array(items.length * 4);
    const view = new DataView(bytes.buffer);
    items.forEach((s, i) => view.setInt32(i * 4, Number(evaluate(s)), true));
    return { bytes };
  }
  // Signal sets (`[CHLD]`), wait statuses and arrays of structures: zeroed memory.
  return { bytes: new Uint8Array(Math.max(8, items.length * 16)) };
}

/** Evaluates strace's integer notation: numbers, symbolic constants, `A|B`, `~X`, `a*b`,
 *  `1<<n`, `makedev(a, b)`, and `3</path>` (-y annotations). */
export function evaluate(text: string): bigint {
  const t = text.replace(/<[^<>]*>$/, '').trim();
  if (t.includes('|')) return splitOr(t).reduce((acc, part) => acc | evaluate(part), 0n);
  if (t.startsWith('~')) return ~evaluate(t.slice(1));
  const make = /^makedev\((.*),(.*)\)$/.exec(t);
  if (make) {
    const major = evaluate(make[1]!);
    const minor = evaluate(make[2]!);
    return ((major & 0xfffn) << 8n) | (minor & 0xffn) | ((minor & ~0xffn) << 12n);
  }
  const shift = /^(.+?)<<(.+)$/.exec(t);
  if (shift) return evaluate(shift[1]!) << evaluate(shift[2]!);
  const product = /^(.+?)\*(.+)$/.exec(t);
  if (product) return evaluate(product[1]!) * evaluate(product[2]!);
  const number = parseNumber(t);
  if (number !== undefined) return number;
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(t)) {
    // Constants we have no value for read as 0 rather than rejecting the whole log.
    return constantValue(t) ?? 0n;
  }
  throw new ArgumentError(`cannot read argument \`${text}\``);
}

function splitOr(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim());
}

export function parseNumber(text: string): bigint | undefined {
  const m = /^(-)?(0x[0-9a-fA-F]+|0[0-7]+|\d+)$/.exec(text);
  if (!m) return undefined;
  const digits = m[2]!;
  const value =
    digits.length > 1 && digits.startsWith('0') && !digits.startsWith('0x')
      ? BigInt(`0o${digits.slice(1)}`)
      : BigInt(digits);
  return m[1] ? -value : value;
}

export interface ReturnValue {
  /** undefined for `= ?` without an error: the call never returned (exit, execve of a
   *  vanished thread). */
  value?: bigint;
}

/** Reads `= 3`, `= -1 ENOENT (...)`, `= ? ERESTARTSYS (...)`, `= 0x7f00 <...>`. */
export function decodeReturn(text: string): ReturnValue | undefined {
  const m = /^=\s+(\?|0x[0-9a-fA-F]+|-?\d+)(?:<[^>]*>)?(?:\s+(E[A-Z0-9_]+)\b)?/.exec(text.trim());
  if (!m) return undefined;
  const errno = m[2] ? ERRNO_VALUES[m[2]] : undefined;
  if (m[1] === '?') return errno !== undefined ? { value: -BigInt(errno) } : {};
  const n = BigInt(m[1]!);
  if (n === -1n && errno !== undefined) return { value: -BigInt(errno) };
  return { value: n };
}
