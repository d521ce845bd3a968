// Output records other than printf, opaque values, per-CPU combination and the bucket
// extensions bpfscope adds past 0.17's 32-bit hist limit.

import { describe, expect, it } from 'vitest';
import { RecordKind, type Program } from '../../compiler/program';
import type { OpaqueName, Type } from '../../compiler/types';
import type { SymbolTable } from '../../probes/event';
import { I64, RecordBuilder, Sim, agg, capture, concat, cstr, record, str, u64, val } from './sim';

const opaque = (name: OpaqueName, size = 8): Type => ({ kind: 'opaque', name, size });

const SYMBOLS = new Map<bigint, string>([
  [0xffffffff81000010n, 'do_sys_open+16'],
  [0xffffffff81000200n, 'vfs_read+0'],
  [0x401000n, 'main+4'],
]);
const symbols: SymbolTable = { symbolize: (address) => SYMBOLS.get(address) };

/** A Sim whose stack map `.kstack` holds stack id 7 (two frames). */
function withStacks(maps: Record<string, ReturnType<typeof val>>, extra: Partial<Program> = {}) {
  const sim = new Sim(maps, extra);
  const stackMap = {
    id: sim.program.maps.length,
    name: '.kstack',
    bpfType: 7,
    keySize: 4,
    valueSize: 1016,
    maxEntries: 4096,
  };
  sim.program.maps.push(stackMap);
  sim.stackTrace = (mapId: number, stackId: number) =>
    mapId === stackMap.id && stackId === 7 ? [0xffffffff81000010n, 0xffffffff81000200n] : [];
  return sim;
}

function printValues(
  sim: Sim,
  values: [Type, unknown][],
  format: 'text' | 'json' = 'text',
  env = {},
) {
  const builder = new RecordBuilder();
  const records = values.map(([type, value]) => builder.printValue(type, value));
  const out = capture({ ...sim.program, printValues: builder.printValues }, format, {
    symbols,
    ...env,
  });
  for (const r of records) out.output.handleRecord(r, sim);
  return out.text();
}

