// The vocabulary workloads describe behaviour in: processes, threads, and the operations a
// thread performs (system calls, library calls, USDT probes, child commands).

import type { SyscallArg } from '../syscall_events';
import type { Rng } from './rng';

/** A user-space frame: binary path and function. */
export type Frame = readonly [path: string, func: string];

export interface SyscallOp {
  k: 'sys';
  name: string;
  args: SyscallArg[];
  ret: number | bigint;
  /** Time from enter to exit in ns. */
  lat: bigint;
  /** The thread sleeps during the call (sched_switch out and wakeup/switch back in). */
  block?: 'S' | 'D';
  /** Block I/O done during the call. */
  io?: { bytes: number; write: boolean };
}

export interface LibraryCallOp {
  k: 'ucall';
  path: string;
  func: string;
  /** Integer arguments or strings placed in user memory. */
  args: (bigint | number | string)[];
  /** Return value; a string is returned as a pointer to it in user memory. */
  ret: bigint | number | string;
  dur: bigint;
}

export interface UsdtOp {
  k: 'usdt';
  path: string;
  probe: string;
  args: (bigint | number | string)[];
}

/** The thread runs in user space for `dur` ns (what profile ticks sample). */
export interface ComputeOp {
  k: 'cpu';
  dur: bigint;
  stack: Frame[];
}

/** fork + exec + run + exit of a child command, with the parent waiting for it. */
export interface SpawnOp {
  k: 'spawn';
  exe: string;
  argv: string[];
  /** The child's work after execve; it ends with exit_group(exitCode). */
  ops: Op[];
  exitCode?: number;
  /** The parent waits (wait4) for the child to finish. */
  wait: boolean;
}

export type Op = SyscallOp | LibraryCallOp | UsdtOp | ComputeOp | SpawnOp;

export interface Action {
  /** Idle time before the action starts (off CPU). */
  gap: bigint;
  ops: Op[];
}

export interface ProcessState {
  pid: number;
  comm: string;
  exe: string;
  uid: number;
  gid: number;
  fds: Set<number>;
}

export interface ThreadState {
  tid: number;
  comm: string;
  process: ProcessState;
  cpu: number;
  prio: number;
  /** User frames below the current work (for profile stacks). */
  baseStack: Frame[];
  behavior?: Behavior;
  /** Per-thread scratch state for behaviours. */
  scratch: Record<string, unknown>;
}

export interface BehaviorContext {
  rng: Rng;
  thread: ThreadState;
  /** Lowest free fd of the thread's process (marked used). */
  openFd(): number;
  closeFd(fd: number): void;
}

export type Behavior = (ctx: BehaviorContext) => Action;

export interface ThreadSpec {
  comm?: string;
  behavior: Behavior;
  baseStack: Frame[];
  prio?: number;
}

export interface ProcessSpec {
  comm: string;
  exe: string;
  uid: number;
  gid: number;
  /** Fds open at start (listening sockets, logs, epoll). */
  fds?: number[];
  threads: ThreadSpec[];
}

export interface Workload {
  name: string;
  description: string;
  processes: (rng: Rng) => ProcessSpec[];
}
