// One C `snprintf` conversion as glibc performs it on bpftrace's 64-bit argument: the
// integer conversions see only the bits their length modifier selects (none = int, 32 bits).

import type { FormatConversion as Conversion } from '../../stdlib/printf_format';

/** A printf argument as user space holds it after decoding the record. */
export type PrintfArg =
  | { kind: 'int'; value: bigint }
  | { kind: 'string'; text: string }
  | { kind: 'buffer'; bytes: Uint8Array };

const LENGTH_BITS: Record<Conversion['length'], number> = {
  '': 32,
  hh: 8,
  h: 16,
  l: 64,
  ll: 64,
  j: 64,
  z: 64,
  t: 64,
};

export function formatConversion(spec: Conversion, arg: PrintfArg): string {
  switch (spec.specifier) {
    case 's':
      return pad(spec, truncate(argText(arg), spec.precision));
    case 'c':
      return pad(spec, String.fromCharCode(Number(argInt(arg) & 0xffn)));
    case 'r':
    case 'rx':
    case 'rh':
      // bpftrace rewrites only a bare %r/%rx/%rh; with flags glibc sees an unknown
      // conversion and copies it.
      if (spec.leftAlign || spec.width !== null || spec.precision !== null) return spec.text;
      return formatBuffer(spec.specifier, argBytes(arg));
    case 'p':
      return formatPointer(spec, BigInt.asUintN(64, argInt(arg)));
    default:
      return formatInteger(spec, argInt(arg));
  }
}

function formatInteger(spec: Conversion, raw: bigint): string {
  const bits = LENGTH_BITS[spec.length];
  const value = spec.specifier === 'd' ? BigInt.asIntN(bits, raw) : BigInt.asUintN(bits, raw);
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  const base =
    spec.specifier === 'o' ? 8 : spec.specifier === 'x' || spec.specifier === 'X' ? 16 : 10;
  let digits = magnitude.toString(base);
  if (spec.specifier === 'X') digits = digits.toUpperCase();
  return padNumber(spec, negative ? '-' : '', digits);
}

function formatPointer(spec: Conversion, value: bigint): string {
  if (value === 0n) return pad(spec, '(nil)');
  return padNumber(spec, '0x', value.toString(16));
}

/** Precision = minimum digits (0 with value 0 gives no digits); `0` pads after the sign. */
function padNumber(spec: Conversion, prefix: string, digits: string): string {
  if (spec.precision !== null) {
    digits = spec.precision === 0 && digits === '0' ? '' : digits.padStart(spec.precision, '0');
  }
  const width = spec.width ?? 0;
  if (spec.zeroPad && !spec.leftAlign && spec.precision === null) {
    return prefix + digits.padStart(width - prefix.length, '0');
  }
  return pad(spec, prefix + digits);
}

function pad(spec: Conversion, text: string): string {
  const width = spec.width ?? 0;
  return spec.leftAlign ? text.padEnd(width, ' ') : text.padStart(width, ' ');
}

function truncate(text: string, precision: number | null): string {
  return precision === null ? text : text.slice(0, precision);
}

/** %r: printable ASCII as is, other bytes `\xNN`; %rx: every byte `\xNN`; %rh: `NN NN`. */
export function formatBuffer(conversion: 'r' | 'rx' | 'rh', bytes: Uint8Array): string {
  const hex = (b: number) => b.toString(16).padStart(2, '0');
  if (conversion === 'rh') return [...bytes].map(hex).join(' ');
  let out = '';
  for (const b of bytes) {
    out += conversion === 'r' && b >= 0x20 && b <= 0x7e ? String.fromCharCode(b) : `\\x${hex(b)}`;
  }
  return out;
}

function argInt(arg: PrintfArg): bigint {
  return arg.kind === 'int' ? arg.value : 0n;
}

function argText(arg: PrintfArg): string {
  if (arg.kind === 'string') return arg.text;
  if (arg.kind === 'buffer') return String.fromCharCode(...arg.bytes);
  return arg.value.toString();
}

function argBytes(arg: PrintfArg): Uint8Array {
  if (arg.kind === 'buffer') return arg.bytes;
  if (arg.kind === 'string') return Uint8Array.from(arg.text, (c) => c.charCodeAt(0));
  return new Uint8Array();
}
