// Binary encoding of eBPF instructions (RFC 9669 §3): 8 bytes each, little-endian
// `opcode:8 dst:4 src:4 offset:16 imm:32`; `lddw` takes a second slot whose imm holds the high
// 32 bits of its constant.

import { isWide, type Instruction } from './instruction';
import {
  AluOp,
  ATOMIC_FETCH,
  AtomicOp,
  CLASS_MASK,
  Class,
  JmpOp,
  LDDW,
  MODE_MASK,
  Mode,
  OP_MASK,
  SIZE_MASK,
  Size,
  SOURCE_MASK,
  Source,
} from './opcode';

/** A malformed instruction stream; `slot` is the 8-byte slot index where decoding failed. */
export class IsaError extends Error {
  constructor(
    readonly slot: number,
    message: string,
  ) {
    super(`instruction ${slot}: ${message}`);
    this.name = 'IsaError';
  }
}

/** Why `opcode` is not a valid eBPF opcode, or undefined when it is one (RFC 9669 §4-5). */
export function invalidOpcodeReason(opcode: number): string | undefined {
  const cls = opcode & CLASS_MASK;
  switch (cls) {
    case Class.ALU:
    case Class.ALU64: {
      const op = opcode & OP_MASK;
      if (op > AluOp.END) return `unknown ALU operation 0x${op.toString(16)}`;
      if (op === AluOp.NEG && (opcode & SOURCE_MASK) !== Source.K) return 'neg with source X';
      if (op === AluOp.END && cls === Class.ALU64 && (opcode & SOURCE_MASK) !== Source.K)
        return 'bswap with source X';
      return undefined;
    }
    case Class.JMP:
    case Class.JMP32: {
      const op = opcode & OP_MASK;
      if (op > JmpOp.JSLE) return `unknown jump operation 0x${op.toString(16)}`;
      const x = (opcode & SOURCE_MASK) === Source.X;
      if (op === JmpOp.JA && x) return 'ja with source X';
      if (op === JmpOp.EXIT && (x || cls === Class.JMP32)) return 'invalid exit encoding';
      if (op === JmpOp.CALL && cls === Class.JMP32) return 'call in JMP32 class';
      return undefined;
    }
    case Class.LD: {
      if (opcode === LDDW) return undefined;
      const mode = opcode & MODE_MASK;
      // Legacy packet access (RFC 9669 §5.5): decoded so it can be reported, never run.
      if ((mode === Mode.ABS || mode === Mode.IND) && (opcode & SIZE_MASK) !== Size.DW)
        return undefined;
      return 'unknown LD opcode';
    }
    case Class.LDX: {
      const mode = opcode & MODE_MASK;
      if (mode === Mode.MEM) return undefined;
      if (mode === Mode.MEMSX && (opcode & SIZE_MASK) !== Size.DW) return undefined;
      return 'unknown LDX mode';
    }
    case Class.ST:
      return (opcode & MODE_MASK) === Mode.MEM ? undefined : 'unknown ST mode';
    case Class.STX: {
      const mode = opcode & MODE_MASK;
      if (mode === Mode.MEM) return undefined;
      const size = opcode & SIZE_MASK;
      if (mode === Mode.ATOMIC && (size === Size.W || size === Size.DW)) return undefined;
      return 'unknown STX mode';
    }
  }
  return 'unknown opcode';
}

/** Whether `imm` is a valid atomic operation code (with or without FETCH). */
export function isValidAtomicOp(imm: number): boolean {
  switch (imm) {
    case AtomicOp.ADD:
    case AtomicOp.OR:
    case AtomicOp.AND:
    case AtomicOp.XOR:
    case AtomicOp.ADD | ATOMIC_FETCH:
    case AtomicOp.OR | ATOMIC_FETCH:
    case AtomicOp.AND | ATOMIC_FETCH:
    case AtomicOp.XOR | ATOMIC_FETCH:
    case AtomicOp.XCHG:
    case AtomicOp.CMPXCHG:
      return true;
  }
  return false;
}

function writeSlot(
  view: DataView,
  at: number,
  opcode: number,
  dst: number,
  src: number,
  offset: number,
  imm: number,
): void {
  view.setUint8(at, opcode);
  view.setUint8(at + 1, ((src & 0xf) << 4) | (dst & 0xf));
  view.setInt16(at + 2, offset, true);
  view.setInt32(at + 4, imm, true);
}

/** The fields of the 8-byte slot at byte `at`, as they are (no validation, no lddw pairing). */
export function readSlot(view: DataView, at: number): Instruction {
  const regs = view.getUint8(at + 1);
  return {
    opcode: view.getUint8(at),
    dst: regs & 0xf,
    src: regs >> 4,
    offset: view.getInt16(at + 2, true),
    imm: view.getInt32(at + 4, true),
  };
}

/** Encodes instructions into little-endian bytes. */
export function encode(insns: readonly Instruction[]): Uint8Array {
  let slots = 0;
  for (const insn of insns) slots += isWide(insn) ? 2 : 1;
  const bytes = new Uint8Array(slots * 8);
  const view = new DataView(bytes.buffer);
  let at = 0;
  for (const insn of insns) {
    if (isWide(insn)) {
      const value = BigInt.asUintN(64, insn.imm64 ?? BigInt(insn.imm));
      writeSlot(
        view,
        at,
        insn.opcode,
        insn.dst,
        insn.src,
        insn.offset,
        Number(BigInt.asIntN(32, value)),
      );
      writeSlot(view, at + 8, 0, 0, 0, 0, Number(BigInt.asIntN(32, value >> 32n)));
      at += 16;
    } else {
      writeSlot(view, at, insn.opcode, insn.dst, insn.src, insn.offset, insn.imm);
      at += 8;
    }
  }
  return bytes;
}

/** Decodes little-endian bytes into instructions; throws IsaError on malformed input. */
export function decode(bytes: Uint8Array): Instruction[] {
  if (bytes.length % 8 !== 0)
    throw new IsaError(
      Math.floor(bytes.length / 8),
      `truncated instruction: ${bytes.length} bytes is not a multiple of 8`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = bytes.length / 8;
  const out: Instruction[] = [];
  for (let slot = 0; slot < count; slot++) {
    const at = slot * 8;
    const { opcode, dst, src, offset, imm } = readSlot(view, at);
    const reason = invalidOpcodeReason(opcode);
    if (reason)
      throw new IsaError(slot, `${reason} (opcode 0x${opcode.toString(16).padStart(2, '0')})`);
    if (dst > 10 || src > 10) throw new IsaError(slot, `invalid register r${dst > 10 ? dst : src}`);
    if (opcode === LDDW) {
      if (slot + 1 >= count) throw new IsaError(slot, 'lddw is missing its second half');
      const next = readSlot(view, at + 8);
      if (next.opcode !== 0 || next.dst !== 0 || next.src !== 0 || next.offset !== 0)
        throw new IsaError(slot + 1, 'invalid second half of lddw');
      const imm64 = (BigInt(next.imm >>> 0) << 32n) | BigInt(imm >>> 0);
      out.push({ opcode, dst, src, offset, imm, imm64 });
      slot++;
    } else {
      out.push({ opcode, dst, src, offset, imm });
    }
  }
  return out;
}
