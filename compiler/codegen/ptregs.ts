// The pt_regs layout codegen reads kprobe/uprobe arguments through (compiler/ptregs.ts).

import { ARG_REGISTERS, PT_REGS_OFFSETS } from '../ptregs';

export { PT_REGS_OFFSETS };

/** Offsets of the registers holding arg0…arg5 (System V calling convention). */
export const ARGUMENT_OFFSETS = ARG_REGISTERS.map((r) => PT_REGS_OFFSETS[r]);
