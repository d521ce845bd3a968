// Control flow over the emitter's items for its clean-up passes: which items an item can
// continue at, and the registers an instruction reads and writes.

import type { Instruction } from '../isa/instruction';
import {
  Class,
  CLASS_MASK,
  JmpOp,
  LDDW,
  Mode,
  MODE_MASK,
  OP_MASK,
  Reg,
  Source,
} from '../isa/opcode';

export interface FlowItem {
  insn: Instruction;
  /** Index of the item a jump goes to. */
  target?: number;
}

/** Helper calls read r1-r5 and leave r0-r5 undefined (r0: the result). */
export const CALLER_SAVED = [Reg.R0, Reg.R1, Reg.R2, Reg.R3, Reg.R4, Reg.R5] as const;
const ARGUMENTS = [Reg.R1, Reg.R2, Reg.R3, Reg.R4, Reg.R5] as const;

export function isJump(insn: Instruction): boolean {
  const cls = insn.opcode & CLASS_MASK;
  return (cls === Class.JMP || cls === Class.JMP32) && (insn.opcode & OP_MASK) !== JmpOp.CALL;
}

export function isCall(insn: Instruction): boolean {
  return (insn.opcode & CLASS_MASK) === Class.JMP && (insn.opcode & OP_MASK) === JmpOp.CALL;
}

export function successors(item: FlowItem, i: number): number[] {
  const cls = item.insn.opcode & CLASS_MASK;
  if (cls !== Class.JMP && cls !== Class.JMP32) return [i + 1];
  const op = item.insn.opcode & OP_MASK;
  if (op === JmpOp.EXIT) return [];
  if (op === JmpOp.CALL) return [i + 1];
  if (op === JmpOp.JA && cls === Class.JMP) return item.target === undefined ? [] : [item.target];
  return item.target === undefined ? [i + 1] : [i + 1, item.target];
}

/** Registers the instruction reads. */
export function uses(insn: Instruction): number[] {
  const cls = insn.opcode & CLASS_MASK;
  const op = insn.opcode & OP_MASK;
  const x = (insn.opcode & 0x08) === Source.X;
  switch (cls) {
    case Class.ALU:
    case Class.ALU64: {
      const out = op === 0xb0 ? [] : [insn.dst];
      if (x && op !== 0x80 && op !== 0xd0) out.push(insn.src);
      return out;
    }
    case Class.LD:
      // Legacy packet loads read the context in r6.
      return insn.opcode === LDDW ? [] : [Reg.R6, insn.src];
    case Class.LDX:
      return [insn.src];
    case Class.ST:
      return [insn.dst];
    case Class.STX:
      return [insn.dst, insn.src];
    default:
      if (op === JmpOp.EXIT) return [Reg.R0];
      if (op === JmpOp.CALL) return [...ARGUMENTS];
      if (op === JmpOp.JA) return [];
      return x ? [insn.dst, insn.src] : [insn.dst];
  }
}

/** Registers the instruction may write. */
export function defs(insn: Instruction): number[] {
  const cls = insn.opcode & CLASS_MASK;
  switch (cls) {
    case Class.ALU:
    case Class.ALU64:
    case Class.LDX:
      return [insn.dst];
    case Class.LD:
      return insn.opcode === LDDW ? [insn.dst] : [...CALLER_SAVED];
    case Class.STX:
      // Atomic fetch and compare-exchange write back into registers.
      return (insn.opcode & MODE_MASK) === Mode.ATOMIC ? [insn.src, Reg.R0] : [];
    case Class.ST:
      return [];
    default:
      return isCall(insn) ? [...CALLER_SAVED] : [];
  }
}
