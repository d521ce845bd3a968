// Names of ALU, jump and atomic operations, one table each. The assembler reads its mnemonics
// here, the verifier its messages, and the disassembler its operators; each keeps its own
// syntax around them.

import { AluOp, AtomicOp, JmpOp } from './opcode';

export interface AluName {
  readonly op: AluOp;
  /** Conformance-assembler mnemonic without the `32`/`64` suffix; also the verifier's name. */
  readonly mnemonic: string;
  /** The `offset` field selecting this variant: 1 for the signed sdiv/smod, else 0. */
  readonly offset: 0 | 1;
  /** The compound assignment the kernel and LLVM print (`r1 += r2`), for binary operations. */
  readonly operator?: string;
}

const alu = (op: AluOp, mnemonic: string, operator?: string, offset: 0 | 1 = 0): AluName => ({
  op,
  mnemonic,
  offset,
  operator,
});

export const ALU_NAMES: readonly AluName[] = [
  alu(AluOp.ADD, 'add', '+='),
  alu(AluOp.SUB, 'sub', '-='),
  alu(AluOp.MUL, 'mul', '*='),
  alu(AluOp.DIV, 'div', '/='),
  alu(AluOp.DIV, 'sdiv', 's/=', 1),
  alu(AluOp.OR, 'or', '|='),
  alu(AluOp.AND, 'and', '&='),
  alu(AluOp.LSH, 'lsh', '<<='),
  alu(AluOp.RSH, 'rsh', '>>='),
  alu(AluOp.NEG, 'neg'),
  alu(AluOp.MOD, 'mod', '%='),
  alu(AluOp.MOD, 'smod', 's%=', 1),
  alu(AluOp.XOR, 'xor', '^='),
  alu(AluOp.MOV, 'mov', '='),
  alu(AluOp.ARSH, 'arsh', 's>>='),
  alu(AluOp.END, 'end'),
];

/** A comparison a conditional jump makes; its mnemonic is `j` + the condition. */
export type Condition =
  'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le' | 'sgt' | 'sge' | 'slt' | 'sle' | 'set';

export interface JmpName {
  readonly op: JmpOp;
  readonly mnemonic: string;
  /** Only for conditional jumps. */
  readonly condition?: Condition;
  /** The comparison the kernel and LLVM print (`if r1 s> r2 goto`), for conditional jumps. */
  readonly operator?: string;
}

const cond = (op: JmpOp, condition: Condition, operator: string): JmpName => ({
  op,
  mnemonic: `j${condition}`,
  condition,
  operator,
});

export const JMP_NAMES: readonly JmpName[] = [
  { op: JmpOp.JA, mnemonic: 'ja' },
  cond(JmpOp.JEQ, 'eq', '=='),
  cond(JmpOp.JGT, 'gt', '>'),
  cond(JmpOp.JGE, 'ge', '>='),
  cond(JmpOp.JSET, 'set', '&'),
  cond(JmpOp.JNE, 'ne', '!='),
  cond(JmpOp.JSGT, 'sgt', 's>'),
  cond(JmpOp.JSGE, 'sge', 's>='),
  { op: JmpOp.CALL, mnemonic: 'call' },
  { op: JmpOp.EXIT, mnemonic: 'exit' },
  cond(JmpOp.JLT, 'lt', '<'),
  cond(JmpOp.JLE, 'le', '<='),
  cond(JmpOp.JSLT, 'slt', 's<'),
  cond(JmpOp.JSLE, 'sle', 's<='),
];

export interface AtomicName {
  /** Without ATOMIC_FETCH; XCHG and CMPXCHG always fetch and include it. */
  readonly op: AtomicOp;
  readonly mnemonic: string;
}

export const ATOMIC_NAMES: readonly AtomicName[] = [
  { op: AtomicOp.ADD, mnemonic: 'add' },
  { op: AtomicOp.OR, mnemonic: 'or' },
  { op: AtomicOp.AND, mnemonic: 'and' },
  { op: AtomicOp.XOR, mnemonic: 'xor' },
  { op: AtomicOp.XCHG, mnemonic: 'xchg' },
  { op: AtomicOp.CMPXCHG, mnemonic: 'cmpxchg' },
];

function index<T, K>(rows: readonly T[], key: (row: T) => K): Map<K, T> {
  const map = new Map<K, T>();
  for (const row of rows) if (!map.has(key(row))) map.set(key(row), row);
  return map;
}

const aluByOp = index(
  ALU_NAMES.filter((n) => n.offset === 0),
  (n) => n.op,
);
const aluByMnemonic = index(ALU_NAMES, (n) => n.mnemonic);
const jmpByOp = index(JMP_NAMES, (n) => n.op);
const jmpByMnemonic = index(JMP_NAMES, (n) => n.mnemonic);
const atomicByOp = index(ATOMIC_NAMES, (n) => n.op);
const atomicByMnemonic = index(ATOMIC_NAMES, (n) => n.mnemonic);

/** The unsigned (offset 0) variant of an ALU operation; undefined for unassigned op values. */
export function aluName(op: number): AluName | undefined {
  return aluByOp.get(op);
}

export function aluByName(mnemonic: string): AluName | undefined {
  return aluByMnemonic.get(mnemonic);
}

export function jmpName(op: number): JmpName | undefined {
  return jmpByOp.get(op);
}

export function jmpByName(mnemonic: string): JmpName | undefined {
  return jmpByMnemonic.get(mnemonic);
}

/** The name of an atomic imm (ATOMIC_FETCH included for XCHG and CMPXCHG only). */
export function atomicName(op: number): AtomicName | undefined {
  return atomicByOp.get(op);
}

export function atomicByName(mnemonic: string): AtomicName | undefined {
  return atomicByMnemonic.get(mnemonic);
}
