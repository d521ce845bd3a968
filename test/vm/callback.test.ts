// bpf_for_each_map_elem (helper 164): the verifier checks the callback subprogram that an
// `lddw src=4` names with its arguments (map, read-only key, value, the caller's context
// pointer) and its 0/1 return; the interpreter calls it once per entry.

import { describe, expect, it } from 'vitest';
import type { Instruction } from '../../compiler/isa/instruction';
import * as b from '../../compiler/isa/build';
import { Helper } from '../../compiler/isa/helpers';
import { PseudoSrc, Size } from '../../compiler/isa/opcode';
import { BpfMapType } from '../../compiler/program';
import { HELPER_SPECS } from '../../src/runtime/helpers';
import { verify, VerifierError, type VerifierOptions } from '../../src/runtime/verifier';

const MAPS = [{ id: 0, bpfType: BpfMapType.Hash, keySize: 8, valueSize: 16 }];
const OPTIONS: VerifierOptions = { maps: MAPS, helpers: HELPER_SPECS };

/** main: r1 = map, r2 = callback (at slot 10), r3 = fp-8 or 0, r4 = 0, call 164, exit; then
 *  the callback. */
function withCallback(callback: Instruction[], ctx: 'stack' | 'zero' = 'stack'): Instruction[] {
  const main = [
    b.stMem(Size.DW, 10, -8, 0), // 0
    b.ldMapFd(1, 0), // 1-2
    b.lddw(2, 6n, PseudoSrc.Func), // 3-4: 3 + 6 + 1 = 10
    ...(ctx === 'stack'
      ? [b.mov64Reg(3, 10), b.alu64Imm(0x00, 3, -8)]
      : [b.mov64Imm(3, 0), b.mov64Imm(0, 0)]), // 5-6
    b.mov64Imm(4, 0), // 7
    b.call(Helper.for_each_map_elem), // 8
    b.exit(), // 9
  ];
  return [...main, ...callback];
}

function reason(insns: Instruction[]): string | undefined {
  try {
    verify(insns, OPTIONS);
    return undefined;
  } catch (e) {
    if (e instanceof VerifierError) return `${e.insnIndex}: ${e.message}`;
    throw e;
  }
}

describe('verifier: callbacks', () => {
  it('accepts a callback that reads key and value and writes the caller stack', () => {
    const insns = withCallback([
      b.ldxMem(Size.DW, 5, 2, 0), // key
      b.ldxMem(Size.DW, 0, 3, 8), // value
      b.stxMem(Size.DW, 4, 5, 0), // *ctx = key
      b.mov64Imm(0, 0),
      b.exit(),
    ]);
    expect(reason(insns)).toBeUndefined();
  });
  it('refuses a write into the key', () => {
    expect(reason(withCallback([b.stMem(Size.DW, 2, 0, 1), b.mov64Imm(0, 0), b.exit()]))).toMatch(
      /^10: R2 cannot write into map_key/,
    );
  });
  it('refuses reads past the key and the value', () => {
    expect(reason(withCallback([b.ldxMem(Size.DW, 0, 2, 8), b.exit()]))).toMatch(
      /invalid access to map key/,
    );
    expect(reason(withCallback([b.ldxMem(Size.DW, 0, 3, 16), b.exit()]))).toMatch(
      /invalid access to map value/,
    );
  });
  it('refuses a return value other than 0 or 1', () => {
    expect(reason(withCallback([b.mov64Imm(0, 2), b.exit()]))).toMatch(
      /At callback return the register R0 has scalar\(2\), expected 0 or 1/,
    );
  });
  it('refuses the context argument when it is 0 and the callback dereferences it', () => {
    expect(reason(withCallback([b.ldxMem(Size.DW, 0, 4, 0), b.exit()], 'zero'))).toMatch(
      /R4 invalid mem access 'scalar'/,
    );
  });
  it('refuses a callback argument that is not a subprogram address', () => {
    const insns = withCallback([]).slice(0, 9);
    insns[2] = b.mov64Imm(2, 10); // r2 = 10 instead of the lddw, no callback after exit
    insns.splice(3, 0, b.mov64Imm(0, 0));
    expect(reason(insns)).toMatch(/R2 type=scalar\(10\) expected=func/);
  });
});
