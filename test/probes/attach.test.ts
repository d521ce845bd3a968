import { describe, expect, it } from 'vitest';
import { createProbeHost } from '../../probes/host';
import { createSimulatedSource } from '../../probes/sim/source';
import { bundledTracepoints } from '../../probes/tracepoints';

const source = createSimulatedSource({ tracepoints: bundledTracepoints() });
const host = createProbeHost(source);

function names(raw: string): string[] {
  const r = host.resolveAttachPoint(raw);
  if (!r.ok) throw new Error(r.message);
  return r.points.map((p) => p.name);
}

function error(raw: string): string {
  const r = host.resolveAttachPoint(raw);
  if (r.ok) throw new Error(`expected ${raw} to fail`);
  return r.message;
}

describe('attach points', () => {
  it('resolves aliases to canonical names', () => {
    expect(names('t:syscalls:sys_enter_openat')).toEqual(['tracepoint:syscalls:sys_enter_openat']);
    expect(names('k:vfs_read')).toEqual(['kprobe:vfs_read']);
    expect(names('kr:vfs_read')).toEqual(['kretprobe:vfs_read']);
    expect(names('f:vfs_read')).toEqual(['kfunc:vfs_read']);
    expect(names('fr:vfs_read')).toEqual(['kretfunc:vfs_read']);
    expect(names('u:/bin/bash:readline')).toEqual(['uprobe:/bin/bash:readline']);
    expect(names('ur:/bin/bash:readline')).toEqual(['uretprobe:/bin/bash:readline']);
    expect(names('i:ms:100')).toEqual(['interval:ms:100']);
    expect(names('p:hz:99')).toEqual(['profile:hz:99']);
    expect(names('BEGIN')).toEqual(['BEGIN']);
    expect(names('END')).toEqual(['END']);
  });

  it('resolves short library names like bpftrace', () => {
    expect(names('uprobe:libc:malloc')).toEqual(['uprobe:/lib/x86_64-linux-gnu/libc.so.6:malloc']);
    const p = host.resolveAttachPoint('uretprobe:libc:malloc');
    expect(p.ok && p.points[0]).toMatchObject({
      provider: 'uretprobe',
      target: '/lib/x86_64-linux-gnu/libc.so.6',
      func: 'malloc',
    });
  });

  it('computes interval and profile periods; numbers are read as C does', () => {
    const at = (raw: string) => {
      const r = host.resolveAttachPoint(raw);
      return r.ok ? r.points[0] : undefined;
    };
    expect(at('interval:s:2')?.periodNs).toBe(2_000_000_000n);
    expect(at('interval:ms:100')?.periodNs).toBe(100_000_000n);
    expect(at('interval:us:250')?.periodNs).toBe(250_000n);
    expect(at('profile:hz:99')?.periodNs).toBe(1_000_000_000n / 99n);
    // bpftrace 0.17 parses with stoull base 0: a leading 0 is octal.
    expect(at('interval:ms:010')?.name).toBe('interval:ms:8');
    expect(at('interval:ms:0x10')?.name).toBe('interval:ms:16');
    expect(at('interval:ms:1e3')?.name).toBe('interval:ms:1000');
  });

  it('keeps kprobe offsets and rejects them on return probes', () => {
    expect(names('kprobe:vfs_read+16')).toEqual(['kprobe:vfs_read+16']);
    expect(names('kprobe:vfs_read+0x10')).toEqual(['kprobe:vfs_read+16']);
    expect(error('kretprobe:vfs_read+10')).toBe('Offset not allowed');
    expect(error('kprobe:vfs_read+0x10zz')).toBe('Found trailing non-numeric characters');
  });

  it('expands wildcards against the catalog', () => {
    const opens = names('tracepoint:syscalls:sys_enter_open*');
    expect(opens).toContain('tracepoint:syscalls:sys_enter_openat');
    expect(opens).toContain('tracepoint:syscalls:sys_enter_open');
    expect(opens.every((n) => n.startsWith('tracepoint:syscalls:sys_enter_open'))).toBe(true);
    expect(names('tracepoint:*:sched_switch')).toEqual(['tracepoint:sched:sched_switch']);
    expect(names('kprobe:vfs_*')).toEqual(
      expect.arrayContaining(['kprobe:vfs_read', 'kprobe:vfs_write', 'kprobe:vfs_open']),
    );
    expect(names('uprobe:/bin/bash:read*')).toEqual(
      [
        'uprobe:/bin/bash:read_command',
        'uprobe:/bin/bash:reader_loop',
        'uprobe:/bin/bash:readline',
      ].sort(),
    );
    expect(names('usdt:/usr/lib/postgresql/15/bin/postgres:query__*')).toEqual([
      'usdt:/usr/lib/postgresql/15/bin/postgres:postgresql:query__done',
      'usdt:/usr/lib/postgresql/15/bin/postgres:postgresql:query__start',
    ]);
  });

  it('reports bpftrace 0.17 messages for bad attach points', () => {
    expect(error('tracepoint:sched:zzz*')).toBe('tracepoints not found: sched:zzz*');
    expect(error('tracepoint:nonexist:foo')).toBe('tracepoint not found: nonexist:foo');
    expect(error('tracepoint:sched')).toBe('tracepoint probe type requires 2 arguments');
    expect(error('kprobe:nonexist_zz*')).toBe('No probes to attach');
    expect(error('uprobe:/bin/bash:nonexist_zz*')).toBe('No probes to attach');
    expect(error('kprobe:')).toBe('kprobes should be attached to a function');
    expect(error('kprobe:a:b:c')).toBe('kprobe probe type requires 1 argument');
    expect(error('uprobe:/bin/bash')).toBe('uprobe probe type requires 2 arguments');
    expect(error('uprobe:/bin/nonexist:foo')).toBe(
      "uprobe target file '/bin/nonexist' does not exist or is not executable",
    );
    expect(error('interval:100')).toBe('interval probe type requires 2 arguments');
    expect(error('interval:xs:10')).toBe('xs is not an accepted unit of time');
    expect(error('profile:ns:10')).toBe('ns is not an accepted unit of time');
    expect(error('interval:ms:abc')).toBe('stoull');
    expect(error('interval:us:10x')).toBe('Found trailing non-numeric characters');
    expect(error('profile:hz:0')).toBe('profile frequency should be a positive integer');
    expect(error('software:foo:1')).toBe('foo is not a software probe');
    expect(error('hardware:foo:1')).toBe('foo is not a hardware probe');
    expect(error('software:cpu-clock:1:2')).toBe('software probe type requires 1 or 2 arguments');
    expect(error('usdt:/bin/bash')).toBe('usdt probe type requires 2 or 3 arguments');
    expect(error('watchpoint:0x1000:3:rw')).toBe('watchpoint length must be one of (1,2,4,8)');
    expect(error('iter:foo')).toBe('iter foo not available for your kernel version.');
  });

  it('treats an unknown probe type as bpftrace does (a fatal error)', () => {
    for (const raw of ['foo:bar', 'Begin', 'sched:sched_switch']) {
      const r = host.resolveAttachPoint(raw);
      expect(r).toEqual({
        ok: false,
        message: 'Invalid probe type made it to attachpoint parser',
        fatal: true,
      });
    }
  });

  it("takes newer bpftrace's lowercase begin/end as BEGIN/END, named as written", () => {
    expect(host.resolveAttachPoint('begin')).toEqual({
      ok: true,
      points: [{ provider: 'BEGIN', name: 'begin', target: '', func: '' }],
    });
    expect(names('end')).toEqual(['end']);
    expect(error('begin:1')).toBe('BEGIN probe type requires 0 arguments');
  });

  it('names software probes as written, like bpftrace', () => {
    expect(names('s:cpu:1000000')).toEqual(['software:cpu:1000000']);
    expect(names('software:page-faults:100')).toEqual(['software:page-faults:100']);
    expect(names('hardware:cycles:1000000')).toEqual(['hardware:cycles:1000000']);
  });

  it('lists probes for -l and fields for -lv in bpftrace format', () => {
    expect(host.listProbes('tracepoint:sched:sched_w*')).toEqual([
      'tracepoint:sched:sched_wait_task',
      'tracepoint:sched:sched_wake_idle_without_ipi',
      'tracepoint:sched:sched_wakeup',
      'tracepoint:sched:sched_wakeup_new',
      'tracepoint:sched:sched_waking',
    ]);
    expect(host.listProbes('t:sched:sched_switch')).toEqual(['tracepoint:sched:sched_switch']);
    expect(host.listProbesVerbose('tracepoint:syscalls:sys_enter_openat')).toEqual([
      'tracepoint:syscalls:sys_enter_openat',
      '    int __syscall_nr',
      '    int dfd',
      '    const char * filename',
      '    int flags',
      '    umode_t mode',
    ]);
    expect(host.listProbes('kprobe:vfs_rea*')).toEqual(['kprobe:vfs_read', 'kprobe:vfs_readv']);
  });
});