describe('opaque values', () => {
  it('prints kstack values with 8-space frames and keys with 4-space frames', () => {
    const sim = withStacks({ '@k': val(I64, [opaque('kstack')]), '@v': val(opaque('kstack')) });
    sim.set('@k', [7], 1);
    sim.set('@v', [], 7);
    const out = capture(sim.program, 'text', { symbols });
    out.output.printMapsAtExit(sim);
    expect(out.text()).toBe(
      '\n\n@k[\n    do_sys_open+16\n    vfs_read+0\n]: 1\n@v: \n        do_sys_open+16\n        vfs_read+0\n\n',
    );
    expect(printValues(sim, [[opaque('kstack'), 7]])).toBe(
      '\n        do_sys_open+16\n        vfs_read+0\n\n',
    );
  });

  it('prints perf-mode stacks as tab, hex address and symbol', () => {
    const sim = withStacks({});
    const perf: Type = { ...opaque('kstack'), stack: { mode: 'perf', limit: 127 } } as Type;
    expect(printValues(sim, [[perf, 7]])).toBe(
      '\n\tffffffff81000010 do_sys_open+16\n\tffffffff81000200 vfs_read+0\n\n',
    );
    expect(printValues(sim, [[perf, 7]], 'json')).toBe(
      '{"type": "value", "data": "\\n\\tffffffff81000010 do_sys_open+16\\n\\tffffffff81000200 vfs_read+0\\n"}\n',
    );
  });

  it('prints a failed stack id as nothing', () => {
    expect(printValues(withStacks({}), [[opaque('kstack'), -14]])).toBe('\n');
  });

  it('resolves ksym/usym without offset, unknown addresses in hex', () => {
    const sim = new Sim({});
    expect(
      printValues(sim, [
        [opaque('ksym'), 0xffffffff81000010n],
        [opaque('ksym'), 1],
        [opaque('usym', 16), 0x401000n],
      ]),
    ).toBe('do_sys_open\n0x1\nmain\n');
  });

  it('formats ntop results like inet_ntop', () => {
    const inet = opaque('inet', 24);
    const v4 = concat(u64(2), Uint8Array.of(127, 0, 0, 1), new Uint8Array(12));
    const v6 = (bytes: number[]) => concat(u64(10), Uint8Array.from(bytes));
    const loopback = [...new Array(15).fill(0), 1];
    const mapped = [...new Array(10).fill(0), 0xff, 0xff, 192, 168, 0, 1];
    const linkLocal = [0xfe, 0x80, ...new Array(13).fill(0), 1];
    const builder = new RecordBuilder();
    const sim = new Sim({});
    const records = [v4, v6(loopback), v6(mapped), v6(linkLocal), v6(new Array(16).fill(0))].map(
      (bytes) => {
        builder.printValues.push({ type: inet, offset: 16 });
        return record(RecordKind.PrintValue, builder.printValues.length - 1, bytes);
      },
    );
    const out = capture({ ...sim.program, printValues: builder.printValues });
    for (const r of records) out.output.handleRecord(r, sim);
    expect(out.text()).toBe('127.0.0.1\n::1\n::ffff:192.168.0.1\nfe80::1\n::\n');
  });

  it('prints probe names, user names, MAC addresses and strerror texts', () => {
    const sim = new Sim({}, { probeNames: ['BEGIN', 'interval:ms:10'] } as Partial<Program>);
    const passwd = new TextEncoder().encode(
      'root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n',
    );
    const env = { readFile: (path: string) => (path === '/etc/passwd' ? passwd : undefined) };
    const mac: Type = opaque('macaddr', 6);
    const text = printValues(
      sim,
      [
        [opaque('probe'), 1],
        [opaque('username'), 1000],
        [opaque('username'), 4242],
        [mac, 0x0a0b0c0d0e0fn],
        [opaque('strerror'), 200],
        [opaque('strerror'), 0],
      ],
      'text',
      env,
    );
    expect(text).toBe('interval:ms:10\nalice\n\n0F:0E:0D:0C:0B:0A\nUnknown error 200\nSuccess\n');
  });
});

