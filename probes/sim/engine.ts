// The simulation engine: runs a workload's threads on a virtual clock and turns what they do
// into the events of the attached probes, in time order.

import type { ResolvedAttachPoint } from '../../compiler/host';
import type { Event } from '../event';
import { HARDWARE_EVENTS, SOFTWARE_EVENTS } from '../attach';
import { MemoryBuilder } from '../memory';
import { buildPtRegs } from '../ptregs';
import { buildTracepointRecord, type FieldValue } from '../record';
import { SyscallEventBuilder, type ResolvedArgs, type SyscallCall } from '../syscall_events';
import { makeEvent, truncateComm, type TaskInfo } from '../task';
import type { TracepointCatalog } from '../tracepoints';
import { TimeHeap } from './heap';
import { kernelCallsFor, type MachineImage } from './images';
import type { Frame, Op, ProcessState, SpawnOp, SyscallOp, ThreadState, Workload } from './model';
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

type Wakeup = { ts: bigint; seq: number } & (
  | { kind: 'thread'; thread: ThreadState }
  | { kind: 'timer'; probe: string; periodNs: bigint; cpus: number[]; busyOnly: boolean }
);

interface Segment {
  start: bigint;
  end: bigint;
  thread: ThreadState;
  kernel: string[] | undefined;
  user: Frame[];
}

const SYSCALL_ENTRY_FRAMES = ['do_syscall_64', 'entry_SYSCALL_64_after_hwframe'];
const IDLE_FRAMES = [
  'default_idle',
  'default_idle_call',
  'cpuidle_enter',
  'do_idle',
  'cpu_startup_entry',
  'start_secondary',
  'secondary_startup_64_no_verify',
];
const CLONE_FLAGS = 0x1200011n; // CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID | SIGCHLD
const NVME_DEV = (259 << 20) | 0;

/** Names of attached probes, indexed the way the engine asks. */
class Wanted {
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

export function* runEngine(
  config: EngineConfig,
  points: readonly ResolvedAttachPoint[],
): Generator<Event> {
  const engine = new Engine(config, points);
  yield* engine.run();
}

class Engine {
  private readonly rng: Rng;
  private readonly memory = new MemoryBuilder();
  private readonly syscalls: SyscallEventBuilder;
  private readonly wanted: Wanted;
  private readonly pending = new TimeHeap<Pending>();
  private readonly wakeups = new TimeHeap<Wakeup>();
  private readonly segments: Segment[][];
  private readonly recordSegments: boolean;
  private seq = 0;
  private nextPid: number;
  private readonly idle: TaskInfo[];
  private readonly objects = new Map<string, bigint>();

  constructor(
    private readonly config: EngineConfig,
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
    const timers = points.flatMap((p) => this.timerFor(p));
    this.recordSegments = timers.length > 0;
    for (const t of timers) this.wakeups.push(t);
  }

  private timerFor(p: ResolvedAttachPoint): Wakeup[] {
    const all = Array.from({ length: this.config.ncpus }, (_, i) => i);
    const start = this.config.startNs;
    const mk = (periodNs: bigint, cpus: number[], busyOnly: boolean): Wakeup[] =>
      periodNs > 0n
        ? [
            {
              kind: 'timer',
              probe: p.name,
              periodNs,
              cpus,
              busyOnly,
              ts: start + periodNs,
              seq: this.seq++,
            },
          ]
        : [];
    if (p.provider === 'interval' && p.periodNs) return mk(p.periodNs, [0], false);
    if (p.provider === 'profile' && p.periodNs) return mk(p.periodNs, all, false);
    if (p.provider === 'software' || p.provider === 'hardware') {
      const table = p.provider === 'software' ? SOFTWARE_EVENTS : HARDWARE_EVENTS;
      const event = table.find((e) => e.name === p.target);
      const count = BigInt(p.func === '' ? (event?.defaultCount ?? 1) : p.func);
      // Events per ns of busy CPU time: clocks count ns, cycles run at 3 GHz, the rest are rarer.
      const perNs: Record<string, number> = {
        'cpu-clock': 1,
        'task-clock': 1,
        'cpu-cycles': 3,
        'ref-cycles': 3,
        instructions: 4,
        'bus-cycles': 0.1,
        'page-faults': 1 / 20_000,
        'minor-faults': 1 / 20_000,
        'major-faults': 1 / 5_000_000,
        'context-switches': 1 / 100_000,
        'cpu-migrations': 1 / 10_000_000,
        'cache-references': 0.05,
        'cache-misses': 0.005,
        'branch-instructions': 0.8,
        'branch-misses': 0.01,
      };
      const rate = perNs[p.target] ?? 0;
      if (rate === 0) return [];
      return mk(
        BigInt(Math.max(1, Math.round(Number(count) / rate))),
        all,
        p.target !== 'cpu-clock',
      );
    }
    return [];
  }

