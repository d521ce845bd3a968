// The helper functions of compiler/isa/helpers.ts as the VM runs them: each reads the event
// the way the kernel's helper reads the current task, and follows the kernel's return values
// and errors. HELPER_SPECS gives the verifier each helper's argument types.

import { BPF_F_CURRENT_CPU, Helper } from '../../compiler/isa/helpers';
import { BpfMapType } from '../../compiler/program';
import type { Event } from '../../probes/event';
import { PT_REGS } from '../../probes/event';
import {
  BPF_EXIST,
  E2BIG,
  EFAULT,
  EINVAL,
  EmulatedMap,
  HashMap,
  MapSet,
  OutputMap,
  StackTraceMap,
} from './maps';
import { REGION_HI_BASE, resolveEventMemory, type Resolved } from './memory';
import type { HelperSpec } from './verifier';
import { funcTarget, type HelperFn, type Machine } from './vm';

/** High half of the value `lddw rX, map` loads: map pointers are (MAP_PTR_HI << 32) | id. */
export const MAP_PTR_HI = 0xffff9000;

export function mapPointer(mapId: number): bigint {
  return (BigInt(MAP_PTR_HI) << 32n) | BigInt(mapId);
}

/** `bpf_get_stackid` flag selecting the user stack. */
export const BPF_F_USER_STACK = 1n << 8n;
const BPF_F_SKIP_FIELD_MASK = 0xffn;

const MAP_OUTPUT = [BpfMapType.PerfEventArray];
const MAP_LOOKUP = [
  BpfMapType.Hash,
  BpfMapType.Array,
  BpfMapType.PercpuHash,
  BpfMapType.PercpuArray,
  BpfMapType.LruHash,
  BpfMapType.StackTrace,
];
const MAP_UPDATE = [
  BpfMapType.Hash,
  BpfMapType.Array,
  BpfMapType.PercpuHash,
  BpfMapType.PercpuArray,
  BpfMapType.LruHash,
];

