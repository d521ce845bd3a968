// x86-64 Linux ABI facts: syscall numbers and errno values (generated data in
// catalog/x86_64_abi.json by scripts/gen-x86_64-abi.mjs) and signal numbers.

import abi from './catalog/x86_64_abi.json';

/** Syscalls newer than the installed headers (numbers from the kernel's syscall_64.tbl). */
const NEWER_SYSCALLS: Record<string, number> = {
  uretprobe: 335,
  uprobe: 336,
  cachestat: 451,
  fchmodat2: 452,
  map_shadow_stack: 453,
  futex_wake: 454,
  futex_wait: 455,
  futex_requeue: 456,
  statmount: 457,
  listmount: 458,
  lsm_get_self_attr: 459,
  lsm_set_self_attr: 460,
  lsm_list_modules: 461,
  mseal: 462,
  setxattrat: 463,
  getxattrat: 464,
  listxattrat: 465,
  removexattrat: 466,
  open_tree_attr: 467,
  file_getattr: 468,
  file_setattr: 469,
};

/** Where the tracepoint name (sys_enter_NAME) differs from the syscall's name. */
const TRACEPOINT_NAMES: Record<string, string> = {
  stat: 'newstat',
  fstat: 'newfstat',
  lstat: 'newlstat',
  uname: 'newuname',
  sendfile: 'sendfile64',
  umount2: 'umount',
};

/** Syscall numbers by tracepoint name (`newfstat`) and by syscall name (`fstat`). */
export const SYSCALL_NUMBERS: Readonly<Record<string, number>> = (() => {
  const table: Record<string, number> = { ...abi.syscalls, ...NEWER_SYSCALLS };
  for (const [name, tp] of Object.entries(TRACEPOINT_NAMES))
    if (table[name] !== undefined) table[tp] = table[name]!;
  return table;
})();

/** The tracepoint name of a syscall as strace spells it (`fstat` → `newfstat`). */
export function tracepointSyscallName(name: string): string {
  return TRACEPOINT_NAMES[name] ?? name;
}

/** errno names, plus the kernel-internal restart codes strace shows. */
export const ERRNO_VALUES: Readonly<Record<string, number>> = {
  ...(abi.errnos as Record<string, number>),
  ERESTARTSYS: 512,
  ERESTARTNOINTR: 513,
  ERESTARTNOHAND: 514,
  ENOIOCTLCMD: 515,
  ERESTART_RESTARTBLOCK: 516,
};

export const SIGNALS: Readonly<Record<string, number>> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGILL: 4,
  SIGTRAP: 5,
  SIGABRT: 6,
  SIGIOT: 6,
  SIGBUS: 7,
  SIGFPE: 8,
  SIGKILL: 9,
  SIGUSR1: 10,
  SIGSEGV: 11,
  SIGUSR2: 12,
  SIGPIPE: 13,
  SIGALRM: 14,
  SIGTERM: 15,
  SIGSTKFLT: 16,
  SIGCHLD: 17,
  SIGCONT: 18,
  SIGSTOP: 19,
  SIGTSTP: 20,
  SIGTTIN: 21,
  SIGTTOU: 22,
  SIGURG: 23,
  SIGXCPU: 24,
  SIGXFSZ: 25,
  SIGVTALRM: 26,
  SIGPROF: 27,
  SIGWINCH: 28,
  SIGIO: 29,
  SIGPOLL: 29,
  SIGPWR: 30,
  SIGSYS: 31,
  SIGRTMIN: 34,
};

const NAME_BY_NUMBER = new Map(
  Object.entries({ ...abi.syscalls, ...NEWER_SYSCALLS }).map(([name, nr]) => [nr, name]),
);

export function syscallName(nr: number): string | undefined {
  return NAME_BY_NUMBER.get(nr);
}
