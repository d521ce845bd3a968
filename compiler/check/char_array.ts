import type { Type } from '../types';

/**
 * bpftrace reads a C array of plain `char` (in a script struct or a tracepoint's format) as a
 * string of the array's size: `char comm[16]` prints with `%s` and as a map key like `comm`.
 * Arrays of `unsigned char`, `u8` and other one-byte types stay arrays.
 */
export function charArrayType(length: number): Type {
  return { kind: 'string', size: length };
}

/** True for a C base type spelled as plain `char` (qualifiers aside). */
export function isPlainChar(cType: string): boolean {
  return cType.replace(/\b(const|volatile)\b/g, '').trim() === 'char';
}

/** The declaration `char comm[16]` of a tracepoint field: the base type before the name. */
export function declaresPlainCharArray(declaration: string): boolean {
  const m = /^(.*?)\b[A-Za-z_]\w*\s*\[\s*\d+\s*\]\s*$/.exec(declaration.trim());
  return m !== null && !m[1].includes('__data_loc') && isPlainChar(m[1]);
}