export const HELPER_SPECS: ReadonlyMap<number, HelperSpec> = new Map<number, HelperSpec>([
  [
    Helper.for_each_map_elem,
    {
      name: 'for_each_map_elem',
      args: ['map', 'callback', 'callbackCtx', 'anything'],
      ret: 'integer',
      mapTypes: MAP_LOOKUP,
    },
  ],
  [
    Helper.map_lookup_elem,
    {
      name: 'map_lookup_elem',
      args: ['map', 'mapKey'],
      ret: 'mapValueOrNull',
      mapTypes: MAP_LOOKUP,
    },
  ],
  [
    Helper.map_update_elem,
    {
      name: 'map_update_elem',
      args: ['map', 'mapKey', 'mapValue', 'anything'],
      ret: 'integer',
      mapTypes: MAP_UPDATE,
    },
  ],
  [
    Helper.map_delete_elem,
    { name: 'map_delete_elem', args: ['map', 'mapKey'], ret: 'integer', mapTypes: MAP_UPDATE },
  ],
  [
    Helper.probe_read,
    { name: 'probe_read', args: ['uninitMem', 'sizeOrZero', 'anything'], ret: 'integer' },
  ],
  [Helper.ktime_get_ns, { name: 'ktime_get_ns', args: [], ret: 'integer' }],
  [Helper.trace_printk, { name: 'trace_printk', args: ['mem', 'size'], ret: 'integer' }],
  [Helper.get_prandom_u32, { name: 'get_prandom_u32', args: [], ret: 'integer' }],
  [Helper.get_smp_processor_id, { name: 'get_smp_processor_id', args: [], ret: 'integer' }],
  [Helper.get_current_pid_tgid, { name: 'get_current_pid_tgid', args: [], ret: 'integer' }],
  [Helper.get_current_uid_gid, { name: 'get_current_uid_gid', args: [], ret: 'integer' }],
  [
    Helper.get_current_comm,
    { name: 'get_current_comm', args: ['uninitMem', 'size'], ret: 'integer' },
  ],
  [
    Helper.perf_event_output,
    {
      name: 'perf_event_output',
      args: ['ctx', 'map', 'anything', 'mem', 'size'],
      ret: 'integer',
      mapTypes: MAP_OUTPUT,
    },
  ],
  [
    Helper.get_stackid,
    {
      name: 'get_stackid',
      args: ['ctx', 'map', 'anything'],
      ret: 'integer',
      mapTypes: [BpfMapType.StackTrace],
    },
  ],
  [Helper.get_current_task, { name: 'get_current_task', args: [], ret: 'integer' }],
  [
    Helper.probe_read_str,
    { name: 'probe_read_str', args: ['uninitMem', 'sizeOrZero', 'anything'], ret: 'integer' },
  ],
  [Helper.get_numa_node_id, { name: 'get_numa_node_id', args: [], ret: 'integer' }],
  [Helper.send_signal, { name: 'send_signal', args: ['anything'], ret: 'integer' }],
  [Helper.get_current_cgroup_id, { name: 'get_current_cgroup_id', args: [], ret: 'integer' }],
  [
    Helper.probe_read_user,
    { name: 'probe_read_user', args: ['uninitMem', 'sizeOrZero', 'anything'], ret: 'integer' },
  ],
  [
    Helper.probe_read_kernel,
    { name: 'probe_read_kernel', args: ['uninitMem', 'sizeOrZero', 'anything'], ret: 'integer' },
  ],
  [
    Helper.probe_read_user_str,
    { name: 'probe_read_user_str', args: ['uninitMem', 'sizeOrZero', 'anything'], ret: 'integer' },
  ],
  [
    Helper.probe_read_kernel_str,
    {
      name: 'probe_read_kernel_str',
      args: ['uninitMem', 'sizeOrZero', 'anything'],
      ret: 'integer',
    },
  ],
  [Helper.ktime_get_boot_ns, { name: 'ktime_get_boot_ns', args: [], ret: 'integer' }],
  [
    Helper.ringbuf_output,
    {
      name: 'ringbuf_output',
      args: ['map', 'mem', 'size', 'anything'],
      ret: 'integer',
      mapTypes: [BpfMapType.Ringbuf],
    },
  ],
  [Helper.get_func_ip, { name: 'get_func_ip', args: ['ctx'], ret: 'integer' }],
]);

/** What helpers observe and where their side effects go. */
export class HelperEnv {
  event: Event | undefined;
  /** Text written by bpf_trace_printk, one entry per call. */
  readonly printk: string[] = [];
  /** Signals requested by bpf_send_signal. */
  readonly signals: { pid: number; signal: number }[] = [];
  /** Failed updates of a new key in a full map, by map id. */
  readonly mapFull = new Map<number, number>();
  private rng: number;

  constructor(
    readonly maps: MapSet,
    seed: number,
    readonly onMapFull?: (mapId: number) => void,
  ) {
    this.rng = seed >>> 0 || 0x9e3779b9;
  }

  /** xorshift32: deterministic per seed. */
  nextRandom(): number {
    let x = this.rng;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.rng = x >>> 0;
    return this.rng;
  }

  get current(): Event {
    if (!this.event) throw new Error('helper called outside a program run');
    return this.event;
  }

  private readonly comms = new Map<string, Uint8Array>();

  /** A task name's bytes (at most 15), encoded once per distinct name. */
  commBytes(comm: string): Uint8Array {
    let bytes = this.comms.get(comm);
    if (bytes === undefined) {
      bytes = Buffer.from(comm, 'utf8').subarray(0, 15);
      if (this.comms.size >= 4096) this.comms.clear();
      this.comms.set(comm, bytes);
    }
    return bytes;
  }
}

/** Sets r0 from a 32-bit unsigned low half and a high half, without BigInt. */
function setR0(m: Machine, lo: number, hi: number): undefined {
  m.lo[0] = lo;
  m.hi[0] = hi;
  return undefined;
}

/** The map a register (lo, hi) points to (lddw src=1 values). */
function mapAt(env: HelperEnv, lo: number, hi: number): EmulatedMap {
  const map = hi === (MAP_PTR_HI | 0) ? env.maps.get(lo >>> 0) : undefined;
  if (!map)
    throw new Error(
      `not a map pointer: 0x${(hi >>> 0).toString(16)}${(lo >>> 0).toString(16).padStart(8, '0')}`,
    );
  return map;
}

