// Aggregation updates (`@m[k] = count()` etc.) on per-CPU maps: look the entry up; when it is
// missing, insert the first value; otherwise update it in place (a one-word count/sum/hist/
// lhist entry is rewritten with one update instead). hist/lhist compute the
// bucket index into the key first. Value layouts are in program.ts.

import type { Call, Expression, MapAccess } from '../../grammar/ast';
import { AluOp, JmpOp, Reg, Size } from '../isa/opcode';
import type { Aggregation } from '../types';
import { bucketOffset } from './layout';
import { buildKey, lookup, scriptMap, update } from './maps';
import type { Operand } from './emitter';
import { fitsImm32, type ProbeGen } from './probe-gen';
import { constant, type Value } from './value';

export type ExprGen = (node: Expression) => Value;

export function genAggregation(g: ProbeGen, map: MapAccess, call: Call, gen: ExprGen): void {
  const { def, info } = scriptMap(g, map.name);
  if (info.value.kind !== 'aggregation')
    throw new Error(`internal: ${map.name} is not an aggregation map`);
  const aggregation = info.value.aggregation;
  const argument = call.args[0] ? gen(call.args[0]) : undefined;
  const keyOffset = buildKey(g, map, gen);
  if (aggregation.kind === 'hist' || aggregation.kind === 'lhist') {
    const bucketAt = keyOffset + bucketOffset(info);
    if (argument!.kind === 'const') {
      const v = argument!.value;
      const bucket = aggregation.kind === 'hist' ? histIndex(v) : lhistIndex(v, aggregation);
      g.storeInt(constant(bucket), Reg.R10, bucketAt, 8);
    } else {
      g.loadInto(argument!, Reg.R1);
      g.release(argument!);
      if (aggregation.kind === 'hist') histBucket(g);
      else lhistBucket(g, aggregation);
      g.storeRegister(Reg.R2, Reg.R10, bucketAt, 8);
    }
  }
  // A constant argument that fits an immediate stays one; others go to a temporary.
  const immediate =
    argument?.kind === 'const' && fitsImm32(argument.value) ? Number(argument.value) : undefined;
  const v =
    argument &&
    immediate === undefined &&
    aggregation.kind !== 'hist' &&
    aggregation.kind !== 'lhist'
      ? g.own(argument)
      : undefined;
  const operand = (): Operand => (v ? { reg: g.regs.read(v, Reg.R3) } : { imm: immediate ?? 1 });
  lookup(g, def, keyOffset);
  if (!isPair(aggregation)) {
    // One counter: r1 = (entry ? *entry : 0) + increment, written back with one update
    // (per-CPU, so nothing races with it).
    const increment: Operand = aggregation.kind === 'sum' ? operand() : { imm: 1 };
    const value = g.frame.alloc(8);
    const missing = g.e.newLabel();
    if ('imm' in increment) g.e.movConst(Reg.R1, BigInt(increment.imm));
    else g.e.mov(Reg.R1, increment.reg);
    g.e.jump(JmpOp.JEQ, Reg.R0, { imm: 0 }, missing);
    g.e.load(Size.DW, Reg.R1, Reg.R0, 0);
    g.e.alu(AluOp.ADD, Reg.R1, increment);
    g.e.bind(missing);
    g.e.store(Size.DW, Reg.R10, value, Reg.R1);
    update(g, def, keyOffset, value);
    if (v) g.regs.release(v);
    return;
  }
  const missing = g.e.newLabel();
  const done = g.e.newLabel();
  g.e.jump(JmpOp.JEQ, Reg.R0, { imm: 0 }, missing);
  updateInPlace(g, aggregation, operand());
  g.e.goto(done);
  g.e.bind(missing);
  const init = g.frame.alloc(def.valueSize);
  writeInitial(g, aggregation, init, operand());
  update(g, def, keyOffset, init);
  g.e.bind(done);
  if (v) g.regs.release(v);
}

/** min/max/avg/stats keep two words, updated in place (count/sum/hist/lhist keep one). */
function isPair(aggregation: Aggregation): boolean {
  return ['min', 'max', 'avg', 'stats'].includes(aggregation.kind);
}

/** r0 points to a min/max/avg/stats entry; `v` holds the new value (not r0-r2). */
function updateInPlace(g: ProbeGen, aggregation: Aggregation, v: Operand): void {
  const { e } = g;
  switch (aggregation.kind) {
    case 'avg':
    case 'stats':
      e.load(Size.DW, Reg.R1, Reg.R0, 0);
      e.alu(AluOp.ADD, Reg.R1, v);
      e.store(Size.DW, Reg.R0, 0, Reg.R1);
      e.load(Size.DW, Reg.R1, Reg.R0, 8);
      e.alu(AluOp.ADD, Reg.R1, { imm: 1 });
      e.store(Size.DW, Reg.R0, 8, Reg.R1);
      return;
    case 'min':
    case 'max': {
      const replace = g.e.newLabel();
      const keep = g.e.newLabel();
      e.load(Size.DW, Reg.R1, Reg.R0, 8);
      e.jump(JmpOp.JEQ, Reg.R1, { imm: 0 }, replace);
      e.load(Size.DW, Reg.R1, Reg.R0, 0);
      const op =
        aggregation.kind === 'min'
          ? aggregation.signed
            ? JmpOp.JSGE
            : JmpOp.JGE
          : aggregation.signed
            ? JmpOp.JSLE
            : JmpOp.JLE;
      // Keep the stored value unless the new one is strictly better.
      if ('reg' in v) e.jump(op, v.reg, { reg: Reg.R1 }, keep);
      else e.jump(SWAPPED[op]!, Reg.R1, v, keep);
      e.bind(replace);
      storeOperand(g, Reg.R0, 0, v);
      e.storeImm(Size.DW, Reg.R0, 8, 1);
      e.bind(keep);
      return;
    }
  }
}

