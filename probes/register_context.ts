// x86-64 `struct pt_regs` contexts for kprobes, uprobes and perf-event (profile) programs.

import { ARG_REGISTERS, PT_REGS } from './event';

export type Register = Exclude<keyof typeof PT_REGS, 'size'>;

export interface RegisterValues {
  /** arg0…arg5, in di, si, dx, cx, r8, r9. */
  args?: readonly bigint[];
  /** Return value (ax) for return probes. */
  retval?: bigint;
  ip?: bigint;
  sp?: bigint;
  other?: Partial<Record<Register, bigint>>;
}

export function buildPtRegs(values: RegisterValues): Uint8Array {
  const bytes = new Uint8Array(PT_REGS.size);
  const view = new DataView(bytes.buffer);
  const set = (reg: Register, value: bigint) =>
    view.setBigUint64(PT_REGS[reg], BigInt.asUintN(64, value), true);
  for (const [reg, value] of Object.entries(values.other ?? {}))
    set(reg as Register, value as bigint);
  (values.args ?? []).slice(0, ARG_REGISTERS.length).forEach((v, i) => set(ARG_REGISTERS[i]!, v));
  if (values.retval !== undefined) set('ax', values.retval);
  if (values.ip !== undefined) set('ip', values.ip);
  if (values.sp !== undefined) set('sp', values.sp);
  set('cs', values.ip !== undefined && values.ip >= 0x8000_0000_0000_0000n ? 0x10n : 0x33n);
  return bytes;
}

export function readRegister(ctx: Uint8Array, reg: Register): bigint {
  return new DataView(ctx.buffer, ctx.byteOffset, ctx.byteLength).getBigUint64(PT_REGS[reg], true);
}

export function readArgs(ctx: Uint8Array, count = ARG_REGISTERS.length): bigint[] {
  return ARG_REGISTERS.slice(0, count).map((r) => readRegister(ctx, r));
}
