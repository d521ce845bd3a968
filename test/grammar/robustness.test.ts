// No input makes the parser throw or overflow the stack: it returns diagnostics.

import { readdirSync, readFileSync, existsSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_AST_DEPTH, MAX_NESTING, parse } from '../../grammar/index';
import { SHARED } from '../shared';

const CASES = `${SHARED}/conformance/cases`;
const samplePrograms = existsSync(CASES)
  ? readdirSync(CASES)
      .filter((f) => f.endsWith('.bt'))
      .slice(0, 60)
      .map((f) => readFileSync(`${CASES}/${f}`, 'utf8'))
  : [
      'BEGIN { @x[pid] = count(); if ($a) { printf("%d\\n", 1 + 2 * 3); } }\nkprobe:f /pid/ { $t = (1, "a").0 }',
    ];

function parsesOrDiagnoses(source: string): void {
  const r = parse(source, 'fuzz.bt');
  if (r.ast === null) {
    expect(r.diagnostics.length).toBeGreaterThan(0);
    for (const d of r.diagnostics) expect(d.severity).toBe('error');
  }
}

describe('robustness', () => {
  it('never throws on every prefix of real programs', () => {
    for (const program of samplePrograms) {
      for (let i = 0; i <= program.length; i += 3) parsesOrDiagnoses(program.slice(0, i));
    }
  });

  it('never throws on random token soup', () => {
    const piece = fc.constantFrom(
      'BEGIN',
      'kprobe:f',
      '{',
      '}',
      '(',
      ')',
      '[',
      ']',
      ';',
      ',',
      '/',
      '*',
      '-',
      '--',
      '++',
      '=',
      '==',
      '?',
      ':',
      '.',
      '->',
      '@m',
      '$x',
      '$1',
      '$#',
      '"s"',
      '"\\q"',
      '12',
      '0x',
      '09',
      '1e99',
      'if',
      'else',
      'for',
      'while',
      'unroll',
      'struct',
      'enum',
      '#include <a.h>',
      '#define X 1',
      '#if',
      '#endif',
      'printf',
      'pid',
      'let',
      ' ',
      '\n',
      '/*',
      '*/',
      '//',
      '#!',
      '\\',
      "'",
      '`',
      'é',
      '\0',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) =>
        parsesOrDiagnoses(pieces.join('')),
      ),
      { numRuns: 2000 },
    );
  });

  it('never throws on arbitrary strings or on mutated programs', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), parsesOrDiagnoses), { numRuns: 1000 });
    fc.assert(
      fc.property(
        fc.constantFrom(...samplePrograms),
        fc.nat(),
        fc.string({ maxLength: 3 }),
        (program, at, insert) => {
          const i = at % (program.length + 1);
          parsesOrDiagnoses(program.slice(0, i) + insert + program.slice(i + 1));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('refuses deep nesting with a located error instead of overflowing the stack', () => {
    const deep = {
      parentheses: `BEGIN { $x = ${'('.repeat(5000)}1${')'.repeat(5000)}; }`,
      unary: `BEGIN { $x = ${'!'.repeat(5000)}1; }`,
      ternaries: `BEGIN { $x = ${'1 ? 2 : '.repeat(5000)}3; }`,
      blocks: `BEGIN { ${'if (1) { '.repeat(5000)}${'} '.repeat(5000)} }`,
      calls: `BEGIN { $x = ${'f('.repeat(5000)}1${')'.repeat(5000)}; }`,
    };
    for (const [name, source] of Object.entries(deep)) {
      const r = parse(source, 'deep.bt');
      expect(r.ast, name).toBeNull();
      expect(r.diagnostics[0]!.message, name).toMatch(/nested too deeply/);
      expect(r.diagnostics[0]!.range, name).not.toBeNull();
    }
    const chain = parse(`BEGIN { $x = 1${' + 1'.repeat(MAX_AST_DEPTH + 10)}; }`, 'long.bt');
    expect(chain.diagnostics[0]!.message).toMatch(/nested too deeply/);
  });

  it('accepts nesting up to the limit', () => {
    const n = MAX_NESTING - 5;
    expect(parse(`BEGIN { $x = ${'('.repeat(n)}1${')'.repeat(n)}; }`, 'ok.bt').diagnostics).toEqual(
      [],
    );
    expect(parse(`BEGIN { $x = 1${' + 1'.repeat(1000)}; }`, 'ok.bt').diagnostics).toEqual([]);
  });
});
