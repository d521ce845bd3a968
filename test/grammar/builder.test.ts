// The parser builds the AST while parsing (no CST), with its own lookahead for gated
// alternations and a depth limit tracked while building. These check each shortcut
// against the plain way of doing the same thing.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type * as A from '../../grammar/ast';
import { generateBenchmarkScript } from '../../grammar/bench';
import { forEachChild } from '../../grammar/index';
import { scan } from '../../grammar/lexer';
import { BpftraceParser, getParser } from '../../grammar/parser';
import { preprocess } from '../../grammar/preprocessor';
import { SourceText } from '../../grammar/source';

const fixturePrograms: string[] = (
  JSON.parse(
    readFileSync(new URL('./fixtures/bpftrace-0.17-syntax.json', import.meta.url), 'utf8'),
  ) as { program: string }[]
).map((f) => f.program);

const wellFormed = [
  generateBenchmarkScript(3),
  'BEGIN { $x = -5 + - 5 - -(5) - - -5; @m[1, "a"]++; --$y; $t = (1, (2, 3)).1.0 }',
  'kprobe:f /arg0 > 1 ? 2 : 3/ { $p = (struct task_struct *)curtask; @[$p->pid] = sizeof(int32) }',
  'BEGIN { if (1) { } else if (2) { } else { unroll(-1) { print(@m); } } }',
  'enum E { A, B = -3, C } struct S { int a; char b[4]; } BEGIN { $x = offsetof(struct S, b) }',
];

/** Tokens ready for the parser, as `parse` prepares them. */
function tokensOf(source: string) {
  const text = new SourceText(source);
  return { text, tokens: preprocess(scan(text).tokens).tokens };
}

const serialize = (value: unknown) =>
  JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));

function outcome(parser: BpftraceParser, source: string, depthLimit = 2000): string {
  const { text, tokens } = tokensOf(source);
  const result = parser.parseTokens(tokens, text.range(0, source.length), depthLimit);
  const error = parser.errors[0];
  return serialize({
    ast: result.ast,
    diagnostics: result.diagnostics,
    deepest: result.deepest?.id,
    error: error && [error.name, error.message, error.token.startOffset, error.context.ruleStack],
  });
}

/** The node a depth-first walk, last child first, meets first deeper than `limit`. */
function firstNodeDeeperThanByWalk(root: A.Node, limit: number): A.Node | null {
  const stack: [A.Node, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > limit) return node;
    forEachChild(node, (child) => stack.push([child, depth + 1]));
  }
  return null;
}

function allNodes(root: A.Node): A.Node[] {
  const out: A.Node[] = [root];
  for (let i = 0; i < out.length; i++) forEachChild(out[i]!, (c) => out.push(c));
  return out;
}

describe('building the AST while parsing', () => {
  it('the gated-alternation lookahead chooses what Chevrotain’s own would', () => {
    const reference = new BpftraceParser({ defaultLookahead: true });
    const ours = getParser();
    const programs = [...wellFormed, ...fixturePrograms];
    for (const p of wellFormed) for (let i = 0; i < p.length; i += 7) programs.push(p.slice(0, i));
    let parsed = 0;
    for (const source of programs) {
      const expected = outcome(reference, source);
      expect(outcome(ours, source), source).toBe(expected);
      if (expected.startsWith('{"ast":{')) parsed++;
    }
    expect(parsed).toBeGreaterThan(wellFormed.length);
  });

  it('finds the node a full walk finds first beyond the depth limit', () => {
    const parser = getParser();
    for (const source of wellFormed) {
      const { text, tokens } = tokensOf(source);
      const ast = parser.parseTokens(tokens, text.range(0, source.length), 2000).ast!;
      expect(ast).not.toBeNull();
      for (let limit = 1; limit < 14; limit++) {
        const expected = firstNodeDeeperThanByWalk(ast, limit);
        const { deepest } = parser.parseTokens(tokens, text.range(0, source.length), limit);
        // Each parse builds new nodes with the same ids.
        expect(deepest?.id, `${source} at ${limit}`).toBe(expected?.id);
      }
    }
  });

  it('numbers nodes 0…n-1, also where `-` and a literal fold into one node', () => {
    for (const source of wellFormed) {
      const { text, tokens } = tokensOf(source);
      const ast = getParser().parseTokens(tokens, text.range(0, source.length), 2000).ast!;
      const ids = allNodes(ast)
        .map((n) => n.id)
        .sort((a, b) => a - b);
      expect(ids).toEqual(ids.map((_, i) => i));
    }
  });
});
