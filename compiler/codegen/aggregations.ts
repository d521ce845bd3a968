// Aggregation updates (`@m[k] = count()` etc.) on per-CPU maps: look the entry up; when it is
// missing, insert the first value; otherwise update it in place. hist/lhist compute the
// bucket index into the key first. Value layouts are in program.ts.

import type { Call, Expression, MapAccess } from '../../grammar/ast';
import { AluOp, JmpOp, Reg, Size } from '../isa/opcode';
import type { Aggregation } from '../types';
import { bucketOffset } from './layout';
import { buildKey, lookup, scriptMap, update } from './maps';
import type { ProbeGen } from './probe-gen';
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
  const v =
    argument && aggregation.kind !== 'hist' && aggregation.kind !== 'lhist'
      ? g.own(argument)
      : undefined;
  lookup(g, def, keyOffset);
  const missing = g.e.newLabel();
  const done = g.e.newLabel();
  g.e.jump(JmpOp.JEQ, Reg.R0, { imm: 0 }, missing);
  updateInPlace(g, aggregation, v ? g.regs.read(v, Reg.R3) : undefined);
  g.e.goto(done);
  g.e.bind(missing);
  const init = g.frame.alloc(def.valueSize);
  writeInitial(g, aggregation, init, v ? g.regs.read(v, Reg.R3) : undefined);
  update(g, def, keyOffset, init);
  g.e.bind(done);
  if (v) g.regs.release(v);
}

/** r0 points to the entry; `v` holds the new value (not r0-r2). */
function updateInPlace(g: ProbeGen, aggregation: Aggregation, v: Reg | undefined): void {
  const { e } = g;
  switch (aggregation.kind) {
    case 'count':
    case 'hist':
    case 'lhist':
      e.load(Size.DW, Reg.R1, Reg.R0, 0);
      e.alu(AluOp.ADD, Reg.R1, { imm: 1 });
      e.store(Size.DW, Reg.R0, 0, Reg.R1);
      return;
    case 'sum':
      e.load(Size.DW, Reg.R1, Reg.R0, 0);
      e.alu(AluOp.ADD, Reg.R1, { reg: v! });
      e.store(Size.DW, Reg.R0, 0, Reg.R1);
      return;
    case 'avg':
    case 'stats':
      e.load(Size.DW, Reg.R1, Reg.R0, 0);
      e.alu(AluOp.ADD, Reg.R1, { reg: v! });
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
      e.jump(op, v!, { reg: Reg.R1 }, keep);
      e.bind(replace);
      e.store(Size.DW, Reg.R0, 0, v!);
      e.storeImm(Size.DW, Reg.R0, 8, 1);
      e.bind(keep);
      return;
    }
  }
}

function writeInitial(
  g: ProbeGen,
  aggregation: Aggregation,
  offset: number,
  v: Reg | undefined,
): void {
  const { e } = g;
  switch (aggregation.kind) {
    case 'count':
    case 'hist':
    case 'lhist':
      e.storeImm(Size.DW, Reg.R10, offset, 1);
      return;
    case 'sum':
      e.store(Size.DW, Reg.R10, offset, v!);
      return;
    case 'avg':
    case 'stats':
    case 'min':
    case 'max':
      // { value/total, isSet/count = 1 }
      e.store(Size.DW, Reg.R10, offset, v!);
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
  e.movConst(Reg.R2, 0n);
  e.movConst(Reg.R3, lhist.min);
  e.jump(JmpOp.JSLT, Reg.R1, { reg: Reg.R3 }, done);
  e.mov(Reg.R2, Reg.R1);
  e.alu(AluOp.SUB, Reg.R2, { reg: Reg.R3 });
  e.movConst(Reg.R3, lhist.step);
  e.alu(AluOp.DIV, Reg.R2, { reg: Reg.R3 });
  e.alu(AluOp.ADD, Reg.R2, { imm: 1 });
  e.movConst(Reg.R3, buckets);
  e.jump(JmpOp.JLE, Reg.R2, { reg: Reg.R3 }, done);
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
