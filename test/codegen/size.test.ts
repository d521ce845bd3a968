// Code size (issue 6): the emitter's clean-up passes and compile-time folds keep programs
// small without changing what they compute.

import { describe, expect, it } from 'vitest';
import * as B from '../../compiler/isa/build';
import { Helper } from '../../compiler/isa/helpers';
import { AluOp, JmpOp, Reg, Size } from '../../compiler/isa/opcode';
import type { Instruction } from '../../compiler/isa/instruction';
import { redundantStackAccesses } from '../../compiler/codegen/redundant-loads';
import { coalesceMoves, forwardMoves } from '../../compiler/codegen/forward-moves';
import type { FlowItem } from '../../compiler/codegen/flow';
import { compile } from './compile';
import { run } from './run';

const items = (...list: (Instruction | [Instruction, number])[]): FlowItem[] =>
  list.map((x) => (Array.isArray(x) ? { insn: x[0], target: x[1] } : { insn: x }));

const slots = (source: string) => compile(source).probes.map((p) => p.bytecode.length / 8);

describe('redundant stack accesses', () => {
  it('drops a reload of a register just stored, and a store of the value already there', () => {
    const flow = items(
      B.stxMem(Size.DW, Reg.R10, Reg.R7, -8),
      B.ldxMem(Size.DW, Reg.R7, Reg.R10, -8),
      B.stxMem(Size.DW, Reg.R10, Reg.R7, -8),
      B.exit(),
    );
    expect([...redundantStackAccesses(flow)]).toEqual([1, 2]);
  });
  it('keeps the load when the register or the slot changed, or memory was written elsewhere', () => {
    expect(
      redundantStackAccesses(
        items(
          B.stxMem(Size.DW, Reg.R10, Reg.R7, -8),
          B.alu64Imm(AluOp.ADD, Reg.R7, 1),
          B.ldxMem(Size.DW, Reg.R7, Reg.R10, -8),
          B.exit(),
        ),
      ).size,
    ).toBe(0);
    expect(
      redundantStackAccesses(
        items(
          B.stxMem(Size.DW, Reg.R10, Reg.R7, -8),
          B.stMem(Size.W, Reg.R10, -4, 1),
          B.ldxMem(Size.DW, Reg.R7, Reg.R10, -8),
          B.exit(),
        ),
      ).size,
    ).toBe(0);
    expect(
      redundantStackAccesses(
        items(
          B.stxMem(Size.DW, Reg.R10, Reg.R7, -8),
          B.stxMem(Size.DW, Reg.R2, Reg.R1, 0),
          B.ldxMem(Size.DW, Reg.R7, Reg.R10, -8),
          B.exit(),
        ),
      ).size,
    ).toBe(0);
    // probe_read may write the stack through its pointer argument.
    expect(
      redundantStackAccesses(
        items(
          B.stxMem(Size.DW, Reg.R10, Reg.R7, -8),
          B.call(Helper.probe_read),
          B.ldxMem(Size.DW, Reg.R7, Reg.R10, -8),
          B.exit(),
        ),
      ).size,
    ).toBe(0);
  });
  it('needs the fact on every path into a join', () => {
    const flow = items(
      [B.jmpImm(JmpOp.JEQ, Reg.R1, 0, 0), 2],
      B.stxMem(Size.DW, Reg.R10, Reg.R7, -8),
      B.ldxMem(Size.DW, Reg.R7, Reg.R10, -8),
      B.exit(),
    );
    expect(redundantStackAccesses(flow).size).toBe(0);
  });
});

describe('register moves', () => {
  it('stores a helper result directly and drops a dead move', () => {
    const { drop, rewrite } = forwardMoves(
      items(
        B.mov64Reg(Reg.R7, Reg.R0),
        B.stxMem(Size.DW, Reg.R10, Reg.R7, -8),
        B.mov64Imm(Reg.R8, 1),
        B.mov64Imm(Reg.R0, 0),
        B.exit(),
      ),
    );
    expect([...drop].sort()).toEqual([0, 2]);
    expect(rewrite.get(1)?.src).toBe(Reg.R0);
  });
  it('keeps a move whose destination is read again later', () => {
    const { drop } = forwardMoves(
      items(
        B.mov64Reg(Reg.R7, Reg.R0),
        B.stxMem(Size.DW, Reg.R10, Reg.R7, -8),
        B.mov64Reg(Reg.R0, Reg.R7),
        B.exit(),
      ),
    );
    expect(drop.has(0)).toBe(false);
  });
  it('computes a value in the register it is moved to', () => {
    const { drop, rewrite } = coalesceMoves(
      items(
        B.ldxMem(Size.DW, Reg.R8, Reg.R6, 80),
        B.mov64Imm(Reg.R2, 64),
        B.mov64Reg(Reg.R3, Reg.R8),
        B.call(Helper.probe_read_user_str),
        B.exit(),
      ),
    );
    expect([...drop]).toEqual([2]);
    expect(rewrite.get(0)?.dst).toBe(Reg.R3);
  });
  it('does not coalesce when the target register is in use in between', () => {
    const { drop } = coalesceMoves(
      items(
        B.ldxMem(Size.DW, Reg.R8, Reg.R6, 80),
        B.mov64Reg(Reg.R2, Reg.R3),
        B.mov64Reg(Reg.R3, Reg.R8),
        B.call(Helper.probe_read_user_str),
        B.exit(),
      ),
    );
    expect(drop.size).toBe(0);
  });
});

describe('generated code', () => {
  it('keeps a loop variable in its register between its store and its next read', () => {
    const source =
      'BEGIN { $i = 0; while ($i < 10) { $i++; if ($i == 2) { continue; } if ($i == 5) { break; } printf("i=%d\\n", $i); } printf("%d\\n", $i); exit(); }';
    expect(slots(source)[0]).toBeLessThanOrEqual(45);
    expect(run(source).printed).toEqual([[1n], [3n], [4n], [5n]]);
  });
  it('folds bswap of a constant, by width and signedness', () => {
    const source =
      'BEGIN { printf("%lx %lx %lx %d\\n", bswap((uint16)0x1234), bswap((uint32)0x12345678), bswap(0x0102030405060708), bswap((int16)-2)); }';
    expect(run(source).printed).toEqual([[0x3412n, 0x78563412n, 0x0807060504030201n, 0xfeffn]]);
    const code = compile(source).probes[0].bytecode;
    const opcodes = Array.from({ length: code.length / 8 }, (_, i) => code[i * 8]);
    expect(opcodes).not.toContain(0xdc); // no `be` instruction left
  });
  it('lays a reassigned tuple out at compile time', () => {
    const source =
      'BEGIN { $t = (1, "ab"); $t = (2, "abcdef"); print($t); $t = (-3, "x"); print($t); }';
    const tuples = run(source).records.map((r) =>
      Buffer.from(r.bytes.subarray(16)).toString('hex'),
    );
    expect(tuples).toEqual([
      '0200000000000000' + '6162636465660000',
      'fdffffffffffffff' + '7800000000000000',
    ]);
    expect(slots(source)[0]).toBeLessThanOrEqual(35);
  });
  it('drops the context copy when the context is read once at the start', () => {
    const [code] = compile('profile:hz:99 { @[kstack] = count(); }').probes;
    expect(code.bytecode[0]).not.toBe(0xbf); // no `r6 = r1`
  });
});
