// x86-64 `struct pt_regs` (arch/x86/include/uapi/asm/ptrace.h): the byte offset of each
// register, in field order. compiler/ must not import probes/, so the ABI facts codegen
// needs are restated here; test/codegen checks them against probes/event.ts.

const FIELDS = [
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

export const PT_REGS_OFFSETS: Readonly<Record<string, number>> = Object.fromEntries(
  FIELDS.map((name, i) => [name, i * 8]),
);

/** Offsets of the registers holding arg0…arg5 (System V calling convention). */
export const ARGUMENT_OFFSETS = ['di', 'si', 'dx', 'cx', 'r8', 'r9'].map((r) => PT_REGS_OFFSETS[r]);