describe('records', () => {
  const now = () => new Date(2024, 0, 2, 3, 4, 5);

  it('prints time() with strftime in local time', () => {
    const sim = new Sim({}, { timeFormats: ['%H:%M:%S\n', '%Y-%m-%d %a %b %j|'] });
    const text = capture(sim.program, 'text', { now });
    text.output.handleRecord(record(RecordKind.Time, 0), sim);
    text.output.handleRecord(record(RecordKind.Time, 1), sim);
    expect(text.text()).toBe('03:04:05\n2024-01-02 Tue Jan 002|');
    const json = capture(sim.program, 'json', { now });
    json.output.handleRecord(record(RecordKind.Time, 0), sim);
    expect(json.text()).toBe('{"type": "time", "data": "03:04:05\\n"}\n');
  });

  it('cats a file named by a printf-style format, reporting unreadable files', () => {
    const sim = new Sim(
      {},
      { cats: [{ format: '/tmp/%s.txt', args: [{ type: str(2), offset: 16 }], size: 18 }] },
    );
    const errors: string[] = [];
    const files: Record<string, Uint8Array> = {
      '/tmp/f.txt': new TextEncoder().encode('hello file'),
    };
    const env = { readFile: (p: string) => files[p], writeError: (t: string) => errors.push(t) };
    const text = capture(sim.program, 'text', env);
    text.output.handleRecord(record(RecordKind.Cat, 0, cstr('f', 2)), sim);
    text.output.handleRecord(record(RecordKind.Cat, 0, cstr('g', 2)), sim);
    expect(text.text()).toBe('hello file');
    expect(errors).toEqual([
      "ERROR: failed to open file '/tmp/g.txt': No such file or directory\n",
    ]);
    const json = capture(sim.program, 'json', env);
    json.output.handleRecord(record(RecordKind.Cat, 0, cstr('f', 2)), sim);
    json.output.handleRecord(record(RecordKind.Cat, 0, cstr('g', 2)), sim);
    expect(json.text()).toBe(
      '{"type": "cat", "data": "hello file"}\n{"type": "cat", "data": ""}\n',
    );
  });

  it('runs system() commands and prints their output ("syscall" in JSON)', () => {
    const sim = new Sim(
      {},
      { systems: [{ format: 'echo hi %d', args: [{ type: I64, offset: 16 }], size: 24 }] },
    );
    const commands: string[] = [];
    const env = {
      runCommand: (c: string) => (commands.push(c), new TextEncoder().encode('hi 5\n')),
    };
    const text = capture(sim.program, 'text', env);
    text.output.handleRecord(record(RecordKind.System, 0, u64(5)), sim);
    expect(commands).toEqual(['echo hi 5']);
    expect(text.text()).toBe('hi 5\n');
    const json = capture(sim.program, 'json', env);
    json.output.handleRecord(record(RecordKind.System, 0, u64(5)), sim);
    expect(json.text()).toBe('{"type": "syscall", "data": "hi 5\\n"}\n');
  });

  it('joins strings with the separator', () => {
    const sim = new Sim({}, { joins: [{ separator: ' ', elementSize: 8, maxElements: 4 }] });
    const r = record(
      RecordKind.Join,
      0,
      u64(3),
      cstr('ls', 8),
      cstr('-l', 8),
      cstr('/tmp', 8),
      cstr('junk', 8),
    );
    const text = capture(sim.program);
    text.output.handleRecord(r, sim);
    expect(text.text()).toBe('ls -l /tmp\n');
    const json = capture(sim.program, 'json');
    json.output.handleRecord(r, sim);
    expect(json.text()).toBe('{"type": "join", "data": "ls -l /tmp"}\n');
  });

  it('writes the Attaching line and the JSON attached_probes object', () => {
    const sim = new Sim({});
    for (const [n, format, expected] of [
      [1, 'text', 'Attaching 1 probe...\n'],
      [3, 'text', 'Attaching 3 probes...\n'],
      [2, 'json', '{"type": "attached_probes", "data": {"probes": 2}}\n'],
    ] as const) {
      const out = capture(sim.program, format);
      out.output.attached(n);
      expect(out.text()).toBe(expected);
    }
  });
});

