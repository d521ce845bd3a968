// Timer-driven probes: interval (one CPU), profile (every CPU), and software/hardware events
// modelled as rates of busy CPU time. A tick samples what ran on its CPU at that moment.

import type { ResolvedAttachPoint } from '../../compiler/host';
import { HARDWARE_EVENTS, SOFTWARE_EVENTS } from '../attach';
import { buildPtRegs } from '../register_context';
import { makeEvent, type TaskInfo } from '../task';
import type { Segment, SimKernel, Wakeup } from './kernel';

type Timer = Extract<Wakeup, { kind: 'timer' }>;

const IDLE_FRAMES = [
  'default_idle',
  'default_idle_call',
  'cpuidle_enter',
  'do_idle',
  'cpu_startup_entry',
  'start_secondary',
  'secondary_startup_64_no_verify',
];

/** Events per ns of busy CPU time: clocks count ns, cycles run at 3 GHz, the rest are rarer. */
const EVENTS_PER_NS: Record<string, number> = {
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

/** Queues the first tick of every timer among the attach points; profile-like timers make
 *  the kernel keep run segments to sample. */
export function startTimers(k: SimKernel, points: readonly ResolvedAttachPoint[]): void {
  const timers = points.flatMap((p) => timerFor(k, p));
  k.recordSegments = timers.length > 0;
  for (const t of timers) k.wakeups.push(t);
}

function timerFor(k: SimKernel, p: ResolvedAttachPoint): Timer[] {
  const all = Array.from({ length: k.config.ncpus }, (_, i) => i);
  const start = k.config.startNs;
  const mk = (periodNs: bigint, cpus: number[], busyOnly: boolean): Timer[] =>
    periodNs > 0n
      ? [
          {
            kind: 'timer',
            probe: p.name,
            periodNs,
            cpus,
            busyOnly,
            ts: start + periodNs,
            seq: k.nextSeq(),
          },
        ]
      : [];
  if (p.provider === 'interval' && p.periodNs) return mk(p.periodNs, [0], false);
  if (p.provider === 'profile' && p.periodNs) return mk(p.periodNs, all, false);
  if (p.provider === 'software' || p.provider === 'hardware') {
    const table = p.provider === 'software' ? SOFTWARE_EVENTS : HARDWARE_EVENTS;
    const event = table.find((e) => e.name === p.target);
    const count = BigInt(p.func === '' ? (event?.defaultCount ?? 1) : p.func);
    const rate = EVENTS_PER_NS[p.target] ?? 0;
    if (rate === 0) return [];
    return mk(BigInt(Math.max(1, Math.round(Number(count) / rate))), all, p.target !== 'cpu-clock');
  }
  return [];
}

export function fireTimer(k: SimKernel, timer: Timer): void {
  const image = k.image;
  timer.cpus.forEach((cpu, i) => {
    const ts = timer.ts + BigInt(i) * 1_117n;
    const segs = k.segments[cpu]!;
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
      task = k.task(current.thread);
      ustack = k.ustack(current.thread, current.user);
      if (current.kernel) kstack = image.kstack(current.kernel);
      ip = kstack[0] ?? ustack[0] ?? 0n;
    } else {
      task = k.idle[cpu]!;
      kstack = image.kstack(IDLE_FRAMES);
      ip = kstack[0]!;
    }
    const ctx = buildPtRegs({
      ip,
      sp: kstack.length ? 0xffff_c900_0000_3e80n : 0x7ffd_4fff_e000n,
    });
    k.emit(makeEvent(timer.probe, ts, cpu, task, ctx, [], { kstack, ustack }));
  });
  k.wakeups.push({ ...timer, ts: timer.ts + timer.periodNs, seq: k.nextSeq() });
}
