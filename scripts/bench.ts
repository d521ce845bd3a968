// `npm run bench`: the figures the issues ask for, each printed with its unit and, where the
// issue names one, the reference figure beside it.

import { DEFAULT_MAP_KEYS_MAX, DEFAULT_STRLEN } from '../compiler/host';
import { parseBenchmark } from '../grammar/bench';
import { benchProbes, formatBench as formatProbeBench } from '../probes/bench';
import { compileSource } from '../src/compile';
import { createProbeHost } from '../probes/host';
import { createSimulatedSource } from '../probes/sim/source';
import { benchSpeed } from './bench-speed';

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

benchFrontEnd();
console.log(formatProbeBench(benchProbes()));
benchSpeed();
