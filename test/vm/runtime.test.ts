import { describe, expect, it } from 'vitest';
import type { Instruction } from '../../compiler/isa/instruction';
import * as b from '../../compiler/isa/build';
import { encode } from '../../compiler/isa/encode';
import { Helper } from '../../compiler/isa/helpers';
import { AluOp, JmpOp, Size } from '../../compiler/isa/opcode';
import { BpfMapType, type MapDef, type Program } from '../../compiler/program';
import type { Event } from '../../probes/event';
import { PT_REGS } from '../../probes/event';
import { HELPER_SPECS } from '../../src/runtime/helpers';
import { Runtime, VerifierError } from '../../src/runtime/index';
import { E2BIG, EEXIST, EFAULT, ENOENT } from '../../src/runtime/maps';

function program(probes: Instruction[][], maps: MapDef[], attach = 'kprobe:f'): Program {
  return {
    sourceName: 'test',
    source: '',
    probeNames: [],
    probes: probes.map((insns, index) => ({
      index,
      attachPoints: [attach],
      bytecode: encode(insns),
      lines: [],
      stackSize: 0,
    })),
    maps,
    printfs: [],
    cats: [],
    systems: [],
    timeFormats: [],
    printValues: [],
    joins: [],
    mapNames: [],
    warnings: [],
  };
}

function event(over: Partial<Event> = {}): Event {
  const ctx = new Uint8Array(PT_REGS.size);
  return {
    probe: 'kprobe:f',
    ts: 1000n,
    cpu: 0,
    pid: 100,
    tid: 101,
    uid: 1000,
    gid: 1001,
    comm: 'bash',
    ctx,
    memory: [],
    ...over,
  };
}

const map = (
  id: number,
  bpfType: BpfMapType,
  keySize: number,
  valueSize: number,
  maxEntries: number,
  name = `@m${id}`,
): MapDef => ({
  id,
  name,
  bpfType,
  keySize,
  valueSize,
  maxEntries,
});

/** r2 = &key(fp-8) = ctx->di (first argument, ctx in r6); r1 = map `id`. */
const keyFromArg = (id: number) => [
  b.ldxMem(Size.DW, 3, 6, PT_REGS.di),
  b.stxMem(Size.DW, 10, 3, -8),
  b.mov64Reg(2, 10),
  b.alu64Imm(AluOp.ADD, 2, -8),
  b.ldMapFd(1, id),
];

/** @m[arg0] = arg0 * 2 with flags; returns the update result. */
const updateProgram = (id: number, flags: number) => [
  b.mov64Reg(6, 1),
  ...keyFromArg(id),
  b.alu64Imm(AluOp.MUL, 3, 2),
  b.stxMem(Size.DW, 10, 3, -16),
  b.mov64Reg(3, 10),
  b.alu64Imm(AluOp.ADD, 3, -16),
  b.mov64Imm(4, flags),
  b.call(Helper.map_update_elem),
  b.exit(),
];

/** count: v = lookup(key); if (!v) { update(key, 1) } else { *v += 1 } */
const countProgram = (id: number) => [
  b.mov64Reg(6, 1),
  ...keyFromArg(id),
  b.call(Helper.map_lookup_elem),
  b.jmpImm(JmpOp.JEQ, 0, 0, 4),
  b.mov64Imm(1, 1),
  b.atomic(Size.DW, AluOp.ADD, 0, 1, 0),
  b.mov64Imm(0, 0),
  b.exit(),
  b.stMem(Size.DW, 10, -16, 1),
  ...keyFromArg(id),
  b.mov64Reg(3, 10),
  b.alu64Imm(AluOp.ADD, 3, -16),
  b.mov64Imm(4, 0),
  b.call(Helper.map_update_elem),
  b.mov64Imm(0, 0),
  b.exit(),
];

function argEvent(arg: bigint, over: Partial<Event> = {}): Event {
  const e = event(over);
  new DataView(e.ctx.buffer).setBigUint64(PT_REGS.di, arg, true);
  return e;
}

const u64 = (bytes: Uint8Array, at = 0) =>
  new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(at, true);

