// Unit tests of codegen's building blocks: label resolution and unreachable-code removal,
// constant folding with bpftrace's integer rules, map layouts, and the pt_regs facts
// codegen restates.

import { describe, expect, it } from 'vitest';
import { Emitter } from '../../compiler/codegen/emitter';
import { canonicalConst, foldArithmetic, foldComparison } from '../../compiler/codegen/arith';
import { keyLayout, mapKeySize, mapValueSize } from '../../compiler/codegen/layout';
import { recordLayout } from '../../compiler/codegen/records';
import { ARGUMENT_OFFSETS, PT_REGS_OFFSETS } from '../../compiler/ptregs';
import { ARG_REGISTERS, PT_REGS } from '../../probes/event';
import { JmpOp, Reg } from '../../compiler/isa/opcode';
import { INT64, UINT64 } from '../../compiler/types';

describe('emitter', () => {
  it('resolves forward and backward jumps in slots, counting lddw as two', () => {
    const e = new Emitter();
    const top = e.newLabel();
    const end = e.newLabel();
    e.bind(top);
    e.movConst(Reg.R1, 1n << 40n); // lddw: 2 slots
    e.jump(JmpOp.JEQ, Reg.R1, { imm: 0 }, end);
    e.goto(top);
    e.bind(end);
    e.exit();
    const { instructions, lines } = e.finish();
    expect(instructions.map((i) => i.offset)).toEqual([0, 1, -4, 0]);
    expect(lines).toHaveLength(5);
  });

  it('drops unreachable instructions and gotos to the next instruction', () => {
    const e = new Emitter();
    const end = e.newLabel();
    e.goto(end);
    e.movConst(Reg.R1, 5n); // dead
    e.bind(end);
    e.movConst(Reg.R0, 0n);
    e.exit();
    e.movConst(Reg.R2, 1n); // dead
    const { instructions } = e.finish();
    // the goto now jumps to its next instruction, so it goes too
    expect(instructions).toHaveLength(2);
  });
});

describe('constant folding', () => {
  it('divides and takes remainders unsigned, shifts right logically', () => {
    expect(foldArithmetic('/', -7n, 2n)).toBe(9223372036854775804n);
    expect(foldArithmetic('%', -7n, 3n)).toBe(0n);
    expect(foldArithmetic('>>', -1n, 60n)).toBe(15n);
    expect(foldArithmetic('+', 9223372036854775807n, 1n)).toBe(-9223372036854775808n);
    expect(foldArithmetic('*', 1n << 32n, 1n << 32n)).toBe(0n);
  });
  it('compares signed only when asked', () => {
    expect(foldComparison('<', -1n, 1n, false)).toBe(false);
    expect(foldComparison('<', -1n, 1n, true)).toBe(true);
  });
  it('extends by the target signedness after truncating', () => {
    expect(canonicalConst(-1n, 1, false)).toBe(255n);
    expect(canonicalConst(65535n, 2, true)).toBe(-1n);
    expect(canonicalConst(-2n, 4, false)).toBe(4294967294n);
  });
});

describe('layouts', () => {
  it('packs keys: integers 8 bytes, strings their size; keyless is 8 zero bytes', () => {
    expect(keyLayout([INT64, { kind: 'string', size: 5 }, UINT64])).toEqual({
      offsets: [0, 8, 13],
      size: 21,
    });
    expect(keyLayout([]).size).toBe(8);
  });
  it('adds the bucket index to hist keys (a keyless hist key is the bucket) and sizes aggregation values', () => {
    const hist = {
      keyTypes: [INT64],
      value: { kind: 'aggregation' as const, aggregation: { kind: 'hist' as const } },
    };
    expect(mapKeySize(hist)).toBe(16);
    expect(mapKeySize({ ...hist, keyTypes: [] })).toBe(8); // the bucket alone
    const min = {
      keyTypes: [],
      value: { kind: 'aggregation' as const, aggregation: { kind: 'min' as const, signed: true } },
    };
    expect(mapValueSize(min)).toBe(16);
  });
  it('aligns record arguments to 8 bytes and describes integers as 8 bytes', () => {
    const layout = recordLayout([
      { kind: 'int', size: 1, signed: false },
      { kind: 'string', size: 5 },
      INT64,
    ]);
    expect(layout.args.map((a) => a.offset)).toEqual([16, 24, 32]);
    expect(layout.args[0].type).toEqual({ kind: 'int', size: 8, signed: false });
    expect(layout.size).toBe(40);
  });
});

describe('pt_regs facts', () => {
  it('match probes/event.ts', () => {
    for (const [name, offset] of Object.entries(PT_REGS_OFFSETS))
      expect(PT_REGS[name as keyof typeof PT_REGS]).toBe(offset);
    expect(Object.keys(PT_REGS_OFFSETS)).toHaveLength(Object.keys(PT_REGS).length - 1);
    expect(ARGUMENT_OFFSETS).toEqual(ARG_REGISTERS.map((r) => PT_REGS[r]));
  });
});
