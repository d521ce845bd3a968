// The kernel functions each system call passes through, with their arguments as the
// simulator models them (kprobes, kretprobes, kfuncs and kretfuncs fire on these).

import { KERNEL_FUNCTIONS } from '../machine';
import { socketCalls, type KernelCall } from './networking';

export type { KernelCall };

const O_CREAT = 0o100n;
const O_EXCL = 0o200n;
const PROT_WRITE = 2n;
const MAP_PRIVATE = 2n;
const CAP_SYS_ADMIN = 21n;
const CAP_OPT_NOAUDIT = 2n;

/** The dcache lookup of a path walk: `lookup_fast(nameidata)` returns the cached dentry. */
function pathLookup(objectAddress: (kind: string, n: bigint) => bigint): KernelCall {
  return {
    func: 'lookup_fast',
    args: [objectAddress('nameidata', 0n)],
    ret: objectAddress('dentry', 0n),
  };
}

export function kernelCallsFor(
  name: string,
  args: readonly bigint[],
  ret: bigint,
  objectAddress: (kind: string, n: bigint) => bigint,
): KernelCall[] {
  const fd = args[0] ?? 0n;
  const file = objectAddress('file', fd);
  const sock = objectAddress('sock', fd);
  const pos = objectAddress('pos', fd);
  const calls: KernelCall[] = [];
  const wrapper = `__x64_sys_${name}`;
  if (KERNEL_FUNCTIONS.includes(wrapper))
    calls.push({ func: wrapper, args: [objectAddress('regs', 0n)], ret });
  const socket = socketCalls(name, args, ret, sock, objectAddress);
  if (socket) return [...calls, ...socket];
  switch (name) {
    case 'read':
    case 'pread64':
      calls.push({ func: 'ksys_read', args: [fd, args[1] ?? 0n, args[2] ?? 0n], ret });
      if (ret >= 0n)
        calls.push({ func: 'vfs_read', args: [file, args[1] ?? 0n, args[2] ?? 0n, pos], ret });
      break;
    case 'write':
    case 'pwrite64':
    case 'writev':
      calls.push({ func: 'ksys_write', args: [fd, args[1] ?? 0n, args[2] ?? 0n], ret });
      if (ret >= 0n)
        calls.push({
          func: name === 'writev' ? 'vfs_writev' : 'vfs_write',
          args: [file, args[1] ?? 0n, args[2] ?? 0n, pos],
          ret,
        });
      break;
    case 'openat':
      calls.push({
        func: 'do_sys_openat2',
        args: [args[0] ?? 0n, args[1] ?? 0n, objectAddress('how', 0n)],
        ret,
      });
      calls.push(pathLookup(objectAddress));
      if (ret >= 0n && ((args[2] ?? 0n) & O_CREAT) !== 0n)
        calls.push({
          func: 'vfs_create',
          args: [
            objectAddress('mnt_idmap', 0n),
            objectAddress('inode', 0n),
            objectAddress('dentry', ret),
            args[3] ?? 0n,
            ((args[2] ?? 0n) & O_EXCL) !== 0n ? 1n : 0n,
          ],
          ret: 0n,
        });
      if (ret >= 0n) {
        calls.push({
          func: 'vfs_open',
          args: [objectAddress('path', ret), objectAddress('file', ret)],
          ret: 0n,
        });
        calls.push({ func: 'security_file_open', args: [objectAddress('file', ret)], ret: 0n });
      }
      break;
    case 'close':
      calls.push({ func: 'filp_close', args: [file, objectAddress('files', 0n)], ret });
      break;
    case 'fsync':
    case 'fdatasync':
      calls.push({ func: 'vfs_fsync', args: [file, name === 'fdatasync' ? 1n : 0n], ret });
      calls.push({
        func: 'ext4_sync_file',
        args: [file, 0n, -1n, name === 'fdatasync' ? 1n : 0n],
        ret,
      });
      break;
    case 'newfstatat':
    case 'statx':
      calls.push(pathLookup(objectAddress));
      calls.push({
        func: 'vfs_statx',
        args: [
          args[0] ?? 0n,
          objectAddress('filename', 0n),
          args[3] ?? 0n,
          objectAddress('kstat', 0n),
          0x7ffn,
        ],
        ret,
      });
      break;
    case 'fstat':
    case 'newfstat':
      calls.push({ func: 'vfs_fstat', args: [fd, objectAddress('kstat', 0n)], ret });
      break;
    case 'unlinkat':
      calls.push({
        func: 'do_unlinkat',
        args: [args[0] ?? 0n, objectAddress('filename', 0n)],
        ret,
      });
      break;
    case 'clock_nanosleep':
    case 'nanosleep':
      calls.push({ func: 'hrtimer_nanosleep', args: [objectAddress('ts', 0n), 1n, 1n], ret });
      calls.push({ func: 'do_nanosleep', args: [objectAddress('timer', 0n), 1n], ret });
      break;
    case 'clone':
    case 'clone3':
    case 'vfork':
      calls.push({ func: 'kernel_clone', args: [objectAddress('clone_args', 0n)], ret });
      calls.push({
        func: 'copy_process',
        args: [0n, 0n, 0xffffffffn, objectAddress('clone_args', 0n)],
        ret: objectAddress('task', ret),
      });
      calls.push({ func: 'wake_up_new_task', args: [objectAddress('task', ret)], ret: 0n });
      break;
    case 'execve':
      calls.push({
        func: 'do_execveat_common',
        args: [-100n, objectAddress('filename', 0n), args[1] ?? 0n, args[2] ?? 0n, 0n],
        ret,
      });
      calls.push({
        func: 'bprm_execve',
        args: [objectAddress('bprm', 0n), -100n, objectAddress('filename', 0n), 0n],
        ret,
      });
      break;
    case 'wait4':
      calls.push({ func: 'do_wait', args: [objectAddress('wait_opts', 0n)], ret });
      break;
    case 'mmap':
      // Private writable mappings are charged against overcommit, which asks whether the
      // task has CAP_SYS_ADMIN without auditing the check (security_vm_enough_memory_mm).
      if (((args[2] ?? 0n) & PROT_WRITE) !== 0n && ((args[3] ?? 0n) & MAP_PRIVATE) !== 0n)
        calls.push({
          func: 'cap_capable',
          args: [
            objectAddress('cred', 0n),
            objectAddress('user_ns', 0n),
            CAP_SYS_ADMIN,
            CAP_OPT_NOAUDIT,
          ],
          ret: 0n,
        });
      calls.push({
        func: 'do_mmap',
        args: [
          objectAddress('file', args[4] ?? 0n),
          args[0] ?? 0n,
          args[1] ?? 0n,
          args[2] ?? 0n,
          args[3] ?? 0n,
          0n,
        ],
        ret,
      });
      break;
    case 'exit_group':
      calls.push({ func: 'do_group_exit', args: [(args[0] ?? 0n) << 8n], ret: 0n });
      calls.push({ func: 'do_exit', args: [(args[0] ?? 0n) << 8n], ret: 0n });
      break;
  }
  return calls;
}
