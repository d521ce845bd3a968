// `npm run bench`: the figures the issues ask for, each printed with its unit and, where the
// issue names one, the reference figure beside it.

import { spawnSync } from 'node:child_process';
import { DEFAULT_MAP_KEYS_MAX, DEFAULT_STRLEN } from '../compiler/host';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBenchmark } from '../grammar/bench';
import { runBench, formatBench as formatVmBench } from '../src/runtime/bench';
import { benchProbes, formatBench as formatProbeBench } from '../probes/bench';
import { compileSource } from '../src/compile';
import { createProbeHost } from '../probes/host';
import { createSimulatedSource } from '../probes/sim/source';
import { VmBackend } from '../src/vm_backend';
import { attachProbes, runProgram } from '../src/run';
import { Runtime } from '../src/runtime/index';
import { Output } from '../src/output/index';

function line(label: string, value: string): void {
  console.log(`${label.padEnd(44)} ${value}`);
}

function checkScript(probes: number): string {
  const parts: string[] = [];
  for (let i = 0; i < probes; i++) {
    parts.push(
      `tracepoint:syscalls:sys_enter_read /pid > ${i} && comm != "init"/`,
      '{',
      `  @reads[comm, pid] = count();`,
      `  @bytes = hist(args->count * ${i + 1});`,
      `  $t = nsecs % 100;`,
      `  if ($t > 50 || @seen[tid] == 0) { @seen[tid]++; } else { $t = $t + 2; }`,
      `  printf("%s %d\\n", comm, $t);`,
      '}',
    );
  }
  return parts.join('\n');
}

function benchFrontEnd(): void {
  const parse = parseBenchmark();
  line('parser construction (Chevrotain)', `${parse.constructionMs.toFixed(1)} ms`);
  line(
    `parse throughput (${parse.lines} lines)`,
    `${parse.linesPerSecond.toLocaleString('en-US')} lines/s`,
  );
  const script = checkScript(1000);
  const lines = script.split('\n').length;
  const host = createProbeHost(createSimulatedSource());
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const start = performance.now();
    const result = compileSource(script, {
      sourceName: 'bench.bt',
      source: script,
      strlen: DEFAULT_STRLEN,
      mapKeysMax: DEFAULT_MAP_KEYS_MAX,
      params: [],
      unsafe: false,
      host,
    });
    if (!result.program) throw new Error(`bench script failed: ${result.diagnostics[0]?.message}`);
    best = Math.min(best, performance.now() - start);
  }
  line(
    `parse + check + codegen (${lines} lines)`,
    `${Math.round((lines / best) * 1000).toLocaleString('en-US')} lines/s`,
  );
}

function benchVm(): void {
  const result = runBench();
  line(
    'VM tight loop',
    `${result.nsPerInstruction.toFixed(2)} ns/insn  (uBPF interpreter ~2.6, kernel JIT 0.04-0.13)`,
  );
  void formatVmBench;
}

async function benchOneLiner(): Promise<void> {
  const script = 'tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }';
  const source = createSimulatedSource({ durationNs: 5_000_000_000n });
  const host = createProbeHost(source);
  const compiled = compileSource(script, {
    sourceName: 'stdin',
    source: script,
    strlen: DEFAULT_STRLEN,
    mapKeysMax: DEFAULT_MAP_KEYS_MAX,
    params: [],
    unsafe: false,
    host,
  });
  if (!compiled.program) throw new Error('one-liner failed to compile');
  const attached = attachProbes(compiled.program, host);
  const runtime = new Runtime(compiled.program, { ncpus: source.ncpus });
  const output = new Output(compiled.program, 'text', () => undefined);
  let events = 0;
  const start = performance.now();
  await runProgram({
    backend: new VmBackend(runtime, source, attached, () => events++),
    attached,
    output,
  });
  const seconds = (performance.now() - start) / 1000;
  line(
    `events/s, ${script}`,
    `${Math.round(events / seconds).toLocaleString('en-US')} events/s (${events} events, simulation included)`,
  );
}

function timeCommand(command: string, args: string[], runs: number): number | undefined {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const result = spawnSync(command, args, { stdio: 'ignore' });
    if (result.error || result.status !== 0) return undefined;
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

function benchStartup(): void {
  const script = 'tracepoint:syscalls:sys_enter_openat { @[comm] = count(); }';
  const ours = timeCommand(
    process.execPath,
    [join('src', 'cli', 'bpfscope.cjs'), '--dry-run', '-e', script],
    10,
  );
  line(
    'bpfscope --dry-run (whole process, best of 10)',
    ours === undefined ? 'failed' : `${ours.toFixed(0)} ms`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'bpfscope-bench-'));
  try {
    const theirs = timeCommand('bpftrace', ['--emit-elf', join(dir, 'x.o'), '-e', script], 5);
    line(
      'bpftrace 0.17 --emit-elf (best of 5)',
      theirs === undefined
        ? 'not measured (bpftrace missing or not root)'
        : `${theirs.toFixed(0)} ms`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

benchFrontEnd();
benchVm();
void benchOneLiner().then(() => {
  console.log(formatProbeBench(benchProbes()));
  benchStartup();
});
