import fc from 'fast-check';
import { invalidOpcodeReason } from '../../compiler/isa/encode';
import type { Instruction } from '../../compiler/isa/instruction';
import { LDDW } from '../../compiler/isa/opcode';

export const validOpcodes = Array.from({ length: 256 }, (_, i) => i).filter(
  (op) => invalidOpcodeReason(op) === undefined,
);

/** Arbitrary valid instructions (fields within range; lddw with a 64-bit constant). */
export const arbInstruction: fc.Arbitrary<Instruction> = fc
  .record({
    opcode: fc.constantFrom(...validOpcodes),
    dst: fc.integer({ min: 0, max: 10 }),
    src: fc.integer({ min: 0, max: 10 }),
    offset: fc.integer({ min: -32768, max: 32767 }),
    imm: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    high: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  })
  .map(({ opcode, dst, src, offset, imm, high }) =>
    opcode === LDDW
      ? {
          opcode,
          dst,
          src,
          offset,
          imm,
          imm64: BigInt.asUintN(64, (BigInt(high) << 32n) | BigInt(imm >>> 0)),
        }
      : { opcode, dst, src, offset, imm },
  );
