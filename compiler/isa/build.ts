// A tiny typed builder of eBPF instructions, used by codegen and tests. Jump offsets are in
// slots relative to the next instruction, as encoded.

import type { Instruction } from './instruction';
import {
  AluOp,
  ATOMIC_FETCH,
  AtomicOp,
  CallSrc,
  Class,
  JmpOp,
  LDDW,
  Mode,
  PseudoSrc,
  Size,
  Source,
  aluOpcode,
  jmpOpcode,
  memOpcode,
} from './opcode';

function insn(opcode: number, dst = 0, src = 0, offset = 0, imm = 0): Instruction {
  return { opcode, dst, src, offset, imm: imm | 0 };
}

/** dst = imm (64-bit, imm sign-extended). */
export const mov64Imm = (dst: number, imm: number) => alu64Imm(AluOp.MOV, dst, imm);
/** dst = src (64-bit). */
export const mov64Reg = (dst: number, src: number) => alu64Reg(AluOp.MOV, dst, src);
/** dst = (u32)imm. */
export const mov32Imm = (dst: number, imm: number) => alu32Imm(AluOp.MOV, dst, imm);
/** dst = (u32)src. */
export const mov32Reg = (dst: number, src: number) => alu32Reg(AluOp.MOV, dst, src);
/** dst = (s8/s16/s32)src sign-extended to 64 bits (bits = 8, 16 or 32). */
export const movsx64 = (dst: number, src: number, bits: 8 | 16 | 32) =>
  insn(aluOpcode(Class.ALU64, AluOp.MOV, Source.X), dst, src, bits);
/** dst = (u32)(s8/s16)src (bits = 8 or 16). */
export const movsx32 = (dst: number, src: number, bits: 8 | 16) =>
  insn(aluOpcode(Class.ALU, AluOp.MOV, Source.X), dst, src, bits);
/** dst op= imm (64-bit). */
export const alu64Imm = (op: AluOp, dst: number, imm: number) =>
  insn(aluOpcode(Class.ALU64, op, Source.K), dst, 0, 0, imm);
/** dst op= src (64-bit). */
export const alu64Reg = (op: AluOp, dst: number, src: number) =>
  insn(aluOpcode(Class.ALU64, op, Source.X), dst, src);
/** dst op= imm (32-bit, result zero-extended). */
export const alu32Imm = (op: AluOp, dst: number, imm: number) =>
  insn(aluOpcode(Class.ALU, op, Source.K), dst, 0, 0, imm);
/** dst op= src (32-bit, result zero-extended). */
export const alu32Reg = (op: AluOp, dst: number, src: number) =>
  insn(aluOpcode(Class.ALU, op, Source.X), dst, src);
/** Signed dst /= imm or dst %= imm (op DIV or MOD; offset 1 selects the signed form). */
export const alu64ImmSigned = (op: AluOp.DIV | AluOp.MOD, dst: number, imm: number) =>
  insn(aluOpcode(Class.ALU64, op, Source.K), dst, 0, 1, imm);
/** Signed dst /= src or dst %= src (64-bit). */
export const alu64RegSigned = (op: AluOp.DIV | AluOp.MOD, dst: number, src: number) =>
  insn(aluOpcode(Class.ALU64, op, Source.X), dst, src, 1);
/** dst = -dst (64-bit). */
export const neg64 = (dst: number) => insn(aluOpcode(Class.ALU64, AluOp.NEG, Source.K), dst);
/** Convert dst to little (`le`) or big (`be`) endian, keeping the low `bits` bits. */
export const endian = (order: 'le' | 'be', dst: number, bits: 16 | 32 | 64) =>
  insn(aluOpcode(Class.ALU, AluOp.END, order === 'le' ? Source.K : Source.X), dst, 0, 0, bits);
/** Unconditional byte swap of the low `bits` bits of dst. */
export const bswap = (dst: number, bits: 16 | 32 | 64) =>
  insn(aluOpcode(Class.ALU64, AluOp.END, Source.K), dst, 0, 0, bits);

/** dst = *(size *)(src + off). */
export const ldxMem = (size: Size, dst: number, src: number, off: number) =>
  insn(memOpcode(Class.LDX, Mode.MEM, size), dst, src, off);