describe('map contents', () => {
  it('combines per-CPU values: sums, averages, and min/max of the CPUs that set one', () => {
    const sim = new Sim(
      {
        '@c': agg({ kind: 'count' }),
        '@s': agg({ kind: 'sum', signed: true }),
        '@a': agg({ kind: 'avg', signed: true }),
        '@mi': agg({ kind: 'min', signed: true }),
        '@ma': agg({ kind: 'max', signed: true }),
        '@h': agg({ kind: 'hist' }),
      },
      {},
      4,
    );
    for (const [cpu, v] of [
      [0, -5],
      [1, 7],
      [3, 2],
    ]) {
      sim.cpu = cpu;
      for (const name of ['@c', '@s', '@a', '@mi', '@ma', '@h']) sim.agg(name, [], v);
    }
    sim.cpu = 2;
    sim.agg('@a', [], 0);
    const out = capture(sim.program);
    out.output.printMapsAtExit(sim);
    expect(out.text()).toBe(
      '\n\n@a: 1\n\n@c: 3\n@h: \n' +
        '(..., 0)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n' +
        '[0]                    0 |                                                    |\n' +
        '[1]                    0 |                                                    |\n' +
        '[2, 4)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n' +
        '[4, 8)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n\n' +
        '@ma: 7\n@mi: -5\n@s: 4\n',
    );
  });

  it('prints a keyless count as 0 when the store has no entry', () => {
    const sim = new Sim({ '@c': agg({ kind: 'count' }) });
    sim.mapEntries = () => [];
    const out = capture(sim.program);
    out.output.printMapsAtExit(sim);
    expect(out.text()).toBe('\n\n@c: 0\n');
  });

  it('keeps values of 2^31 and more in their own hist buckets, labelled G, T, P, E', () => {
    const sim = new Sim({ '@h': agg({ kind: 'hist' }) });
    for (const v of [2n ** 31n, 2n ** 32n + 1n, 2n ** 62n]) sim.agg('@h', [], v);
    const out = capture(sim.program);
    out.output.printMapsAtExit(sim);
    const rows = out
      .text()
      .split('\n')
      .filter((l) => l.startsWith('['));
    expect(rows[0]).toMatch(/^\[2G, 4G\) +1 \|@{52}\|$/);
    expect(rows[1]).toMatch(/^\[4G, 8G\) +1 \|/);
    expect(rows.map((r) => r.slice(0, 16).trim())).toContain('[1T, 2T)');
    expect(rows.map((r) => r.slice(0, 16).trim())).toContain('[1P, 2P)');
    expect(rows[rows.length - 1].slice(0, 16).trim()).toBe('[4E, 8E)');
    expect(rows).toHaveLength(32);
  });

  it('writes hist and lhist buckets as JSON objects with inclusive bounds', () => {
    const sim = new Sim({
      '@h': agg({ kind: 'hist' }),
      '@l': agg({ kind: 'lhist', min: 10n, max: 20n, step: 2n }),
    });
    for (const v of [-1, 0, 1, 5, 2n ** 32n]) sim.agg('@h', [], v);
    for (const v of [-5, 25, 12]) sim.agg('@l', [], v);
    const out = capture(sim.program, 'json');
    out.output.printMapsAtExit(sim);
    const lines = out.text().split('\n');
    expect(lines[2]).toMatch(
      /^\{"type": "hist", "data": \{"@h": \[\{"max": -1, "count": 1\}, \{"min": 0, "max": 0, "count": 1\}, \{"min": 1, "max": 1, "count": 1\}, \{"min": 2, "max": 3, "count": 0\}, \{"min": 4, "max": 7, "count": 1\}, /,
    );
    expect(lines[2]).toContain('{"min": 4294967296, "max": 8589934591, "count": 1}]}}');
    expect(lines[3]).toBe(
      '{"type": "hist", "data": {"@l": [{"max": 9, "count": 1}, {"min": 10, "max": 11, "count": 0}, {"min": 12, "max": 13, "count": 1}, {"min": 14, "max": 15, "count": 0}, {"min": 16, "max": 17, "count": 0}, {"min": 18, "max": 19, "count": 0}, {"min": 20, "count": 1}]}}',
    );
  });

  it('sorts string-valued maps by key with unsigned integer parts', () => {
    const sim = new Sim({ '@m': val(str(2), [I64]) });
    for (const k of [-1, 256, 3, 1, 2]) sim.set('@m', [k], 'x');
    const out = capture(sim.program);
    out.output.printMapsAtExit(sim);
    expect(out.text()).toBe('\n\n@m[1]: x\n@m[2]: x\n@m[3]: x\n@m[256]: x\n@m[-1]: x\n');
  });

  it('prints every named map, a missing one as an empty line, in byte order of the name', () => {
    const sim = new Sim({ '@zeta': val(I64), '@Mid': val(I64), '@': val(I64) });
    sim.set('@zeta', [], 1);
    sim.set('@Mid', [], 2);
    sim.set('@', [], 3);
    const out = capture({ ...sim.program, mapNames: ['@zeta', '@Mid', '@', '@alpha'] });
    out.output.printMapsAtExit(sim);
    expect(out.text()).toBe('\n\n@: 3\n@Mid: 2\n\n@zeta: 1\n');
  });
});
