// The metrics exposition of a simulated run's maps, scraped over loopback and read back with
// an independent parser of the Prometheus text format: the numbers are the printed ones,
// histograms are cumulative, labels escaped, the cardinality cap holds.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileSource } from '../../src/compile';
import { openSource } from '../../src/sources';
import { createProbeHost } from '../../probes/host';
import { attachProbes, runProgram } from '../../src/run';
import { Runtime } from '../../src/runtime/index';
import { VmBackend } from '../../src/vm_backend';
import { runCli } from '../../src/cli/run_cli';
import { memoryIo } from '../../src/cli/io';
import { Output, type OutputEnv } from '../../src/output/index';
import { readScriptMaps } from '../../src/output/snapshot';
import { exposition, MAX_SERIES_PER_MAP, metricName } from '../../src/metrics/exposition';
import {
  parseMetricsAddress,
  startMetricsServer,
  type MetricsServer,
} from '../../src/metrics/server';

/** Compiles and runs a script over a simulated workload, as the CLI does. */
async function simulate(script: string, workload = 'build') {
  const source = await openSource({ workload, seed: 1, cwd: process.cwd() });
  const host = createProbeHost(source);
  const compiled = compileSource(script, {
    sourceName: 'stdin',
    source: script,
    host,
    strlen: 64,
    mapKeysMax: 4096,
    params: [],
    unsafe: false,
  } as never);
  expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const program = compiled.program!;
  const attached = attachProbes(program, host);
  const runtime = new Runtime(program, { ncpus: source.ncpus, seed: 1 });
  const chunks: string[] = [];
  const env: OutputEnv = { symbols: source.symbols };
  const output = new Output(
    program,
    'text',
    (c) => chunks.push(typeof c === 'string' ? c : Buffer.from(c).toString('latin1')),
    env,
  );
  const backend = new VmBackend(runtime, source, attached);
  await runProgram({ backend, attached, output, quiet: true });
  return { printed: chunks.join(''), snapshots: () => readScriptMaps(program, runtime, env) };
}

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: string;
}

/** An independent reader of the text exposition format: HELP/TYPE comments, samples with
 *  escaped label values; anything else is an error. */
function parseExposition(text: string): { types: Map<string, string>; samples: Sample[] } {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line === '# EOF') continue;
    if (line.startsWith('# TYPE ')) {
      const [, , name, type] = line.split(' ');
      types.set(name, type);
      continue;
    }
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/.exec(line);
    expect(m, line).not.toBeNull();
    const labels: Record<string, string> = {};
    const body = m![3] ?? '';
    let rest = body;
    while (rest !== '') {
      const label = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/.exec(rest);
      expect(label, `${line}: ${rest}`).not.toBeNull();
      labels[label![1]] = label![2].replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
      rest = rest.slice(label![0].length);
    }
    samples.push({ name: m![1], labels, value: m![4] });
  }
  return { types, samples };
}

const SCRIPT = `tracepoint:syscalls:sys_enter_read {
  @reads[comm] = count(); @bytes = hist(args->count); @sz[comm] = lhist(args->count, 0, 10000, 1000);
  @st = stats(args->count); @most = max(args->count);
}
tracepoint:syscalls:sys_enter_openat { @file[str(args->filename)] = count(); @last = str(args->filename); }`;

let run: Awaited<ReturnType<typeof simulate>>;
beforeAll(async () => {
  run = await simulate(SCRIPT);
}, 60_000);

