// One event as an event source delivers it to the runtime: the raw context the program
// receives in r1, the task metadata that helpers read, and the emulated memory that pointers
// in the context point into (DESIGN.md, principle 2).

import { ARG_REGISTERS, PT_REGS_OFFSETS, PT_REGS_SIZE } from '../compiler/ptregs';

export interface MemoryRegion {
  /** Start address in the emulated address space. */
  address: bigint;
  bytes: Uint8Array;
  /** Kernel memory (probe_read_kernel*) or user memory (probe_read_user*). */
  kernel: boolean;
}

export interface Event {
  /** Full name of the probe that fired, e.g. `tracepoint:syscalls:sys_enter_openat`. */
  probe: string;
  /** Event time in ns since boot (what `nsecs` reads). */
  ts: bigint;
  cpu: number;
  pid: number;
  tid: number;
  uid: number;
  gid: number;
  /** Task name, at most 15 bytes. */
  comm: string;
  /** Raw tracepoint record (laid out by its format) or x86-64 `struct pt_regs` (168 bytes). */
  ctx: Uint8Array;
  /** Memory that pointers in ctx point into. */
  memory: MemoryRegion[];
  /** Return addresses, innermost first; symbolised through the source's SymbolTable. */
  kstack?: bigint[];
  ustack?: bigint[];
  cgroup?: bigint;
}

export interface SymbolTable {
  /** Name of the function containing `address` (with `+offset` when bpftrace would show one),
   *  or undefined when unknown. A user address with `pid` resolves only in the images that
   *  process maps (as bpftrace reads /proc/PID/maps); without it, in any image. */
  symbolize(address: bigint, kernel: boolean, pid?: number): string | undefined;
  /** The containing symbol and the offset into it (`ksym`/`usym` print the name alone, stack
   *  frames `name+offset`). Optional: sources built on probes/symbols.ts provide it. */
  lookup?(
    address: bigint,
    kernel: boolean,
    pid?: number,
  ): { name: string; offset: number; image?: string } | undefined;
  /** The address of the symbol `name` (kaddr/uaddr), or undefined when unknown. Optional:
   *  sources built on probes/symbols.ts provide it. */
  address?(name: string, kernel: boolean): bigint | undefined;
}

/** x86-64 `struct pt_regs` byte offsets by register, and its `size` (compiler/ptregs.ts). */
export const PT_REGS = { ...PT_REGS_OFFSETS, size: PT_REGS_SIZE } as const;

export { ARG_REGISTERS };
