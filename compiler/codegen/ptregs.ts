// x86-64 `struct pt_regs` offsets a kprobe/uprobe program reads (arch/x86/include/uapi/
// asm/ptrace.h). compiler/ must not import probes/, so the ABI facts codegen needs are
// restated here; test/codegen checks them against probes/event.ts.

export const PT_REGS_OFFSETS = { ax: 80, ip: 128, sp: 152, di: 112, si: 104, dx: 96, cx: 88, r8: 72, r9: 64 } as const;

/** Offsets of the registers holding arg0…arg5 (System V calling convention). */
export const ARGUMENT_OFFSETS = [112, 104, 96, 88, 72, 64] as const;
