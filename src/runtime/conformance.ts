// Runs the bpf_conformance vectors (shared/bpf-conformance/tests/*.data): each program
// is verified in conformance mode, then run with r1 = a copy of the vector's memory (0 when
// it has none), r2 = its length, and r0 compared with the expected result.
//
// Conformance mode (VerifierOptions.mode = 'conformance') differs from the kernel mode only
// where the vectors go beyond what Linux accepts: shift immediates outside 0..width-1 are
// allowed (the VM masks them, as RFC 9669 says), r1 is a pointer to r2 bytes of writable test
// memory instead of a context, `callx` with a known constant register calls that helper,
// and helper 5 is the suite's `unwind` test helper (returns its argument; when the argument
// is 0 the program stops with r0 = 0).

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { assemble } from '../../compiler/isa/asm';
import { decode } from '../../compiler/isa/encode';
import type { Instruction } from '../../compiler/isa/instruction';
import { FIRST_DYNAMIC_REGION } from './memory';
import { verify, type HelperSpec } from './verifier';
import { DecodedProgram, Interpreter, Machine, type HelperFn } from './vm';

export interface ConformanceVector {
  name: string;
  insns: Instruction[];
  memory: Uint8Array;
  /** Expected r0, or undefined when an error is expected. */
  result?: bigint;
  error?: string;
}

export interface ConformanceOutcome {
  name: string;
  passed: boolean;
  message?: string;
}

/** Parses one `.data` vector. */
export function parseVector(name: string, text: string): ConformanceVector {
  const sections = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of text.split('\n')) {
    const header = /^--\s*(.*?)\s*$/.exec(line);
    if (header) {
      current = [];
      sections.set(header[1]!, current);
    } else current?.push(line);
  }
  const asm = sections.get('asm');
  const raw = sections.get('raw');
  let insns: Instruction[];
  if (asm) insns = assemble(asm.join('\n'));
  else if (raw) {
    const words = raw.map((l) => l.replace(/#.*/, '').trim()).filter(Boolean);
    const bytes = new Uint8Array(words.length * 8);
    const view = new DataView(bytes.buffer);
    words.forEach((w, i) => view.setBigUint64(i * 8, BigInt(w), true));
    insns = decode(bytes);
  } else throw new Error(`${name}: no -- asm or -- raw section`);
  const memText = (sections.get('mem') ?? []).join(' ').replace(/#.*/g, '').trim();
  const memory = new Uint8Array(memText ? memText.split(/\s+/).map((h) => parseInt(h, 16)) : []);
  const resultText = sections
    .get('result')
    ?.map((l) => l.replace(/#.*/, '').trim())
    .find(Boolean);
  const error = sections
    .get('error')
    ?.map((l) => l.trim())
    .find(Boolean);
  return {
    name,
    insns,
    memory,
    result: resultText !== undefined ? BigInt(resultText) : undefined,
    error,
  };
}

class Unwind {}

/** The suite's test helpers. */
export const CONFORMANCE_HELPERS: HelperFn[] = [];
CONFORMANCE_HELPERS[5] = (m) => {
  const arg = m.reg(1);
  if (arg === 0n) throw new Unwind();
  return arg;
};

export const CONFORMANCE_HELPER_SPECS = new Map<number, HelperSpec>([
  [5, { name: 'unwind', args: ['anything'], ret: 'integer' }],
]);

/** Verifies and runs one vector. */
export function runVector(v: ConformanceVector): ConformanceOutcome {
  try {
    verify(v.insns, {
      mode: 'conformance',
      memorySize: v.memory.length,
      helpers: CONFORMANCE_HELPER_SPECS,
    });
    const program = new DecodedProgram(v.insns);
    const machine = new Machine(CONFORMANCE_HELPERS);
    machine.reset();
    if (v.memory.length > 0) {
      const address = machine.memory.addressOf(v.memory.slice(), true);
      if (machine.memory.count !== FIRST_DYNAMIC_REGION + 1)
        throw new Error('unexpected region layout');
      machine.setReg(1, address);
    }
    machine.setReg(2, BigInt(v.memory.length));
    let r0: bigint;
    try {
      r0 = new Interpreter(program).execute(machine);
    } catch (e) {
      if (!(e instanceof Unwind)) throw e;
      r0 = 0n;
    }
    if (v.result === undefined)
      return {
        name: v.name,
        passed: false,
        message: `expected error '${v.error}', got r0 = 0x${r0.toString(16)}`,
      };
    if (r0 !== BigInt.asUintN(64, v.result))
      return {
        name: v.name,
        passed: false,
        message: `expected 0x${v.result.toString(16)}, got 0x${r0.toString(16)}`,
      };
    return { name: v.name, passed: true };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (v.result === undefined) return { name: v.name, passed: true, message };
    return { name: v.name, passed: false, message };
  }
}

/** Lists the vectors of a directory, sorted by name. */
export function loadVectors(dir: string): { name: string; text: string }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.data'))
    .sort()
    .map((f) => ({ name: f.replace(/\.data$/, ''), text: readFileSync(join(dir, f), 'utf8') }));
}

/** Runs every vector in `dir`; what `npm run conformance` prints as `bpf-conformance: pass N/M`. */
export function runBpfConformanceSuite(dir: string): {
  passed: number;
  total: number;
  failures: ConformanceOutcome[];
} {
  const failures: ConformanceOutcome[] = [];
  let passed = 0;
  const files = loadVectors(dir);
  for (const { name, text } of files) {
    let outcome: ConformanceOutcome;
    try {
      outcome = runVector(parseVector(name, text));
    } catch (e) {
      outcome = { name, passed: false, message: e instanceof Error ? e.message : String(e) };
    }
    if (outcome.passed) passed++;
    else failures.push(outcome);
  }
  return { passed, total: files.length, failures };
}
