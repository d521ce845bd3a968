// Builtins that read the probe's context and memory: tracepoint args, kprobe/uprobe
// registers, str() through probe_read_*_str, stacks, symbols, and the other helpers.

import { describe, expect, it } from 'vitest';
import { PT_REGS } from '../../probes/event';
import { RecordKind } from '../../compiler/program';
import { CodegenError } from '../../compiler/codegen/index';
import { testOptions } from './compile';
import { keyHex, run, u64 } from './run';

function regs(values: Partial<Record<keyof typeof PT_REGS, bigint>>): Uint8Array {
  const ctx = new Uint8Array(PT_REGS.size);
  const view = new DataView(ctx.buffer);
  for (const [name, value] of Object.entries(values))
    view.setBigUint64(PT_REGS[name as keyof typeof PT_REGS], value!, true);
  return ctx;
}

const USER = 0x7f0000001000n;
const KERNEL = 0xffff888000001000n;
const bytes = (text: string) => new Uint8Array([...Buffer.from(text, 'latin1'), 0]);

describe('kprobe / uprobe context', () => {
  it('reads arguments, retval and func from pt_regs', () => {
    const r = run(
      'kprobe:vfs_read { printf("%d %d %d\\n", arg0, arg1, arg5); } kretprobe:vfs_read { printf("%d\\n", retval); }',
    );
    r.fire('kprobe:vfs_read', { ctx: regs({ di: 11n, si: 22n, r9: 66n }) });
    r.fire('kretprobe:vfs_read', { ctx: regs({ ax: 5n }) });
    expect(r.printed).toEqual([[11n, 22n, 66n], [5n]]);
  });
  it('str() reads kernel strings in kprobes and user strings in uprobes, up to n chars', () => {
    const r = run(
      'kprobe:vfs_read { printf("%s|%s\\n", str(arg0), str(arg0, 3)); } uprobe:/bin/bash:readline { printf("%s\\n", str(arg0)); }',
    );
    r.fire('kprobe:vfs_read', {
      ctx: regs({ di: KERNEL }),
      memory: [{ address: KERNEL, bytes: bytes('kernel text'), kernel: true }],
    });
    r.fire('uprobe:/bin/bash:readline', {
      ctx: regs({ di: USER }),
      memory: [{ address: USER, bytes: bytes('user text'), kernel: false }],
    });
    expect(r.printed).toEqual([['kernel text', 'ker'], ['user text']]);
  });
  it('truncates str() at BPFTRACE_STRLEN - 1 characters', () => {
    const r = run('kprobe:vfs_read { printf("%s\\n", str(arg0)); }', { strlen: 8 });
    r.fire('kprobe:vfs_read', {
      ctx: regs({ di: KERNEL }),
      memory: [{ address: KERNEL, bytes: bytes('abcdefghijkl'), kernel: true }],
    });
    expect(r.printed).toEqual([['abcdefg']]);
  });
  it('takes stack ids into the internal stack maps', () => {
    const r = run('kprobe:vfs_read { @k[kstack] = 1; @u[ustack] = 1; }');
    r.fire('kprobe:vfs_read', {
      ctx: regs({}),
      kstack: [0xffffffff81000010n, 0xffffffff81000020n],
      ustack: [0x401000n],
    });
    const kstackMap = r.program.maps.find((m) => m.name === '.kstack')!;
    const [key] = r.map('@k').keys();
    const id = Number(u64(Buffer.from(key, 'hex'), 0));
    expect(r.runtime.stackTrace(kstackMap.id, id)).toEqual([
      0xffffffff81000010n,
      0xffffffff81000020n,
    ]);
    expect(r.program.maps.some((m) => m.name === '.ustack')).toBe(true);
  });
  it('usym stores the address and the pid', () => {
    const r = run('uprobe:/bin/bash:readline { @s[usym(arg0)] = 1; }');
    r.fire('uprobe:/bin/bash:readline', { ctx: regs({ di: 0x401234n }), pid: 77 });
    const [key] = r.map('@s').keys();
    const k = Buffer.from(key, 'hex');
    expect([u64(k, 0), u64(k, 8)]).toEqual([0x401234n, 77n]);
  });
});