  *run(): Generator<Event> {
    const { workload, endNs, startNs } = this.config;
    this.spawnWorkload(workload, startNs);
    for (;;) {
      const next = this.wakeups.peek();
      const limit = next && next.ts <= endNs ? next.ts : endNs;
      while (this.pending.size > 0 && this.pending.peek()!.ts <= limit)
        yield this.pending.pop()!.event;
      if (!next || next.ts > endNs) break;
      this.wakeups.pop();
      if (next.kind === 'thread') this.runAction(next.thread, next.ts);
      else this.fireTimer(next);
    }
  }

  private spawnWorkload(workload: Workload, startNs: bigint): void {
    let cpu = 0;
    for (const spec of workload.processes(this.rng)) {
      const pid = this.allocPid();
      const process: ProcessState = {
        pid,
        comm: truncateComm(spec.comm),
        exe: spec.exe,
        uid: spec.uid,
        gid: spec.gid,
        fds: new Set([0, 1, 2, ...(spec.fds ?? [])]),
      };
      this.config.image.mapProcess(pid, spec.exe);
      spec.threads.forEach((t, i) => {
        const thread: ThreadState = {
          tid: i === 0 ? pid : this.allocPid(),
          comm: truncateComm(t.comm ?? spec.comm),
          process,
          cpu: cpu++ % this.config.ncpus,
          prio: t.prio ?? 120,
          baseStack: t.baseStack,
          behavior: t.behavior,
          scratch: {},
        };
        // Threads start at staggered times so that the first events are not all at once.
        this.wakeups.push({
          kind: 'thread',
          thread,
          ts: startNs + BigInt(this.rng.int(0, 2_000_000)),
          seq: this.seq++,
        });
      });
    }
  }

  private allocPid(): number {
    return this.nextPid++;
  }

  private task(thread: ThreadState): TaskInfo {
    const p = thread.process;
    return { pid: p.pid, tid: thread.tid, uid: p.uid, gid: p.gid, comm: thread.comm };
  }

  private emit(event: Event): void {
    this.pending.push({ ts: event.ts, seq: this.seq++, event });
  }

