// Parser benchmark: construction time of the (one per process) Chevrotain parser and parse
// throughput on a large generated script.

import { parse } from './index';
import { getParser, parserConstructionMs } from './parser';

export interface ParseBenchmark {
  /** Time to build the Chevrotain parser (self-analysis), in ms; 0 if it already existed. */
  constructionMs: number;
  lines: number;
  bytes: number;
  /** Best of `rounds` parses of the whole script. */
  parseMs: number;
  linesPerSecond: number;
}

/** A script of `probes` probes, ~12 lines each, using most of the language. */
export function generateBenchmarkScript(probes: number): string {
  const parts: string[] = [
    '#include <linux/sched.h>',
    '#define LIMIT 100',
    'struct item { int id; char name[16]; struct item *next; }',
    '',
  ];
  for (let i = 0; i < probes; i++) {
    parts.push(
      `kprobe:vfs_read_${i}, kretprobe:vfs_write_${i} /pid > ${i} && comm != "init"/`,
      '{',
      `  @reads[comm, pid] = count();`,
      `  @bytes = hist(arg2 * ${i + 1} + (arg1 >> 3));`,
      `  $t = (uint32)nsecs % LIMIT;`,
      `  if ($t > 50 || @seen[tid] == 0) { @seen[tid]++; } else if ($t < 10) { $t += 2; } else { $t = -1; }`,
      `  unroll(4) { $t = $t * 2 - 1; }`,
      `  $p = (struct item *)arg0;`,
      `  printf("%s %d %s\\n", comm, $p->id, str($p->name));`,
      `  $tuple = (1, "two", $t ? 3 : 4);`,
      `  @last = $tuple.1;`,
      '}',
      '',
    );
  }
  return parts.join('\n');
}

export function parseBenchmark(probes = 2000, rounds = 3): ParseBenchmark {
  getParser();
  const constructionMs = parserConstructionMs();
  const script = generateBenchmarkScript(probes);
  const lines = script.split('\n').length;
  let best = Infinity;
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    const result = parse(script, 'bench.bt');
    const elapsed = performance.now() - start;
    if (!result.ast)
      throw new Error(`benchmark script failed to parse: ${result.diagnostics[0]?.message}`);
    best = Math.min(best, elapsed);
  }
  return {
    constructionMs,
    lines,
    bytes: script.length,
    parseMs: best,
    linesPerSecond: Math.round((lines / best) * 1000),
  };
}
