// Micro-benchmark of the interpreter: a tight loop of ALU, jump and stack instructions,
// reported as nanoseconds per executed instruction (`npm run bench`).

import * as b from '../../compiler/isa/build';
import { AluOp, JmpOp, Size } from '../../compiler/isa/opcode';
import { verify } from './verifier';
import { JitProgram } from './jit';
import { DecodedProgram, Interpreter, Machine, type Executable } from './vm';

export interface BenchResult {
  name: string;
  instructions: number;
  nsPerInstruction: number;
}

/** sum += i * 3 ^ i; spill/fill through the stack; loop `iterations` times. */
export function loopProgram(iterations: number) {
  return [
    b.mov64Imm(0, 0),
    b.mov64Imm(1, 0),
    b.stMem(Size.DW, 10, -8, 0),
    b.mov64Reg(2, 1),
    b.alu64Imm(AluOp.MUL, 2, 3),
    b.alu64Reg(AluOp.XOR, 2, 1),
    b.alu64Reg(AluOp.ADD, 0, 2),
    b.ldxMem(Size.DW, 3, 10, -8),
    b.alu64Imm(AluOp.ADD, 3, 1),
    b.stxMem(Size.DW, 10, 3, -8),
    b.alu64Imm(AluOp.ADD, 1, 1),
    b.jmpImm(JmpOp.JLT, 1, iterations, -9),
    b.exit(),
  ];
}

/**
 * Runs the loop benchmark (`iterations` × 9 instructions per run) on the JIT (what the
 * Runtime uses) or on the reference interpreter.
 */
export function runBench(
  iterations = 1_000_000,
  repeats = 5,
  executor: 'jit' | 'interpreter' = 'jit',
): BenchResult {
  // A loop this long exceeds the verifier's complexity limit, as it would the kernel's; verify
  // the same loop shape with a small bound instead.
  verify(loopProgram(10), { mode: 'conformance' });
  const decoded = new DecodedProgram(loopProgram(iterations));
  return executor === 'jit'
    ? measure('jit loop', new JitProgram(decoded), repeats)
    : measure('interpreter loop', new Interpreter(decoded), repeats);
}

function measure(name: string, program: Executable, repeats: number): BenchResult {
  const machine = new Machine([], Number.MAX_SAFE_INTEGER);
  let best = Infinity;
  let executed = 0;
  for (let r = 0; r < repeats; r++) {
    machine.reset();
    const start = process.hrtime.bigint();
    program.execute(machine);
    const ns = Number(process.hrtime.bigint() - start);
    executed = machine.executed;
    best = Math.min(best, ns / executed);
  }
  return { name, instructions: executed, nsPerInstruction: best };
}
