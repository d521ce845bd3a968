import { describe, expect, it } from 'vitest';
import type { Instruction } from '../../compiler/isa/instruction';
import * as b from '../../compiler/isa/build';
import { Helper } from '../../compiler/isa/helpers';
import { AluOp, JmpOp, Size } from '../../compiler/isa/opcode';
import { BpfMapType } from '../../compiler/program';
import { HELPER_SPECS } from '../../src/runtime/helpers';
import { verify, VerifierError, type VerifierOptions } from '../../src/runtime/verifier';

const MAPS = [
  { id: 0, bpfType: BpfMapType.Hash, keySize: 8, valueSize: 16 },
  { id: 1, bpfType: BpfMapType.PerfEventArray, keySize: 4, valueSize: 4 },
];
const OPTIONS: VerifierOptions = { maps: MAPS, helpers: HELPER_SPECS };

function reject(
  insns: Instruction[],
  index: number | undefined,
  message: RegExp,
  options = OPTIONS,
): void {
  try {
    verify(insns, options);
  } catch (e) {
    expect(e).toBeInstanceOf(VerifierError);
    expect((e as VerifierError).message).toMatch(message);
    if (index !== undefined) expect((e as VerifierError).insnIndex).toBe(index);
    return;
  }
  throw new Error('program was accepted');
}

const ok = (insns: Instruction[], options = OPTIONS) =>
  expect(() => verify(insns, options)).not.toThrow();

/** r2 = fp-8 holding a zero key; r1 = map 0. */
const keyOnStack = [
  b.stMem(Size.DW, 10, -8, 0),
  b.mov64Reg(2, 10),
  b.alu64Imm(AluOp.ADD, 2, -8),
  b.ldMapFd(1, 0),
];

describe('verifier accepts safe programs', () => {
  it('a null-checked map lookup and value update', () => {
    ok([
      ...keyOnStack,
      b.call(Helper.map_lookup_elem),
      b.jmpImm(JmpOp.JEQ, 0, 0, 2),
      b.stMem(Size.DW, 0, 8, 1),
      b.ldxMem(Size.DW, 3, 0, 0),
      b.mov64Imm(0, 0),
      b.exit(),
    ]);
  });

  it('a bounded loop', () => {
    ok([
      b.mov64Imm(0, 0),
      b.mov64Imm(1, 0),
      b.alu64Reg(AluOp.ADD, 0, 1),
      b.alu64Imm(AluOp.ADD, 1, 1),
      b.jmpImm(JmpOp.JLT, 1, 100, -3),
      b.exit(),
    ]);
  });

  it('a variable stack offset bounded by a mask', () => {
    ok([
      b.stMem(Size.DW, 10, -16, 1),
      b.stMem(Size.DW, 10, -8, 2),
      b.ldxMem(Size.DW, 1, 1, 0),
      b.alu64Imm(AluOp.AND, 1, 8),
      b.mov64Reg(2, 10),
      b.alu64Reg(AluOp.ADD, 2, 1),
      b.ldxMem(Size.DW, 0, 2, -16),
      b.exit(),
    ]);
  });

  it('perf_event_output of initialised stack', () => {
    ok([
      b.mov64Reg(6, 1),
      b.stMem(Size.DW, 10, -8, 7),
      b.mov64Reg(1, 6),
      b.ldMapFd(2, 1),
      b.lddw(3, 0xffffffffn),
      b.mov64Reg(4, 10),
      b.alu64Imm(AluOp.ADD, 4, -8),
      b.mov64Imm(5, 8),
      b.call(Helper.perf_event_output),
      b.mov64Imm(0, 0),
      b.exit(),
    ]);
  });

  it('probe_read into uninitialised stack, then reading it', () => {
    ok([
      b.mov64Reg(1, 10),
      b.alu64Imm(AluOp.ADD, 1, -16),
      b.mov64Imm(2, 16),
      b.mov64Imm(3, 0),
      b.call(Helper.probe_read_kernel),
      b.ldxMem(Size.DW, 0, 10, -16),
      b.exit(),
    ]);
  });
});