describe('tracepoint args', () => {
  it('reads fields at their offsets, sizes and signedness, and char* through str()', () => {
    const format = testOptions().host.tracepointFormat('syscalls', 'sys_enter_openat')!;
    const ctx = new Uint8Array(format.size);
    const view = new DataView(ctx.buffer);
    const field = (name: string) => format.fields.find((f) => f.name === name)!;
    view.setBigInt64(field('dfd').offset, -100n, true);
    view.setBigUint64(field('filename').offset, USER, true);
    view.setBigInt64(field('flags').offset, 524288n, true);
    const r = run(
      'tracepoint:syscalls:sys_enter_openat { printf("%d %s %d\\n", args->dfd, str(args->filename), args->flags); }',
    );
    r.fire('tracepoint:syscalls:sys_enter_openat', {
      ctx,
      memory: [{ address: USER, bytes: bytes('/etc/hosts'), kernel: false }],
    });
    expect(r.printed).toEqual([[-100n, '/etc/hosts', 524288n]]);
  });
  it('reads a __data_loc field as ctx + (field & 0xffff), the data inside the record', () => {
    const format = testOptions().host.tracepointFormat('sched', 'sched_process_exec')!;
    const field = (name: string) => format.fields.find((f) => f.name === name)!;
    expect(field('filename').dataLoc).toBe(true);
    const text = bytes('/usr/bin/true');
    const ctx = new Uint8Array(format.size + text.length + 8);
    const view = new DataView(ctx.buffer);
    // offset | length << 16, with a high bit set in the length: only the low 16 bits count
    view.setUint32(field('filename').offset, format.size | (text.length << 16), true);
    ctx.set(text, format.size);
    view.setInt32(field('pid').offset, 77, true);
    const r = run(
      'tracepoint:sched:sched_process_exec { printf("%s %d\\n", str(args->filename), args->pid); @[str(args->filename, 4)] = count(); }',
    );
    r.fire('tracepoint:sched:sched_process_exec', { ctx });
    expect(r.printed).toEqual([['/usr/bin/true', 77n]]);
    expect([...r.map('@').keys()]).toEqual([Buffer.from('/usr').toString('hex').padEnd(128, '0')]);
  });
  it('gives each expanded attach point its own program when the code depends on it', () => {
    const r = run('tracepoint:syscalls:sys_enter_open* { @[probe] = count(); }');
    expect(r.program.probes.length).toBeGreaterThan(1);
    expect(new Set(r.program.probes.map((p) => p.index))).toEqual(new Set([0]));
  });
});

describe('other builtins', () => {
  it('elapsed is nsecs minus the start time user space stores in .elapsed', () => {
    const r = run('kprobe:vfs_read { printf("%d %d\\n", nsecs, elapsed); }');
    const base = r.program.maps.find((m) => m.name === '.elapsed')!;
    const key = new Uint8Array(4);
    const value = new Uint8Array(8);
    new DataView(value.buffer).setBigUint64(0, 400n, true);
    r.runtime.maps.get(base.id)!.update(key, value, 0n, 0);
    r.fire('kprobe:vfs_read', { ctx: regs({}), ts: 1000n });
    expect(r.printed).toEqual([[1000n, 600n]]);
  });
  it('bswap by width, has_key, strerror and ntop', () => {
    const r = run(
      'BEGIN { @v = 0x1234; @k[1] = 1; printf("%lx %d %d %s\\n", bswap((uint16)@v), has_key(@k, 1), has_key(@k, 2), strerror(13)); @n = ntop(0x0100007f); }',
    );
    expect(r.printed).toEqual([[0x3412n, 1n, 0n, 13n]]); // strerror: the errno, named in user space
    const n = [...r.map('@n').values()][0];
    expect(u64(n, 0)).toBe(2n);
    expect([...n.subarray(8, 12)]).toEqual([0x7f, 0, 0, 1]);
  });
  it('time and cat records name their formats', () => {
    const r = run('BEGIN { time("%H\\n"); time(); cat("/proc/%d/status", 5); }');
    expect(r.records.map((x) => x.kind)).toEqual([
      RecordKind.Time,
      RecordKind.Time,
      RecordKind.Cat,
    ]);
    expect(r.program.timeFormats).toEqual(['%H\n', '%H:%M:%S\n']);
    expect(r.program.cats[0].format).toBe('/proc/%d/status');
    expect(r.records[2].args[0]).toBe(5n);
  });
  it('buf copies bytes with their length', () => {
    const r = run('kprobe:vfs_read { @b = buf(arg0, 4); }');
    r.fire('kprobe:vfs_read', {
      ctx: regs({ di: KERNEL }),
      memory: [{ address: KERNEL, bytes: new Uint8Array([1, 2, 3, 4, 5]), kernel: true }],
    });
    const b = [...r.map('@b').values()][0];
    expect([...b.subarray(0, 5)]).toEqual([4, 1, 2, 3, 4]);
  });
  it('join reads a NULL-terminated string array into one record', () => {
    const argv = 0x7f0000002000n;
    const table = new Uint8Array(24);
    const view = new DataView(table.buffer);
    view.setBigUint64(0, USER, true);
    view.setBigUint64(8, USER + 0x10n, true);
    const memory = [
      { address: argv, bytes: table, kernel: false },
      { address: USER, bytes: bytes('ls'), kernel: false },
      { address: USER + 0x10n, bytes: bytes('-l'), kernel: false },
    ];
    const r = run('uprobe:/bin/bash:readline { join(arg0, ","); }', { strlen: 16 });
    r.fire('uprobe:/bin/bash:readline', { ctx: regs({ di: argv }), memory });
    const [record] = r.records;
    expect(record.kind).toBe(RecordKind.Join);
    expect(r.program.joins[Number(record.id)]).toEqual({
      separator: ',',
      elementSize: 16,
      maxElements: 16,
    });
    expect(u64(record.bytes, 16)).toBe(2n);
    expect(Buffer.from(record.bytes.subarray(24, 27)).toString('latin1')).toBe('ls\0');
    expect(Buffer.from(record.bytes.subarray(40, 43)).toString('latin1')).toBe('-l\0');
  });
  it('strftime, reg and pton', () => {
    const r = run(
      'kprobe:vfs_read { @t = strftime("%H", 77); @r = reg("sp"); @p = pton("10.0.0.1"); @p6 = pton("::1"); }',
    );
    r.fire('kprobe:vfs_read', { ctx: regs({ sp: 0x1234n }) });
    const t = [...r.map('@t').values()][0];
    expect(r.program.timeFormats[Number(u64(t, 0))]).toBe('%H');
    expect(u64(t, 8)).toBe(77n);
    expect(u64([...r.map('@r').values()][0], 0)).toBe(0x1234n);
    expect([...[...r.map('@p').values()][0].subarray(0, 4)]).toEqual([10, 0, 0, 1]);
    expect([...[...r.map('@p6').values()][0]]).toEqual([...Array(15).fill(0), 1]);
  });
});

