import { describe, expect, it } from 'vitest';
import { generateBenchmarkScript, parseBenchmark } from '../../grammar/bench';
import type * as A from '../../grammar/ast';
import { forEachChild, parse } from '../../grammar/index';
import { BpftraceParser, getParser } from '../../grammar/parser';

describe('the Chevrotain parser', () => {
  it('passes Chevrotain’s grammar validations (skipped by the shared instance for speed)', () => {
    expect(() => new BpftraceParser({ validate: true })).not.toThrow();
  });

  it('is built once per process', () => {
    expect(getParser()).toBe(getParser());
  });

  it('parses the benchmark script and reports its numbers', () => {
    const source = generateBenchmarkScript(20);
    expect(parse(source, 'bench.bt').diagnostics).toEqual([]);
    const b = parseBenchmark(20, 1);
    expect(b.lines).toBe(source.split('\n').length);
    expect(b.linesPerSecond).toBeGreaterThan(0);
  });
});

describe('forEachChild', () => {
  it('visits children in source order', () => {
    const ast = parse('BEGIN { @x[1, 2] = $a ? 3 : 4 }', 't.bt').ast!;
    const assign = ast.probes[0]!.body.statements[0]!;
    const kinds: string[] = [];
    forEachChild(assign, (c) => kinds.push(c.kind));
    expect(kinds).toEqual(['MapAccess', 'Ternary']);
    const offsets: number[] = [];
    const walk = (n: A.Node) => {
      offsets.push(n.range.start.offset);
      forEachChild(n, walk);
    };
    forEachChild((assign as A.AssignMap).value, walk);
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
  });
});
