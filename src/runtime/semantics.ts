// Reference semantics of ALU and jump operations on 64-bit BigInts (RFC 9669 §4). The verifier
// folds constants with these; tests check the fast interpreter against them.

import { AluOp, JmpOp } from '../../compiler/isa/opcode';

const M64 = (1n << 64n) - 1n;
const M32 = 0xffffffffn;

function bswap(v: bigint, bytes: number): bigint {
  let r = 0n;
  for (let i = 0; i < bytes; i++) r = (r << 8n) | ((v >> BigInt(8 * i)) & 0xffn);
  return r;
}

/**
 * dst op src for an ALU instruction. `is64` selects ALU64; `offset` carries the signed-division
 * flag or the movsx width; `imm` the END width; `toBig` the END direction (source bit).
 */
export function evalAlu(
  is64: boolean,
  op: AluOp,
  dst: bigint,
  src: bigint,
  offset: number,
  imm: number,
  sourceX: boolean,
): bigint {
  const bits = is64 ? 64 : 32;
  const mask = is64 ? M64 : M32;
  const a = dst & mask;
  const b = src & mask;
  const sa = BigInt.asIntN(bits, a);
  const sb = BigInt.asIntN(bits, b);
  let r: bigint;
  switch (op) {
    case AluOp.ADD:
      r = a + b;
      break;
    case AluOp.SUB:
      r = a - b;
      break;
    case AluOp.MUL:
      r = a * b;
      break;
    case AluOp.DIV:
      r = b === 0n ? 0n : offset === 1 ? sa / sb : a / b;
      break;
    case AluOp.MOD:
      r = b === 0n ? a : offset === 1 ? sa % sb : a % b;
      break;
    case AluOp.OR:
      r = a | b;
      break;
    case AluOp.AND:
      r = a & b;
      break;
    case AluOp.XOR:
      r = a ^ b;
      break;
    case AluOp.LSH:
      r = a << (b & BigInt(bits - 1));
      break;
    case AluOp.RSH:
      r = a >> (b & BigInt(bits - 1));
      break;
    case AluOp.ARSH:
      r = sa >> (b & BigInt(bits - 1));
      break;
    case AluOp.NEG:
      r = -a;
      break;
    case AluOp.MOV:
      r = offset === 0 ? b : BigInt.asIntN(offset, src);
      break;
    case AluOp.END: {
      const width = imm;
      if (is64 || sourceX) r = bswap(dst, width / 8);
      else r = dst & ((1n << BigInt(width)) - 1n);
      return r & M64;
    }
    default:
      throw new Error(`unknown ALU op ${op}`);
  }
  return r & mask;
}

/** Whether a jump is taken; `is32` compares the low 32 bits. */
export function evalJump(is32: boolean, op: JmpOp, dst: bigint, src: bigint): boolean {
  const bits = is32 ? 32 : 64;
  const a = BigInt.asUintN(bits, dst);
  const b = BigInt.asUintN(bits, src);
  const sa = BigInt.asIntN(bits, dst);
  const sb = BigInt.asIntN(bits, src);
  switch (op) {
    case JmpOp.JEQ:
      return a === b;
    case JmpOp.JNE:
      return a !== b;
    case JmpOp.JGT:
      return a > b;
    case JmpOp.JGE:
      return a >= b;
    case JmpOp.JLT:
      return a < b;
    case JmpOp.JLE:
      return a <= b;
    case JmpOp.JSET:
      return (a & b) !== 0n;
    case JmpOp.JSGT:
      return sa > sb;
    case JmpOp.JSGE:
      return sa >= sb;
    case JmpOp.JSLT:
      return sa < sb;
    case JmpOp.JSLE:
      return sa <= sb;
  }
  throw new Error(`not a conditional jump: ${op}`);
}