describe('Runtime', () => {
  it('verifies every probe at construction and names the probe', () => {
    try {
      new Runtime(
        program(
          [
            [b.mov64Imm(0, 0), b.exit()],
            [b.ldxMem(Size.DW, 0, 10, -8), b.exit()],
          ],
          [],
        ),
      );
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(VerifierError);
      expect((e as VerifierError).probeIndex).toBe(1);
    }
  });

  it('hash maps follow the kernel update flags and max_entries', () => {
    const full: number[] = [];
    const rt = new Runtime(
      program(
        [updateProgram(0, 0), updateProgram(0, 1), updateProgram(0, 2)],
        [map(0, BpfMapType.Hash, 8, 8, 2)],
      ),
      {
        onMapFull: (id) => full.push(id),
      },
    );
    const errno = (v: bigint) => Number(BigInt.asIntN(64, v));
    expect(errno(rt.run(2, argEvent(1n)))).toBe(-ENOENT); // BPF_EXIST on a missing key
    expect(errno(rt.run(0, argEvent(1n)))).toBe(0);
    expect(errno(rt.run(1, argEvent(1n)))).toBe(-EEXIST); // BPF_NOEXIST on a present key
    expect(errno(rt.run(2, argEvent(1n)))).toBe(0);
    expect(errno(rt.run(0, argEvent(2n)))).toBe(0);
    expect(errno(rt.run(0, argEvent(3n)))).toBe(-E2BIG);
    expect(full).toEqual([0]);
    expect(rt.mapFullCounts.get(0)).toBe(1);
    const entries = rt.mapEntries(0);
    expect(entries.map((e) => [u64(e.key), u64(e.values[0]!)])).toEqual([
      [1n, 2n],
      [2n, 4n],
    ]);
    rt.zeroMap(0);
    expect(rt.mapEntries(0).map((e) => u64(e.values[0]!))).toEqual([0n, 0n]);
    rt.clearMap(0);
    expect(rt.mapEntries(0)).toEqual([]);
  });

  it('LRU hash maps evict the least recently used key instead of failing', () => {
    const rt = new Runtime(program([countProgram(0)], [map(0, BpfMapType.LruHash, 8, 8, 2)]));
    for (const k of [1n, 2n, 1n, 3n]) rt.run(0, argEvent(k));
    expect(
      rt
        .mapEntries(0)
        .map((e) => u64(e.key))
        .sort(),
    ).toEqual([1n, 3n]);
  });

  it('per-CPU maps keep one value per CPU', () => {
    const rt = new Runtime(program([countProgram(0)], [map(0, BpfMapType.PercpuHash, 8, 8, 10)]), {
      ncpus: 2,
    });
    rt.run(0, argEvent(7n, { cpu: 0 }));
    rt.run(0, argEvent(7n, { cpu: 1 }));
    rt.run(0, argEvent(7n, { cpu: 1 }));
    rt.run(0, argEvent(7n, { cpu: 3 })); // grows to 4 CPUs
    const [entry] = rt.mapEntries(0);
    expect(entry!.values.map((v) => u64(v))).toEqual([1n, 2n, 0n, 1n]);
  });

  it('array maps are preallocated and reject deletes', () => {
    const del = [b.mov64Reg(6, 1), ...keyFromArg(0), b.call(Helper.map_delete_elem), b.exit()];
    const rt = new Runtime(
      program([countProgram(0), del], [map(0, BpfMapType.PercpuArray, 4, 8, 1)]),
    );
    rt.run(0, argEvent(0n));
    rt.run(0, argEvent(0n));
    expect(Number(BigInt.asIntN(64, rt.run(1, argEvent(0n))))).toBe(-22);
    const entries = rt.mapEntries(0);
    expect(entries.length).toBe(1);
    expect(u64(entries[0]!.values[0]!)).toBe(2n);
  });

  it('task helpers read the event', () => {
    const call = (h: Helper) => [b.call(h), b.exit()];
    const rt = new Runtime(
      program(
        [
          call(Helper.get_current_pid_tgid),
          call(Helper.get_current_uid_gid),
          call(Helper.ktime_get_ns),
          call(Helper.get_smp_processor_id),
          call(Helper.get_current_cgroup_id),
        ],
        [],
      ),
    );
    const e = event({ cpu: 3, cgroup: 42n });
    expect(rt.run(0, e)).toBe((100n << 32n) | 101n);
    expect(rt.run(1, e)).toBe((1001n << 32n) | 1000n);
    expect(rt.run(2, e)).toBe(1000n);
    expect(rt.run(3, e)).toBe(3n);
    expect(rt.run(4, e)).toBe(42n);
  });

  it('get_prandom_u32 is deterministic per seed', () => {
    const p = program([[b.call(Helper.get_prandom_u32), b.exit()]], []);
    const seq = (seed: number) => {
      const rt = new Runtime(p, { seed });
      return [1, 2, 3].map(() => rt.run(0, event()));
    };
    expect(seq(5)).toEqual(seq(5));
    expect(seq(5)).not.toEqual(seq(6));
    expect(seq(5).every((v) => v >= 0n && v < 2n ** 32n)).toBe(true);
  });

  it('get_current_comm writes 16 NUL-padded bytes and perf_event_output emits a copy', () => {
    const emit = [
      b.mov64Reg(6, 1),
      b.mov64Reg(1, 10),
      b.alu64Imm(AluOp.ADD, 1, -16),
      b.mov64Imm(2, 16),
      b.call(Helper.get_current_comm),
      b.mov64Reg(1, 6),
      b.ldMapFd(2, 0),
      b.lddw(3, 0xffffffffn),
      b.mov64Reg(4, 10),
      b.alu64Imm(AluOp.ADD, 4, -16),
      b.mov64Imm(5, 16),
      b.call(Helper.perf_event_output),
      b.exit(),
    ];
    const rt = new Runtime(
      program([emit], [map(0, BpfMapType.PerfEventArray, 4, 4, 0, '.events')]),
    );
    expect(rt.run(0, event({ comm: 'nginx' }))).toBe(0n);
    expect(rt.run(0, event({ comm: 'a-very-long-command-name' }))).toBe(0n);
    const records = rt.takeRecords();
    expect(records.map((r) => Buffer.from(r).toString('latin1'))).toEqual([
      'nginx' + '\0'.repeat(11),
      'a-very-long-com\0',
    ]);
    expect(rt.takeRecords()).toEqual([]);
  });

  it('probe_read_user_str copies up to the NUL, fails on kernel or unmapped memory', () => {
    const read = (helper: Helper) => [
      b.ldxMem(Size.DW, 3, 1, PT_REGS.di),
      b.mov64Reg(1, 10),
      b.alu64Imm(AluOp.ADD, 1, -8),
      b.mov64Imm(2, 8),
      b.call(helper),
      b.mov64Reg(6, 0),
      // @m[buffer] = result, so the test can see the buffer
      b.stxMem(Size.DW, 10, 6, -16),
      b.mov64Reg(3, 10),
      b.alu64Imm(AluOp.ADD, 3, -16),
      b.mov64Reg(2, 10),
      b.alu64Imm(AluOp.ADD, 2, -8),
      b.ldMapFd(1, 0),
      b.mov64Imm(4, 0),
      b.call(Helper.map_update_elem),
      b.mov64Reg(0, 6),
      b.exit(),
    ];
    const rt = new Runtime(
      program(
        [read(Helper.probe_read_user_str), read(Helper.probe_read_kernel_str)],
        [map(0, BpfMapType.Hash, 8, 8, 10)],
      ),
    );
    const text = new TextEncoder().encode('hi\0');
    const long = new TextEncoder().encode('abcdefghijkl\0');
    const memory = [
      { address: 0x7000n, bytes: text, kernel: false },
      { address: 0x8000n, bytes: long, kernel: false },
    ];
    const val = (v: bigint) => Number(BigInt.asIntN(64, v));
    expect(val(rt.run(0, argEvent(0x7000n, { memory })))).toBe(3);
    expect(val(rt.run(0, argEvent(0x8000n, { memory })))).toBe(8);
    expect(val(rt.run(1, argEvent(0x7000n, { memory })))).toBe(-EFAULT);
    expect(val(rt.run(0, argEvent(0x9000n, { memory })))).toBe(-EFAULT);
    const keys = rt.mapEntries(0).map((e) => Buffer.from(e.key).toString('latin1'));
    expect(keys).toContain('hi\0\0\0\0\0\0');
    expect(keys).toContain('abcdefg\0');
    expect(keys).toContain('\0'.repeat(8));
  });

  it('get_stackid stores the kernel or user stack and returns its id', () => {
    const stackid = (flags: number) => [
      b.ldMapFd(2, 0),
      b.mov64Imm(3, flags),
      b.call(Helper.get_stackid),
      b.exit(),
    ];
    const rt = new Runtime(
      program(
        [stackid(0), stackid(1 << 8)],
        [map(0, BpfMapType.StackTrace, 4, 8 * 4, 100, '.kstack')],
      ),
    );
    const e = event({ kstack: [0xffffffff81000010n, 0xffffffff81000020n], ustack: [0x401000n] });
    const k = rt.run(0, e);
    const u = rt.run(1, e);
    expect(rt.run(0, e)).toBe(k);
    expect(rt.stackTrace(0, Number(k))).toEqual([0xffffffff81000010n, 0xffffffff81000020n]);
    expect(rt.stackTrace(0, Number(u))).toEqual([0x401000n]);
    expect(Number(BigInt.asIntN(64, rt.run(0, event())))).toBe(-EFAULT);
  });

  it('has an implementation for every helper the verifier accepts', () => {
    const rt = new Runtime(program([], []));
    const helpers = (rt as unknown as { machine: { helpers: unknown[] } }).machine.helpers;
    for (const id of HELPER_SPECS.keys())
      expect(helpers[id], `helper ${id}`).toBeTypeOf('function');
  });
});
