// The simulation engine: runs a workload's threads on a virtual clock and turns what they do
// into the events of the attached probes, in time order. The kernel's subsystems live beside
// it: scheduling.ts, syscalls.ts (with kernel_calls.ts, networking.ts and
// kernel_functions.ts), block_io.ts, process.ts, user_calls.ts and timers.ts, over the
// shared state in kernel.ts.

import type { ResolvedAttachPoint } from '../../compiler/host';
import type { Event } from '../event';
import { SimKernel, type EngineConfig } from './kernel';
import type { Op, ThreadState } from './model';
import { runSpawn, spawnWorkload } from './process';
import { runSyscall } from './syscalls';
import { fireTimer, startTimers } from './timers';
import { passUsdt, runLibraryCall } from './user_calls';

export type { EngineConfig } from './kernel';

export function* runEngine(
  config: EngineConfig,
  points: readonly ResolvedAttachPoint[],
): Generator<Event> {
  const k = new SimKernel(config, points);
  startTimers(k, points);
  const { workload, endNs, startNs } = config;
  spawnWorkload(k, workload, startNs);
  for (;;) {
    const next = k.wakeups.peek();
    const limit = next && next.ts <= endNs ? next.ts : endNs;
    while (k.pending.size > 0 && k.pending.peek()!.ts <= limit) yield k.pending.pop()!.event;
    if (!next || next.ts > endNs) break;
    k.wakeups.pop();
    if (next.kind === 'thread') runAction(k, next.thread, next.ts);
    else fireTimer(k, next);
  }
}

/** The thread's behaviour decides its next action; it runs, and the thread waits again. */
function runAction(k: SimKernel, thread: ThreadState, start: bigint): void {
  if (!thread.behavior) return;
  const action = thread.behavior({
    rng: k.rng,
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
  const end = runOps(k, thread, action.ops, at);
  k.wakeups.push({ kind: 'thread', thread, ts: end, seq: k.nextSeq() });
}

/** Runs ops back to back from `t`; returns the time the last one ended. */
function runOps(k: SimKernel, thread: ThreadState, ops: readonly Op[], t: bigint): bigint {
  for (const op of ops) {
    switch (op.k) {
      case 'cpu':
        k.segment(thread, t, t + op.dur, undefined, op.stack);
        t += op.dur;
        break;
      case 'sys':
        t = runSyscall(k, thread, op, t);
        break;
      case 'ucall':
        t = runLibraryCall(k, thread, op, t);
        break;
      case 'usdt':
        t = passUsdt(k, thread, op, t);
        break;
      case 'spawn':
        t = runSpawn(k, thread, op, t, (child, childOps, at) => runOps(k, child, childOps, at));
        break;
    }
    t += 300n + BigInt(k.rng.int(0, 1500));
  }
  return t;
}
