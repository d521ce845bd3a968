// The C calls the kernel backend needs, through koffi (an FFI whose prebuilt binary ships in
// its npm package, so nothing is compiled at install time). koffi is loaded only when a live
// run starts: without it every other mode works, and --live fails with one clear error.

import { createRequire } from 'node:module';
import { LiveError } from './errors';

export class LiveUnavailableError extends LiveError {}

/** A system call's failure: the call, and errno as the kernel returned it. */
export class SyscallError extends LiveError {
  constructor(
    readonly call: string,
    readonly errno: number,
    detail = '',
  ) {
    super(`${call}: ${errnoName(errno)}${detail ? `: ${detail}` : ''}`);
  }
}

const ERRNO_NAMES: Record<number, string> = {
  1: 'Operation not permitted (EPERM)',
  2: 'No such file or directory (ENOENT)',
  3: 'No such process (ESRCH)',
  4: 'Interrupted system call (EINTR)',
  7: 'Argument list too long (E2BIG)',
  9: 'Bad file descriptor (EBADF)',
  12: 'Cannot allocate memory (ENOMEM)',
  13: 'Permission denied (EACCES)',
  14: 'Bad address (EFAULT)',
  16: 'Device or resource busy (EBUSY)',
  17: 'File exists (EEXIST)',
  22: 'Invalid argument (EINVAL)',
  24: 'Too many open files (EMFILE)',
  28: 'No space left on device (ENOSPC)',
  95: 'Operation not supported (EOPNOTSUPP)',
  524: 'Operation not supported (ENOTSUPP)',
};

export function errnoName(errno: number): string {
  return ERRNO_NAMES[errno] ?? `errno ${errno}`;
}

/** Native memory that does not move: the kernel reads and writes it through its address. */
export interface NativeBuffer {
  readonly address: bigint;
  readonly bytes: Uint8Array;
  readonly view: DataView;
}

type Fn = ((...args: unknown[]) => unknown) & {
  async: (...args: unknown[]) => void;
};

export interface Libc {
  /** syscall(nr, a, b, c, d, e) with integer or address arguments; returns the raw result. */
  syscall(nr: number, ...args: (number | bigint)[]): number;
  errno(): number;
  close(fd: number): number;
  ioctl(fd: number, request: number, arg: number | bigint): number;
  /** mmap of a file descriptor, shared, read-write; the mapping as native memory. */
  mmap(fd: number, length: number): NativeBuffer | undefined;
  munmap(buffer: NativeBuffer): void;
  /** Fixed native memory (kept alive by the returned object). */
  alloc(size: number): NativeBuffer;
  /** epoll_wait on a worker thread; resolves with the count of ready events (or -errno). */
  epollWaitAsync(
    epfd: number,
    events: NativeBuffer,
    max: number,
    timeoutMs: number,
  ): Promise<number>;
  /** The same call, blocking the calling thread (only with timeout 0). */
  epollWait(epfd: number, events: NativeBuffer, max: number, timeoutMs: number): number;
}

let cached: Libc | undefined;
let failure: string | undefined;

/** The libc bindings, or a LiveUnavailableError saying why they cannot be had. */
export function libc(): Libc {
  if (cached) return cached;
  if (failure) throw new LiveUnavailableError(failure);
  try {
    cached = bind();
    return cached;
  } catch (e) {
    failure = `--live needs the koffi FFI module and its prebuilt binary for ${process.platform}-${process.arch}: ${(e as Error).message.split('\n')[0]}`;
    throw new LiveUnavailableError(failure);
  }
}

function bind(): Libc {
  if (process.platform !== 'linux') throw new Error('live tracing is Linux only');
  // Loaded at run time only (esbuild leaves it external): its native part is a .node binary.
  const require = createRequire(__filename);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const koffi = require('koffi') as typeof import('koffi');
  const lib = koffi.load('libc.so.6');
  const syscall = lib.func('long syscall(long, long, long, long, long, long)') as Fn;
  const close = lib.func('int close(int)') as Fn;
  const ioctl = lib.func('int ioctl(int, unsigned long, unsigned long)') as Fn;
  const mmap = lib.func('void *mmap(void *, size_t, int, int, int, long)') as Fn;
  const munmap = lib.func('int munmap(void *, size_t)') as Fn;
  const epollWait = lib.func('int epoll_wait(int, void *, int, int)') as Fn;
  const pointers = new WeakMap<NativeBuffer, unknown>();

  const wrap = (pointer: unknown, size: number): NativeBuffer => {
    const ab = koffi.view(pointer, size);
    const buffer = {
      address: koffi.address(pointer),
      bytes: new Uint8Array(ab),
      view: new DataView(ab),
    };
    pointers.set(buffer, pointer);
    return buffer;
  };

  return {
    syscall: (nr, ...args) => {
      const a = [...args];
      while (a.length < 5) a.push(0);
      return Number(syscall(nr, ...a));
    },
    errno: () => koffi.errno(),
    close: (fd) => close(fd) as number,
    ioctl: (fd, request, arg) => ioctl(fd, request, arg) as number,
    mmap: (fd, length) => {
      const PROT_READ_WRITE = 3;
      const MAP_SHARED = 1;
      const pointer = mmap(null, length, PROT_READ_WRITE, MAP_SHARED, fd, 0);
      const address = pointer === null ? -1n : koffi.address(pointer);
      if (address === -1n || address === 0n) return undefined;
      return wrap(pointer, length);
    },
    munmap: (buffer) => {
      const pointer = pointers.get(buffer);
      if (pointer !== undefined) munmap(pointer, buffer.bytes.byteLength);
      pointers.delete(buffer);
    },
    alloc: (size) => {
      const pointer = koffi.alloc('uint8_t', Math.max(1, size));
      const buffer = wrap(pointer, Math.max(1, size));
      buffer.bytes.fill(0);
      return buffer;
    },
    epollWaitAsync: (epfd, events, max, timeoutMs) =>
      new Promise((resolveWait, reject) => {
        epollWait.async(epfd, pointers.get(events), max, timeoutMs, (err: unknown, res: number) => {
          if (err) reject(err as Error);
          else resolveWait(res < 0 ? -koffi.errno() : res);
        });
      }),
    epollWait: (epfd, events, max, timeoutMs) => {
      const res = epollWait(epfd, pointers.get(events), max, timeoutMs) as number;
      return res < 0 ? -koffi.errno() : res;
    },
  };
}
