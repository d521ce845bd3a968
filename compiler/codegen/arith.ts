// Integer operators with bpftrace 0.17's rules: 64-bit arithmetic, unsigned / and %, logical
// >>, comparisons signed only when both sides are, unary - and ~ keeping the operand's width,
// casts that truncate and then extend by the target's signedness. Constants fold with the
// same rules.

import type { Binary, Cast, Expression, Unary } from '../../grammar/ast';
import { AluOp, JmpOp, Reg } from '../isa/opcode';
import type { ArithmeticOperator, ComparisonOperator } from '../../grammar/ast';
import type { IntSize, Type } from '../types';
import { sizeOf } from '../types';
import type { ProbeGen } from './probe-gen';
import { constant, inTemp, type Value } from './value';

export const ALU_OPS: Record<ArithmeticOperator, AluOp> = {
  '+': AluOp.ADD,
  '-': AluOp.SUB,
  '*': AluOp.MUL,
  '/': AluOp.DIV,
  '%': AluOp.MOD,
  '&': AluOp.AND,
  '|': AluOp.OR,
  '^': AluOp.XOR,
  '<<': AluOp.LSH,
  '>>': AluOp.RSH,
};

export function isComparison(op: string): op is ComparisonOperator {
  return op === '==' || op === '!=' || op === '<' || op === '<=' || op === '>' || op === '>=';
}

export function bothSigned(a: Type, b: Type): boolean {
  return a.kind === 'int' && a.signed && b.kind === 'int' && b.signed;
}

export function jumpOp(op: ComparisonOperator, signed: boolean): JmpOp {
  switch (op) {
    case '==':
      return JmpOp.JEQ;
    case '!=':
      return JmpOp.JNE;
    case '<':
      return signed ? JmpOp.JSLT : JmpOp.JLT;
    case '<=':
      return signed ? JmpOp.JSLE : JmpOp.JLE;
    case '>':
      return signed ? JmpOp.JSGT : JmpOp.JGT;
    case '>=':
      return signed ? JmpOp.JSGE : JmpOp.JGE;
  }
}

export function invertComparison(op: ComparisonOperator): ComparisonOperator {
  const inverse = { '==': '!=', '!=': '==', '<': '>=', '<=': '>', '>': '<=', '>=': '<' } as const;
  return inverse[op];
}

// --- constant folding ------------------------------------------------------------------

const u64 = (v: bigint) => BigInt.asUintN(64, v);
const i64 = (v: bigint) => BigInt.asIntN(64, v);

export function foldArithmetic(op: ArithmeticOperator, a: bigint, b: bigint): bigint {
  switch (op) {
    case '+':
      return i64(a + b);
    case '-':
      return i64(a - b);
    case '*':
      return i64(a * b);
    // As LLVM folds them in 0.17: a constant division by zero is 0 (both / and %).
    case '/':
      return u64(b) === 0n ? 0n : i64(u64(a) / u64(b));
    case '%':
      return u64(b) === 0n ? 0n : i64(u64(a) % u64(b));
    case '&':
      return i64(a & b);
    case '|':
      return i64(a | b);
    case '^':
      return i64(a ^ b);
    case '<<':
      return u64(b) >= 64n ? 0n : i64(a << u64(b));
    case '>>':
      return u64(b) >= 64n ? 0n : i64(u64(a) >> u64(b));
  }
}

export function foldComparison(
  op: ComparisonOperator,
  a: bigint,
  b: bigint,
  signed: boolean,
): boolean {
  const x = signed ? i64(a) : u64(a);
  const y = signed ? i64(b) : u64(b);
  switch (op) {
    case '==':
      return x === y;
    case '!=':
      return x !== y;
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    case '>=':
      return x >= y;
  }
}

/** Width in bytes of an integer-like type (pointers and opaque scalars are 8). */
export function intWidth(type: Type): IntSize {
  if (type.kind === 'int') return type.size;
  if (type.kind === 'bool') return 1;
  return 8;
}