describe('exposition', () => {
  it('gives the printed numbers: counts as counters, stats and max as gauges', () => {
    const { types, samples } = parseExposition(
      exposition(run.snapshots(), { events: 5, lostEvents: 0 }),
    );
    expect(types.get('bpfscope_reads_total')).toBe('counter');
    const reads = samples.filter((s) => s.name === 'bpfscope_reads_total');
    const printed = [...run.printed.matchAll(/^@reads\[(.*)\]: (\d+)$/gm)];
    expect(reads.map((s) => [s.labels.key, s.value]).sort()).toEqual(
      printed.map((m) => [m[1], m[2]]).sort(),
    );
    const stats = run.printed.match(/^@st: count (\d+), average (\d+), total (\d+)$/m)!;
    const st = Object.fromEntries(
      samples.filter((s) => s.name === 'bpfscope_st').map((s) => [s.labels.stat, s.value]),
    );
    expect(st).toEqual({ count: stats[1], average: stats[2], total: stats[3] });
    expect(types.get('bpfscope_most')).toBe('gauge');
    expect(samples.find((s) => s.name === 'bpfscope_most')!.value).toBe(
      run.printed.match(/^@most: (\d+)$/m)![1],
    );
    expect(samples.find((s) => s.name === 'bpfscope_events_total')!.value).toBe('5');
    expect(samples.some((s) => s.name.startsWith('bpfscope_last'))).toBe(false);
  });

  it('writes hist and lhist as cumulative le buckets ending in +Inf and _count', () => {
    const { types, samples } = parseExposition(
      exposition(run.snapshots(), { events: 0, lostEvents: 0 }),
    );
    expect(types.get('bpfscope_bytes')).toBe('histogram');
    const buckets = samples.filter((s) => s.name === 'bpfscope_bytes_bucket');
    const counts = buckets.map((s) => Number(s.value));
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(buckets[buckets.length - 1].labels.le).toBe('+Inf');
    const printedRows = run.printed
      .split('@bytes: \n')[1]
      .split('\n\n')[0]
      .split('\n')
      .map((l) => Number(l.slice(16, 24)));
    const total = printedRows.reduce((a, b) => a + b, 0);
    expect(Number(buckets[buckets.length - 1].value)).toBe(total);
    expect(samples.find((s) => s.name === 'bpfscope_bytes_count')!.value).toBe(String(total));
    // Each printed row [lo, hi) is the difference of two cumulative buckets.
    const le = new Map(buckets.map((s) => [s.labels.le, Number(s.value)]));
    expect((le.get('1023') ?? 0) - (le.get('511') ?? 0)).toBe(
      Number(run.printed.match(/^\[512, 1K\)\s+(\d+)/m)?.[1] ?? 0),
    );
    // lhist: every regular bucket, labelled by key.
    const cc1 = samples.filter((s) => s.name === 'bpfscope_sz_bucket' && s.labels.key === 'cc1');
    expect(cc1.map((s) => s.labels.le)).toEqual([
      '-1',
      '999',
      '1999',
      '2999',
      '3999',
      '4999',
      '5999',
      '6999',
      '7999',
      '8999',
      '9999',
      '+Inf',
    ]);
  });

  it('escapes label values and speaks OpenMetrics on request', () => {
    const text = exposition(run.snapshots(), { events: 0, lostEvents: 0 }, 'openmetrics');
    expect(text.endsWith('# EOF\n')).toBe(true);
    expect(text).toContain('# TYPE bpfscope_reads counter\n');
    expect(text).toMatch(/^bpfscope_reads_total\{key="cc1"\} \d+$/m);
    expect(metricName('@')).toBe('bpfscope_map');
    expect(metricName('@a_b1')).toBe('bpfscope_a_b1');
  });

  it(`exports at most ${MAX_SERIES_PER_MAP} keys of a map, the largest, and counts the rest`, async () => {
    const many = await simulate(
      'tracepoint:raw_syscalls:sys_enter { @[nsecs % 3000, "a\\"b\\\\c"] = count(); }',
      'webserver',
    );
    const snapshot = many.snapshots()[0];
    expect(snapshot.contents.entries.length).toBeGreaterThan(MAX_SERIES_PER_MAP);
    const { samples } = parseExposition(exposition(many.snapshots(), { events: 0, lostEvents: 0 }));
    const series = samples.filter((s) => s.name === 'bpfscope_map_total');
    expect(series).toHaveLength(MAX_SERIES_PER_MAP);
    expect(series[0].labels.key2).toBe('a"b\\c');
    const dropped = samples.find((s) => s.name === 'bpfscope_dropped_keys')!;
    expect(dropped.labels.map).toBe('@');
    expect(Number(dropped.value)).toBe(snapshot.contents.entries.length - MAX_SERIES_PER_MAP);
    const smallestKept = Math.min(...series.map((s) => Number(s.value)));
    const counts = snapshot.contents.entries.map((e) => Number((e as { value: bigint }).value));
    expect(counts.filter((c) => c > smallestKept).length).toBeLessThan(MAX_SERIES_PER_MAP);
  });
});

