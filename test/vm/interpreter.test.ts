import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as b from '../../compiler/isa/build';
import { AluOp, JmpOp, Size } from '../../compiler/isa/opcode';
import { evalAlu, evalJump } from '../../src/runtime/semantics';
import { VmError } from '../../src/runtime/vm';
import { runBare } from './helpers';

const u64 = fc.oneof(
  fc.bigUintN(64),
  fc.constantFrom(
    0n,
    1n,
    0xffffffffn,
    0x80000000n,
    0x7fffffffffffffffn,
    0x8000000000000000n,
    0xffffffffffffffffn,
  ),
  fc.bigUintN(8),
  fc.bigUintN(33),
);
const i32 = fc.oneof(
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  fc.constantFrom(0, 1, -1, 31, 32, 63, 64),
);
const aluOps = [
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
];
const jmpOps = [
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
];

describe('interpreter ALU', () => {
  it('matches the reference semantics for register operands', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...aluOps),
        fc.boolean(),
        fc.boolean(),
        u64,
        u64,
        (op, is64, signed, a, c) => {
          const offset = signed && (op === AluOp.DIV || op === AluOp.MOD) ? 1 : 0;
          const insn = is64 ? b.alu64Reg(op, 1, 2) : b.alu32Reg(op, 1, 2);
          const r = runBare([
            b.lddw(1, a),
            b.lddw(2, c),
            { ...insn, offset },
            b.mov64Reg(0, 1),
            b.exit(),
          ]);
          expect(r).toBe(evalAlu(is64, op, a, c, offset, 0, true));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('matches the reference semantics for immediate operands', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...aluOps),
        fc.boolean(),
        fc.boolean(),
        u64,
        i32,
        (op, is64, signed, a, imm) => {
          const offset = signed && (op === AluOp.DIV || op === AluOp.MOD) ? 1 : 0;
          const insn = is64 ? b.alu64Imm(op, 1, imm) : b.alu32Imm(op, 1, imm);
          const r = runBare([b.lddw(1, a), { ...insn, offset }, b.mov64Reg(0, 1), b.exit()]);
          const src = is64 ? BigInt.asUintN(64, BigInt(imm)) : BigInt(imm >>> 0);
          expect(r).toBe(evalAlu(is64, op, a, src, offset, 0, false));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('matches the reference semantics for neg, movsx, endian and bswap', () => {
    fc.assert(
      fc.property(u64, fc.constantFrom(16, 32, 64) as fc.Arbitrary<16 | 32 | 64>, (a, width) => {
        const run = (insn: ReturnType<typeof b.neg64>) =>
          runBare([b.lddw(1, a), insn, b.mov64Reg(0, 1), b.exit()]);
        expect(run(b.neg64(1))).toBe(evalAlu(true, AluOp.NEG, a, 0n, 0, 0, false));
        expect(run(b.alu32Imm(AluOp.NEG, 1, 0))).toBe(
          evalAlu(false, AluOp.NEG, a, 0n, 0, 0, false),
        );
        expect(run(b.endian('be', 1, width))).toBe(
          evalAlu(false, AluOp.END, a, 0n, 0, width, true),
        );
        expect(run(b.endian('le', 1, width))).toBe(
          evalAlu(false, AluOp.END, a, 0n, 0, width, false),
        );
        expect(run(b.bswap(1, width))).toBe(evalAlu(true, AluOp.END, a, 0n, 0, width, false));
        for (const bits of [8, 16, 32] as const) {
          const r = runBare([b.lddw(2, a), b.movsx64(1, 2, bits), b.mov64Reg(0, 1), b.exit()]);
          expect(r).toBe(BigInt.asUintN(64, BigInt.asIntN(bits, a)));
        }
        for (const bits of [8, 16] as const) {
          const r = runBare([b.lddw(2, a), b.movsx32(1, 2, bits), b.mov64Reg(0, 1), b.exit()]);
          expect(r).toBe(BigInt.asUintN(32, BigInt.asIntN(bits, a)));
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('interpreter jumps', () => {
  it('matches the reference semantics', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...jmpOps),
        fc.boolean(),
        fc.boolean(),
        u64,
        u64,
        i32,
        (op, is32, useReg, a, c, imm) => {
          const jump = useReg
            ? is32
              ? b.jmp32Reg(op, 1, 2, 1)
              : b.jmpReg(op, 1, 2, 1)
            : is32
              ? b.jmp32Imm(op, 1, imm, 1)
              : b.jmpImm(op, 1, imm, 1);
          const r = runBare([
            b.lddw(1, a),
            b.lddw(2, c),
            b.mov64Imm(0, 0),
            jump,
            b.exit(),
            b.mov64Imm(0, 1),
            b.exit(),
          ]);
          const other = useReg ? c : is32 ? BigInt(imm >>> 0) : BigInt.asUintN(64, BigInt(imm));
          expect(r).toBe(evalJump(is32, op, a, other) ? 1n : 0n);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('interpreter memory and limits', () => {
  it('stores and loads every size on the stack, with sign extension for MEMSX', () => {
    const r = runBare([
      b.lddw(1, 0x8877665544332211n),
      b.stxMem(Size.DW, 10, 1, -8),
      b.ldxMem(Size.B, 2, 10, -1),
      b.ldxMemSx(Size.B, 3, 10, -1),
      b.ldxMem(Size.H, 4, 10, -4),
      b.ldxMemSx(Size.W, 5, 10, -4),
      b.stMem(Size.W, 10, -16, -2),
      b.ldxMem(Size.DW, 0, 10, -16),
      b.exit(),
    ]);
    expect(r).toBe(0xfffffffen); // the upper 4 bytes of [-16] are still zero
  });

  it('faults on out-of-bounds access instead of crashing', () => {
    expect(() => runBare([b.ldxMem(Size.DW, 0, 10, 0), b.exit()])).toThrow(VmError);
    expect(() => runBare([b.mov64Imm(1, 0), b.ldxMem(Size.DW, 0, 1, 0), b.exit()])).toThrow(
      /invalid memory access/,
    );
  });

  it('stops a runaway program at the instruction budget', () => {
    expect(() => runBare([b.ja(-1)], (m) => (m.budget = 1000))).toThrow(
      /instruction budget of 1000 exhausted/,
    );
  });

  it('keeps r6-r9 across local calls and gives each call its own frame', () => {
    const r = runBare([
      b.mov64Imm(6, 7),
      b.stMem(Size.DW, 10, -8, 100),
      b.mov64Imm(1, 5),
      b.callLocal(4),
      b.ldxMem(Size.DW, 2, 10, -8),
      b.alu64Reg(AluOp.ADD, 0, 2),
      b.alu64Reg(AluOp.ADD, 0, 6),
      b.exit(),
      // callee: writes its own frame, clobbers r6, returns r1 * 2 + r6(clobbered)
      b.stMem(Size.DW, 10, -8, 1),
      b.mov64Imm(6, 0),
      b.mov64Reg(0, 1),
      b.alu64Imm(AluOp.MUL, 0, 2),
      b.exit(),
    ]);
    expect(r).toBe(117n);
  });
});
