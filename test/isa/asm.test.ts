import { describe, expect, it } from 'vitest';
import { AsmError, assemble } from '../../compiler/isa/asm';
import * as b from '../../compiler/isa/build';
import { AluOp, AtomicOp, ATOMIC_FETCH, JmpOp, Size } from '../../compiler/isa/opcode';

describe('assembler', () => {
  it('assembles the conformance syntax', () => {
    const insns = assemble(`
      # comment
      mov32 %r0, 0
      ldxw %r0, [%r1+4]
      stxdw [%r10-8], %r0
      stb [%r10-1], 0x7f
      jeq %r1, 3, +2
      lddw %r0, 0x1122334455667788
      lock fetch add32 [%r10-4], %r3
      lock cmpxchg [%r10-8], %r1
      be16 %r2
      sdiv %r1, -3
      movsx1664 %r8, %r7
      exit
    `);
    expect(insns).toEqual([
      b.mov32Imm(0, 0),
      b.ldxMem(Size.W, 0, 1, 4),
      b.stxMem(Size.DW, 10, 0, -8),
      b.stMem(Size.B, 10, -1, 0x7f),
      b.jmpImm(JmpOp.JEQ, 1, 3, 2),
      b.lddw(0, 0x1122334455667788n),
      b.atomic(Size.W, AtomicOp.ADD | ATOMIC_FETCH, 10, 3, -4),
      b.atomic(Size.DW, AtomicOp.CMPXCHG, 10, 1, -8),
      b.endian('be', 2, 16),
      b.alu64ImmSigned(AluOp.DIV, 1, -3),
      b.movsx64(8, 7, 16),
      b.exit(),
    ]);
  });

  it('resolves labels in slots, across lddw', () => {
    const insns = assemble(`
      jne %r1, 0, done
      lddw %r0, 1
      done:
      call local f
      ja32 done
      exit
      f:
      exit
    `);
    expect(insns[0]!.offset).toBe(2); // skips the two slots of lddw
    expect(insns[2]).toEqual(b.callLocal(2));
    expect(insns[3]).toEqual(b.ja32(-2));
  });

  it('sends a jump to the undefined label `exit` to the next exit', () => {
    const insns = assemble('jeq %r1, 0, exit\nmov %r0, 1\nexit');
    expect(insns[0]!.offset).toBe(1);
  });

  it('reports errors with their line number', () => {
    expect(() => assemble('mov %r0, 1\nfrobnicate %r1')).toThrow(AsmError);
    expect(() => assemble('mov %r0, 1\nfrobnicate %r1')).toThrow(/^line 2: unknown instruction/);
    expect(() => assemble('exit\n\njne %r1, 0, nowhere')).toThrow(
      /^line 3: undefined label 'nowhere'/,
    );
    expect(() => assemble('mov %r11, 1')).toThrow(/^line 1: expected a register/);
    expect(() => assemble('ldxw %r0, %r1')).toThrow(/^line 1: expected a memory operand/);
    expect(() => assemble('mov %r0')).toThrow(/^line 1: expected 2 operands/);
  });
});
