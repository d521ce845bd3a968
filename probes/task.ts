// Task metadata shared by event builders.

import type { Event, MemoryRegion } from './event';

export interface TaskInfo {
  pid: number;
  tid: number;
  uid: number;
  gid: number;
  /** At most 15 bytes, as the kernel keeps it. */
  comm: string;
}

export function truncateComm(name: string): string {
  const bytes = new TextEncoder().encode(name);
  if (bytes.length <= 15) return name;
  return new TextDecoder().decode(bytes.subarray(0, 15)).replace(/\uFFFD+$/, '');
}

export function makeEvent(
  probe: string,
  ts: bigint,
  cpu: number,
  task: TaskInfo,
  ctx: Uint8Array,
  memory: MemoryRegion[],
  stacks?: { kstack?: bigint[]; ustack?: bigint[] },
): Event {
  const event: Event = {
    probe,
    ts,
    cpu,
    pid: task.pid,
    tid: task.tid,
    uid: task.uid,
    gid: task.gid,
    comm: task.comm,
    ctx,
    memory,
  };
  if (stacks?.kstack) event.kstack = stacks.kstack;
  if (stacks?.ustack) event.ustack = stacks.ustack;
  return event;
}
