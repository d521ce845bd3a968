// The simulated kernel's shared state — the virtual clock's queues, the probes attached, the
// emulated memory that events point into — and the few operations every subsystem emits its
// events through. The subsystems (scheduling.ts, syscalls.ts, block_io.ts, process.ts,
// timers.ts, …) are functions over this state; engine.ts runs them.

import type { ResolvedAttachPoint } from '../../compiler/host';
import type { Event } from '../event';
import type { MachineImage } from '../machine';
import { MemoryBuilder } from '../memory';
import { buildTracepointRecord, type FieldValue } from '../record';
import { SyscallEventBuilder } from '../syscall_events';
import { makeEvent, type TaskInfo } from '../task';
import type { TracepointCatalog } from '../tracepoints';
import { TimeHeap } from './heap';
import type { Frame, ThreadState, Workload } from './model';
import { Rng } from './rng';

export interface EngineConfig {
  workload: Workload;
  seed: number;
  ncpus: number;
  startNs: bigint;
  endNs: bigint;
  tracepoints: TracepointCatalog;
  image: MachineImage;
}

interface Pending {
  ts: bigint;
  seq: number;
  event: Event;
}

export type Wakeup = { ts: bigint; seq: number } & (
  | { kind: 'thread'; thread: ThreadState }
  | { kind: 'timer'; probe: string; periodNs: bigint; cpus: number[]; busyOnly: boolean }
);

/** A stretch of time a thread ran on a CPU, with its stacks (what profile ticks sample). */
export interface Segment {
  start: bigint;
  end: bigint;
  thread: ThreadState;
  kernel: string[] | undefined;
  user: Frame[];
}

/** Names of attached probes, indexed the way the engine asks. */
export class Wanted {
  readonly all: Set<string>;
  /** kernel function → attached kprobe names (with offsets), etc. */
  readonly byFunction = new Map<
    string,
    { kprobe: string[]; kretprobe: string[]; kfunc: string[]; kretfunc: string[] }
  >();
  readonly byUserFunction = new Map<string, { uprobe: string[]; uretprobe: string[] }>();
  readonly usdt = new Set<string>();
  readonly anySched: boolean;
  readonly anyKernel: boolean;
  readonly anyUser: boolean;

  constructor(points: readonly ResolvedAttachPoint[]) {
    this.all = new Set(points.map((p) => p.name));
    for (const p of points) {
      if (
        p.provider === 'kprobe' ||
        p.provider === 'kretprobe' ||
        p.provider === 'kfunc' ||
        p.provider === 'kretfunc'
      ) {
        const e = this.byFunction.get(p.func) ?? {
          kprobe: [],
          kretprobe: [],
          kfunc: [],
          kretfunc: [],
        };
        e[p.provider].push(p.name);
        this.byFunction.set(p.func, e);
      } else if (p.provider === 'uprobe' || p.provider === 'uretprobe') {
        const key = `${p.target}:${p.func}`;
        const e = this.byUserFunction.get(key) ?? { uprobe: [], uretprobe: [] };
        e[p.provider].push(p.name);
        this.byUserFunction.set(key, e);
      } else if (p.provider === 'usdt') this.usdt.add(p.name);
    }
    this.anySched = points.some((p) => p.name.startsWith('tracepoint:sched:'));
    this.anyKernel = this.byFunction.size > 0;
    this.anyUser = this.byUserFunction.size > 0;
  }

  has(name: string): boolean {
    return this.all.has(name);
  }
}

export class SimKernel {
  readonly rng: Rng;
  readonly memory = new MemoryBuilder();
  readonly syscalls: SyscallEventBuilder;
  readonly wanted: Wanted;
  /** Events made, waiting for the clock to pass them (emitted in time order). */
  readonly pending = new TimeHeap<Pending>();
  /** Threads and timers waiting for their time to come. */
  readonly wakeups = new TimeHeap<Wakeup>();
  /** Per CPU: recent run segments, kept only when a timer samples them. */
  readonly segments: Segment[][];
  recordSegments = false;
  /** Per CPU: the idle task. */
  readonly idle: TaskInfo[];
  private seq = 0;
  private nextPid: number;
  private readonly objects = new Map<string, bigint>();

  constructor(
    readonly config: EngineConfig,
    points: readonly ResolvedAttachPoint[],
  ) {
    this.rng = new Rng(config.seed);
    this.syscalls = new SyscallEventBuilder(config.tracepoints, this.memory);
    this.wanted = new Wanted(points);
    this.segments = Array.from({ length: config.ncpus }, () => []);
    this.idle = Array.from({ length: config.ncpus }, (_, cpu) => ({
      pid: 0,
      tid: 0,
      uid: 0,
      gid: 0,
      comm: `swapper/${cpu}`,
    }));
    this.nextPid = 1000 + this.rng.int(0, 2000);
  }

  get image(): MachineImage {
    return this.config.image;
  }

  /** Ties between equal times go to the earlier-made event or wakeup. */
  nextSeq(): number {
    return this.seq++;
  }

  allocPid(): number {
    return this.nextPid++;
  }

  task(thread: ThreadState): TaskInfo {
    const p = thread.process;
    return { pid: p.pid, tid: thread.tid, uid: p.uid, gid: p.gid, comm: thread.comm };
  }

  emit(event: Event): void {
    this.pending.push({ ts: event.ts, seq: this.seq++, event });
  }

  tracepoint(
    category: string,
    name: string,
    ts: bigint,
    cpu: number,
    task: TaskInfo,
    values: Record<string, FieldValue>,
  ): void {
    const probe = `tracepoint:${category}:${name}`;
    if (!this.wanted.has(probe)) return;
    const format = this.config.tracepoints.format(category, name);
    if (!format) return;
    const ctx = buildTracepointRecord(format, values, { pid: task.tid }, this.memory);
    this.emit(makeEvent(probe, ts, cpu, task, ctx, this.memory.take()));
  }

  /** Stable fake kernel addresses for objects (struct file of fd 3, a socket…). */
  object(kind: string, n: bigint): bigint {
    const key = `${kind}:${n}`;
    let address = this.objects.get(key);
    if (address === undefined) {
      address = 0xffff_8881_4000_0000n + BigInt(this.objects.size) * 0x1c0n;
      this.objects.set(key, address);
    }
    return address;
  }

  /** Records that `thread` ran from `start` to `end` (for profile/software/hardware ticks). */
  segment(
    thread: ThreadState,
    start: bigint,
    end: bigint,
    kernel: string[] | undefined,
    user: Frame[],
  ): void {
    if (!this.recordSegments || end <= start) return;
    this.segments[thread.cpu]!.push({ start, end, thread, kernel, user });
  }

  ustack(thread: ThreadState, extra: Frame[]): bigint[] {
    return this.config.image.ustack([...extra, ...[...thread.baseStack].reverse()]);
  }
}