describe('verifier refuses unsafe programs', () => {
  it('uninitialised register read', () => reject([b.mov64Reg(0, 5), b.exit()], 0, /R5 !read_ok/));
  it('uninitialised r0 at exit', () => reject([b.exit()], 0, /R0 !read_ok/));
  it('uninitialised stack read', () =>
    reject([b.ldxMem(Size.DW, 0, 10, -8), b.exit()], 0, /invalid read from stack/));
  it('stack access out of bounds', () =>
    reject(
      [b.stMem(Size.DW, 10, -520, 0), b.mov64Imm(0, 0), b.exit()],
      0,
      /invalid write to stack/,
    ));
  it('stack access above the frame pointer', () =>
    reject([b.stMem(Size.W, 10, -2, 0), b.mov64Imm(0, 0), b.exit()], 0, /invalid write to stack/));
  it('context access out of bounds', () =>
    reject([b.ldxMem(Size.DW, 0, 1, 168), b.exit()], 0, /invalid bpf_context access off=168/));
  it('context write', () =>
    reject(
      [b.stMem(Size.DW, 1, 0, 0), b.mov64Imm(0, 0), b.exit()],
      0,
      /invalid bpf_context access/,
    ));
  it('map value access out of bounds', () =>
    reject(
      [
        ...keyOnStack,
        b.call(Helper.map_lookup_elem),
        b.jmpImm(JmpOp.JEQ, 0, 0, 1),
        b.ldxMem(Size.DW, 1, 0, 12),
        b.mov64Imm(0, 0),
        b.exit(),
      ],
      7,
      /invalid access to map value, size=16 off=12 access_size=8/,
    ));
  it('map value used without a null check', () =>
    reject(
      [
        ...keyOnStack,
        b.call(Helper.map_lookup_elem),
        b.ldxMem(Size.DW, 1, 0, 0),
        b.mov64Imm(0, 0),
        b.exit(),
      ],
      6,
      /R0 invalid mem access 'map_value_or_null'/,
    ));
  it('dereferencing a scalar', () =>
    reject(
      [b.mov64Imm(1, 4096), b.ldxMem(Size.DW, 0, 1, 0), b.exit()],
      1,
      /R1 invalid mem access 'scalar'/,
    ));
  it('unbounded pointer arithmetic', () =>
    reject(
      [
        b.ldxMem(Size.DW, 2, 1, 0),
        b.mov64Reg(3, 10),
        b.alu64Reg(AluOp.ADD, 3, 2),
        b.mov64Imm(0, 0),
        b.exit(),
      ],
      2,
      /unbounded min value/,
    ));
  it('32-bit pointer arithmetic', () =>
    reject(
      [b.mov64Reg(2, 10), b.alu32Imm(AluOp.ADD, 2, -8), b.mov64Imm(0, 0), b.exit()],
      1,
      /32-bit pointer arithmetic prohibited/,
    ));
  it('an infinite loop', () => reject([b.mov64Imm(0, 0), b.ja(-1)], 1, /infinite loop detected/));
  it('a loop whose bound is unknown hits the complexity limit', () =>
    reject(
      [
        b.ldxMem(Size.DW, 2, 1, 0),
        b.mov64Imm(0, 0),
        b.alu64Imm(AluOp.ADD, 0, 1),
        b.jmpReg(JmpOp.JNE, 0, 2, -2),
        b.exit(),
      ],
      undefined,
      /BPF program is too large/,
      { ...OPTIONS, complexityLimit: 5000 },
    ));
  it('an unknown helper', () => reject([b.call(9999), b.exit()], 0, /invalid func unknown#9999/));
  it('map_lookup_elem without a map in r1', () =>
    reject(
      [b.mov64Imm(1, 0), b.mov64Reg(2, 10), b.call(Helper.map_lookup_elem), b.exit()],
      2,
      /R1 type=scalar\(0\) expected=map_ptr/,
    ));
  it('map_lookup_elem with an uninitialised key', () =>
    reject(
      [
        b.mov64Reg(2, 10),
        b.alu64Imm(AluOp.ADD, 2, -8),
        b.ldMapFd(1, 0),
        b.call(Helper.map_lookup_elem),
        b.exit(),
      ],
      4,
      /invalid indirect read from stack R2/,
    ));
  it('a map of the wrong type', () =>
    reject(
      [
        b.stMem(Size.DW, 10, -8, 0),
        b.mov64Reg(2, 10),
        b.alu64Imm(AluOp.ADD, 2, -8),
        b.ldMapFd(1, 1),
        b.call(Helper.map_lookup_elem),
        b.exit(),
      ],
      5,
      /cannot pass map_type 4/,
    ));
  it('an unknown map', () =>
    reject(
      [b.ldMapFd(1, 7), b.mov64Imm(0, 0), b.exit()],
      0,
      /fd 7 is not pointing to valid bpf_map/,
    ));
  it('a write to r10', () =>
    reject([b.mov64Imm(10, 0), b.exit()], 0, /frame pointer is read only/));
  it('falling off the end', () => reject([b.mov64Imm(0, 0)], 0, /last insn is not an exit or jmp/));
  it('a jump out of range', () =>
    reject(
      [b.mov64Imm(0, 0), b.jmpImm(JmpOp.JEQ, 0, 0, 5), b.exit()],
      1,
      /jump out of range from insn 1 to 7/,
    ));
  it('a jump into the middle of lddw', () =>
    reject([b.ja(1), b.lddw(0, 1n), b.exit()], 0, /jump into the middle of ldimm64 insn 1/));
  it('unreachable code', () =>
    reject([b.mov64Imm(0, 0), b.exit(), b.exit()], 2, /unreachable insn 2/));
  it('division by an immediate zero', () =>
    reject([b.mov64Imm(0, 1), b.alu64Imm(AluOp.DIV, 0, 0), b.exit()], 1, /division by zero/));
  it('an out-of-range shift', () =>
    reject([b.mov64Imm(0, 1), b.alu32Imm(AluOp.LSH, 0, 32), b.exit()], 1, /invalid shift 32/));
  it('returning a pointer', () => reject([b.mov64Reg(0, 10), b.exit()], 1, /R0 leaks addr/));
});