/** The canonical 64-bit value of `value` seen as `size` bytes extended by `signed`. */
export function canonicalConst(value: bigint, size: number, signed: boolean): bigint {
  const bits = BigInt(size * 8);
  return signed
    ? i64(BigInt.asIntN(Number(bits), value))
    : i64(BigInt.asUintN(Number(bits), value));
}

// --- code --------------------------------------------------------------------------------

/** `left op right` for an arithmetic operator; both values are consumed. */
export function arithmetic(g: ProbeGen, op: ArithmeticOperator, left: Value, right: Value): Value {
  if (left.kind === 'const' && right.kind === 'const')
    return constant(foldArithmetic(op, left.value, right.value));
  const temp = g.own(left);
  g.update(temp, (reg) => g.e.alu(ALU_OPS[op], reg, g.operand(right, Reg.R1)));
  g.release(right);
  return inTemp(temp);
}

export function genArithmetic(g: ProbeGen, node: Binary, gen: (e: Expression) => Value): Value {
  const op = node.operator as ArithmeticOperator;
  const lt = g.typeOf(node.left);
  const rt = g.typeOf(node.right);
  let left = gen(node.left);
  let right = gen(node.right);
  // C pointer arithmetic: the integer side counts elements.
  if ((op === '+' || op === '-') && lt.kind === 'pointer' && rt.kind !== 'pointer') {
    right = arithmetic(g, '*', right, constant(BigInt(Math.max(1, sizeOf(lt.to)))));
  } else if (op === '+' && rt.kind === 'pointer' && lt.kind !== 'pointer') {
    left = arithmetic(g, '*', left, constant(BigInt(Math.max(1, sizeOf(rt.to)))));
  }
  return arithmetic(g, op, left, right);
}

/** 0 or 1 from comparing two integers; both values are consumed. */
export function compareValues(
  g: ProbeGen,
  op: ComparisonOperator,
  left: Value,
  right: Value,
  signed: boolean,
): Value {
  if (left.kind === 'const' && right.kind === 'const')
    return constant(foldComparison(op, left.value, right.value, signed) ? 1n : 0n);
  const temp = g.own(left);
  const reg = g.regs.read(temp, Reg.R0);
  const yes = g.e.newLabel();
  g.e.jump(jumpOp(op, signed), reg, g.operand(right, Reg.R1), yes);
  g.release(right);
  return g.truthValue(temp, false, yes);
}

export function genUnary(g: ProbeGen, node: Unary, gen: (e: Expression) => Value): Value {
  const type = g.typeOf(node);
  const operandType = g.typeOf(node.operand);
  const value = gen(node.operand);
  const width = intWidth(operandType);
  const signed = operandType.kind === 'int' && operandType.signed;
  if (node.operator === '!') {
    if (value.kind === 'const') return constant(value.value === 0n ? 1n : 0n);
    return compareValues(g, '==', value, constant(0n), false);
  }
  if (value.kind === 'const') {
    const raw = node.operator === '-' ? -value.value : ~value.value;
    return constant(canonicalConst(raw, width, signed));
  }
  const temp = g.own(value);
  g.update(temp, (reg) => {
    if (node.operator === '-') g.e.neg(reg);
    else g.e.alu(AluOp.XOR, reg, { imm: -1 });
    g.canonicalize(reg, type.kind === 'int' ? type : { kind: 'int', size: width, signed });
  });
  return inTemp(temp);
}

/** Integer casts: truncate to the narrower width, then extend by the target's signedness. */
export function genCast(g: ProbeGen, node: Cast, gen: (e: Expression) => Value): Value {
  const target = g.typeOf(node);
  const source = g.typeOf(node.operand);
  const value = gen(node.operand);
  if (target.kind !== 'int') return value;
  const width = Math.min(intWidth(source), target.size) as IntSize;
  if (value.kind === 'const') return constant(canonicalConst(value.value, width, target.signed));
  if (width === 8) return value;
  const temp = g.own(value);
  g.update(temp, (reg) => g.canonicalize(reg, { kind: 'int', size: width, signed: target.signed }));
  return inTemp(temp);
}
