// The speed sections of `npm run bench` (issue 15): the VM's cost per event and per
// instruction, end-to-end throughput beside awk, and whole-process compile time beside
// bpftrace 0.17. Each figure is printed beside its anchor and as a ratio to it.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Event } from '../probes/event';
import { createProbeHost } from '../probes/host';
import { createSimulatedSource } from '../probes/sim/source';
import { compileSource } from '../src/compile';
import { attachProbes } from '../src/run';
import { runBench } from '../src/runtime/bench';
import { Runtime, type Executor } from '../src/runtime/index';

/** bpfscope's own bytecode for `@[comm] = count()` in the live kernel (issue 15, bpf_stats). */
const KERNEL_NS_PER_EVENT = 206;
const UBPF_NS_PER_INSN = 2.6;

export const VM_SCRIPTS = [
  {
    label: '@[comm] = count()',
    script: 'tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }',
  },
  {
    label: 'hist(args->ret)',
    script: 'tracepoint:syscalls:sys_exit_read { @ = hist(args->ret); }',
  },
  {
    label: 'printf per event',
    script: 'tracepoint:raw_syscalls:sys_enter { printf("%s %d %d\\n", comm, pid, args->id); }',
  },
];

function line(label: string, value: string): void {
  console.log(`${label.padEnd(44)} ${value}`);
}

function ratio(value: number, anchor: number): string {
  return `${(value / anchor).toFixed(2)}×`;
}

function compileForSim(script: string) {
  const source = createSimulatedSource({ durationNs: 60_000_000_000n });
  const host = createProbeHost(source);
  const compiled = compileSource(script, {
    sourceName: 'bench.bt',
    source: script,
    strlen: 64,
    mapKeysMax: 4096,
    params: [],
    unsafe: false,
    host,
  });
  if (!compiled.program) throw new Error(`bench script failed to compile: ${script}`);
  return { source, program: compiled.program, attached: attachProbes(compiled.program, host) };
}

/** ns per program run on `executor`: the events are made first, so only the VM is timed. */
export function vmNsPerEvent(script: string, executor: Executor, count = 100_000): number {
  const { source, program, attached } = compileForSim(script);
  const probeIndex = attached[0]!.probeIndex;
  const events: Event[] = [];
  for (const event of source.events({ probes: attached.map((a) => a.point) })) {
    events.push(event);
    if (events.length >= count) break;
  }
  const runtime = new Runtime(program, { ncpus: source.ncpus, executor });
  // CPU time, not wall time: on a shared machine waiting for a core is not the VM's cost.
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const start = process.cpuUsage();
    for (const event of events) {
      runtime.invoke(probeIndex, event);
      runtime.takeRecords();
    }
    const used = process.cpuUsage(start);
    best = Math.min(best, ((used.user + used.system) * 1000) / events.length);
  }
  return best;
}

/** bpftrace 0.17's program for `script` in the live kernel, from bpf_stats (root only). */
function kernelNsPerEvent(script: string): number | undefined {
  if (process.getuid?.() !== 0 || spawnSync('bpftrace', ['--version']).status !== 0)
    return undefined;
  const statsFile = '/proc/sys/kernel/bpf_stats_enabled';
  if (!existsSync(statsFile)) return undefined;
  const before = readFileSync(statsFile, 'utf8').trim();
  try {
    writeFileSync(statsFile, '1');
    const tracer = spawn('bpftrace', ['-e', script], { stdio: 'ignore' });
    spawnSync('sleep', ['2.5']);
    const shown = spawnSync('bpftool', ['prog', 'show', '-j'], { encoding: 'utf8' });
    tracer.kill('SIGINT');
    if (shown.status !== 0) return undefined;
    const progs = JSON.parse(shown.stdout) as {
      name?: string;
      run_cnt?: number;
      run_time_ns?: number;
    }[];
    const ours = progs.find((p) => p.name === 'sys_enter' && (p.run_cnt ?? 0) > 0);
    return ours ? ours.run_time_ns! / ours.run_cnt! : undefined;
  } catch {
    return undefined;
  } finally {
    writeFileSync(statsFile, before);
  }
}

