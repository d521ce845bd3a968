// Section, program and map names in the object file.

import { describe, expect, it } from 'vitest';
import { mapSymbolNames, programSymbolName, sectionNameFor } from '../../compiler/elf/naming';

describe('sectionNameFor', () => {
  it.each([
    ['BEGIN', 'uprobe'],
    ['END', 'uprobe'],
    ['tracepoint:syscalls:sys_enter_openat', 'tracepoint/syscalls/sys_enter_openat'],
    ['t:sched:sched_switch', 'tracepoint/sched/sched_switch'],
    ['tracepoint:syscalls:sys_enter_*', 'tracepoint/syscalls/sys_enter_*'],
    ['kprobe:vfs_read', 'kprobe/vfs_read'],
    ['k:vfs_read+16', 'kprobe/vfs_read+16'],
    ['kr:vfs_read', 'kretprobe/vfs_read'],
    ['uprobe:/bin/bash:readline', 'uprobe//bin/bash:readline'],
    ['ur:/bin/bash:readline', 'uretprobe//bin/bash:readline'],
    ['usdt:/usr/bin/app:prov:probe', 'usdt//usr/bin/app:prov:probe'],
    ['kfunc:vfs_open', 'fentry/vfs_open'],
    ['kretfunc:vfs_open', 'fexit/vfs_open'],
    ['iter:task', 'iter/task'],
    ['interval:s:1', 'perf_event'],
    ['i:ms:100', 'perf_event'],
    ['profile:hz:99', 'perf_event'],
    ['software:cpu-clock:1000', 'perf_event'],
    ['hardware:cache-misses:1000000', 'perf_event'],
  ])('%s → %s', (attachPoint, section) => {
    expect(sectionNameFor([attachPoint])).toBe(section);
  });

  it('types a probe block by its first attach point', () => {
    expect(sectionNameFor(['kprobe:vfs_read', 'tracepoint:syscalls:sys_enter_read'])).toBe(
      'kprobe/vfs_read',
    );
  });

  it('refuses an attach point it does not know', () => {
    expect(() => sectionNameFor(['bogus:x'])).toThrow(/bogus:x/);
  });
});

describe('programSymbolName', () => {
  it('puts the probe index first and keeps what is traced', () => {
    expect(programSymbolName(0, ['BEGIN'])).toBe('p0_BEGIN');
    expect(programSymbolName(3, ['tracepoint:syscalls:sys_enter_openat'])).toBe(
      'p3_sys_enter_openat',
    );
    expect(programSymbolName(2, ['i:ms:100'])).toBe('p2_interval_ms_100');
    expect(programSymbolName(4, ['uprobe:/bin/bash:readline'])).toBe('p4_readline');
    expect(programSymbolName(5, ['tracepoint:syscalls:sys_enter_*'])).toBe('p5_sys_enter__');
  });
});

describe('mapSymbolNames', () => {
  it('maps script and internal names to C identifiers', () => {
    expect(mapSymbolNames(['@x', '@', '.events', '@_u', '.kstack'])).toEqual([
      'AT_x',
      'AT_',
      'events',
      'AT__u',
      'kstack',
    ]);
  });

  it('keeps names unique, also against reserved ones', () => {
    expect(mapSymbolNames(['.AT_x', '@x', '.p0_BEGIN'], ['p0_BEGIN'])).toEqual([
      'AT_x',
      'AT_x_2',
      'p0_BEGIN_2',
    ]);
  });
});
