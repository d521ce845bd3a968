// String comparison as bpftrace 0.17 does it: byte by byte over the first n bytes, stopping
// (equal) at a NUL both sides share. Comparing with a literal uses its bytes as immediates.

import type { Expression } from '../../grammar/ast';
import { JmpOp, Reg, Size } from '../isa/opcode';
import type { ProbeGen } from './probe-gen';
import { knownBytes, resized, type Value } from './value';

/** A string side: bytes on the stack, or literal bytes known at compile time. */
export type StringSide = { offset: number } | { bytes: Uint8Array };

export function literalBytes(node: Expression): Uint8Array | undefined {
  if (node.kind !== 'StringLiteral') return undefined;
  return latin1(node.value);
}

export function latin1(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  return bytes;
}

/** 1 when the first `n` bytes of a and b are equal up to a shared NUL, else 0. */
export function stringsEqual(g: ProbeGen, a: StringSide, b: StringSide, n: number): Value {
  if ('bytes' in a && 'bytes' in b) {
    for (let i = 0; i < n; i++) {
      const x = a.bytes[i] ?? 0;
      if (x !== (b.bytes[i] ?? 0)) return { kind: 'const', value: 0n };
      if (x === 0) break;
    }
    return { kind: 'const', value: 1n };
  }
  const [mem, other] = 'offset' in a ? [a, b] : [b as { offset: number }, a];
  const differ = g.e.newLabel();
  const same = g.e.newLabel();
  for (let i = 0; i < n; i++) {
    g.e.load(Size.B, Reg.R1, Reg.R10, mem.offset + i);
    if ('bytes' in other) {
      const byte = other.bytes[i] ?? 0;
      g.e.jump(JmpOp.JNE, Reg.R1, { imm: byte }, differ);
      if (byte === 0) break;
    } else {
      g.e.load(Size.B, Reg.R2, Reg.R10, other.offset + i);
      g.e.jump(JmpOp.JNE, Reg.R1, { reg: Reg.R2 }, differ);
      if (i < n - 1) g.e.jump(JmpOp.JEQ, Reg.R1, { imm: 0 }, same);
    }
  }
  g.e.bind(same);
  return g.truthValue(g.regs.alloc(), true, differ);
}

/** Literal bytes zero-padded to `size` in a fresh stack block. */
export function stringConstant(bytes: Uint8Array, size: number): Value {
  return knownBytes(resized(bytes.subarray(0, Math.max(0, size - 1)), size));
}

export function stringSide(node: Expression, gen: (e: Expression) => Value): StringSide {
  const bytes = literalBytes(node);
  if (bytes) return { bytes };
  const value = gen(node);
  if (value.kind === 'bytes') return { bytes: value.bytes };
  if (value.kind !== 'mem') throw new Error('internal: string value not in memory');
  return { offset: value.offset };
}