  private tracepoint(
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
  private object(kind: string, n: bigint): bigint {
    const key = `${kind}:${n}`;
    let address = this.objects.get(key);
    if (address === undefined) {
      address = 0xffff_8881_4000_0000n + BigInt(this.objects.size) * 0x1c0n;
      this.objects.set(key, address);
    }
    return address;
  }

  private runAction(thread: ThreadState, start: bigint): void {
    if (!thread.behavior) return;
    const rng = this.rng;
    const action = thread.behavior({
      rng,
      thread,
      openFd: () => {
        let fd = 3;
        while (thread.process.fds.has(fd)) fd++;
        thread.process.fds.add(fd);
        return fd;
      },
      closeFd: (fd) => thread.process.fds.delete(fd),
    });
    const at = start + action.gap;
    const end = this.runOps(thread, action.ops, at);
    this.wakeups.push({ kind: 'thread', thread, ts: end, seq: this.seq++ });
  }

  /** Runs ops back to back from `t`; returns the time the last one ended. */
  private runOps(thread: ThreadState, ops: readonly Op[], t: bigint): bigint {
    for (const op of ops) {
      switch (op.k) {
        case 'cpu':
          this.segment(thread, t, t + op.dur, undefined, op.stack);
          t += op.dur;
          break;
        case 'sys':
          t = this.runSyscall(thread, op, t);
          break;
        case 'ucall':
          t = this.runLibraryCall(thread, op, t);
          break;
        case 'usdt': {
          const name = `usdt:${op.path}:${op.probe}`;
          if (this.wanted.usdt.has(name)) {
            const args = op.args.map((a) =>
              typeof a === 'string' ? this.memory.putString(a) : BigInt(a),
            );
            const ctx = buildPtRegs({ args, ip: this.config.image.user(op.path, 'main') + 0x40n });
            this.emit(
              makeEvent(name, t, thread.cpu, this.task(thread), ctx, this.memory.take(), {
                ustack: this.ustack(thread, []),
              }),
            );
          }
          t += 200n;
          break;
        }
        case 'spawn':
          t = this.runSpawn(thread, op, t);
          break;
      }
      t += 300n + BigInt(this.rng.int(0, 1500));
    }
    return t;
  }

  private segment(
    thread: ThreadState,
    start: bigint,
    end: bigint,
    kernel: string[] | undefined,
    user: Frame[],
  ): void {
    if (!this.recordSegments || end <= start) return;
    this.segments[thread.cpu]!.push({ start, end, thread, kernel, user });
  }

  private ustack(thread: ThreadState, extra: Frame[]): bigint[] {
    return this.config.image.ustack([...extra, ...[...thread.baseStack].reverse()]);
  }

  private runSyscall(thread: ThreadState, op: SyscallOp, t: bigint, exitComm?: string): bigint {
    const task = this.task(thread);
    const exitTs = t + op.lat;
    const call: SyscallCall = {
      name: op.name,
      args: op.args,
      ret: op.ret,
      enterTs: t,
      exitTs,
      cpu: thread.cpu,
      task,
      noExit: op.name === 'exit_group' || op.name === 'exit',
    };
    if (exitComm !== undefined) call.exitTask = { ...task, comm: exitComm };
    const kcalls = this.wanted.anyKernel ? this.kernelCalls(op) : [];
    let resolved: ResolvedArgs | undefined;
    const needArgs =
      kcalls.length > 0 ||
      this.wanted.has(`tracepoint:syscalls:sys_enter_${op.name}`) ||
      this.wanted.has('tracepoint:raw_syscalls:sys_enter');
    if (needArgs) resolved = this.syscalls.resolve(call);
    const { enter, exit } = this.syscalls.build(call, (p) => this.wanted.has(p), resolved);
    enter.forEach((e) => this.emit(e));
    if (kcalls.length > 0 && resolved)
      this.emitKernelCalls(thread, op, resolved, t, exitTs, call.exitTask ?? task);
    exit.forEach((e) => this.emit(e));

    const libcFrame: Frame[] = [
      ['/lib/x86_64-linux-gnu/libc.so.6', LIBC_WRAPPER[op.name] ?? 'read'],
    ];
    const kframes = [...SYSCALL_KERNEL_FRAMES(op.name), ...SYSCALL_ENTRY_FRAMES];
    if (op.block) {
      const outAt = t + 1_500n;
      const inAt = exitTs - 2_000n > outAt ? exitTs - 2_000n : outAt;
      this.segment(thread, t, outAt, ['schedule', '__schedule', ...kframes], libcFrame);
      this.sleep(thread, outAt, inAt, op.block);
      this.segment(
        thread,
        inAt,
        exitTs,
        ['finish_task_switch', '__schedule', 'schedule', ...kframes],
        libcFrame,
      );
    } else this.segment(thread, t, exitTs, kframes, libcFrame);
    if (op.io) this.blockIo(thread, op, t, exitTs);
    return exitTs;
  }

  private kernelCalls(op: SyscallOp) {
    const values = op.args.map((a) =>
      typeof a === 'number' || typeof a === 'bigint' ? BigInt(a) : 0n,
    );
    return kernelCallsFor(op.name, values, BigInt(op.ret), (k, n) => this.object(k, n)).filter(
      (c) => this.wanted.byFunction.has(c.func),
    );
  }

  private emitKernelCalls(
    thread: ThreadState,
    op: SyscallOp,
    resolved: ResolvedArgs,
    enterTs: bigint,
    exitTs: bigint,
    exitTask: TaskInfo,
  ): void {
    const image = this.config.image;
    // Recompute with the resolved pointer values (string arguments now have addresses).
    const all = kernelCallsFor(op.name, resolved.values, BigInt(op.ret), (k, n) =>
      this.object(k, n),
    );
    const task = this.task(thread);
    const span = exitTs - enterTs;
    all.forEach((call, depth) => {
      const names = this.wanted.byFunction.get(call.func);
      if (!names) return;
      const step = span / BigInt(2 * all.length + 2);
      const inTs = enterTs + step * BigInt(depth + 1);
      const outTs = exitTs - step * BigInt(depth + 1);
      const outer = all
        .slice(0, depth)
        .map((c) => c.func)
        .reverse();
      const kstack = image.kstack([call.func, ...outer, ...SYSCALL_ENTRY_FRAMES]);
      kstack[0] = image.kernel(call.func);
      const ustack = this.ustack(thread, [
        ['/lib/x86_64-linux-gnu/libc.so.6', LIBC_WRAPPER[op.name] ?? 'read'],
      ]);
      const returnIp = kstack[1] ?? image.kernel('do_syscall_64') + 0x40n;
      for (const name of names.kprobe) {
        const off = name.includes('+') ? BigInt(name.slice(name.indexOf('+') + 1)) : 0n;
        const ctx = buildPtRegs({
          args: call.args,
          ip: image.kernel(call.func) + off + 1n,
          sp: 0xffff_c900_0040_0000n,
        });
        this.emit(
          makeEvent(name, inTs, thread.cpu, task, ctx, resolved.regions, { kstack, ustack }),
        );
      }
      for (const name of names.kfunc)
        this.emit(
          makeEvent(name, inTs, thread.cpu, task, u64s(call.args), resolved.regions, {
            kstack,
            ustack,
          }),
        );
      for (const name of names.kretprobe) {
        const ctx = buildPtRegs({ retval: call.ret, ip: returnIp, sp: 0xffff_c900_0040_0000n });
        this.emit(
          makeEvent(name, outTs, thread.cpu, exitTask, ctx, [], {
            kstack: kstack.slice(1),
            ustack,
          }),
        );
      }
      for (const name of names.kretfunc)
        this.emit(
          makeEvent(
            name,
            outTs,
            thread.cpu,
            exitTask,
            u64s([...call.args, call.ret]),
            resolved.regions,
            { kstack: kstack.slice(1), ustack },
          ),
        );
    });
  }

  /** sched_switch away at `outAt`, wakeup and switch back at `inAt`. */
  private sleep(thread: ThreadState, outAt: bigint, inAt: bigint, state: 'S' | 'D'): void {
    if (!this.wanted.anySched) return;
    const cpu = thread.cpu;
    const task = this.task(thread);
    const idle = this.idle[cpu]!;
    this.tracepoint('sched', 'sched_switch', outAt, cpu, task, {
      prev_comm: thread.comm,
      prev_pid: thread.tid,
      prev_prio: thread.prio,
      prev_state: state === 'S' ? 1 : 2,
      next_comm: idle.comm,
      next_pid: 0,
      next_prio: 120,
    });
    const wake = {
      comm: thread.comm,
      pid: thread.tid,
      prio: thread.prio,
      target_cpu: cpu,
      success: 1,
    };
    this.tracepoint('sched', 'sched_waking', inAt - 900n, cpu, idle, wake);
    this.tracepoint('sched', 'sched_wakeup', inAt - 600n, cpu, idle, wake);
    this.tracepoint('sched', 'sched_switch', inAt, cpu, idle, {
      prev_comm: idle.comm,
      prev_pid: 0,
      prev_prio: 120,
      prev_state: 0,
      next_comm: thread.comm,
      next_pid: thread.tid,
      next_prio: thread.prio,
    });
  }

  private blockIo(thread: ThreadState, op: SyscallOp, t: bigint, exitTs: bigint): void {
    const io = op.io!;
    const sector = BigInt(this.rng.int(2048, 400_000_000)) & ~7n;
    const nr = Math.max(8, Math.ceil(io.bytes / 4096) * 8);
    const rwbs = io.write
      ? op.name.includes('sync')
        ? 'WS'
        : 'W'
      : this.rng.chance(0.3)
        ? 'RA'
        : 'R';
    const issueAt = t + 6_000n < exitTs ? t + 6_000n : t;
    const doneAt = exitTs - 4_000n > issueAt ? exitTs - 4_000n : exitTs;
    const task = this.task(thread);
    const common = { dev: NVME_DEV, sector, nr_sector: nr, rwbs, cmd: '' };
    // Accounting brackets the request: start when it is queued, done when it completes.
    const request = this.object('request', sector);
    for (const func of ['blk_account_io_start', '__blk_account_io_start'])
      this.kernelFunction(func, [request], 0n, issueAt - 1_500n, thread.cpu, task, [
        'blk_mq_submit_bio',
        'submit_bio',
      ]);
    for (const func of ['blk_account_io_done', '__blk_account_io_done'])
      this.kernelFunction(func, [request, doneAt], 0n, doneAt, thread.cpu, this.idle[thread.cpu]!, [
        'blk_mq_end_request',
        'nvme_irq',
      ]);
    this.tracepoint('block', 'block_rq_insert', issueAt - 1_000n, thread.cpu, task, {
      ...common,
      bytes: nr * 512,
      comm: thread.comm,
    });
    this.tracepoint('block', 'block_rq_issue', issueAt, thread.cpu, task, {
      ...common,
      bytes: nr * 512,
      comm: thread.comm,
    });
    this.tracepoint('block', 'block_rq_complete', doneAt, thread.cpu, this.idle[thread.cpu]!, {
      ...common,
      error: 0,
    });
  }

  /** A kernel function reached outside a system call's chain (block completion, softirq):
   *  its kprobes and kretprobes fire at `ts` with `frames` as the callers on the stack. */
  private kernelFunction(
    func: string,
    args: bigint[],
    ret: bigint,
    ts: bigint,
    cpu: number,
    task: TaskInfo,
    frames: string[],
  ): void {
    const names = this.wanted.byFunction.get(func);
    if (!names) return;
    const image = this.config.image;
    const kstack = image.kstack([func, ...frames]);
    kstack[0] = image.kernel(func);
    const sp = 0xffff_c900_0040_0000n;
    for (const name of names.kprobe) {
      const ctx = buildPtRegs({ args, ip: image.kernel(func) + 1n, sp });
      this.emit(makeEvent(name, ts, cpu, task, ctx, [], { kstack }));
    }
    for (const name of names.kfunc)
      this.emit(makeEvent(name, ts, cpu, task, u64s(args), [], { kstack }));
    const returnIp = kstack[1] ?? image.kernel('do_syscall_64') + 0x40n;
    for (const name of names.kretprobe) {
      const ctx = buildPtRegs({ retval: ret, ip: returnIp, sp });
      this.emit(makeEvent(name, ts + 200n, cpu, task, ctx, [], { kstack: kstack.slice(1) }));
    }
    for (const name of names.kretfunc)
      this.emit(
        makeEvent(name, ts + 200n, cpu, task, u64s([...args, ret]), [], {
          kstack: kstack.slice(1),
        }),
      );
  }

  private runLibraryCall(thread: ThreadState, op: Extract<Op, { k: 'ucall' }>, t: bigint): bigint {
    const end = t + op.dur;
    this.segment(thread, t, end, undefined, [[op.path, op.func]]);
    const names = this.wanted.byUserFunction.get(`${op.path}:${op.func}`);
    if (!names) return end;
    const image = this.config.image;
    const task = this.task(thread);
    const ustack = this.ustack(thread, [[op.path, op.func]]);
    ustack[0] = image.user(op.path, op.func);
    const args = op.args.map((a) => (typeof a === 'string' ? this.memory.putString(a) : BigInt(a)));
    const entryRegions = this.memory.take();
    for (const name of names.uprobe) {
      const off =
        name.lastIndexOf('+') > name.lastIndexOf(':')
          ? BigInt(name.slice(name.lastIndexOf('+') + 1))
          : 0n;
      const ctx = buildPtRegs({
        args,
        ip: image.user(op.path, op.func) + off,
        sp: 0x7ffd_5000_0000n,
      });
      this.emit(makeEvent(name, t, thread.cpu, task, ctx, entryRegions, { ustack }));
    }
    if (names.uretprobe.length > 0) {
      const ret = typeof op.ret === 'string' ? this.memory.putString(op.ret) : BigInt(op.ret);
      const regions = this.memory.take();
      const ctx = buildPtRegs({ retval: ret, ip: ustack[1] ?? 0n, sp: 0x7ffd_5000_0000n });
      for (const name of names.uretprobe)
        this.emit(
          makeEvent(name, end, thread.cpu, task, ctx, regions, { ustack: ustack.slice(1) }),
        );
    }
    return end;
  }

  private runSpawn(parent: ThreadState, op: SpawnOp, t: bigint): bigint {
    const rng = this.rng;
    const childPid = this.allocPid();
    const cloneLat = rng.ns(60_000, 0.4);
    const parentTask = this.task(parent);
    const cloneOp: SyscallOp = {
      k: 'sys',
      name: 'clone',
      args: [CLONE_FLAGS, 0, 0, 0x7f3a_1c1f_fa10n, 0],
      ret: childPid,
      lat: cloneLat,
    };
    const forkAt = t + cloneLat - 8_000n;
    const child: ThreadState = {
      tid: childPid,
      comm: parent.comm,
      process: {
        pid: childPid,
        comm: parent.comm,
        exe: parent.process.exe,
        uid: parent.process.uid,
        gid: parent.process.gid,
        fds: new Set(parent.process.fds),
      },
      cpu: (parent.cpu + 1) % this.config.ncpus,
      prio: 120,
      baseStack: [[parent.process.exe, 'main']],
      scratch: {},
    };
    this.config.image.mapProcess(childPid, parent.process.exe);
    const childTask = this.task(child);
    this.tracepoint('sched', 'sched_process_fork', forkAt, parent.cpu, parentTask, {
      parent_comm: parent.comm,
      parent_pid: parent.tid,
      child_comm: parent.comm,
      child_pid: childPid,
    });
    this.tracepoint('sched', 'sched_wakeup_new', forkAt + 2_000n, parent.cpu, parentTask, {
      comm: parent.comm,
      pid: childPid,
      prio: 120,
      target_cpu: child.cpu,
      success: 1,
    });
    const afterClone = this.runSyscall(parent, cloneOp, t);

    // The child: execve, its work, exit.
    let ct = afterClone + rng.ns(20_000, 0.3);
    const newComm = truncateComm(op.exe.slice(op.exe.lastIndexOf('/') + 1));
    const execLat = rng.ns(350_000, 0.3);
    const execOp: SyscallOp = {
      k: 'sys',
      name: 'execve',
      args: [op.exe, { strings: op.argv }, { strings: ENVIRONMENT }],
      ret: 0,
      lat: execLat,
    };
    this.tracepoint(
      'sched',
      'sched_process_exec',
      ct + execLat - 5_000n,
      child.cpu,
      { ...childTask, comm: newComm },
      { filename: op.exe, pid: childPid, old_pid: childPid },
    );
    ct = this.runSyscall(child, execOp, ct, newComm);
    child.comm = newComm;
    child.process.comm = newComm;
    child.process.exe = op.exe;
    const binary = this.config.image.hasBinary(op.exe) ? op.exe : '/usr/bin/coreutils';
    this.config.image.mapProcess(childPid, binary);
    child.baseStack = [
      ['/lib/x86_64-linux-gnu/libc.so.6', '__libc_start_call_main'],
      [binary, 'main'],
    ];
    ct = this.runOps(child, op.ops, ct + 2_000n);
    const exitOp: SyscallOp = {
      k: 'sys',
      name: 'exit_group',
      args: [op.exitCode ?? 0],
      ret: 0,
      lat: 30_000n,
    };
    ct = this.runSyscall(child, exitOp, ct);
    const finalTask = this.task(child);
    this.tracepoint('sched', 'sched_process_exit', ct - 10_000n, child.cpu, finalTask, {
      comm: child.comm,
      pid: childPid,
      prio: 120,
      group_dead: 1,
    });
    this.tracepoint('signal', 'signal_generate', ct - 5_000n, child.cpu, finalTask, {
      sig: 17,
      errno: 0,
      code: 1,
      comm: parent.comm,
      pid: parent.tid,
      group: 1,
      result: 0,
    });
    if (!op.wait) return afterClone;
    const waitOp: SyscallOp = {
      k: 'sys',
      name: 'wait4',
      args: [-1, { bytes: new Uint8Array(4) }, 0, 0],
      ret: childPid,
      lat: ct + 20_000n - (afterClone + 3_000n),
      block: 'S',
    };
    return this.runSyscall(parent, waitOp, afterClone + 3_000n);
  }

  private fireTimer(timer: Extract<Wakeup, { kind: 'timer' }>): void {
    const image = this.config.image;
    timer.cpus.forEach((cpu, i) => {
      const ts = timer.ts + BigInt(i) * 1_117n;
      const segs = this.segments[cpu]!;
      // Drop what ended before this tick; find what runs now (the latest-started segment).
      let keep = 0;
      let current: Segment | undefined;
      for (const s of segs) {
        if (s.end > timer.ts - 1_000_000n) segs[keep++] = s;
        if (s.start <= ts && ts < s.end && (!current || s.start >= current.start)) current = s;
      }
      segs.length = keep;
      if (!current && timer.busyOnly) return;
      let task: TaskInfo;
      let kstack: bigint[] = [];
      let ustack: bigint[] = [];
      let ip: bigint;
      if (current) {
        task = this.task(current.thread);
        ustack = this.ustack(current.thread, current.user);
        if (current.kernel) kstack = image.kstack(current.kernel);
        ip = kstack[0] ?? ustack[0] ?? 0n;
      } else {
        task = this.idle[cpu]!;
        kstack = image.kstack(IDLE_FRAMES);
        ip = kstack[0]!;
      }
      const ctx = buildPtRegs({
        ip,
        sp: kstack.length ? 0xffff_c900_0000_3e80n : 0x7ffd_4fff_e000n,
      });
      this.emit(makeEvent(timer.probe, ts, cpu, task, ctx, [], { kstack, ustack }));
    });
    this.wakeups.push({ ...timer, ts: timer.ts + timer.periodNs, seq: this.seq++ });
  }
}

function u64s(values: readonly bigint[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setBigUint64(i * 8, BigInt.asUintN(64, v), true));
  return bytes;
}

const ENVIRONMENT = [
  'HOME=/home/alice',
  'PATH=/usr/local/bin:/usr/bin:/bin',
  'LANG=C.UTF-8',
  'TERM=xterm-256color',
];

/** The libc function through which a program makes each syscall (user frame in stacks). */
const LIBC_WRAPPER: Record<string, string> = {
  read: '__read',
  pread64: 'pread64',
  write: '__write',
  pwrite64: 'pwrite64',
  writev: '__write',
  openat: '__open64',
  close: 'close',
  epoll_wait: 'epoll_wait',
  accept4: 'accept4',
  recvfrom: 'recv',
  sendto: 'send',
  sendfile64: 'sendfile',
  fsync: 'fsync',
  fdatasync: 'fsync',
  clone: 'fork',
  execve: 'execve',
  wait4: 'waitpid',
  clock_nanosleep: 'nanosleep',
  nanosleep: 'nanosleep',
};

function SYSCALL_KERNEL_FRAMES(name: string): string[] {
  switch (name) {
    case 'read':
    case 'pread64':
      return [
        'copy_user_enhanced_fast_string',
        'filemap_read',
        'ext4_file_read_iter',
        'vfs_read',
        'ksys_read',
      ];
    case 'write':
    case 'pwrite64':
    case 'writev':
      return ['generic_perform_write', 'ext4_file_write_iter', 'vfs_write', 'ksys_write'];
    case 'openat':
      return ['do_filp_open', 'do_sys_openat2', '__x64_sys_openat'];
    case 'sendto':
    case 'sendfile64':
      return ['tcp_sendmsg', 'sock_sendmsg'];
    case 'recvfrom':
      return ['tcp_recvmsg', 'sock_recvmsg'];
    case 'epoll_wait':
      return ['ep_poll', 'do_epoll_wait'];
    case 'fsync':
    case 'fdatasync':
      return ['ext4_sync_file', 'vfs_fsync'];
    default:
      return [];
  }
}
