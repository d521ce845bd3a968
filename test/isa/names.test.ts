import { describe, expect, it } from 'vitest';
import { assemble } from '../../compiler/isa/asm';
import * as b from '../../compiler/isa/build';
import { instructionText } from '../../compiler/isa/disasm';
import type { Instruction } from '../../compiler/isa/instruction';
import {
  ALU_NAMES,
  ATOMIC_NAMES,
  JMP_NAMES,
  aluByName,
  aluName,
  atomicName,
  jmpByName,
  jmpName,
} from '../../compiler/isa/names';
import { ATOMIC_FETCH, AluOp, AtomicOp, Class, JmpOp, Source } from '../../compiler/isa/opcode';
import { HELPER_SPECS } from '../../src/runtime/helpers';
import { verify, VerifierError } from '../../src/runtime/verifier';

const OPS = (step: number, last: number) =>
  Array.from({ length: last / step + 1 }, (_, k) => k * step);

describe('operation names', () => {
  it('name every ALU and jump operation once, and no unassigned op value', () => {
    for (const op of OPS(0x10, 0xf0)) {
      expect(aluName(op)?.op, `alu 0x${op.toString(16)}`).toBe(op <= AluOp.END ? op : undefined);
      expect(jmpName(op)?.op, `jmp 0x${op.toString(16)}`).toBe(op <= JmpOp.JSLE ? op : undefined);
    }
    for (const table of [ALU_NAMES, JMP_NAMES, ATOMIC_NAMES])
      expect(new Set(table.map((n) => n.mnemonic)).size).toBe(table.length);
  });

  it('give the signed division variants offset 1 and the same op', () => {
    expect(aluByName('sdiv')).toMatchObject({ op: AluOp.DIV, offset: 1 });
    expect(aluByName('smod')).toMatchObject({ op: AluOp.MOD, offset: 1 });
    expect(aluName(AluOp.DIV)?.mnemonic).toBe('div');
    expect(jmpByName('jsle')).toMatchObject({ op: JmpOp.JSLE, condition: 'sle' });
    expect(atomicName(AtomicOp.CMPXCHG)?.mnemonic).toBe('cmpxchg');
  });

  it('are the mnemonics the assembler accepts', () => {
    for (const n of ALU_NAMES) {
      if (n.op === AluOp.NEG || n.op === AluOp.END) continue;
      for (const [suffix, cls] of [
        ['32', Class.ALU],
        ['', Class.ALU64],
      ] as const) {
        const [insn] = assemble(`${n.mnemonic}${suffix} %r1, %r2`);
        expect(insn).toMatchObject({ opcode: cls | n.op | Source.X, offset: n.offset, src: 2 });
      }
    }
    for (const n of JMP_NAMES.filter((j) => j.condition)) {
      const [insn] = assemble(`${n.mnemonic}32 %r1, 7, +1\nexit`);
      expect(insn).toMatchObject({ opcode: Class.JMP32 | n.op | Source.K, imm: 7, offset: 1 });
    }
    expect(() => assemble('end64 %r1, %r2')).toThrow(/unknown instruction/);
    expect(() => assemble('call64 %r1, 1, +0')).toThrow(/unknown instruction/);
    for (const n of ATOMIC_NAMES) {
      const [insn] = assemble(`lock fetch ${n.mnemonic} [%r10-8], %r1`);
      const fetching = n.op === AtomicOp.XCHG || n.op === AtomicOp.CMPXCHG;
      expect(insn!.imm).toBe(fetching ? n.op : n.op | ATOMIC_FETCH);
    }
  });

  it('give the disassembler its operators, except what LLVM 14 does not decode', () => {
    for (const n of ALU_NAMES.filter((a) => a.offset === 0 && a.operator)) {
      const text = instructionText(b.alu64Reg(n.op, 1, 2));
      expect(text).toBe(n.op === AluOp.MOD ? '<unknown>' : `r1 ${n.operator} r2`);
    }
    for (const n of JMP_NAMES.filter((j) => j.operator)) {
      const text = instructionText(b.jmpImm(n.op, 3, 9, 4));
      expect(text).toBe(n.op === JmpOp.JSET ? '<unknown>' : `if r3 ${n.operator} 9 goto +4`);
    }
  });
});

describe("the verifier's messages name operators as the kernel does", () => {
  const reject = (insns: Instruction[], message: string) => {
    let error: unknown;
    try {
      verify(insns, { maps: [], helpers: HELPER_SPECS });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(VerifierError);
    expect((error as VerifierError).message).toContain(message);
  };
  const onFp = (insn: Instruction) => [b.mov64Reg(2, 10), insn, b.mov64Imm(0, 0), b.exit()];

  it('pointer arithmetic with a non-additive operator', () => {
    reject(onFp(b.alu64Imm(AluOp.MUL, 2, 2)), 'R2 pointer arithmetic with *= operator prohibited');
    reject(onFp(b.alu64Imm(AluOp.LSH, 2, 1)), 'R2 pointer arithmetic with <<= operator prohibited');
  });
  it('bitwise operators on a pointer', () =>
    reject(onFp(b.alu64Imm(AluOp.AND, 2, -8)), 'R2 bitwise operator &= on pointer prohibited'));
  it('two pointers', () =>
    reject(onFp(b.alu64Reg(AluOp.ADD, 2, 10)), 'R2 pointer += pointer prohibited'));
  it('a pointer subtracted from a scalar', () =>
    reject(
      [b.mov64Imm(3, 5), b.alu64Reg(AluOp.SUB, 3, 10), b.mov64Imm(0, 0), b.exit()],
      'R3 tried to subtract pointer from scalar',
    ));
  it('neg of a pointer', () =>
    reject(
      onFp({ opcode: Class.ALU64 | AluOp.NEG, dst: 2, src: 0, offset: 0, imm: 0 }),
      'R2 pointer arithmetic prohibited',
    ));
});
