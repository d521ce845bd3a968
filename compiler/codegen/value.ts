// What an expression evaluates to during code generation.

import type { Temp } from './regs';

export type Value =
  /** An integer known at compile time, already in canonical 64-bit form for its type. */
  | { kind: 'const'; value: bigint }
  /** An integer in a temporary owned by the consumer (which must release it). */
  | { kind: 'temp'; temp: Temp }
  /** Bytes laid out by the expression's type, at r10+offset (a scratch variable or a block
   *  of the current statement's temporaries); read-only for the consumer. */
  | { kind: 'mem'; offset: number }
  /** Bytes known at compile time (a string literal, a variable holding one), exactly the
   *  expression type's size; written straight into wherever the value goes. */
  | { kind: 'bytes'; bytes: Uint8Array };

export const constant = (value: bigint): Value => ({
  kind: 'const',
  value: BigInt.asIntN(64, value),
});
export const inTemp = (temp: Temp): Value => ({ kind: 'temp', temp });
export const inMemory = (offset: number): Value => ({ kind: 'mem', offset });
export const knownBytes = (bytes: Uint8Array): Value => ({ kind: 'bytes', bytes });

/** `bytes` cut or zero-padded to `size`. */
export function resized(bytes: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  out.set(bytes.subarray(0, size));
  return out;
}