/** The region holding the `size` bytes register `r` points to; its offset in m.memory.offset
 *  (already verified, so a miss is a VM bug). */
function argRegion(m: Machine, r: number, size: number, write: boolean): number {
  const region = m.memory.locate(m.lo[r]!, m.hi[r]!, size, write);
  if (region < 0)
    throw new Error(
      `helper ${write ? 'destination' : 'argument'} points outside program memory: 0x${m.reg(r).toString(16)}`,
    );
  return region;
}

function mapOf(env: HelperEnv, pointer: bigint): EmulatedMap {
  const id = Number(pointer & 0xffffffffn);
  const map = pointer >> 32n === BigInt(MAP_PTR_HI) ? env.maps.get(id) : undefined;
  if (!map) throw new Error(`not a map pointer: 0x${pointer.toString(16)}`);
  return map;
}

/** Bytes the program passed by pointer (already verified, so a miss is a VM bug). */
function readArg(m: Machine, address: bigint, size: number): Uint8Array {
  const r = m.memory.resolve(address, size, false);
  if (!r)
    throw new Error(`helper argument points outside program memory: 0x${address.toString(16)}`);
  return r.bytes.subarray(r.offset, r.offset + size);
}

function writeArg(m: Machine, address: bigint, size: number): Uint8Array {
  const r = m.memory.resolve(address, size, true);
  if (!r)
    throw new Error(`helper destination points outside program memory: 0x${address.toString(16)}`);
  return r.bytes.subarray(r.offset, r.offset + size);
}

type Space = 'kernel' | 'user' | 'any';

/** Source memory for probe_read*: the event's emulated memory, or (kernel) the program's own. */
function resolveSource(
  m: Machine,
  env: HelperEnv,
  address: bigint,
  size: number,
  space: Space,
): Resolved | undefined {
  const fromEvent = resolveEventMemory(env.current.memory, address, size, space);
  if (fromEvent) return fromEvent;
  return space === 'user' ? undefined : m.memory.resolve(address, size, false);
}

function probeRead(space: Space): (m: Machine, env: HelperEnv) => bigint {
  return (m, env) => {
    const size = Number(m.reg(2));
    const dst = writeArg(m, m.reg(1), size);
    const src = resolveSource(m, env, m.reg(3), size, space);
    if (!src) {
      dst.fill(0);
      return BigInt(-EFAULT);
    }
    dst.set(src.bytes.subarray(src.offset, src.offset + size));
    return 0n;
  };
}

/** Copies a NUL-terminated string: returns the length including the NUL, or -EFAULT. */
function probeReadStr(space: Space): (m: Machine, env: HelperEnv) => bigint {
  return (m, env) => {
    const size = Number(m.reg(2));
    if (size === 0) return 0n;
    const dst = writeArg(m, m.reg(1), size);
    const address = m.reg(3);
    for (let i = 0; i < size - 1; i++) {
      const src = resolveSource(m, env, address + BigInt(i), 1, space);
      if (!src) {
        dst.fill(0);
        return BigInt(-EFAULT);
      }
      const byte = src.bytes[src.offset]!;
      dst[i] = byte;
      if (byte === 0) return BigInt(i + 1);
    }
    // The kernel does not zero the rest of the buffer; it only terminates the string.
    dst[size - 1] = 0;
    return BigInt(size);
  };
}

function u32(v: number): bigint {
  return BigInt(v >>> 0);
}

