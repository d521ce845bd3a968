// Random programs and random bytes never crash or hang the VM: they are refused by decode or
// the verifier with a clean error, or they run within the budget. A program the verifier
// accepts must not fault at run time (that would be a hole in the verifier).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Instruction } from '../../compiler/isa/instruction';
import * as b from '../../compiler/isa/build';
import { decode, IsaError } from '../../compiler/isa/encode';
import { Helper } from '../../compiler/isa/helpers';
import { AluOp, JmpOp, Size } from '../../compiler/isa/opcode';
import { BpfMapType, type MapDef } from '../../compiler/program';
import { PT_REGS, type Event } from '../../probes/event';
import { createHelpers, HELPER_SPECS, HelperEnv, mapPointer } from '../../src/runtime/helpers';
import { MapSet } from '../../src/runtime/maps';
import { CTX_REGION, regionAddress } from '../../src/runtime/memory';
import { verify, VerifierError } from '../../src/runtime/verifier';
import { JitProgram } from '../../src/runtime/jit';
import { DecodedProgram, Interpreter, Machine, VmError } from '../../src/runtime/vm';
import { arbInstruction } from '../isa/arbitrary';

const MAPS: MapDef[] = [
  { id: 0, name: '@a', bpfType: BpfMapType.Hash, keySize: 8, valueSize: 16, maxEntries: 4 },
  {
    id: 1,
    name: '.events',
    bpfType: BpfMapType.PerfEventArray,
    keySize: 4,
    valueSize: 4,
    maxEntries: 0,
  },
];

const reg = fc.integer({ min: 0, max: 10 });
const small = fc.integer({ min: -16, max: 64 });
const stackOff = fc.integer({ min: -72, max: 8 });
const size = fc.constantFrom(Size.B, Size.H, Size.W, Size.DW);
const aluOp = fc.constantFrom(
  AluOp.ADD,
  AluOp.SUB,
  AluOp.MUL,
  AluOp.DIV,
  AluOp.OR,
  AluOp.AND,
  AluOp.LSH,
  AluOp.RSH,
  AluOp.MOD,
  AluOp.XOR,
  AluOp.MOV,
  AluOp.ARSH,
  AluOp.NEG,
);
const jmpOp = fc.constantFrom(
  JmpOp.JEQ,
  JmpOp.JNE,
  JmpOp.JGT,
  JmpOp.JGE,
  JmpOp.JLT,
  JmpOp.JLE,
  JmpOp.JSET,
  JmpOp.JSGT,
  JmpOp.JSLT,
);
const jumpOff = fc.integer({ min: -6, max: 6 });

/** Instructions shaped like real programs, so that some pass the verifier. */
const plausible: fc.Arbitrary<Instruction> = fc.oneof(
  fc.tuple(reg, small).map(([d, i]) => b.mov64Imm(d, i)),
  fc.tuple(reg, reg).map(([d, s]) => b.mov64Reg(d, s)),
  fc.tuple(aluOp, reg, small).map(([op, d, i]) => b.alu64Imm(op, d, i)),
  fc.tuple(aluOp, reg, reg).map(([op, d, s]) => b.alu64Reg(op, d, s)),
  fc.tuple(aluOp, reg, small).map(([op, d, i]) => b.alu32Imm(op, d, i)),
  fc
    .tuple(size, reg, fc.constantFrom(10, 1, 0, 6), stackOff)
    .map(([sz, d, s, o]) => b.ldxMem(sz, d, s, s === 1 ? Math.abs(o) : o)),
  fc
    .tuple(size, fc.constantFrom(10, 0, 2), reg, stackOff)
    .map(([sz, d, s, o]) => b.stxMem(sz, d, s, o)),
  fc.tuple(size, stackOff, small).map(([sz, o, i]) => b.stMem(sz, 10, o, i)),
  fc.tuple(jmpOp, reg, small, jumpOff).map(([op, d, i, o]) => b.jmpImm(op, d, i, o)),
  fc.tuple(jmpOp, reg, reg, jumpOff).map(([op, d, s, o]) => b.jmp32Reg(op, d, s, o)),
  fc
    .constantFrom(
      Helper.map_lookup_elem,
      Helper.map_update_elem,
      Helper.probe_read_kernel,
      Helper.get_current_comm,
      Helper.ktime_get_ns,
      Helper.perf_event_output,
    )
    .map((h) => b.call(h)),
  fc.tuple(fc.constantFrom(1, 2), fc.constantFrom(0, 1)).map(([d, m]) => b.ldMapFd(d, m)),
  fc.tuple(reg, reg).map(([d]) => b.mov64Reg(d, 10)),
  fc.constant(b.exit()),
);

