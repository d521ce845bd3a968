import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { existsSync } from 'node:fs';
import * as b from '../../compiler/isa/build';
import type { Instruction } from '../../compiler/isa/instruction';
import { AluOp, JmpOp, Size } from '../../compiler/isa/opcode';
import { CONFORMANCE_HELPERS, loadVectors, parseVector } from '../../src/runtime/conformance';
import { compileProgram, JitProgram, jitSupports } from '../../src/runtime/jit';
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

const DIR = `${SHARED}/bpf-conformance/tests`;

describe('JIT', () => {
  it.skipIf(!existsSync(DIR))(
    'gives the expected result on every conformance vector it supports',
    () => {
      let compiled = 0;
      for (const { name, text } of loadVectors(DIR)) {
        const v = parseVector(name, text);
        const p = new DecodedProgram(v.insns);
        if (!jitSupports(p)) continue;
        compiled++;
        expect(run(new JitProgram(p), v.memory), name).toBe(BigInt.asUintN(64, v.result!));
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
        const jit = run(new JitProgram(p), new Uint8Array(0), 500);
        const interpreted = run(new Interpreter(p), new Uint8Array(0), 500);
        // The JIT counts the budget per basic block, so only a program that finishes well within it compares.
        if (jit !== 'budget' && interpreted !== 'budget') expect(jit).toEqual(interpreted);
      }),
      { numRuns: 3000 },
    );
  });

  it('is chosen for small programs with loops; straight-line code is interpreted', () => {
    const loop = compileProgram(new DecodedProgram(loopProgram(50)));
    expect(loop).toBeInstanceOf(JitProgram);
    expect(run(loop, new Uint8Array(0))).toBe(
      run(new Interpreter(new DecodedProgram(loopProgram(50))), new Uint8Array(0)),
    );
    expect(compileProgram(new DecodedProgram([b.mov64Imm(0, 1), b.exit()]))).toBeInstanceOf(
      Interpreter,
    );
  });
});
