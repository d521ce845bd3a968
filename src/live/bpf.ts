// The bpf(2) commands the kernel backend uses, each with its `union bpf_attr` laid out by
// hand (offsets from include/uapi/linux/bpf.h), and the file descriptors they hand out.

import { libc, SyscallError, type Libc, type NativeBuffer } from './ffi';

const SYS_BPF = 321;
const SYS_PERF_EVENT_OPEN = 298;
const SYS_EPOLL_CREATE1 = 291;
const SYS_EPOLL_CTL = 233;

const enum Cmd {
  MapCreate = 0,
  MapLookupElem = 1,
  MapUpdateElem = 2,
  MapDeleteElem = 3,
  MapGetNextKey = 4,
  ProgLoad = 5,
  ProgTestRun = 10,
  ObjGetInfoByFd = 15,
  EnableStats = 32,
}

export const enum ProgType {
  Kprobe = 2,
  Tracepoint = 5,
  PerfEvent = 7,
  RawTracepoint = 17,
}

const ATTR_SIZE = 144;

/** Reusable native scratch memory for attrs, keys and values (one live run at a time). */
class Scratch {
  private readonly buffers: NativeBuffer[] = [];
  constructor(private readonly c: Libc) {}
  /** A zeroed buffer of at least `size` bytes; slot n is reused by later calls with slot n. */
  get(slot: number, size: number): NativeBuffer {
    let b = this.buffers[slot];
    if (!b || b.bytes.byteLength < size) {
      b = this.c.alloc(Math.max(size, 256));
      this.buffers[slot] = b;
    }
    b.bytes.fill(0, 0, size);
    return b;
  }
}

export interface MapSpec {
  type: number;
  keySize: number;
  valueSize: number;
  maxEntries: number;
  flags?: number;
  name: string;
}

export class Bpf {
  readonly c: Libc;
  private readonly scratch: Scratch;
  constructor() {
    this.c = libc();
    this.scratch = new Scratch(this.c);
  }

  private call(cmd: Cmd, attr: NativeBuffer, what: string): number {
    const res = this.c.syscall(SYS_BPF, cmd, attr.address, ATTR_SIZE);
    if (res < 0) throw new SyscallError(what, this.c.errno());
    return res;
  }

  private attr(): NativeBuffer {
    return this.scratch.get(0, ATTR_SIZE);
  }

  /** A copy of `bytes` in native memory (slot 1..4 of the scratch). */
  private native(slot: number, bytes: Uint8Array, size = bytes.length): NativeBuffer {
    const b = this.scratch.get(slot, size);
    b.bytes.set(bytes.subarray(0, size));
    return b;
  }

  mapCreate(spec: MapSpec): number {
    const a = this.attr();
    const v = a.view;
    v.setUint32(0, spec.type, true);
    v.setUint32(4, spec.keySize, true);
    v.setUint32(8, spec.valueSize, true);
    v.setUint32(12, spec.maxEntries, true);
    v.setUint32(16, spec.flags ?? 0, true);
    a.bytes.set(mapNameBytes(spec.name), 28);
    return this.call(Cmd.MapCreate, a, `creating map ${spec.name}`);
  }

  /** The value bytes, or undefined when the key is absent. */
  lookup(fd: number, key: Uint8Array, valueSize: number): Uint8Array | undefined {
    const k = this.native(1, key);
    const val = this.scratch.get(2, valueSize);
    const a = this.attr();
    a.view.setUint32(0, fd, true);
    a.view.setBigUint64(8, k.address, true);
    a.view.setBigUint64(16, val.address, true);
    const res = this.c.syscall(SYS_BPF, Cmd.MapLookupElem, a.address, ATTR_SIZE);
    if (res < 0) {
      const errno = this.c.errno();
      if (errno === 2) return undefined;
      throw new SyscallError('reading a map', errno);
    }
    return val.bytes.slice(0, valueSize);
  }

  update(fd: number, key: Uint8Array, value: Uint8Array, flags = 0): void {
    const k = this.native(1, key);
    const val = this.native(2, value);
    const a = this.attr();
    a.view.setUint32(0, fd, true);
    a.view.setBigUint64(8, k.address, true);
    a.view.setBigUint64(16, val.address, true);
    a.view.setBigUint64(24, BigInt(flags), true);
    this.call(Cmd.MapUpdateElem, a, 'updating a map');
  }

