// Interval/profile ticks for sources that do not simulate a machine (replayed traces, strace
// logs): ticks on the source's clock, merged into its events in time order.

import type { ResolvedAttachPoint } from '../../compiler/host';
import type { Event } from '../event';
import { buildPtRegs } from '../register_context';

export interface TickContext {
  ncpus: number;
  startNs: bigint;
  endNs: bigint;
  /** The task running on `cpu` at the tick (default: the idle task). */
  taskOn?(
    cpu: number,
    ts: bigint,
  ): { pid: number; tid: number; uid: number; gid: number; comm: string };
}

/** Ticks of every interval/profile point in `probes` that `skip` does not exclude. */
export function* timerTicks(
  probes: readonly ResolvedAttachPoint[],
  context: TickContext,
  skip: (name: string) => boolean,
): Generator<Event> {
  const timers = probes.filter(
    (p) =>
      (p.provider === 'interval' || p.provider === 'profile') &&
      p.periodNs &&
      p.periodNs > 0n &&
      !skip(p.name),
  );
  const next = timers.map((t) => context.startNs + t.periodNs!);
  for (;;) {
    let best = -1;
    for (let i = 0; i < timers.length; i++)
      if (next[i]! <= context.endNs && (best < 0 || next[i]! < next[best]!)) best = i;
    if (best < 0) return;
    const timer = timers[best]!;
    const ts = next[best]!;
    const cpus =
      timer.provider === 'interval' ? [0] : Array.from({ length: context.ncpus }, (_, i) => i);
    for (const cpu of cpus) {
      const task = context.taskOn?.(cpu, ts) ?? {
        pid: 0,
        tid: 0,
        uid: 0,
        gid: 0,
        comm: `swapper/${cpu}`,
      };
      yield {
        probe: timer.name,
        ts: ts + BigInt(cpu),
        cpu,
        ...task,
        ctx: buildPtRegs({}),
        memory: [],
      };
    }
    next[best] = ts + timer.periodNs!;
  }
}

/** Merges two time-ordered streams; on equal times `a` comes first. */
export function* mergeByTime(a: Iterable<Event>, b: Iterable<Event>): Generator<Event> {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  let ea = ia.next();
  let eb = ib.next();
  while (!ea.done || !eb.done) {
    if (eb.done || (!ea.done && ea.value.ts <= eb.value.ts)) {
      yield ea.value as Event;
      ea = ia.next();
    } else {
      yield eb.value;
      eb = ib.next();
    }
  }
}
