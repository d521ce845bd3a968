// An strace log as an EventSource: each system call becomes the syscall tracepoints the kernel
// would have emitted, with the task's comm tracked as the kernel keeps it.

import { SIGNALS, tracepointSyscallName } from '../abi';
import type { Event } from '../event';
import { MemoryBuilder } from '../memory';
import { buildTracepointRecord, type FieldValue } from '../record';
import { machineImage, standardCatalog } from '../machine';
import type { EventRequest, EventSource } from '../source';
import { SyscallEventBuilder, type SyscallArg, type SyscallCall } from '../syscall_events';
import { makeEvent, truncateComm, type TaskInfo } from '../task';
import { defaultTracepoints, type TracepointCatalog } from '../tracepoints';
import { mergeByTime, timerTicks } from '../trace/timers';
import { parseStrace, type StraceCall, type StraceRecord } from './parser';

export interface StraceSourceOptions {
  /** comm of processes whose name the log does not reveal (before their first execve);
   *  default `strace`, the name of strace's forked child. */
  comm?: string;
  uid?: number;
  gid?: number;
  liveTracepoints?: boolean;
}

/** strace prints clone's arguments by name; these are the tracepoint fields they fill. */
const NAMED_ARG_FIELDS: Record<string, string> = {
  child_stack: 'newsp',
  stack: 'newsp',
  flags: 'clone_flags',
  parent_tid: 'parent_tidptr',
  parent_tidptr: 'parent_tidptr',
  child_tidptr: 'child_tidptr',
  tls: 'tls',
};

const CLONE_THREAD = 0x10000n;
const SI_CODES: Record<string, number> = {
  SI_USER: 0,
  SI_KERNEL: 0x80,
  SI_QUEUE: -1,
  SI_TIMER: -2,
  SI_TKILL: -6,
  CLD_EXITED: 1,
  CLD_KILLED: 2,
  CLD_DUMPED: 3,
  CLD_TRAPPED: 4,
  CLD_STOPPED: 5,
  CLD_CONTINUED: 6,
  SEGV_MAPERR: 1,
  SEGV_ACCERR: 2,
};

type Happening =
  | { ts: bigint; order: number; kind: 'enter' | 'exit'; call: StraceCall }
  | { ts: bigint; order: number; kind: 'record'; record: StraceRecord };

export function createStraceSource(
  text: string,
  file: string,
  options: StraceSourceOptions = {},
): EventSource {
  const records = parseStrace(text, file);
  const tracepoints = defaultTracepoints({ live: options.liveTracepoints });
  const happenings: Happening[] = [];
  let order = 0;
  for (const r of records) {
    if (r.kind === 'syscall') {
      happenings.push({ ts: r.enterNs, order: order++, kind: 'enter', call: r });
      if (r.ret !== undefined)
        happenings.push({ ts: r.exitNs, order: order++, kind: 'exit', call: r });
    } else happenings.push({ ts: r.ts, order: order++, kind: 'record', record: r });
  }
  happenings.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : a.order - b.order));
  const startNs = happenings[0]?.ts ?? 0n;
  const endNs = happenings.at(-1)?.ts ?? startNs;
  const ncpus = 1;
  return {
    name: `strace:${file}`,
    catalog: standardCatalog(tracepoints),
    symbols: machineImage().symbols,
    ncpus,
    startNs,
    // `-ttt` times are seconds since the epoch: they are the recording's wall clock.
    bootWallNs: 0n,
    endNs,
    events(request: EventRequest): Iterable<Event> {
      const wanted = new Set(request.probes.map((p) => p.name));
      return {
        [Symbol.iterator]: () =>
          mergeByTime(
            straceEvents(happenings, tracepoints, wanted, options),
            timerTicks(request.probes, { ncpus, startNs, endNs }, () => false),
          ),
      };
    },
  };
}