  /** False when the key was already gone. */
  delete(fd: number, key: Uint8Array): boolean {
    const k = this.native(1, key);
    const a = this.attr();
    a.view.setUint32(0, fd, true);
    a.view.setBigUint64(8, k.address, true);
    const res = this.c.syscall(SYS_BPF, Cmd.MapDeleteElem, a.address, ATTR_SIZE);
    if (res < 0) {
      const errno = this.c.errno();
      if (errno === 2) return false;
      throw new SyscallError('deleting a map entry', errno);
    }
    return true;
  }

  /** Every key of a map, in the kernel's iteration order. */
  keys(fd: number, keySize: number, limit = 1 << 20): Uint8Array[] {
    const keys: Uint8Array[] = [];
    let current: Uint8Array | undefined;
    while (keys.length < limit) {
      const a = this.attr();
      const next = this.scratch.get(3, keySize);
      a.view.setUint32(0, fd, true);
      if (current) a.view.setBigUint64(8, this.native(1, current).address, true);
      a.view.setBigUint64(16, next.address, true);
      const res = this.c.syscall(SYS_BPF, Cmd.MapGetNextKey, a.address, ATTR_SIZE);
      if (res < 0) {
        const errno = this.c.errno();
        if (errno === 2) break;
        throw new SyscallError('listing map keys', errno);
      }
      current = next.bytes.slice(0, keySize);
      keys.push(current);
    }
    return keys;
  }

  /** Loads a program; on refusal the error carries the verifier's log. */
  progLoad(type: ProgType, insns: Uint8Array, name: string, expectedAttachType = 0): number {
    const code = this.c.alloc(insns.length);
    code.bytes.set(insns);
    const license = this.c.alloc(8);
    license.bytes.set([...'GPL'].map((ch) => ch.charCodeAt(0)));
    const attempt = (logSize: number): { fd: number; log: string } => {
      const log = logSize > 0 ? this.c.alloc(logSize) : undefined;
      const a = this.attr();
      const v = a.view;
      v.setUint32(0, type, true);
      v.setUint32(4, insns.length / 8, true);
      v.setBigUint64(8, code.address, true);
      v.setBigUint64(16, license.address, true);
      if (log) {
        v.setUint32(24, 1, true);
        v.setUint32(28, logSize, true);
        v.setBigUint64(32, log.address, true);
      }
      a.bytes.set(mapNameBytes(name), 48);
      v.setUint32(68, expectedAttachType, true);
      const fd = this.c.syscall(SYS_BPF, Cmd.ProgLoad, a.address, ATTR_SIZE);
      const errno = fd < 0 ? this.c.errno() : 0;
      const text = log ? cStringOf(log.bytes) : '';
      if (fd < 0) throw new SyscallError('loading a program', errno, lastLines(text));
      return { fd, log: text };
    };
    try {
      return attempt(0).fd;
    } catch (e) {
      if (!(e instanceof SyscallError) || e.errno === 1) throw e;
      return attempt(1 << 20).fd;
    }
  }

  /** Runs a raw-tracepoint program once on this CPU, in this task (BEGIN/END). */
  testRun(progFd: number, ctx: Uint8Array): number {
    const c = this.native(4, ctx);
    const a = this.attr();
    a.view.setUint32(0, progFd, true);
    a.view.setUint32(40, ctx.length, true);
    a.view.setBigUint64(48, c.address, true);
    this.call(Cmd.ProgTestRun, a, 'running BEGIN/END');
    return a.view.getUint32(4, true);
  }

  /** Turns on run-time statistics (bpf_stats) while the returned fd is open. */
  enableStats(): number {
    const a = this.attr();
    return this.call(Cmd.EnableStats, a, 'enabling bpf_stats');
  }