/** A trace_printk-style formatter for %d %i %u %x %s %p %c and their l/ll forms. */
function formatPrintk(m: Machine, env: HelperEnv, format: string, args: bigint[]): string {
  let next = 0;
  return format.replace(/%(l{0,2})([diuxXspc%])/g, (whole, _len: string, conv: string) => {
    if (conv === '%') return '%';
    const v = args[next++] ?? 0n;
    switch (conv) {
      case 'd':
      case 'i':
        return BigInt.asIntN(_len ? 64 : 32, v).toString();
      case 'u':
        return BigInt.asUintN(_len ? 64 : 32, v).toString();
      case 'x':
      case 'X': {
        const s = BigInt.asUintN(_len ? 64 : 32, v).toString(16);
        return conv === 'X' ? s.toUpperCase() : s;
      }
      case 'p':
        return `0x${v.toString(16)}`;
      case 'c':
        return String.fromCharCode(Number(v & 0xffn));
      case 's': {
        let s = '';
        for (let i = 0; i < 4096; i++) {
          const r = resolveSource(m, env, v + BigInt(i), 1, 'any');
          if (!r || r.bytes[r.offset] === 0) break;
          s += String.fromCharCode(r.bytes[r.offset]!);
        }
        return s;
      }
    }
    return whole;
  });
}

type EnvHelper = (m: Machine, env: HelperEnv) => bigint | undefined;

