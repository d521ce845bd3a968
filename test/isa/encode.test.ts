import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decode, encode, IsaError } from '../../compiler/isa/encode';
import { arbInstruction } from './arbitrary';
import * as b from '../../compiler/isa/build';
import { AluOp, JmpOp, Size } from '../../compiler/isa/opcode';

describe('encode/decode', () => {
  it('round-trips any valid instruction sequence', () => {
    fc.assert(
      fc.property(fc.array(arbInstruction, { maxLength: 40 }), (insns) => {
        expect(decode(encode(insns))).toEqual(insns);
      }),
    );
  });

  it('re-encodes decoded bytes identically', () => {
    fc.assert(
      fc.property(fc.array(arbInstruction, { maxLength: 40 }), (insns) => {
        const bytes = encode(insns);
        expect(encode(decode(bytes))).toEqual(bytes);
      }),
    );
  });

  it('encodes little-endian fields', () => {
    const bytes = encode([b.jmpImm(JmpOp.JGT, 1, 2, 3), b.lddw(0, 0x1122334455667788n), b.exit()]);
    expect([...bytes].map((x) => x.toString(16).padStart(2, '0')).join(' ')).toBe(
      '25 01 03 00 02 00 00 00 18 00 00 00 88 77 66 55 00 00 00 00 44 33 22 11 95 00 00 00 00 00 00 00',
    );
  });

  it('builds the documented forms', () => {
    expect(b.mov64Imm(1, -1)).toEqual({ opcode: 0xb7, dst: 1, src: 0, offset: 0, imm: -1 });
    expect(b.alu32Reg(AluOp.ADD, 2, 3).opcode).toBe(0x0c);
    expect(b.ldxMem(Size.DW, 0, 10, -8)).toEqual({
      opcode: 0x79,
      dst: 0,
      src: 10,
      offset: -8,
      imm: 0,
    });
    expect(b.ldMapFd(1, 4)).toMatchObject({ opcode: 0x18, dst: 1, src: 1, imm: 4, imm64: 4n });
    expect(b.call(14)).toEqual({ opcode: 0x85, dst: 0, src: 0, offset: 0, imm: 14 });
    expect(b.ja32(-3).opcode).toBe(0x06);
  });

  it('reports truncated input with the slot index', () => {
    const bytes = encode([b.exit(), b.exit()]).subarray(0, 12);
    expect(() => decode(bytes)).toThrow(IsaError);
    try {
      decode(bytes);
    } catch (e) {
      expect((e as IsaError).slot).toBe(1);
      expect((e as IsaError).message).toMatch(/truncated/);
    }
  });

  it('reports an lddw missing its second half', () => {
    const bytes = encode([b.exit(), b.lddw(1, 5n)]).subarray(0, 16);
    expect(() => decode(bytes)).toThrow(/instruction 1: lddw is missing its second half/);
  });

  it('reports unknown opcodes', () => {
    const bytes = new Uint8Array([0x8e, 0, 0, 0, 0, 0, 0, 0]);
    expect(() => decode(bytes)).toThrow(/instruction 0: .*opcode 0x8e/);
    expect(() => decode(new Uint8Array([0xff, 0, 0, 0, 0, 0, 0, 0]))).toThrow(IsaError);
  });

  it('never throws anything but IsaError on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          decode(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(IsaError);
        }
      }),
    );
  });
});