function benchVmPerEvent(): void {
  console.log('\n== VM cost per event (events made first; program run + records taken) ==');
  const live = kernelNsPerEvent(VM_SCRIPTS[0]!.script);
  for (const { label, script } of VM_SCRIPTS) {
    const jit = vmNsPerEvent(script, 'jit');
    const interpreted = vmNsPerEvent(script, 'interpreter');
    line(
      `VM ns/event, ${label}`,
      `${jit.toFixed(0)} ns (interpreter ${interpreted.toFixed(0)} ns); kernel ${KERNEL_NS_PER_EVENT} ns: ${ratio(jit, KERNEL_NS_PER_EVENT)}` +
        (label.startsWith('@[comm]') && live !== undefined
          ? `; bpftrace 0.17 live (bpf_stats) ${live.toFixed(0)} ns: ${ratio(jit, live)}`
          : ''),
    );
  }
  if (live === undefined)
    line('live kernel bpf_stats', 'not measured (needs root, bpftrace, bpftool)');
}

function benchVmLoop(): void {
  console.log('\n== VM tight loop ==');
  const jit = runBench(1_000_000, 5, 'jit');
  const interpreted = runBench(1_000_000, 5, 'interpreter');
  line(
    'VM tight loop, JIT',
    `${jit.nsPerInstruction.toFixed(2)} ns/insn; uBPF interpreter ${UBPF_NS_PER_INSN}: ${ratio(jit.nsPerInstruction, UBPF_NS_PER_INSN)}; kernel JIT 0.04-0.13`,
  );
  line(
    'VM tight loop, interpreter',
    `${interpreted.nsPerInstruction.toFixed(2)} ns/insn; uBPF interpreter ${UBPF_NS_PER_INSN}: ${ratio(interpreted.nsPerInstruction, UBPF_NS_PER_INSN)}`,
  );
}