const IMPLEMENTATIONS: [Helper, EnvHelper][] = [
  [
    Helper.for_each_map_elem,
    (m, env) => {
      const map = mapOf(env, m.reg(1));
      const target = funcTarget(m.reg(2));
      if (target === undefined || !m.callSubprogram)
        throw new Error(`not a subprogram address: 0x${m.reg(2).toString(16)}`);
      if (m.reg(4) !== 0n) return BigInt(-EINVAL);
      const ctx = m.reg(3);
      let visited = 0n;
      for (const entry of map.entries()) {
        visited++;
        const value = entry.values[map.perCpu ? env.current.cpu : 0]!;
        const args = [
          m.reg(1),
          m.memory.addressOf(entry.key, false),
          m.memory.addressOf(value, true),
          ctx,
        ];
        if (m.callSubprogram(target, args) !== 0n) break;
      }
      return visited;
    },
  ],
  [
    Helper.map_lookup_elem,
    (m, env) => {
      const map = mapAt(env, m.lo[1]!, m.hi[1]!);
      const region = argRegion(m, 2, map.def.keySize, false);
      const value = map.lookupAt(m.memory.bytes[region]!, m.memory.offset, env.current.cpu);
      if (!value) return setR0(m, 0, 0);
      return setR0(m, 0, REGION_HI_BASE + m.memory.expose(value, true));
    },
  ],
  [
    Helper.map_update_elem,
    (m, env) => {
      const map = mapAt(env, m.lo[1]!, m.hi[1]!);
      const mem = m.memory;
      const keyRegion = argRegion(m, 2, map.def.keySize, false);
      const keyOffset = mem.offset;
      const valueRegion = argRegion(m, 3, map.def.valueSize, false);
      const result =
        map instanceof HashMap && m.hi[4] === 0 && m.lo[4]! >>> 0 <= Number(BPF_EXIST)
          ? map.updateAt(
              mem.bytes[keyRegion]!,
              keyOffset,
              mem.bytes[valueRegion]!,
              mem.offset,
              m.lo[4]!,
              env.current.cpu,
            )
          : map.update(
              readArg(m, m.reg(2), map.def.keySize),
              readArg(m, m.reg(3), map.def.valueSize),
              m.reg(4),
              env.current.cpu,
            );
      if (
        result === -E2BIG &&
        map.def.bpfType !== BpfMapType.Array &&
        map.def.bpfType !== BpfMapType.PercpuArray
      ) {
        env.mapFull.set(map.def.id, (env.mapFull.get(map.def.id) ?? 0) + 1);
        env.onMapFull?.(map.def.id);
      }
      return setR0(m, result, result >> 31);
    },
  ],
  [
    Helper.map_delete_elem,
    (m, env) => {
      const map = mapOf(env, m.reg(1));
      return BigInt(map.delete(readArg(m, m.reg(2), map.def.keySize)));
    },
  ],
  [Helper.probe_read, probeRead('any')],
  [Helper.probe_read_kernel, probeRead('kernel')],
  [Helper.probe_read_user, probeRead('user')],
  [Helper.probe_read_str, probeReadStr('any')],
  [Helper.probe_read_kernel_str, probeReadStr('kernel')],
  [Helper.probe_read_user_str, probeReadStr('user')],
  [Helper.ktime_get_ns, (_m, env) => env.current.ts],
  [Helper.ktime_get_boot_ns, (_m, env) => env.current.ts],
  [
    Helper.trace_printk,
    (m, env) => {
      const size = Number(m.reg(2));
      const bytes = readArg(m, m.reg(1), size);
      const end = bytes.indexOf(0);
      const format = Buffer.from(bytes.subarray(0, end < 0 ? size : end)).toString('latin1');
      const text = formatPrintk(m, env, format, [m.reg(3), m.reg(4), m.reg(5)]);
      env.printk.push(text);
      return BigInt(text.length);
    },
  ],
  [Helper.get_prandom_u32, (_m, env) => u32(env.nextRandom())],
  [Helper.get_smp_processor_id, (m, env) => setR0(m, env.current.cpu, 0)],
  [Helper.get_numa_node_id, () => 0n],
  [Helper.get_current_pid_tgid, (m, env) => setR0(m, env.current.tid, env.current.pid)],
  [Helper.get_current_uid_gid, (m, env) => setR0(m, env.current.uid, env.current.gid)],
  [
    Helper.get_current_comm,
    (m, env) => {
      const size = m.lo[2]! >>> 0;
      const region = argRegion(m, 1, size, true);
      const dst = m.memory.bytes[region]!;
      const at = m.memory.offset;
      const comm = env.commBytes(env.current.comm);
      dst.fill(0, at, at + size);
      dst.set(comm.length < size ? comm : comm.subarray(0, Math.max(0, size - 1)), at);
      return setR0(m, 0, 0);
    },
  ],
  [Helper.get_current_cgroup_id, (_m, env) => env.current.cgroup ?? 1n],
  // A deterministic fake `struct task_struct *` in the kernel's direct map, one per thread.
  [
    Helper.get_current_task,
    (_m, env) => 0xffff888000000000n + BigInt(env.current.tid >>> 0) * 0x4000n,
  ],
  [
    Helper.get_func_ip,
    (_m, env) => {
      const ctx = env.current.ctx;
      if (ctx.length < PT_REGS.ip + 8) return 0n;
      return new DataView(ctx.buffer, ctx.byteOffset, ctx.byteLength).getBigUint64(
        PT_REGS.ip,
        true,
      );
    },
  ],
  [
    Helper.perf_event_output,
    (m, env) => {
      const map = mapOf(env, m.reg(2));
      const flags = m.reg(3);
      if (!(map instanceof OutputMap)) return BigInt(-EINVAL);
      if (flags !== BPF_F_CURRENT_CPU && flags !== BigInt(env.current.cpu)) return BigInt(-EINVAL);
      const size = m.lo[5]! >>> 0;
      const region = argRegion(m, 4, size, false);
      map.outputAt(m.memory.bytes[region]!, m.memory.offset, size);
      return setR0(m, 0, 0);
    },
  ],
  [
    Helper.ringbuf_output,
    (m, env) => {
      const map = mapOf(env, m.reg(1));
      if (!(map instanceof OutputMap)) return BigInt(-EINVAL);
      map.output(readArg(m, m.reg(2), Number(m.reg(3))));
      return 0n;
    },
  ],
  [
    Helper.get_stackid,
    (m, env) => {
      const map = mapOf(env, m.reg(2));
      const flags = m.reg(3);
      if (!(map instanceof StackTraceMap)) return BigInt(-EINVAL);
      const stack = flags & BPF_F_USER_STACK ? env.current.ustack : env.current.kstack;
      if (!stack || stack.length === 0) return BigInt(-EFAULT);
      return BigInt(map.store(stack.slice(Number(flags & BPF_F_SKIP_FIELD_MASK))));
    },
  ],
  [
    Helper.send_signal,
    (m, env) => {
      env.signals.push({ pid: env.current.pid, signal: Number(m.reg(1) & 0xffffffffn) });
      return 0n;
    },
  ],
];

/** The helper table the VM dispatches on, bound to `env`. */
export function createHelpers(env: HelperEnv): HelperFn[] {
  const table: HelperFn[] = [];
  for (const [id, fn] of IMPLEMENTATIONS) table[id] = (m) => fn(m, env);
  return table;
}
