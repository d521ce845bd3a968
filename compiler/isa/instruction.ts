// An eBPF instruction as an immutable value. `lddw` is one value with a 64-bit constant
// and takes two 8-byte slots when encoded.

import { LDDW } from './opcode';

export interface Instruction {
  readonly opcode: number;
  readonly dst: number;
  readonly src: number;
  /** Signed 16-bit offset. */
  readonly offset: number;
  /** Signed 32-bit immediate (for `lddw`, the low 32 bits of imm64 as signed). */
  readonly imm: number;
  /** Only for `lddw`: the whole 64-bit immediate as an unsigned value. */
  readonly imm64?: bigint;
}

export function isWide(insn: Instruction): boolean {
  return insn.opcode === LDDW;
}

/** Number of 8-byte slots an instruction takes. */
export function slotCount(insn: Instruction): 1 | 2 {
  return isWide(insn) ? 2 : 1;
}