function* straceEvents(
  happenings: readonly Happening[],
  tracepoints: TracepointCatalog,
  wanted: Set<string>,
  options: StraceSourceOptions,
): Generator<Event> {
  const memory = new MemoryBuilder();
  const builder = new SyscallEventBuilder(tracepoints, memory);
  const defaultComm = truncateComm(options.comm ?? 'strace');
  const comm = new Map<number, string>();
  const tgid = new Map<number, number>();
  const uid = options.uid ?? 0;
  const gid = options.gid ?? 0;
  const task = (pid: number): TaskInfo => ({
    pid: tgid.get(pid) ?? pid,
    tid: pid,
    uid,
    gid,
    comm: comm.get(pid) ?? defaultComm,
  });
  const out: Event[] = [];
  const tracepoint = (
    category: string,
    name: string,
    ts: bigint,
    t: TaskInfo,
    values: Record<string, FieldValue>,
  ) => {
    const probe = `tracepoint:${category}:${name}`;
    if (!wanted.has(probe)) return;
    const format = tracepoints.format(category, name);
    if (!format) return;
    out.push(
      makeEvent(
        probe,
        ts,
        0,
        t,
        buildTracepointRecord(format, values, { pid: t.tid }, memory),
        memory.take(),
      ),
    );
  };
  const isEnter = (p: string) =>
    p.startsWith('tracepoint:syscalls:sys_enter_') || p === 'tracepoint:raw_syscalls:sys_enter';
  const isExit = (p: string) =>
    p.startsWith('tracepoint:syscalls:sys_exit_') || p === 'tracepoint:raw_syscalls:sys_exit';
  const calls = new Map<StraceCall, SyscallCall>();

  for (const h of happenings) {
    if (h.kind === 'record') {
      const r = h.record;
      if (r.kind === 'exit') {
        const t = task(r.pid);
        tracepoint('sched', 'sched_process_exit', h.ts, t, {
          comm: t.comm,
          pid: r.pid,
          prio: 120,
          group_dead: 1,
        });
      } else if (r.kind === 'signal') {
        const t = task(r.pid);
        tracepoint('signal', 'signal_deliver', h.ts, t, {
          sig: SIGNALS[r.signal] ?? 0,
          errno: 0,
          code: SI_CODES[r.info.si_code ?? ''] ?? 0,
          sa_handler: 0,
          sa_flags: 0,
        });
      }
    } else if (h.kind === 'enter') {
      const c = h.call;
      const name = tracepointSyscallName(c.name);
      const t = task(c.pid);
      if (/^(clone|clone3|fork|vfork)$/.test(c.name) && c.ret !== undefined && c.ret > 0n) {
        const child = Number(c.ret);
        comm.set(child, t.comm);
        const flags = c.args.find((a) => a.name === 'flags')?.value;
        tgid.set(child, typeof flags === 'bigint' && (flags & CLONE_THREAD) !== 0n ? t.pid : child);
      }
      const call: SyscallCall = {
        name,
        args: orderArgs(tracepoints, name, c),
        ret: c.ret ?? 0n,
        enterTs: c.enterNs,
        exitTs: c.exitNs,
        cpu: 0,
        task: t,
        noExit: c.ret === undefined,
      };
      calls.set(c, call);
      for (const e of builder.build(call, (p) => isEnter(p) && wanted.has(p)).enter) out.push(e);
    } else {
      const c = h.call;
      const call = calls.get(c)!;
      calls.delete(c);
      const parent = task(c.pid);
      if (c.name === 'execve' || c.name === 'execveat') {
        if (c.ret === 0n) {
          const path = pathArgument(c);
          comm.set(c.pid, truncateComm(path.slice(path.lastIndexOf('/') + 1)));
          tracepoint('sched', 'sched_process_exec', h.ts, task(c.pid), {
            filename: path,
            pid: c.pid,
            old_pid: c.pid,
          });
        }
      }
      if (/^(clone|clone3|fork|vfork)$/.test(c.name) && c.ret !== undefined && c.ret > 0n) {
        tracepoint('sched', 'sched_process_fork', h.ts, parent, {
          parent_comm: parent.comm,
          parent_pid: c.pid,
          child_comm: parent.comm,
          child_pid: Number(c.ret),
        });
      }
      const exitCall: SyscallCall = { ...call, task: task(c.pid) };
      for (const e of builder.build(exitCall, (p) => isExit(p) && wanted.has(p)).exit) out.push(e);
    }
    while (out.length > 0) yield out.shift()!;
  }
}

function pathArgument(c: StraceCall): string {
  const arg = c.args[c.name === 'execveat' ? 1 : 0]?.value;
  if (typeof arg === 'object' && 'bytes' in arg) {
    const nul = arg.bytes.indexOf(0);
    return new TextDecoder().decode(nul >= 0 ? arg.bytes.subarray(0, nul) : arg.bytes);
  }
  return '';
}

/** Arguments in the tracepoint's field order: named ones (`flags=`) by name, others in turn. */
function orderArgs(tracepoints: TracepointCatalog, name: string, c: StraceCall): SyscallArg[] {
  if (!c.args.some((a) => a.name)) return c.args.map((a) => a.value);
  const format = tracepoints.format('syscalls', `sys_enter_${name}`);
  const fields = format
    ? format.fields
        .filter((f) => !f.name.startsWith('common_') && f.name !== '__syscall_nr')
        .map((f) => f.name)
    : [];
  const out: SyscallArg[] = fields.map(() => 0);
  let next = 0;
  for (const a of c.args) {
    const index = a.name ? fields.indexOf(NAMED_ARG_FIELDS[a.name] ?? a.name) : -1;
    if (index >= 0) out[index] = a.value;
    else {
      while (
        next < out.length &&
        c.args.some((x) => x.name && fields.indexOf(NAMED_ARG_FIELDS[x.name] ?? x.name) === next)
      )
        next++;
      if (next < out.length) out[next++] = a.value;
    }
  }
  return out;
}
