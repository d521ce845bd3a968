import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildTracepointRecord, decodeTracepointRecord } from '../../probes/record';
import { MemoryBuilder } from '../../probes/memory';
import { parseTracepointFormat } from '../../probes/tracepoint_format';
import { bundledTracepoints, liveTracepoints } from '../../probes/tracepoints';
import { formatText } from '../../probes/trace/format_text';

const OPENAT = `name: sys_enter_openat
ID: 782
format:
\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;
\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;
\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;
\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;

\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;
\tfield:int dfd;\toffset:16;\tsize:8;\tsigned:0;
\tfield:const char * filename;\toffset:24;\tsize:8;\tsigned:0;
\tfield:int flags;\toffset:32;\tsize:8;\tsigned:0;
\tfield:umode_t mode;\toffset:40;\tsize:8;\tsigned:0;

print fmt: "dfd: 0x%08lx, filename: 0x%08lx, flags: 0x%08lx, mode: 0x%08lx", ((unsigned long)(REC->dfd))
`;

describe('tracepoint format parser', () => {
  it('parses fields, offsets and bpftrace types', () => {
    const f = parseTracepointFormat(OPENAT, 'syscalls');
    expect(f).toMatchObject({ category: 'syscalls', name: 'sys_enter_openat', id: 782, size: 48 });
    const field = (n: string) => f.fields.find((x) => x.name === n)!;
    expect(f.fields.map((x) => x.name)).toEqual([
      'common_type',
      'common_flags',
      'common_preempt_count',
      'common_pid',
      '__syscall_nr',
      'dfd',
      'filename',
      'flags',
      'mode',
    ]);
    expect(field('common_pid')).toMatchObject({
      offset: 4,
      size: 4,
      signed: true,
      type: { kind: 'int', size: 4, signed: true },
    });
    // `int` widened to 8 bytes stays signed (bpftrace prints dfd as -100).
    expect(field('dfd').type).toEqual({ kind: 'int', size: 8, signed: true });
    expect(field('filename').type).toEqual({
      kind: 'pointer',
      to: { kind: 'int', size: 1, signed: true },
    });
    expect(field('mode').type).toEqual({ kind: 'int', size: 8, signed: false });
  });

  it('types char arrays and __data_loc fields', () => {
    const bundle = bundledTracepoints();
    const sw = bundle.format('sched', 'sched_switch')!;
    expect(sw.fields.find((f) => f.name === 'prev_comm')).toMatchObject({
      size: 16,
      type: { kind: 'array', element: { kind: 'int', size: 1, signed: true }, length: 16 },
      dataLoc: false,
    });
    const exec = bundle.format('sched', 'sched_process_exec')!;
    expect(exec.fields.find((f) => f.name === 'filename')).toMatchObject({
      size: 4,
      dataLoc: true,
      type: { kind: 'int', size: 8, signed: true },
    });
    const raw = bundle.format('raw_syscalls', 'sys_enter')!;
    expect(raw.fields.find((f) => f.name === 'args')?.type).toEqual({
      kind: 'array',
      element: { kind: 'int', size: 8, signed: false },
      length: 6,
    });
  });

  it('round-trips through format text', () => {
    const f = parseTracepointFormat(OPENAT, 'syscalls');
    expect(parseTracepointFormat(formatText(f), 'syscalls')).toEqual(f);
  });

  it('lays out records exactly by the format', () => {
    const f = parseTracepointFormat(OPENAT, 'syscalls');
    const memory = new MemoryBuilder();
    const ctx = buildTracepointRecord(
      f,
      { __syscall_nr: 257, dfd: -100, filename: '/etc/hosts', flags: 0o2000000, mode: 0 },
      { pid: 812 },
      memory,
    );
    const view = new DataView(ctx.buffer);
    expect(view.getUint16(0, true)).toBe(782);
    expect(view.getInt32(4, true)).toBe(812);
    expect(view.getInt32(8, true)).toBe(257);
    expect(view.getBigInt64(16, true)).toBe(-100n);
    expect(view.getBigUint64(32, true)).toBe(0o2000000n);
    const regions = memory.take();
    const address = view.getBigUint64(24, true);
    expect(regions[0]!.address).toBe(address);
    expect(new TextDecoder().decode(regions[0]!.bytes)).toBe('/etc/hosts\0');
    expect(decodeTracepointRecord(f, ctx, regions)).toMatchObject({
      dfd: -100n,
      filename: '/etc/hosts',
      common_pid: 812n,
    });
  });

  it('stores __data_loc strings after the fixed record', () => {
    const exec = bundledTracepoints().format('sched', 'sched_process_exec')!;
    const ctx = buildTracepointRecord(
      exec,
      { filename: '/usr/bin/ls', pid: 7, old_pid: 7 },
      { pid: 7 },
      new MemoryBuilder(),
    );
    const field = exec.fields.find((f) => f.name === 'filename')!;
    const loc = new DataView(ctx.buffer).getUint32(field.offset, true);
    const offset = loc & 0xffff;
    expect(offset).toBe(exec.size);
    expect(loc >>> 16).toBe('/usr/bin/ls'.length + 1);
    expect(new TextDecoder().decode(ctx.subarray(offset, offset + 11))).toBe('/usr/bin/ls');
    expect(decodeTracepointRecord(exec, ctx, []).filename).toBe('/usr/bin/ls');
  });

  const live = liveTracepoints();
  it.skipIf(!live)(
    'parses every live tracefs format of the bundled categories the same as the bundle',
    () => {
      const bundle = bundledTracepoints();
      let compared = 0;
      for (const name of bundle.names()) {
        const [cat, tp] = name.split(':') as [string, string];
        const path = `/sys/kernel/tracing/events/${cat}/${tp}/format`;
        if (!existsSync(path)) continue;
        const text = readFileSync(path, 'utf8');
        expect(parseTracepointFormat(text, cat)).toEqual(bundle.format(cat, tp));
        compared++;
      }
      expect(compared).toBeGreaterThan(500);
    },
  );

  it.skipIf(!live)('reads the live sched_switch format', () => {
    const f = live!.format('sched', 'sched_switch')!;
    expect(f.fields.map((x) => x.name)).toContain('next_pid');
    expect(live!.names()).toContain('syscalls:sys_enter_openat');
  });
});
