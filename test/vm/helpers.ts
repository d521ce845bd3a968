// Shared test helpers: run instructions on a bare machine (conformance-style, no context).
import type { Instruction } from '../../compiler/isa/instruction';
import { DecodedProgram, Interpreter, Machine, type HelperFn } from '../../src/runtime/vm';

export function runBare(
  insns: Instruction[],
  setup?: (m: Machine) => void,
  helpers: HelperFn[] = [],
): bigint {
  const m = new Machine(helpers);
  m.reset();
  setup?.(m);
  return new Interpreter(new DecodedProgram(insns)).execute(m);
}
