import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Event } from '../../probes/event';
import { PT_REGS } from '../../probes/event';
import { decodeTracepointRecord } from '../../probes/record';
import { replayFromText, replayText, type ReplayOptions } from '../../probes/replay';
import { createSimulatedSource } from '../../probes/sim/source';
import { TraceFileError } from '../../probes/trace/errors';
import { createTraceWriter } from '../../probes/trace/writer';
import { bundledTracepoints } from '../../probes/tracepoints';
import { attach, collect, readCString, u64 } from './helpers';

/** A replay file read as the CLI reads it (gzip told by its magic). */
function replayFile(path: string, options: ReplayOptions = {}) {
  return replayFromText(replayText(readFileSync(path), path), path, options);
}

const tracepoints = bundledTracepoints();
const dir = mkdtempSync(join(tmpdir(), 'bpfscope-trace-'));

function same(a: Event, b: Event): void {
  expect({
    ...b,
    ctx: Buffer.from(b.ctx).toString('hex'),
    memory: b.memory.map((m) => ({ ...m, bytes: Buffer.from(m.bytes).toString('hex') })),
  }).toEqual({
    ...a,
    ctx: Buffer.from(a.ctx).toString('hex'),
    memory: a.memory.map((m) => ({ ...m, bytes: Buffer.from(m.bytes).toString('hex') })),
  });
}

function errorOf(fn: () => unknown): TraceFileError {
  try {
    fn();
  } catch (e) {
    if (e instanceof TraceFileError) return e;
    throw e;
  }
  throw new Error('expected a TraceFileError');
}

const HEADER = '{"format": "bpfscope-trace", "version": 1}';

