// Process life cycle: the workload's processes and threads at start, and child commands
// (clone, execve, the child's work, exit_group, wait4) with their sched_process_* and
// signal tracepoints.

import { truncateComm } from '../task';
import type { SimKernel } from './kernel';
import type { Op, ProcessState, SpawnOp, SyscallOp, ThreadState, Workload } from './model';
import { runSyscall } from './syscalls';

const CLONE_FLAGS = 0x1200011n; // CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID | SIGCHLD

const ENVIRONMENT = [
  'HOME=/home/alice',
  'PATH=/usr/local/bin:/usr/bin:/bin',
  'LANG=C.UTF-8',
  'TERM=xterm-256color',
];

/** Runs a thread's ops from `t`; returns when the last one ended (engine.ts hands it in). */
export type RunOps = (thread: ThreadState, ops: readonly Op[], t: bigint) => bigint;

export function spawnWorkload(k: SimKernel, workload: Workload, startNs: bigint): void {
  let cpu = 0;
  for (const spec of workload.processes(k.rng)) {
    const pid = k.allocPid();
    const process: ProcessState = {
      pid,
      comm: truncateComm(spec.comm),
      exe: spec.exe,
      uid: spec.uid,
      gid: spec.gid,
      fds: new Set([0, 1, 2, ...(spec.fds ?? [])]),
    };
    k.image.mapProcess(pid, spec.exe);
    spec.threads.forEach((t, i) => {
      const thread: ThreadState = {
        tid: i === 0 ? pid : k.allocPid(),
        comm: truncateComm(t.comm ?? spec.comm),
        process,
        cpu: cpu++ % k.config.ncpus,
        prio: t.prio ?? 120,
        baseStack: t.baseStack,
        behavior: t.behavior,
        scratch: {},
      };
      // Threads start at staggered times so that the first events are not all at once.
      k.wakeups.push({
        kind: 'thread',
        thread,
        ts: startNs + BigInt(k.rng.int(0, 2_000_000)),
        seq: k.nextSeq(),
      });
    });
  }
}

/** fork + exec + run + exit of a child command; returns when the parent goes on. */
export function runSpawn(
  k: SimKernel,
  parent: ThreadState,
  op: SpawnOp,
  t: bigint,
  runOps: RunOps,
): bigint {
  const rng = k.rng;
  const childPid = k.allocPid();
  const cloneLat = rng.ns(60_000, 0.4);
  const parentTask = k.task(parent);
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
    cpu: (parent.cpu + 1) % k.config.ncpus,
    prio: 120,
    baseStack: [[parent.process.exe, 'main']],
    scratch: {},
  };
  k.image.mapProcess(childPid, parent.process.exe);
  const childTask = k.task(child);
  k.tracepoint('sched', 'sched_process_fork', forkAt, parent.cpu, parentTask, {
    parent_comm: parent.comm,
    parent_pid: parent.tid,
    child_comm: parent.comm,
    child_pid: childPid,
  });
  k.tracepoint('sched', 'sched_wakeup_new', forkAt + 2_000n, parent.cpu, parentTask, {
    comm: parent.comm,
    pid: childPid,
    prio: 120,
    target_cpu: child.cpu,
    success: 1,
  });
  const afterClone = runSyscall(k, parent, cloneOp, t);

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
  k.tracepoint(
    'sched',
    'sched_process_exec',
    ct + execLat - 5_000n,
    child.cpu,
    { ...childTask, comm: newComm },
    { filename: op.exe, pid: childPid, old_pid: childPid },
  );
  ct = runSyscall(k, child, execOp, ct, newComm);
  child.comm = newComm;
  child.process.comm = newComm;
  child.process.exe = op.exe;
  const binary = k.image.hasBinary(op.exe) ? op.exe : '/usr/bin/coreutils';
  k.image.mapProcess(childPid, binary);
  child.baseStack = [
    ['/lib/x86_64-linux-gnu/libc.so.6', '__libc_start_call_main'],
    [binary, 'main'],
  ];
  ct = runOps(child, op.ops, ct + 2_000n);
  const exitOp: SyscallOp = {
    k: 'sys',
    name: 'exit_group',
    args: [op.exitCode ?? 0],
    ret: 0,
    lat: 30_000n,
  };
  ct = runSyscall(k, child, exitOp, ct);
  const finalTask = k.task(child);
  k.tracepoint('sched', 'sched_process_exit', ct - 10_000n, child.cpu, finalTask, {
    comm: child.comm,
    pid: childPid,
    prio: 120,
    group_dead: 1,
  });
  k.tracepoint('signal', 'signal_generate', ct - 5_000n, child.cpu, finalTask, {
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
  return runSyscall(k, parent, waitOp, afterClone + 3_000n);
}
