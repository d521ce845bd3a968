// USDT argument specifications as the SystemTap SDT notes write them on x86-64
// (`-4@%edi 8@%rax 4@$5 -8@-16(%rbp)`): each argument's size (negative when signed) and where
// it is — a register, a constant, or memory at a register plus a displacement.

import type { PtRegsField } from './ptregs';

export type UsdtArgument =
  | { size: number; signed: boolean; kind: 'register'; register: PtRegsField }
  | { size: number; signed: boolean; kind: 'constant'; value: bigint }
  | { size: number; signed: boolean; kind: 'memory'; register: PtRegsField; offset: number };

const REGISTERS: Record<string, PtRegsField> = {};
for (const [full, names] of Object.entries({
  ax: ['rax', 'eax', 'ax', 'al', 'ah'],
  bx: ['rbx', 'ebx', 'bx', 'bl', 'bh'],
  cx: ['rcx', 'ecx', 'cx', 'cl', 'ch'],
  dx: ['rdx', 'edx', 'dx', 'dl', 'dh'],
  si: ['rsi', 'esi', 'si', 'sil'],
  di: ['rdi', 'edi', 'di', 'dil'],
  bp: ['rbp', 'ebp', 'bp', 'bpl'],
  sp: ['rsp', 'esp', 'sp', 'spl'],
  ip: ['rip'],
}))
  for (const n of names) REGISTERS[n] = full as PtRegsField;
for (let i = 8; i <= 15; i++)
  for (const suffix of ['', 'd', 'w', 'b']) REGISTERS[`r${i}${suffix}`] = `r${i}` as PtRegsField;

/** The arguments of a spec, or undefined when one of them is not understood. */
export function parseUsdtArguments(spec: string): UsdtArgument[] | undefined {
  const args: UsdtArgument[] = [];
  for (const part of spec
    .trim()
    .split(/\s+/)
    .filter((p) => p !== '')) {
    const m = /^(-?)(1|2|4|8)@(.+)$/.exec(part);
    if (!m) return undefined;
    const signed = m[1] === '-';
    const size = Number(m[2]);
    const where = m[3]!;
    let r: RegExpExecArray | null;
    if ((r = /^%(\w+)$/.exec(where))) {
      const register = REGISTERS[r[1]!];
      if (!register) return undefined;
      args.push({ size, signed, kind: 'register', register });
    } else if ((r = /^\$(-?(?:0x[0-9a-fA-F]+|\d+))$/.exec(where))) {
      const raw = r[1]!;
      const value = raw.startsWith('-') ? -BigInt(raw.slice(1)) : BigInt(raw);
      args.push({ size, signed, kind: 'constant', value });
    } else if ((r = /^(-?(?:0x[0-9a-fA-F]+|\d+))?\(%(\w+)\)$/.exec(where))) {
      const register = REGISTERS[r[2]!];
      if (!register) return undefined;
      const text = r[1] ?? '0';
      const offset = text.startsWith('-') ? -Number(BigInt(text.slice(1))) : Number(BigInt(text));
      args.push({ size, signed, kind: 'memory', register, offset });
    } else return undefined;
  }
  return args;
}
