// x86-64 `struct pt_regs` (arch/x86/include/uapi/asm/ptrace.h), the context of kprobe and
// uprobe programs: the registers in field order, 8 bytes each. The one place for this ABI
// fact: codegen reads arguments through it, reg() checks names against it, and event
// sources lay contexts out with it.

export const PT_REGS_FIELDS = [
  'r15',
  'r14',
  'r13',
  'r12',
  'bp',
  'bx',
  'r11',
  'r10',
  'r9',
  'r8',
  'ax',
  'cx',
  'dx',
  'si',
  'di',
  'orig_ax',
  'ip',
  'cs',
  'flags',
  'sp',
  'ss',
] as const;

export type PtRegsField = (typeof PT_REGS_FIELDS)[number];

/** Byte offset of each register in the context. */
export const PT_REGS_OFFSETS = Object.fromEntries(
  PT_REGS_FIELDS.map((name, i) => [name, i * 8]),
) as Readonly<Record<PtRegsField, number>>;

export const PT_REGS_SIZE = PT_REGS_FIELDS.length * 8;

/** Registers that hold arg0…arg5 in the System V x86-64 calling convention. */
export const ARG_REGISTERS = ['di', 'si', 'dx', 'cx', 'r8', 'r9'] as const;

/** Offsets of the registers holding arg0…arg5 (what codegen reads `argN` from). */
export const ARGUMENT_OFFSETS = ARG_REGISTERS.map((r) => PT_REGS_OFFSETS[r]);
