import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { existsSync } from 'node:fs';
import * as b from '../../compiler/isa/build';
import type { Instruction } from '../../compiler/isa/instruction';
import { AluOp, JmpOp, Size } from '../../compiler/isa/opcode';
import { CONFORMANCE_HELPERS, loadVectors, parseVector } from '../../src/runtime/conformance';
import { JitProgram } from '../../src/runtime/jit';
import { loopProgram } from '../../src/runtime/bench';
import {
  DecodedProgram,
  Interpreter,
  Machine,
  VmError,
  type Executable,
} from '../../src/runtime/vm';
import { SHARED } from '../shared';

function run(exe: Executable, memory: Uint8Array, budget = 100_000): bigint | string {
  const m = new Machine(CONFORMANCE_HELPERS, budget);
  m.reset();
  if (memory.length > 0) m.setReg(1, m.memory.addressOf(memory.slice(), true));
  m.setReg(2, BigInt(memory.length));
  try {
    return exe.execute(m);
  } catch (e) {
    if (e instanceof VmError) return /budget/.test(e.message) ? 'budget' : 'fault';
    throw e;
  }
}

/** r0, or the exact error message, and the instructions executed. */
function outcome(exe: Executable, budget: number): { result: string; executed: number } {
  const m = new Machine(CONFORMANCE_HELPERS, budget);
  m.reset();
  try {
    const r0 = exe.execute(m);
    return { result: r0.toString(), executed: m.executed };
  } catch (e) {
    if (e instanceof VmError) return { result: e.message, executed: -1 };
    throw e;
  }
}

const DIR = `${SHARED}/bpf-conformance/tests`;

describe('JIT', () => {
  it.skipIf(!existsSync(DIR))(
    'gives the expected result on every conformance vector with one',
    () => {
      let compiled = 0;
      for (const { name, text } of loadVectors(DIR)) {
        const v = parseVector(name, text);
        if (v.result === undefined) continue;
        const p = new DecodedProgram(v.insns);
        compiled++;
        expect(run(new JitProgram(p), v.memory), name).toBe(BigInt.asUintN(64, v.result));
      }
      expect(compiled).toBeGreaterThan(300);
    },
  );

  const reg = fc.integer({ min: 0, max: 9 });
  const imm = fc.oneof(
    fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    fc.integer({ min: -70, max: 70 }),
  );
  const aluOp = fc.constantFrom(
    AluOp.ADD,
    AluOp.SUB,
    AluOp.MUL,
    AluOp.DIV,
    AluOp.OR,
    AluOp.AND,
    AluOp.LSH,
    AluOp.RSH,
    AluOp.MOD,
    AluOp.XOR,
    AluOp.MOV,
    AluOp.ARSH,
    AluOp.NEG,
  );
  const jmpOp = fc.constantFrom(
    JmpOp.JEQ,
    JmpOp.JNE,
    JmpOp.JGT,
    JmpOp.JGE,
    JmpOp.JLT,
    JmpOp.JLE,
    JmpOp.JSET,
    JmpOp.JSGT,
    JmpOp.JSGE,
    JmpOp.JSLT,
    JmpOp.JSLE,
  );
  const insn: fc.Arbitrary<Instruction> = fc.oneof(
    fc.tuple(reg, fc.bigUintN(64)).map(([d, v]) => b.lddw(d, v)),
    fc.tuple(aluOp, reg, imm).map(([op, d, i]) => b.alu64Imm(op, d, i)),
    fc.tuple(aluOp, reg, reg).map(([op, d, s]) => b.alu64Reg(op, d, s)),
    fc.tuple(aluOp, reg, imm).map(([op, d, i]) => b.alu32Imm(op, d, i)),
    fc.tuple(aluOp, reg, reg).map(([op, d, s]) => b.alu32Reg(op, d, s)),
    fc
      .tuple(jmpOp, reg, imm, fc.integer({ min: -3, max: 3 }))
      .map(([op, d, i, o]) => b.jmpImm(op, d, i, o)),
    fc
      .tuple(jmpOp, reg, reg, fc.integer({ min: -3, max: 3 }))
      .map(([op, d, s, o]) => b.jmp32Reg(op, d, s, o)),
    fc
      .tuple(
        fc.constantFrom(Size.B, Size.H, Size.W, Size.DW),
        reg,
        fc.integer({ min: -16, max: -1 }),
      )
      .map(([sz, s, o]) => b.stxMem(sz, 10, s, o & ~7)),
    fc
      .tuple(
        fc.constantFrom(Size.B, Size.H, Size.W, Size.DW),
        reg,
        fc.integer({ min: -16, max: -1 }),
      )
      .map(([sz, d, o]) => b.ldxMem(sz, d, 10, o & ~7)),
    fc.tuple(reg).map(([s]) => b.atomicFetchAdd(Size.DW, 10, s, -8)),
  );

  it('agrees with the interpreter on random programs', () => {
    fc.assert(
      fc.property(fc.array(insn, { minLength: 1, maxLength: 25 }), (body) => {
        const insns = [
          ...Array.from({ length: 10 }, (_, r) => b.mov64Imm(r, r * 7 - 20)),
          ...body,
          b.exit(),
        ];
        const p = new DecodedProgram(insns);
        // Exact agreement, including where and after how many instructions the budget ends.
        expect(outcome(new JitProgram(p), 500)).toEqual(outcome(new Interpreter(p), 500));
      }),
      { numRuns: 3000 },
    );
  });

  it('runs out of budget at the same instruction as the interpreter', () => {
    const p = new DecodedProgram(loopProgram(1000));
    for (const budget of [1, 5, 9, 100, 101, 102, 103]) {
      const jit = outcome(new JitProgram(p), budget);
      expect(jit.result).toMatch(/budget/);
      expect(jit).toEqual(outcome(new Interpreter(p), budget));
    }
    expect(outcome(new JitProgram(p), 100_000)).toEqual(outcome(new Interpreter(p), 100_000));
  });

  it('splits a large program into segments that run as one', () => {
    // 1,500 straight-line additions and a loop around them: several segments, jumps between.
    const body = Array.from({ length: 1500 }, (_, i) => b.alu64Imm(AluOp.ADD, 0, i));
    const insns = [
      b.mov64Imm(0, 0),
      b.mov64Imm(1, 0),
      ...body,
      b.alu64Imm(AluOp.ADD, 1, 1),
      b.jmpImm(JmpOp.JLT, 1, 3, -(body.length + 2)),
      b.exit(),
    ];
    const p = new DecodedProgram(insns);
    const jit = new JitProgram(p);
    expect(jit.sources.length).toBeGreaterThan(4);
    expect(outcome(jit, 100_000)).toEqual(outcome(new Interpreter(p), 100_000));
    expect(outcome(jit, 100_000).result).toBe(String(3 * ((1499 * 1500) / 2)));
  });
});