/** dst = *(signed size *)(src + off), sign-extended. */
export const ldxMemSx = (size: Size.B | Size.H | Size.W, dst: number, src: number, off: number) =>
  insn(memOpcode(Class.LDX, Mode.MEMSX, size), dst, src, off);
/** *(size *)(dst + off) = imm. */
export const stMem = (size: Size, dst: number, off: number, imm: number) =>
  insn(memOpcode(Class.ST, Mode.MEM, size), dst, 0, off, imm);
/** *(size *)(dst + off) = src. */
export const stxMem = (size: Size, dst: number, src: number, off: number) =>
  insn(memOpcode(Class.STX, Mode.MEM, size), dst, src, off);
/** Atomic `*(size *)(dst + off) op= src`; `op` may include ATOMIC_FETCH, or be XCHG/CMPXCHG. */
export const atomic = (size: Size.W | Size.DW, op: number, dst: number, src: number, off: number) =>
  insn(memOpcode(Class.STX, Mode.ATOMIC, size), dst, src, off, op);
/** Atomic fetch-add: src = old value. */
export const atomicFetchAdd = (size: Size.W | Size.DW, dst: number, src: number, off: number) =>
  atomic(size, AtomicOp.ADD | ATOMIC_FETCH, dst, src, off);

/** if (dst op imm) goto +off (64-bit compare). */
export const jmpImm = (op: JmpOp, dst: number, imm: number, off: number) =>
  insn(jmpOpcode(Class.JMP, op, Source.K), dst, 0, off, imm);
/** if (dst op src) goto +off (64-bit compare). */
export const jmpReg = (op: JmpOp, dst: number, src: number, off: number) =>
  insn(jmpOpcode(Class.JMP, op, Source.X), dst, src, off);
/** if ((u32)dst op imm) goto +off. */
export const jmp32Imm = (op: JmpOp, dst: number, imm: number, off: number) =>
  insn(jmpOpcode(Class.JMP32, op, Source.K), dst, 0, off, imm);
/** if ((u32)dst op (u32)src) goto +off. */
export const jmp32Reg = (op: JmpOp, dst: number, src: number, off: number) =>
  insn(jmpOpcode(Class.JMP32, op, Source.X), dst, src, off);
/** goto +off. */
export const ja = (off: number) => insn(jmpOpcode(Class.JMP, JmpOp.JA, Source.K), 0, 0, off);
/** goto +imm with a 32-bit offset (`gotol`). */
export const ja32 = (imm: number) => insn(jmpOpcode(Class.JMP32, JmpOp.JA, Source.K), 0, 0, 0, imm);
/** Call helper function `helper` (a Helper id). */
export const call = (helper: number) =>
  insn(jmpOpcode(Class.JMP, JmpOp.CALL, Source.K), 0, CallSrc.Helper, 0, helper);
/** Call the local function starting at pc + 1 + imm. */
export const callLocal = (imm: number) =>
  insn(jmpOpcode(Class.JMP, JmpOp.CALL, Source.K), 0, CallSrc.Local, 0, imm);
/** Call kernel function with BTF id `btfId`. */
export const callKfunc = (btfId: number) =>
  insn(jmpOpcode(Class.JMP, JmpOp.CALL, Source.K), 0, CallSrc.Kfunc, 0, btfId);
/** Call the helper whose id is in register `reg` (callx). */
export const callx = (reg: number) => insn(jmpOpcode(Class.JMP, JmpOp.CALL, Source.X), reg);
/** Return r0. */
export const exit = () => insn(jmpOpcode(Class.JMP, JmpOp.EXIT, Source.K));

/** dst = 64-bit constant (two slots). */
export function lddw(dst: number, value: bigint, src: PseudoSrc = PseudoSrc.Imm64): Instruction {
  const imm64 = BigInt.asUintN(64, value);
  return { opcode: LDDW, dst, src, offset: 0, imm: Number(BigInt.asIntN(32, imm64)), imm64 };
}
/** dst = pointer to the map with id `mapId` (lddw src=1, imm=mapId). */
export const ldMapFd = (dst: number, mapId: number) => lddw(dst, BigInt(mapId), PseudoSrc.MapFd);
/** dst = pointer to byte `offset` of the value of array map `mapId` (lddw src=2). */
export const ldMapValue = (dst: number, mapId: number, offset: number) =>
  lddw(dst, (BigInt(offset >>> 0) << 32n) | BigInt(mapId >>> 0), PseudoSrc.MapValue);