/** Median wall time of `runs` runs of a whole process, in ms; undefined when it fails. */
function timeProcess(command: string, args: string[], runs: number): number | undefined {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const result = spawnSync(command, args, { stdio: 'ignore' });
    if (result.error || result.status !== 0) return undefined;
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const CLI = join('dist', 'bpfscope.cjs');

function countLines(file: string): number {
  const text = readFileSync(file, 'utf8');
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function benchEndToEnd(dir: string): void {
  console.log('\n== End to end, whole process (median of 3) ==');
  const script = 'tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }';
  const trace = join(dir, 'trace.jsonl');
  const record = spawnSync(
    process.execPath,
    [CLI, '--duration', '10s', '--record', trace, '-e', script],
    { stdio: 'ignore' },
  );
  if (record.status !== 0) {
    line('JSONL replay', 'not measured (recording the trace failed)');
    return;
  }
  const events = countLines(trace) - 1;
  const replay = timeProcess(process.execPath, [CLI, '--replay', trace, '-e', script], 3);
  const awk = timeProcess(
    'awk',
    [
      '-F',
      '"comm":"',
      '{ split($2, a, "\\""); c[a[1]]++ } END { for (k in c) print k, c[k] }',
      trace,
    ],
    3,
  );
  const perSecond = (ms: number | undefined) =>
    ms === undefined ? undefined : Math.round(events / (ms / 1000));
  const ours = perSecond(replay);
  const theirs = perSecond(awk);
  line(
    `JSONL replay, ${events} events, @[comm] = count()`,
    ours === undefined
      ? 'failed'
      : `${ours.toLocaleString('en-US')} events/s; awk counting comm ${theirs?.toLocaleString('en-US') ?? 'n/a'} lines/s` +
          (theirs ? `: ${ratio(ours, theirs)}` : ''),
  );

  const sim = timeProcess(process.execPath, [CLI, '--duration', '10s', '-e', script], 3);
  const simEvents = perSecond(sim);
  line(
    `simulator, same ${events} events, same script`,
    simEvents === undefined
      ? 'failed'
      : `${simEvents.toLocaleString('en-US')} events/s` +
          (theirs ? `; beside awk on the trace: ${ratio(simEvents, theirs)}` : ''),
  );

  const straceLog = join(dir, 'strace.log');
  const traced = spawnSync(
    'strace',
    ['-f', '-ttt', '-T', '-o', straceLog, 'find', '/usr/share', '-maxdepth', '3'],
    { stdio: 'ignore' },
  );
  if (traced.error || !existsSync(straceLog)) {
    line('strace replay', 'not measured (strace missing)');
    return;
  }
  const calls = countLines(straceLog);
  const pidScript = 'tracepoint:raw_syscalls:sys_enter { @[pid] = count(); }';
  const straceReplay = perSecond(
    timeProcess(process.execPath, [CLI, '--replay', straceLog, '-e', pidScript], 3),
  );
  const straceAwk = perSecond(
    timeProcess('awk', ['{ c[$1]++ } END { for (k in c) print k, c[k] }', straceLog], 3),
  );
  const rate = (n: number | undefined) => (n === undefined ? 'failed' : n.toLocaleString('en-US'));
  line(
    `strace replay, ${calls} lines, @[pid] = count()`,
    `${rate(straceReplay)} lines/s; awk counting pid ${rate(straceAwk)} lines/s` +
      (straceReplay && straceAwk ? `: ${ratio(straceReplay, straceAwk)}` : ''),
  );
}

/** Scripts of the corpus that bpftrace 0.17 runs (status 0), for compile-time comparison. */
function compileScripts(limit: number): string[] {
  const cases = join(__dirname, '..', '..', 'shared', 'conformance', 'cases');
  const expected = join(cases, '..', 'expected');
  if (!existsSync(cases)) return [];
  return readdirSync(cases)
    .filter((f) => f.endsWith('.bt'))
    .filter((f) => !existsSync(join(cases, f.replace(/\.bt$/, '.args'))))
    .filter(
      (f) => readFileSync(join(expected, f.replace(/\.bt$/, '.status')), 'utf8').trim() === '0',
    )
    .slice(0, limit)
    .map((f) => join(cases, f));
}

function geometricMean(values: number[]): number {
  return Math.exp(values.reduce((s, v) => s + Math.log(v), 0) / values.length);
}

function benchCompile(dir: string): void {
  console.log('\n== Whole-process compile time (median of 3 per script) ==');
  const oneLiner = 'tracepoint:syscalls:sys_enter_openat { @[comm] = count(); }';
  const elf = join(dir, 'x.o');
  const ours = timeProcess(process.execPath, [CLI, '--dry-run', '-e', oneLiner], 5);
  const oursElf = timeProcess(process.execPath, [CLI, '--emit-elf', elf, '-e', oneLiner], 5);
  const theirs = timeProcess('bpftrace', ['--emit-elf', elf, '-e', oneLiner], 5);
  const ms = (v: number | undefined) => (v === undefined ? 'failed' : `${v.toFixed(0)} ms`);
  line(
    'one-liner --dry-run / --emit-elf',
    `${ms(ours)} / ${ms(oursElf)}; bpftrace 0.17 --emit-elf ${theirs === undefined ? 'not measured (bpftrace missing or not root)' : `${ms(theirs)}: ${ratio(oursElf!, theirs)}`}`,
  );
  if (theirs === undefined) return;
  const scripts = compileScripts(30);
  const ratios: number[] = [];
  const dryRatios: number[] = [];
  for (const script of scripts) {
    const b = timeProcess('bpftrace', ['--emit-elf', elf, script], 3);
    const a = timeProcess(process.execPath, [CLI, '--emit-elf', elf, script], 3);
    const d = timeProcess(process.execPath, [CLI, '--dry-run', script], 3);
    if (a === undefined || b === undefined || d === undefined) continue;
    ratios.push(a / b);
    dryRatios.push(d / b);
  }
  if (ratios.length > 0)
    line(
      `corpus, ${ratios.length} scripts, geometric mean`,
      `--emit-elf ${geometricMean(ratios).toFixed(2)}× bpftrace 0.17's; --dry-run ${geometricMean(dryRatios).toFixed(2)}×`,
    );
}

/** Prints every speed section. */
export function benchSpeed(): void {
  benchVmPerEvent();
  benchVmLoop();
  const dir = mkdtempSync(join(tmpdir(), 'bpfscope-bench-'));
  try {
    benchEndToEnd(dir);
    benchCompile(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