describe('the metrics server', () => {
  let server: MetricsServer;
  beforeAll(async () => {
    server = await startMetricsServer(parseMetricsAddress('0'), (format) =>
      exposition(run.snapshots(), { events: 1, lostEvents: 0 }, format),
    );
  });
  afterAll(async () => {
    await server?.close();
  });

  it('serves the maps over loopback', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const response = await fetch(server.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const { samples } = parseExposition(await response.text());
    expect(samples.filter((s) => s.name === 'bpfscope_reads_total').length).toBeGreaterThan(3);
    const open = await fetch(server.url, { headers: { accept: 'application/openmetrics-text' } });
    expect(open.headers.get('content-type')).toMatch(/^application\/openmetrics-text/);
    expect((await open.text()).endsWith('# EOF\n')).toBe(true);
    expect((await fetch(server.url.replace('/metrics', '/other'))).status).toBe(404);
    expect((await fetch(server.url, { method: 'POST' })).status).toBe(405);
  });

  it('names an address it cannot use', async () => {
    const port = Number(new URL(server.url).port);
    await expect(startMetricsServer({ host: '127.0.0.1', port }, () => '')).rejects.toThrow(
      `cannot serve metrics on 127.0.0.1:${port}: EADDRINUSE`,
    );
    expect(parseMetricsAddress('9100')).toEqual({ host: '127.0.0.1', port: 9100 });
    expect(parseMetricsAddress('0.0.0.0:80')).toEqual({ host: '0.0.0.0', port: 80 });
    expect(parseMetricsAddress('[::1]:9100')).toEqual({ host: '::1', port: 9100 });
    for (const bad of ['', 'x', '70000', 'a:b', ':80', '::1:80'])
      expect(() => parseMetricsAddress(bad), bad).toThrow(/^--metrics expects \[ADDR:\]PORT/);
  });
});

describe('--metrics during a run', () => {
  it('answers scrapes while the simulation runs, and closes when it ends', async () => {
    let stop: (() => void) | undefined;
    const io = {
      ...memoryIo({}),
      onStopSignal: (handler: () => void) => {
        stop = handler;
        return () => undefined;
      },
    };
    const running = runCli(
      [
        '--duration',
        '3600s',
        '--metrics',
        '127.0.0.1:0',
        '-e',
        'tracepoint:raw_syscalls:sys_enter { @calls[comm] = count(); @lat = hist(nsecs % 5000); }',
      ],
      io,
    );
    let url: string | undefined;
    for (let i = 0; i < 600 && !url; i++) {
      url = /^Serving metrics at (\S+)$/m.exec(io.stderr())?.[1];
      if (!url) await new Promise((r) => setTimeout(r, 50));
    }
    expect(url, io.stderr()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const scrape = async () => parseExposition(await (await fetch(url!)).text()).samples;
    const events = (samples: Sample[]) =>
      Number(samples.find((s) => s.name === 'bpfscope_events_total')!.value);
    const first = await scrape();
    await new Promise((r) => setTimeout(r, 300));
    const second = await scrape();
    expect(events(second)).toBeGreaterThan(events(first));
    expect(second.some((s) => s.name === 'bpfscope_calls_total')).toBe(true);
    expect(second.some((s) => s.name === 'bpfscope_lat_bucket' && s.labels.le === '+Inf')).toBe(
      true,
    );
    stop!();
    expect(await running).toBe(0);
    // The printed counts are at least the scraped ones (counters only grow during a run).
    for (const s of second.filter((x) => x.name === 'bpfscope_calls_total')) {
      const printed = new RegExp(
        `^@calls\\[${s.labels.key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\]: (\\d+)$`,
        'm',
      ).exec(io.stdout());
      expect(Number(printed![1])).toBeGreaterThanOrEqual(Number(s.value));
    }
    await expect(fetch(url!)).rejects.toThrow();
  }, 120_000);

  it('is refused where nothing runs, and with a bad address', async () => {
    const dry = memoryIo({});
    expect(await runCli(['--dry-run', '--metrics', '0', '-e', 'BEGIN {}'], dry)).toBe(1);
    expect(dry.stderr()).toBe(
      'ERROR: --metrics needs a run; it cannot be used with --dry-run or --emit-elf\n',
    );
    const bad = memoryIo({});
    expect(await runCli(['--metrics', 'nowhere', '-e', 'BEGIN { exit(); }'], bad)).toBe(1);
    expect(bad.stderr()).toBe(
      'ERROR: --metrics expects [ADDR:]PORT (e.g. 9100, 127.0.0.1:9100, [::1]:9100), got "nowhere"\n',
    );
  });
});
