import { describe, expect, it } from 'vitest';
import { PT_REGS } from '../../probes/event';
import { decodeTracepointRecord } from '../../probes/record';
import {
  createSimulatedSource,
  listWorkloads,
  UnknownWorkloadError,
} from '../../probes/sim/source';
import { bundledTracepoints } from '../../probes/tracepoints';
import { attach, collect, readCString, u64 } from './helpers';

const tracepoints = bundledTracepoints();
const sim = (options: Parameters<typeof createSimulatedSource>[0] = {}) =>
  createSimulatedSource({ tracepoints, ...options });

function fingerprint(events: ReturnType<typeof collect>): string {
  return events
    .map(
      (e) =>
        `${e.ts} ${e.cpu} ${e.pid}/${e.tid} ${e.comm} ${e.probe} ${Buffer.from(e.ctx).toString('hex')}`,
    )
    .join('\n');
}

describe('simulated workloads', () => {
  it('lists at least three workloads with descriptions', () => {
    const list = listWorkloads();
    expect(list.map((w) => w.name)).toEqual(
      expect.arrayContaining(['webserver', 'build', 'database']),
    );
    for (const w of list) expect(w.description.length).toBeGreaterThan(10);
    expect(() => createSimulatedSource({ workload: 'nope' })).toThrow(UnknownWorkloadError);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const probes = [
      'tracepoint:raw_syscalls:sys_enter',
      'tracepoint:sched:sched_switch',
      'kprobe:vfs_read',
      'profile:hz:49',
    ];
    const a = fingerprint(collect(sim({ seed: 7 }), ...probes));
    const b = fingerprint(collect(sim({ seed: 7 }), ...probes));
    const c = fingerprint(collect(sim({ seed: 8 }), ...probes));
    expect(a.length).toBeGreaterThan(1000);
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    // A second iteration of the same source replays the same events.
    const source = sim({ seed: 7 });
    expect(fingerprint(collect(source, ...probes))).toBe(fingerprint(collect(source, ...probes)));
  });

  it('attaching more probes does not change the events of the others', () => {
    const alone = collect(sim(), 'tracepoint:syscalls:sys_enter_openat');
    const mixed = collect(
      sim(),
      'tracepoint:syscalls:sys_enter_openat',
      'tracepoint:sched:*',
      'uprobe:libc:malloc',
    ).filter((e) => e.probe === 'tracepoint:syscalls:sys_enter_openat');
    expect(mixed.map((e) => `${e.ts} ${e.tid} ${e.comm}`)).toEqual(
      alone.map((e) => `${e.ts} ${e.tid} ${e.comm}`),
    );
  });

  for (const { name } of listWorkloads()) {
    it(`${name}: events are time ordered, inside the run, and only for attached probes`, () => {
      const source = sim({ workload: name });
      const points = attach(
        source,
        'tracepoint:syscalls:sys_enter_*',
        'tracepoint:syscalls:sys_exit_*',
        'tracepoint:sched:*',
        'tracepoint:block:*',
        'kprobe:vfs_*',
        'kretprobe:vfs_*',
        'profile:hz:99',
      );
      const attached = new Set(
        points
          .filter((p) => !p.name.startsWith('tracepoint:syscalls:sys_enter_openat'))
          .map((p) => p.name),
      );
      const events = [...source.events({ probes: points.filter((p) => attached.has(p.name)) })];
      expect(events.length).toBeGreaterThan(500);
      let last = source.startNs;
      const problems: string[] = [];
      for (const e of events) {
        if (e.ts < last) problems.push(`out of order: ${e.probe} at ${e.ts}`);
        if (!attached.has(e.probe)) problems.push(`not attached: ${e.probe}`);
        if (new TextEncoder().encode(e.comm).length > 15) problems.push(`comm too long: ${e.comm}`);
        last = e.ts;
      }
      expect(problems).toEqual([]);
      expect(last <= source.endNs).toBe(true);
    });
  }

  it('writes syscall records with real paths, errors and common_pid', () => {
    const events = collect(
      sim(),
      'tracepoint:syscalls:sys_enter_openat',
      'tracepoint:syscalls:sys_exit_openat',
    );
    const format = tracepoints.format('syscalls', 'sys_enter_openat')!;
    const paths = new Set<string>();
    for (const e of events.filter((x) => x.probe.endsWith('enter_openat'))) {
      const args = decodeTracepointRecord(format, e.ctx, e.memory);
      expect(args.common_pid).toBe(BigInt(e.tid));
      expect(args.__syscall_nr).toBe(257n);
      expect(typeof args.filename).toBe('string');
      paths.add(args.filename as string);
    }
    expect([...paths].some((p) => p.startsWith('/var/www/html/'))).toBe(true);
    expect(paths.size).toBeGreaterThan(10);
    const exit = tracepoints.format('syscalls', 'sys_exit_openat')!;
    const rets = events
      .filter((x) => x.probe.endsWith('exit_openat'))
      .map((e) => decodeTracepointRecord(exit, e.ctx, e.memory).ret as bigint);
    expect(rets).toContain(-2n);
    expect(rets.some((r) => r >= 3n)).toBe(true);
  });

  it('gives kprobes pt_regs with arguments and user strings, kretprobes the return value', () => {
    const events = collect(sim(), 'kprobe:do_sys_openat2', 'kretprobe:vfs_read');
    const k = events.find((e) => e.probe === 'kprobe:do_sys_openat2')!;
    expect(k.ctx.length).toBe(PT_REGS.size);
    expect(BigInt.asIntN(64, u64(k.ctx, PT_REGS.di))).toBe(-100n);
    expect(readCString(k, u64(k.ctx, PT_REGS.si))).toMatch(/^\//);
    expect(k.kstack!.length).toBeGreaterThan(1);
    const source = sim();
    expect(source.symbols.symbolize(k.kstack![0]!, true)).toBe('do_sys_openat2');
    expect(source.symbols.symbolize(k.kstack!.at(-1)!, true)).toMatch(
      /^entry_SYSCALL_64_after_hwframe\+\d+$/,
    );
    const r = events.find((e) => e.probe === 'kretprobe:vfs_read')!;
    expect(BigInt.asIntN(64, u64(r.ctx, PT_REGS.ax)) >= 0n).toBe(true);
  });

  it('brackets each block request with blk_account_io_start and _done on the same request', () => {
    const events = collect(
      sim({ durationNs: 3_000_000_000n }),
      'kprobe:blk_account_io_start',
      'kprobe:blk_account_io_done',
    );
    const starts = events.filter((e) => e.probe === 'kprobe:blk_account_io_start');
    const dones = events.filter((e) => e.probe === 'kprobe:blk_account_io_done');
    expect(starts.length).toBeGreaterThan(0);
    expect(dones.length).toBe(starts.length);
    for (const d of dones) {
      const rq = u64(d.ctx, PT_REGS.di);
      const start = starts.find((s) => u64(s.ctx, PT_REGS.di) === rq);
      expect(start).toBeDefined();
      expect(d.ts > start!.ts).toBe(true);
    }
  });

  it('fires the path-walk, creation, capability and TCP kernel functions', () => {
    const probes = [
      'kprobe:lookup_fast',
      'kprobe:vfs_create',
      'kprobe:cap_capable',
      'kprobe:tcp_connect',
      'kprobe:tcp_set_state',
      'kprobe:tcp_v4_syn_recv_sock',
    ];
    const events = collect(sim({ durationNs: 3_000_000_000n }), ...probes);
    for (const p of probes) expect(events.some((e) => e.probe === p)).toBe(true);
    const cap = events.find((e) => e.probe === 'kprobe:cap_capable')!;
    expect(u64(cap.ctx, PT_REGS.dx)).toBe(21n); // CAP_SYS_ADMIN
    expect(u64(cap.ctx, PT_REGS.cx)).toBe(2n); // CAP_OPT_NOAUDIT
    const state = events.find((e) => e.probe === 'kprobe:tcp_set_state')!;
    expect(u64(state.ctx, PT_REGS.si)).toBe(2n); // TCP_SYN_SENT
    const create = events.find((e) => e.probe === 'kprobe:vfs_create')!;
    expect(u64(create.ctx, PT_REGS.cx)).toBe(0o600n); // the mode openat was given
  });

  it('runs nginx TLS through libssl and resolves names through libc', () => {
    const events = collect(
      sim({ durationNs: 10_000_000_000n }),
      'uprobe:libssl:SSL_read',
      'uretprobe:libssl:SSL_write',
      'uprobe:libc:getaddrinfo',
    );
    const libssl = '/lib/x86_64-linux-gnu/libssl.so.3';
    const read = events.find((e) => e.probe === `uprobe:${libssl}:SSL_read`)!;
    expect(read.comm).toBe('nginx');
    expect(u64(read.ctx, PT_REGS.dx)).toBe(16_384n);
    const write = events.find((e) => e.probe === `uretprobe:${libssl}:SSL_write`)!;
    expect(u64(write.ctx, PT_REGS.ax)).toBeGreaterThan(0n);
    const lookup = events.find((e) => e.probe.endsWith('libc.so.6:getaddrinfo'))!;
    expect(lookup.comm).toBe('curl');
    expect(readCString(lookup, u64(lookup.ctx, PT_REGS.di))).toBe('api.example.com');
  });

  it('starts git preload threads through libpthread at a symbolized entry point', () => {
    const source = sim({ workload: 'build', durationNs: 3_000_000_000n });
    const events = collect(source, 'uprobe:libpthread:pthread_create');
    expect(events.length).toBeGreaterThan(0);
    expect(events[0]!.comm).toBe('git');
    expect(source.symbols.symbolize(u64(events[0]!.ctx, PT_REGS.dx), false)).toBe('preload_thread');
  });

  it('returns the command line from uretprobe:/bin/bash:readline', () => {
    const events = collect(sim({ durationNs: 3_000_000_000n }), 'uretprobe:/bin/bash:readline');
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) {
      expect(e.comm).toBe('bash');
      expect(readCString(e, u64(e.ctx, PT_REGS.ax))).toMatch(/^(ls|cat|grep|ps|vim|curl) /);
    }
  });

  it('follows fork and exec: comm changes after execve', () => {
    const events = collect(
      sim({ durationNs: 3_000_000_000n }),
      'tracepoint:sched:sched_process_fork',
      'tracepoint:sched:sched_process_exec',
      'tracepoint:syscalls:sys_enter_execve',
      'tracepoint:syscalls:sys_exit_execve',
    );
    const enter = events.find((e) => e.probe.endsWith('sys_enter_execve'))!;
    expect(enter.comm).toBe('bash');
    const exit = events.find((e) => e.probe.endsWith('sys_exit_execve') && e.tid === enter.tid)!;
    expect(['ls', 'cat', 'grep', 'ps', 'vim.basic']).toContain(exit.comm);
    const execFormat = tracepoints.format('sched', 'sched_process_exec')!;
    const exec = events.find((e) => e.probe.endsWith('sched_process_exec') && e.tid === enter.tid)!;
    expect(decodeTracepointRecord(execFormat, exec.ctx, exec.memory).filename).toMatch(
      /^\/usr\/bin\//,
    );
  });

  it('fires profile on every CPU and interval on CPU 0, with symbolised stacks', () => {
    const source = sim({ ncpus: 4 });
    const events = collect(source, 'profile:hz:99', 'interval:ms:100');
    const ticks = events.filter((e) => e.probe === 'interval:ms:100');
    expect(ticks.length).toBe(10);
    expect(ticks.every((e) => e.cpu === 0)).toBe(true);
    const profile = events.filter((e) => e.probe === 'profile:hz:99');
    expect(profile.length).toBeGreaterThanOrEqual(99 * 4 - 4);
    expect(new Set(profile.map((e) => e.cpu))).toEqual(new Set([0, 1, 2, 3]));
    const idle = profile.find((e) => e.pid === 0)!;
    expect(idle.comm).toMatch(/^swapper\/\d$/);
    expect(source.symbols.symbolize(idle.kstack![0]!, true)).toMatch(/^default_idle\+/);
    const busy = profile.find((e) => e.pid !== 0 && e.ustack && e.ustack.length > 0)!;
    expect(busy.ustack!.every((a) => source.symbols.symbolize(a, false) !== undefined)).toBe(true);
  });

  it('issues and completes block requests', () => {
    const events = collect(
      sim({ workload: 'database' }),
      'tracepoint:block:block_rq_issue',
      'tracepoint:block:block_rq_complete',
    );
    const issue = tracepoints.format('block', 'block_rq_issue')!;
    const issued = events.filter((e) => e.probe.endsWith('issue'));
    expect(issued.length).toBeGreaterThan(3);
    const args = decodeTracepointRecord(issue, issued[0]!.ctx, []);
    expect(args.bytes).toBe(BigInt(Number(args.nr_sector) * 512));
    expect(String(args.rwbs)).toMatch(/^(R|RA|W|WS)$/);
    expect(events.filter((e) => e.probe.endsWith('complete')).length).toBe(issued.length);
  });

  it('ends by itself at the end of its duration', () => {
    const source = sim({ durationNs: 200_000_000n });
    expect(source.endNs - source.startNs).toBe(200_000_000n);
    const events = collect(source, 'interval:ms:50');
    expect(events.length).toBe(4);
  });
});