/** The jump that tests `b op a` for the jump testing `a op b`. */
const SWAPPED: Partial<Record<JmpOp, JmpOp>> = {
  [JmpOp.JSGE]: JmpOp.JSLE,
  [JmpOp.JSLE]: JmpOp.JSGE,
  [JmpOp.JGE]: JmpOp.JLE,
  [JmpOp.JLE]: JmpOp.JGE,
};

function storeOperand(g: ProbeGen, base: Reg, offset: number, v: Operand): void {
  if ('reg' in v) g.e.store(Size.DW, base, offset, v.reg);
  else g.e.storeImm(Size.DW, base, offset, v.imm);
}

function writeInitial(g: ProbeGen, aggregation: Aggregation, offset: number, v: Operand): void {
  const { e } = g;
  switch (aggregation.kind) {
    case 'avg':
    case 'stats':
    case 'min':
    case 'max':
      // { value/total, isSet/count = 1 }
      storeOperand(g, Reg.R10, offset, v);
      e.storeImm(Size.DW, Reg.R10, offset + 8, 1);
      return;
  }
}

/** r2 = hist bucket of the signed value in r1 (clobbers r1, r3). */
function histBucket(g: ProbeGen): void {
  const { e } = g;
  const done = e.newLabel();
  e.movConst(Reg.R2, 0n);
  e.jump(JmpOp.JSLT, Reg.R1, { imm: 0 }, done);
  e.movConst(Reg.R2, 1n);
  e.jump(JmpOp.JEQ, Reg.R1, { imm: 0 }, done);
  // r2 = floor(log2 r1) + 2, by binary search over the bit position (r1 > 0 here).
  e.movConst(Reg.R2, 2n);
  for (const shift of [32, 16, 8, 4, 2, 1]) {
    const skip = e.newLabel();
    if (shift === 32) {
      // 2^32 does not fit an immediate: test the high half instead.
      e.mov(Reg.R3, Reg.R1);
      e.alu(AluOp.RSH, Reg.R3, { imm: 32 });
      e.jump(JmpOp.JEQ, Reg.R3, { imm: 0 }, skip);
    } else {
      e.jump(JmpOp.JLT, Reg.R1, { imm: 2 ** shift }, skip);
    }
    e.alu(AluOp.RSH, Reg.R1, { imm: shift });
    e.alu(AluOp.ADD, Reg.R2, { imm: shift });
    e.bind(skip);
  }
  e.bind(done);
}

/** r2 = lhist bucket of the signed value in r1 (clobbers r1, r3). */
function lhistBucket(g: ProbeGen, lhist: Extract<Aggregation, { kind: 'lhist' }>): void {
  const { e } = g;
  const done = e.newLabel();
  const buckets = (lhist.max - lhist.min) / lhist.step;
  // Constants go in immediates where they fit (min, step and bucket count usually do).
  const operand = (value: bigint): Operand => {
    if (fitsImm32(value)) return { imm: Number(value) };
    e.movConst(Reg.R3, value);
    return { reg: Reg.R3 };
  };
  e.movConst(Reg.R2, 0n);
  e.jump(JmpOp.JSLT, Reg.R1, operand(lhist.min), done);
  e.mov(Reg.R2, Reg.R1);
  if (lhist.min !== 0n) e.alu(AluOp.SUB, Reg.R2, operand(lhist.min));
  // (v - min) is not negative here, and step is positive: unsigned division is exact.
  if (lhist.step !== 1n) e.alu(AluOp.DIV, Reg.R2, operand(lhist.step));
  e.alu(AluOp.ADD, Reg.R2, { imm: 1 });
  e.jump(JmpOp.JLE, Reg.R2, operand(buckets), done);
  e.movConst(Reg.R2, buckets + 1n);
  e.bind(done);
}

/** The hist bucket of a signed value (program.ts): 0 negative, 1 zero, floor(log2 v) + 2. */
export function histIndex(value: bigint): bigint {
  const v = BigInt.asIntN(64, value);
  if (v < 0n) return 0n;
  if (v === 0n) return 1n;
  return BigInt(v.toString(2).length - 1) + 2n;
}

/** The lhist bucket of a signed value: 0 below min, then 1 + (v - min) / step, capped at B + 1. */
export function lhistIndex(value: bigint, lhist: Extract<Aggregation, { kind: 'lhist' }>): bigint {
  const v = BigInt.asIntN(64, value);
  if (v < lhist.min) return 0n;
  const buckets = (lhist.max - lhist.min) / lhist.step;
  const index = (v - lhist.min) / lhist.step + 1n;
  return index > buckets ? buckets + 1n : index;
}
