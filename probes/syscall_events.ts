// Turns one system call (name, positional arguments, return value, enter/exit times) into the
// tracepoint events the kernel emits for it: syscalls:sys_enter_NAME / sys_exit_NAME and
// raw_syscalls:sys_enter / sys_exit. Used by the simulator and the strace importer.

import { SYSCALL_NUMBERS } from './abi';
import type { Event, MemoryRegion } from './event';
import type { MemoryBuilder } from './memory';
import { buildTracepointRecord, toBigInt } from './record';
import { makeEvent, type TaskInfo } from './task';
import type { TracepointCatalog } from './tracepoints';

/** An argument: an integer, a string placed in user memory (its address is the argument), or
 *  a block of user memory (`{ bytes }`, e.g. a zeroed struct). */
export type SyscallArg =
  number | bigint | string | { bytes: Uint8Array } | { strings: readonly string[] };

/** Argument values after strings and blocks were placed in user memory. */
export interface ResolvedArgs {
  values: bigint[];
  regions: MemoryRegion[];
}

export interface SyscallCall {
  name: string;
  args: readonly SyscallArg[];
  ret: bigint | number;
  enterTs: bigint;
  exitTs: bigint;
  cpu: number;
  task: TaskInfo;
  /** Task as seen at exit when it differs (execve changes comm). */
  exitTask?: TaskInfo;
  /** Omit the exit events (`exit_group`, an unfinished call at the end of a log). */
  noExit?: boolean;
}

export const SYSCALL_PROBES = {
  enter: (name: string) => `tracepoint:syscalls:sys_enter_${name}`,
  exit: (name: string) => `tracepoint:syscalls:sys_exit_${name}`,
  rawEnter: 'tracepoint:raw_syscalls:sys_enter',
  rawExit: 'tracepoint:raw_syscalls:sys_exit',
} as const;

export class SyscallEventBuilder {
  constructor(
    private readonly tracepoints: TracepointCatalog,
    private readonly memory: MemoryBuilder,
  ) {}

  /** The events of `call` whose probe is wanted, enter events first. */
  /** Places the call's strings and blocks in user memory (once per call, shared by every
   *  event and kprobe of the call). */
  resolve(call: SyscallCall): ResolvedArgs {
    const values = call.args.map((a) => this.argValue(a));
    return { values, regions: this.memory.take() };
  }

  build(
    call: SyscallCall,
    wanted: (probe: string) => boolean,
    resolved?: ResolvedArgs,
  ): { enter: Event[]; exit: Event[] } {
    const enter: Event[] = [];
    const exit: Event[] = [];
    const nr = SYSCALL_NUMBERS[call.name] ?? -1;
    const enterName = SYSCALL_PROBES.enter(call.name);
    const exitName = SYSCALL_PROBES.exit(call.name);
    const wantEnter = wanted(enterName);
    const wantRawEnter = wanted(SYSCALL_PROBES.rawEnter);
    const wantExit = !call.noExit && wanted(exitName);
    const wantRawExit = !call.noExit && wanted(SYSCALL_PROBES.rawExit);
    if (!(wantEnter || wantRawEnter || wantExit || wantRawExit)) return { enter, exit };

    let regions: MemoryRegion[] = [];
    let values: bigint[] = [];
    if (wantEnter || wantRawEnter) ({ values, regions } = resolved ?? this.resolve(call));
    const pid = call.task.tid;
    if (wantEnter) {
      const format = this.tracepoints.format('syscalls', `sys_enter_${call.name}`);
      if (format) {
        const named: Record<string, bigint> = { __syscall_nr: BigInt(nr) };
        const argFields = format.fields.filter(
          (f) => !f.name.startsWith('common_') && f.name !== '__syscall_nr',
        );
        argFields.forEach((f, i) => (named[f.name] = values[i] ?? 0n));
        const ctx = buildTracepointRecord(format, named, { pid }, this.memory);
        enter.push(makeEvent(enterName, call.enterTs, call.cpu, call.task, ctx, regions));
      }
    }
    if (wantRawEnter) {
      const format = this.tracepoints.format('raw_syscalls', 'sys_enter');
      if (format) {
        const args = Array.from({ length: 6 }, (_, i) => values[i] ?? 0n);
        const ctx = buildTracepointRecord(format, { id: BigInt(nr), args }, { pid }, this.memory);
        enter.push(
          makeEvent(SYSCALL_PROBES.rawEnter, call.enterTs, call.cpu, call.task, ctx, regions),
        );
      }
    }
    const exitTask = call.exitTask ?? call.task;
    const ret = BigInt(call.ret);
    if (wantExit) {
      const format = this.tracepoints.format('syscalls', `sys_exit_${call.name}`);
      if (format) {
        const ctx = buildTracepointRecord(
          format,
          { __syscall_nr: BigInt(nr), ret },
          { pid },
          this.memory,
        );
        exit.push(makeEvent(exitName, call.exitTs, call.cpu, exitTask, ctx, []));
      }
    }
    if (wantRawExit) {
      const format = this.tracepoints.format('raw_syscalls', 'sys_exit');
      if (format) {
        const ctx = buildTracepointRecord(format, { id: BigInt(nr), ret }, { pid }, this.memory);
        exit.push(makeEvent(SYSCALL_PROBES.rawExit, call.exitTs, call.cpu, exitTask, ctx, []));
      }
    }
    return { enter, exit };
  }

  private argValue(arg: SyscallArg): bigint {
    if (typeof arg === 'string') return this.memory.putString(arg);
    if (typeof arg === 'object' && 'strings' in arg) {
      const pointers = new Uint8Array((arg.strings.length + 1) * 8);
      const view = new DataView(pointers.buffer);
      arg.strings.forEach((s, i) => view.setBigUint64(i * 8, this.memory.putString(s), true));
      return this.memory.put(pointers);
    }
    if (typeof arg === 'object') return this.memory.put(arg.bytes);
    return toBigInt(arg);
  }
}