describe('newer builtins', () => {
  it('strcontains: substring search up to each NUL, an empty needle is found', () => {
    const r = run(
      'kprobe:vfs_read { $n = str(arg1); printf("%d %d %d %d %d\\n", strcontains(str(arg0), $n), strcontains(str(arg0), "lo w"), strcontains(str(arg0), "low"), strcontains(str(arg0), ""), strcontains($n, str(arg0))); }',
      { strlen: 16 },
    );
    const other = KERNEL + 0x100n;
    for (const [hay, needle] of [
      ['hello world', 'world'],
      ['hello world', 'worlds'],
      ['aaab', 'aab'],
      ['', 'x'],
      ['abcdefghijklmno', 'mno'],
    ])
      r.fire('kprobe:vfs_read', {
        ctx: regs({ di: KERNEL, si: other }),
        memory: [
          { address: KERNEL, bytes: bytes(hay), kernel: true },
          { address: other, bytes: bytes(needle), kernel: true },
        ],
      });
    expect(r.printed).toEqual([
      [1n, 1n, 0n, 1n, 0n],
      [0n, 1n, 0n, 1n, 0n],
      [1n, 0n, 0n, 1n, 0n],
      [0n, 0n, 0n, 1n, 1n], // "x" contains the empty string
      [1n, 0n, 0n, 1n, 0n],
    ]);
  });
  it('sargN reads the stack argument at sp + 8 * (N + 1)', () => {
    const sp = KERNEL + 0x800n;
    const stack = new Uint8Array(32);
    new DataView(stack.buffer).setBigUint64(8, 111n, true);
    new DataView(stack.buffer).setBigUint64(24, 333n, true);
    const r = run('kprobe:vfs_read { printf("%d %d\\n", sarg0, sarg2); }');
    r.fire('kprobe:vfs_read', {
      ctx: regs({ sp }),
      memory: [{ address: sp, bytes: stack, kernel: true }],
    });
    expect(r.printed).toEqual([[111n, 333n]]);
  });
  it('cgroup_path stores the cgroup id for user space', () => {
    const r = run('BEGIN { @[cgroup_path(77)] = count(); }');
    expect([...r.map('@').keys()]).toEqual([keyHex(77n, 0n)]);
  });
});

describe('what is not implemented is a located error', () => {
  it('names the construct and its place', () => {
    const options = testOptions();
    const source = 'kprobe:vfs_read { @c[1] = count(); for ($kv : @c) { } }';
    expect(() => run(source, options)).toThrowError(CodegenError);
    try {
      run(source, options);
    } catch (e) {
      const [d] = (e as CodegenError).diagnostics;
      expect(d.message).toMatch(/for loops over count\(\) maps.*not implemented/);
      expect(d.range?.start).toMatchObject({ line: 1, column: 47 });
    }
  });
});