describe('recorded traces', () => {
  it('round-trips a simulated run byte for byte (record → replay)', () => {
    const source = createSimulatedSource({ tracepoints, durationNs: 300_000_000n });
    const patterns = [
      'tracepoint:syscalls:sys_enter_openat',
      'tracepoint:sched:sched_switch',
      'tracepoint:sched:sched_process_exec',
      'kprobe:do_sys_openat2',
      'kretprobe:vfs_read',
      'uretprobe:/bin/bash:readline',
      'profile:hz:49',
      'interval:ms:100',
      'kfunc:vfs_read',
    ];
    const points = attach(source, ...patterns);
    const path = join(dir, 'run.jsonl');
    const written: string[] = [];
    const writer = createTraceWriter((text) => written.push(text), source, points);
    const original = [...source.events({ probes: points })];
    for (const e of original) writer.write(e);
    writer.flush();
    writeFileSync(path, written.join(''));

    const replay = replayFile(path, { liveTracepoints: false });
    expect(replay.startNs).toBe(source.startNs);
    expect(replay.endNs).toBe(source.endNs);
    expect(replay.ncpus).toBe(source.ncpus);
    const again = [...replay.events({ probes: attach(replay, ...patterns) })];
    expect(again.length).toBe(original.length);
    original.forEach((e, i) => same(e, again[i]!));
    // Stacks symbolise the same through the replay's symbol table.
    const withStack = original.find((e) => e.kstack && e.kstack.length > 0)!;
    const replayed = again[original.indexOf(withStack)]!;
    expect(replayed.kstack!.map((a) => replay.symbols.symbolize(a, true))).toEqual(
      withStack.kstack!.map((a) => source.symbols.symbolize(a, true)),
    );
  });

  it('hands on the header and events as they are written, in batches', () => {
    const source = createSimulatedSource({ tracepoints, durationNs: 10_000_000n });
    const written: string[] = [];
    const writer = createTraceWriter((text) => written.push(text), source, []);
    expect(written).toEqual([]);
    writer.flush();
    expect(written.length).toBe(1);
    expect(JSON.parse(written[0]!).format).toBe('bpfscope-trace');
  });

  it('reads hand-written events by field name, with defaults', () => {
    const text = [
      HEADER,
      '{"ts": 1000500, "cpu": 1, "pid": 812, "tid": 815, "uid": 1000, "gid": 1000, "comm": "nginx", "probe": "tracepoint:syscalls:sys_enter_openat", "args": {"dfd": -100, "filename": "/etc/hosts", "flags": 524288, "mode": 0}}',
      '',
      '{"ts": 1000900, "pid": 812, "comm": "nginx", "probe": "tracepoint:sched:sched_switch", "args": {"prev_comm": "nginx", "prev_pid": 812, "next_comm": "swapper/1", "next_pid": 0}}',
      '{"ts": 1001000, "pid": 900, "comm": "bash", "probe": "uretprobe:/bin/bash:readline", "retval": "ls -la"}',
      '{"ts": 1001100, "pid": 900, "comm": "bash", "probe": "kprobe:vfs_read", "args": [3, "0x7ffd0000", 4096], "kstack": ["vfs_read+5", "ksys_read+99", "my_module_fn"]}',
    ].join('\n');
    const source = replayFromText(text, 'hand.jsonl', { liveTracepoints: false });
    const events = collect(
      source,
      'tracepoint:syscalls:sys_enter_openat',
      'tracepoint:sched:sched_switch',
      'uretprobe:/bin/bash:readline',
      'kprobe:vfs_read',
    );
    expect(events.map((e) => e.probe)).toEqual([
      'tracepoint:syscalls:sys_enter_openat',
      'tracepoint:sched:sched_switch',
      'uretprobe:/bin/bash:readline',
      'kprobe:vfs_read',
    ]);
    const [open, sw, readline, kprobe] = events as [Event, Event, Event, Event];
    expect(open).toMatchObject({
      ts: 1000500n,
      cpu: 1,
      pid: 812,
      tid: 815,
      uid: 1000,
      comm: 'nginx',
    });
    expect(
      decodeTracepointRecord(
        tracepoints.format('syscalls', 'sys_enter_openat')!,
        open.ctx,
        open.memory,
      ),
    ).toMatchObject({ dfd: -100n, filename: '/etc/hosts', flags: 524288n, common_pid: 815n });
    expect(sw).toMatchObject({ tid: 812, uid: 0, gid: 0, cpu: 0 });
    expect(
      decodeTracepointRecord(tracepoints.format('sched', 'sched_switch')!, sw.ctx, []),
    ).toMatchObject({ prev_comm: 'nginx', next_comm: 'swapper/1' });
    expect(readCString(readline, u64(readline.ctx, PT_REGS.ax))).toBe('ls -la');
    expect(u64(kprobe.ctx, PT_REGS.si)).toBe(0x7ffd0000n);
    expect(source.symbols.symbolize(kprobe.kstack![0]!, true)).toBe('vfs_read+5');
    expect(source.symbols.symbolize(kprobe.kstack![2]!, true)).toBe('my_module_fn');
  });

  it('generates interval ticks over the trace when it has none', () => {
    const text = [
      HEADER.replace('}', ', "start_ns": 0, "end_ns": 1000000000}'),
      '{"ts": 5, "probe": "tracepoint:sched:sched_switch", "args": {}}',
    ].join('\n');
    const events = collect(
      replayFromText(text, 't.jsonl', { liveTracepoints: false }),
      'interval:ms:250',
      'tracepoint:sched:sched_switch',
    );
    expect(events.map((e) => `${e.ts} ${e.probe}`)).toEqual([
      '5 tracepoint:sched:sched_switch',
      ...[1, 2, 3, 4].map((i) => `${i * 250_000_000} interval:ms:250`),
    ]);
  });

  it('detects gzip by its magic bytes', () => {
    const path = join(dir, 'small.jsonl.gz');
    writeFileSync(
      path,
      gzipSync(
        `${HEADER}\n{"ts": 1, "probe": "tracepoint:sched:sched_switch", "args": {"next_pid": 4}}\n`,
      ),
    );
    const events = collect(
      replayFile(path, { liveTracepoints: false }),
      'tracepoint:sched:sched_switch',
    );
    expect(events.length).toBe(1);
  });

  it('names FILE:LINE for malformed lines', () => {
    const cases: [string[], number, RegExp][] = [
      [[HEADER, '{"ts": 1, "probe": "tracepoint:sched:sched_switch"', ''], 2, /invalid JSON/],
      [[HEADER, '', '{"probe": "tracepoint:sched:sched_switch"}'], 3, /missing "ts"/],
      [[HEADER, '{"ts": 1}'], 2, /missing "probe"/],
      [[HEADER, '{"ts": "soon", "probe": "BEGIN"}'], 2, /"ts" must be an integer/],
      [
        [
          HEADER,
          '{"ts": 5, "probe": "tracepoint:sched:sched_switch"}',
          '{"ts": 4, "probe": "tracepoint:sched:sched_switch"}',
        ],
        3,
        /time order/,
      ],
      [
        [HEADER, '{"ts": 5, "probe": "tracepoint:nope:nope", "args": {}}'],
        2,
        /unknown tracepoint nope:nope/,
      ],
      [
        [HEADER, '{"ts": 5, "probe": "tracepoint:sched:sched_switch", "args": {"bogus": 1}}'],
        2,
        /no field "bogus"/,
      ],
      [[HEADER, '{"ts": 5, "probe": "kprobe:vfs_read", "args": {"a": 1}}'], 2, /must be an array/],
      [[HEADER, '[1, 2]'], 2, /expected a JSON object/],
      [['{"format": "something-else"}'], 1, /not a bpfscope trace/],
      [['{"format": "bpfscope-trace", "version": 2}'], 1, /unsupported trace version/],
    ];
    for (const [lines, line, message] of cases) {
      const e = errorOf(() =>
        replayFromText(lines.join('\n'), 'bad.jsonl', { liveTracepoints: false }),
      );
      expect(e.file).toBe('bad.jsonl');
      expect(e.line).toBe(line);
      expect(e.detail).toMatch(message);
      expect(e.message).toMatch(new RegExp(`^bad\\.jsonl:${line}:\\d+: ERROR: `));
    }
  });

  it('rejects input that is neither a trace nor an strace log, and missing files', () => {
    expect(errorOf(() => replayFromText('\nhello world\n', 'x.txt')).line).toBe(2);
  });

  it('replays the bundled example traces', () => {
    for (const name of ['webserver-openat.jsonl', 'hand-written.jsonl']) {
      const path = new URL(`../../examples/traces/${name}`, import.meta.url).pathname;
      const source = replayFile(path, { liveTracepoints: false });
      const events = collect(source, 'tracepoint:syscalls:sys_enter_openat');
      expect(events.length).toBeGreaterThan(0);
    }
    expect(
      readFileSync(
        new URL('../../examples/traces/webserver-openat.jsonl', import.meta.url),
        'utf8',
      ).split('\n')[0],
    ).toMatch(/"format":"bpfscope-trace"/);
  });
});
