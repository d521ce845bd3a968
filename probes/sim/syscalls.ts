// System calls: the sys_enter/sys_exit tracepoints, the kernel functions each call passes
// through, the time the thread spends in the kernel (sleeping when the call blocks), and
// the block I/O it does.

import type { ResolvedArgs, SyscallCall } from '../syscall_events';
import { blockIo } from './block_io';
import type { SimKernel } from './kernel';
import { kernelCallsFor } from './kernel_calls';
import { fireSyscallChain, SYSCALL_ENTRY_FRAMES } from './kernel_functions';
import type { Frame, SyscallOp, ThreadState } from './model';
import { sleep } from './scheduling';

export function runSyscall(
  k: SimKernel,
  thread: ThreadState,
  op: SyscallOp,
  t: bigint,
  exitComm?: string,
): bigint {
  const task = k.task(thread);
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
  const kcalls = k.wanted.anyKernel ? probedKernelCalls(k, op) : [];
  let resolved: ResolvedArgs | undefined;
  const needArgs =
    kcalls.length > 0 ||
    k.wanted.has(`tracepoint:syscalls:sys_enter_${op.name}`) ||
    k.wanted.has('tracepoint:raw_syscalls:sys_enter');
  if (needArgs) resolved = k.syscalls.resolve(call);
  const { enter, exit } = k.syscalls.build(call, (p) => k.wanted.has(p), resolved);
  enter.forEach((e) => k.emit(e));
  if (kcalls.length > 0 && resolved) {
    // Recompute with the resolved pointer values (string arguments now have addresses).
    const all = kernelCallsFor(op.name, resolved.values, BigInt(op.ret), (kind, n) =>
      k.object(kind, n),
    );
    const wrapper = LIBC_WRAPPER[op.name] ?? 'read';
    fireSyscallChain(k, thread, all, wrapper, resolved.regions, t, exitTs, call.exitTask ?? task);
  }
  exit.forEach((e) => k.emit(e));

  const libcFrame: Frame[] = [['/lib/x86_64-linux-gnu/libc.so.6', LIBC_WRAPPER[op.name] ?? 'read']];
  const kframes = [...syscallKernelFrames(op.name), ...SYSCALL_ENTRY_FRAMES];
  if (op.block) {
    const outAt = t + 1_500n;
    const inAt = exitTs - 2_000n > outAt ? exitTs - 2_000n : outAt;
    k.segment(thread, t, outAt, ['schedule', '__schedule', ...kframes], libcFrame);
    sleep(k, thread, outAt, inAt, op.block);
    k.segment(
      thread,
      inAt,
      exitTs,
      ['finish_task_switch', '__schedule', 'schedule', ...kframes],
      libcFrame,
    );
  } else k.segment(thread, t, exitTs, kframes, libcFrame);
  if (op.io) blockIo(k, thread, op, t, exitTs);
  return exitTs;
}

/** The kernel functions of the call that have a probe attached. */
function probedKernelCalls(k: SimKernel, op: SyscallOp) {
  const values = op.args.map((a) =>
    typeof a === 'number' || typeof a === 'bigint' ? BigInt(a) : 0n,
  );
  return kernelCallsFor(op.name, values, BigInt(op.ret), (kind, n) => k.object(kind, n)).filter(
    (c) => k.wanted.byFunction.has(c.func),
  );
}

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

/** The kernel frames under the syscall entry while a call runs (what profile ticks see). */
function syscallKernelFrames(name: string): string[] {
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