  /** run_time_ns and run_cnt of a program (counted while bpf_stats is on). */
  progStats(progFd: number): { runTimeNs: bigint; runCount: bigint } {
    const info = this.scratch.get(5, 256);
    const a = this.attr();
    a.view.setUint32(0, progFd, true);
    a.view.setUint32(4, 224, true);
    a.view.setBigUint64(8, info.address, true);
    this.call(Cmd.ObjGetInfoByFd, a, 'reading program info');
    return {
      runTimeNs: info.view.getBigUint64(192, true),
      runCount: info.view.getBigUint64(200, true),
    };
  }

  perfEventOpen(attr: PerfEventAttr, pid: number, cpu: number): number {
    const a = this.scratch.get(6, PERF_ATTR_SIZE + 8);
    const v = a.view;
    v.setUint32(0, attr.type, true);
    v.setUint32(4, PERF_ATTR_SIZE, true);
    v.setBigUint64(8, attr.config, true);
    v.setBigUint64(16, attr.samplePeriod ?? 0n, true);
    v.setBigUint64(24, attr.sampleType ?? 0n, true);
    v.setBigUint64(40, attr.flags ?? 0n, true);
    v.setUint32(48, attr.wakeupEvents ?? 0, true);
    let path: NativeBuffer | undefined;
    if (attr.path !== undefined) {
      const bytes = Buffer.from(attr.path + '\0');
      path = this.c.alloc(bytes.length);
      path.bytes.set(bytes);
      v.setBigUint64(56, path.address, true);
    }
    v.setBigUint64(64, attr.config2 ?? 0n, true);
    const PERF_FLAG_FD_CLOEXEC = 8;
    const fd = this.c.syscall(SYS_PERF_EVENT_OPEN, a.address, pid, cpu, -1, PERF_FLAG_FD_CLOEXEC);
    if (fd < 0) throw new SyscallError('perf_event_open', this.c.errno());
    return fd;
  }

  ioctl(fd: number, request: number, arg: number, what: string): void {
    if (this.c.ioctl(fd, request, arg) < 0) throw new SyscallError(what, this.c.errno());
  }

  epollCreate(): number {
    const EPOLL_CLOEXEC = 0x80000;
    const fd = this.c.syscall(SYS_EPOLL_CREATE1, EPOLL_CLOEXEC);
    if (fd < 0) throw new SyscallError('epoll_create1', this.c.errno());
    return fd;
  }

  /** Watches `fd` for input; `data` comes back in the ready event. */
  epollAdd(epfd: number, fd: number, data: number): void {
    // struct epoll_event is packed on x86-64: u32 events, u64 data (12 bytes).
    const ev = this.scratch.get(7, 12);
    ev.view.setUint32(0, 1 /* EPOLLIN */, true);
    ev.view.setBigUint64(4, BigInt(data), true);
    const EPOLL_CTL_ADD = 1;
    if (this.c.syscall(SYS_EPOLL_CTL, epfd, EPOLL_CTL_ADD, fd, ev.address) < 0)
      throw new SyscallError('epoll_ctl', this.c.errno());
  }

  close(fd: number): void {
    this.c.close(fd);
  }
}

export const PERF_ATTR_SIZE = 128;

export interface PerfEventAttr {
  type: number;
  config: bigint;
  samplePeriod?: bigint;
  sampleType?: bigint;
  flags?: bigint;
  wakeupEvents?: number;
  /** config1 as a path (uprobe). */
  path?: string;
  /** config2 (uprobe offset). */
  config2?: bigint;
}

export const PerfType = { Hardware: 0, Software: 1, Tracepoint: 2 } as const;
export const PerfSampleRaw = 1n << 10n;
export const PerfFlag = { Disabled: 1n, Freq: 1n << 10n } as const;
export const PerfIoctl = { Enable: 0x2400, Disable: 0x2401, SetBpf: 0x40042408 } as const;

/** Kernel object names: at most 15 bytes of [A-Za-z0-9_.]. */
export function mapNameBytes(name: string): Uint8Array {
  const clean = name.replace(/[^A-Za-z0-9_.]/g, '_').slice(0, 15);
  return new Uint8Array([...clean].map((c) => c.charCodeAt(0)));
}

function cStringOf(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return Buffer.from(bytes.subarray(0, end < 0 ? bytes.length : end)).toString('latin1');
}

function lastLines(log: string): string {
  const lines = log.trimEnd().split('\n');
  return lines.slice(-4).join(' | ');
}
