// Scheduling: a thread that blocks is switched out to its CPU's idle task, woken, and
// switched back in (sched_switch, sched_waking, sched_wakeup).

import type { SimKernel } from './kernel';
import type { ThreadState } from './model';

/** sched_switch away at `outAt`, wakeup and switch back at `inAt`. */
export function sleep(
  k: SimKernel,
  thread: ThreadState,
  outAt: bigint,
  inAt: bigint,
  state: 'S' | 'D',
): void {
  if (!k.wanted.anySched) return;
  const cpu = thread.cpu;
  const task = k.task(thread);
  const idle = k.idle[cpu]!;
  k.tracepoint('sched', 'sched_switch', outAt, cpu, task, {
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
  k.tracepoint('sched', 'sched_waking', inAt - 900n, cpu, idle, wake);
  k.tracepoint('sched', 'sched_wakeup', inAt - 600n, cpu, idle, wake);
  k.tracepoint('sched', 'sched_switch', inAt, cpu, idle, {
    prev_comm: idle.comm,
    prev_pid: 0,
    prev_prio: 120,
    prev_state: 0,
    next_comm: thread.comm,
    next_pid: thread.tid,
    next_prio: thread.prio,
  });
}
