// Building blocks for workloads: syscall constants and small op constructors.

import { LIBRARY_PATHS } from '../attach';
import type { SyscallArg } from '../syscall_events';
import type { ComputeOp, Frame, LibraryCallOp, SyscallOp } from './model';
import type { Rng } from './rng';

export const AT_FDCWD = -100;
export const O = {
  RDONLY: 0,
  WRONLY: 1,
  RDWR: 2,
  CREAT: 0o100,
  EXCL: 0o200,
  TRUNC: 0o1000,
  APPEND: 0o2000,
  NONBLOCK: 0o4000,
  DIRECTORY: 0o200000,
  CLOEXEC: 0o2000000,
} as const;
export const E = {
  ENOENT: 2,
  EINTR: 4,
  EBADF: 9,
  EAGAIN: 11,
  EACCES: 13,
  EEXIST: 17,
  EPIPE: 32,
  ECONNRESET: 104,
  EINPROGRESS: 115,
} as const;
export const LIBC = LIBRARY_PATHS.libc!;
export const LIBPTHREAD = LIBRARY_PATHS.libpthread!;
export const LIBSSL = LIBRARY_PATHS.libssl!;

/** A user buffer address that looks like a heap pointer. */
export function heapPtr(rng: Rng): bigint {
  return 0x55d4_a3e0_0000n + BigInt(rng.int(0, 0xfffff)) * 16n;
}

export function stackPtr(rng: Rng): bigint {
  return 0x7ffd_4e00_0000n + BigInt(rng.int(0, 0xffff)) * 16n;
}

export function sys(
  name: string,
  args: SyscallArg[],
  ret: number | bigint,
  lat: bigint,
  extra: Partial<SyscallOp> = {},
): SyscallOp {
  return { k: 'sys', name, args, ret, lat, ...extra };
}

export function cpu(dur: bigint, ...stack: Frame[]): ComputeOp {
  return { k: 'cpu', dur, stack };
}

export function lib(
  func: string,
  args: LibraryCallOp['args'],
  ret: LibraryCallOp['ret'],
  dur: bigint,
  path = LIBC,
): LibraryCallOp {
  return { k: 'ucall', path, func, args, ret, dur };
}

export function zeroed(size: number): { bytes: Uint8Array } {
  return { bytes: new Uint8Array(size) };
}

/** A heavy-tailed byte count: most small, some very large. */
export function ioSize(rng: Rng, median: number, cap = 1 << 20): number {
  return Math.max(1, Math.min(cap, Math.round(rng.lognormal(median, 1.2))));
}

/** malloc + free pairs, as a program's allocator traffic. */
export function allocations(rng: Rng, count: number): LibraryCallOp[] {
  const ops: LibraryCallOp[] = [];
  for (let i = 0; i < count; i++) {
    const size = Math.round(rng.pareto(16, 1.1, 1 << 20));
    const ptr = heapPtr(rng);
    ops.push(lib(rng.chance(0.1) ? 'calloc' : 'malloc', [size], ptr, rng.ns(90, 0.8)));
    if (rng.chance(0.8)) ops.push(lib('free', [ptr], 0, rng.ns(60, 0.5)));
  }
  return ops;
}

/** What the dynamic loader does when a program starts. */
export function loaderPreamble(rng: Rng, libs: string[]): SyscallOp[] {
  const ops: SyscallOp[] = [
    sys('brk', [0], heapPtr(rng), 900n),
    sys('mmap', [0, 8192, 3, 0x22, -1, 0], 0x7f3a_1c5f_0000n, 2_500n),
    sys('access', ['/etc/ld.so.preload', 4], -E.ENOENT, rng.ns(3_000)),
    sys('openat', [AT_FDCWD, '/etc/ld.so.cache', O.RDONLY | O.CLOEXEC, 0], 3, rng.ns(5_000)),
    sys('newfstat', [3, zeroed(144)], 0, 1_200n),
    sys('mmap', [0, 61_231, 1, 2, 3, 0], 0x7f3a_1c5d_0000n, 2_800n),
    sys('close', [3], 0, 900n),
  ];
  for (const path of libs) {
    ops.push(
      sys('openat', [AT_FDCWD, path, O.RDONLY | O.CLOEXEC, 0], 3, rng.ns(6_000)),
      sys('read', [3, stackPtr(rng), 832], 832, rng.ns(2_000)),
      sys('newfstat', [3, zeroed(144)], 0, 1_100n),
      sys('mmap', [0, 2_125_776, 1, 0x802, 3, 0], 0x7f3a_1c20_0000n, rng.ns(4_000)),
      sys('close', [3], 0, 800n),
    );
  }
  ops.push(
    sys('arch_prctl', [0x1002, 0x7f3a_1c5f_2740n], 0, 700n),
    sys('set_tid_address', [0x7f3a_1c5f_2a10n], 0, 600n),
  );
  return ops;
}