function event(): Event {
  const ctx = new Uint8Array(PT_REGS.size);
  ctx.fill(0x11);
  return {
    probe: 'kprobe:f',
    ts: 5n,
    cpu: 0,
    pid: 1,
    tid: 1,
    uid: 0,
    gid: 0,
    comm: 'x',
    ctx,
    memory: [{ address: 0x1111111111111111n, bytes: new Uint8Array(64), kernel: true }],
  };
}

function attempt(insns: Instruction[]): 'refused' | 'ran' {
  try {
    verify(insns, { maps: MAPS, helpers: HELPER_SPECS, complexityLimit: 20_000 });
  } catch (e) {
    if (e instanceof VerifierError) return 'refused';
    throw e;
  }
  const results: unknown[] = [];
  const decoded = new DecodedProgram(insns);
  for (const exe of [
    new Interpreter(decoded, (_src, imm) => mapPointer(imm)),
    new JitProgram(decoded, (_src, imm) => mapPointer(imm)),
  ]) {
    const maps = new MapSet(MAPS, 1);
    const env = new HelperEnv(maps, 1);
    const m = new Machine(createHelpers(env), 10_000);
    m.reset();
    const ev = event();
    env.event = ev;
    m.memory.set(CTX_REGION, ev.ctx, false);
    m.setReg(1, regionAddress(CTX_REGION));
    let result: string;
    try {
      result = exe.execute(m).toString();
    } catch (e) {
      // Only the budget may stop a verified program (a bounded loop may legitimately run long).
      if (!(e instanceof VmError && /budget/.test(e.message)))
        throw new Error(
          `verified program faulted: ${(e as Error).message}\n${JSON.stringify(insns)}`,
        );
      result = e.message;
    }
    // Everything a program can leave behind: r0 or the error, its count, maps and records.
    const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
    results.push({
      result,
      executed: m.executed,
      maps: maps.maps.map((map) =>
        map.entries().map((e) => ({ key: hex(e.key), values: e.values.map(hex) })),
      ),
      records: maps.records.map(hex),
    });
  }
  expect(results[1]).toEqual(results[0]);
  return 'ran';
}

describe('fuzzing the decoder, verifier and VM', () => {
  it('random bytes are refused cleanly or run', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 160 }), (bytes) => {
        let insns: Instruction[];
        try {
          insns = decode(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(IsaError);
          return;
        }
        attempt(insns);
      }),
      { numRuns: 3000 },
    );
  });

  it('random valid instructions are refused cleanly or run', () => {
    fc.assert(
      fc.property(fc.array(arbInstruction, { minLength: 1, maxLength: 20 }), (insns) => {
        attempt(insns);
      }),
      { numRuns: 2000 },
    );
  });

  it('plausible random programs are refused cleanly or run without faults', () => {
    let ran = 0;
    fc.assert(
      fc.property(fc.array(plausible, { minLength: 1, maxLength: 30 }), (insns) => {
        if (attempt([...insns, b.mov64Imm(0, 0), b.exit()]) === 'ran') ran++;
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 4000) },
    );
    expect(ran).toBeGreaterThan(50);
  });
});
