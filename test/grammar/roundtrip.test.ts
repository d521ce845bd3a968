// Property tests: generated programs parse; printing and parsing again gives the same AST
// (ids and ranges aside), and printing is stable.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, printProgram } from '../../grammar/index';
import { strip } from './helpers';

const word = fc.constantFrom('a', 'b', 'foo', 'bar_2', 'len');
const integer = fc.oneof(
  fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map(String),
  fc.integer({ min: 0, max: 0xffff }).map((n) => `0x${n.toString(16)}`),
  fc.integer({ min: 0, max: 511 }).map((n) => `0${n.toString(8)}`),
  fc.integer({ min: 0, max: 9 }).map((n) => `${n}e${n}`),
  fc.constantFrom('1_000', '5ULL', '7l', '0'),
);
const stringLiteral = fc
  .array(
    fc.constantFrom('a', ' ', '%d', '\\n', '\\t', '\\"', '\\\\', '\\x41', '\\101', '\\0', 'é'),
    { maxLength: 8 },
  )
  .map((parts) => `"${parts.join('')}"`);
const leaf = fc.oneof(
  integer,
  integer.map((i) => `-${i}`),
  stringLiteral,
  word.map((w) => `$${w}`),
  word.map((w) => `@${w}`),
  fc.constantFrom(
    '@',
    'pid',
    'comm',
    'arg0',
    'retval',
    'args',
    'kstack',
    '$1',
    '$#',
    'true',
    'false',
    'curtask',
  ),
);
const binaryOperator = fc.constantFrom(
  '+',
  '-',
  '*',
  '/',
  '%',
  '&',
  '|',
  '^',
  '<<',
  '>>',
  '<',
  '<=',
  '>',
  '>=',
  '==',
  '!=',
  '&&',
  '||',
);
const typeName = fc.constantFrom(
  'uint8',
  'int64',
  'struct task_struct *',
  'struct foo **',
  'union u',
  'enum e',
);

const expressions = fc.letrec<{ expression: string; operand: string }>((tie) => ({
  // Compound operands are parenthesized or not at random; leaves never are, since a
  // parenthesized lone identifier reads as a cast in 0.17.
  operand: fc.oneof(
    { depthSize: 'small' },
    leaf,
    tie('expression').map((e) => `(${e})`),
  ),
  expression: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.tuple(tie('operand'), binaryOperator, tie('operand')).map(([a, op, b]) => `${a} ${op} ${b}`),
    fc
      .tuple(fc.constantFrom('-', '!', '~', '*', '&'), tie('operand'))
      .map(([op, e]) => `${op} ${e}`),
    fc.tuple(typeName, tie('operand')).map(([t, e]) => `(${t})${e}`),
    fc
      .tuple(tie('operand'), tie('operand'), tie('operand'))
      .map(([c, a, b]) => `${c} ? ${a} : ${b}`),
    fc.array(tie('expression'), { minLength: 2, maxLength: 3 }).map((es) => `(${es.join(', ')})`),
    fc
      .tuple(
        fc.constantFrom('printf', 'count', 'foo', 'str', 'kstack'),
        fc.array(tie('expression'), { maxLength: 3 }),
      )
      .map(([f, args]) => `${f}(${args.join(', ')})`),
    fc
      .tuple(word, fc.array(tie('expression'), { minLength: 1, maxLength: 2 }))
      .map(([m, keys]) => `@${m}[${keys.join(', ')}]`),
    fc
      .tuple(tie('operand'), fc.constantFrom('.f', '->g', '.0', '.12', '[1]', '[$i]'))
      .map(([e, p]) => `${e}${p}`),
    fc
      .tuple(fc.constantFrom('$v', '@m', '@m[1]'), fc.constantFrom('++', '--'), fc.boolean())
      .map(([t, op, pre]) => (pre ? `${op}${t}` : `${t}${op}`)),
    fc.oneof(typeName, tie('expression')).map((x) => `sizeof(${x})`),
    fc.constantFrom('offsetof(struct foo, a)', 'offsetof(struct foo, a.b.c)'),
  ),
}));
const expression = expressions.expression;

const statements = fc.letrec<{ block: string; statement: string }>((tie) => ({
  block: fc.array(tie('statement'), { maxLength: 4 }).map((ss) => `{ ${joinStatements(ss)} }`),
  statement: fc.oneof(
    { depthSize: 'small' },
    expression,
    fc
      .tuple(
        fc.constantFrom('@m', '@m[1, $k]', '$v', '@'),
        fc.constantFrom('=', '+=', '<<=', '%=', '^='),
        expression,
      )
      .map(([t, op, e]) => `${t} ${op} ${e}`),
    fc
      .tuple(
        expression,
        tie('block'),
        fc.option(
          fc.oneof(
            tie('block'),
            tie('statement').filter((s) => s.startsWith('if')),
          ),
        ),
      )
      .map(
        ([c, then, otherwise]) =>
          `if (${c}) ${then}${otherwise === null ? '' : ` else ${otherwise}`}`,
      ),
    fc.tuple(expression, tie('block')).map(([c, b]) => `while (${c}) ${b}`),
    fc
      .tuple(fc.constantFrom('3', '$2', '$#', '-1'), tie('block'))
      .map(([n, b]) => `unroll(${n}) ${b}`),
    tie('block').map((b) => `for ($kv : @m) ${b}`),
    fc
      .tuple(fc.option(typeName), fc.option(expression))
      .map(([t, e]) => `let $d${t === null ? '' : `: ${t}`}${e === null ? '' : ` = ${e}`}`),
    fc.constantFrom('return', 'break', 'continue', 'delete(@m[1])', 'delete(@m, 1)'),
  ),
}));

/** `;` between statements, none after one that ends with a block. */
function joinStatements(ss: string[]): string {
  return ss.map((s, i) => (i < ss.length - 1 && !s.endsWith('}') ? `${s};` : s)).join(' ');
}

const attachPoint = fc.constantFrom(
  'BEGIN',
  'END',
  'kprobe:vfs_read',
  'k:vfs_*',
  'kretprobe:f+16',
  'uprobe:/bin/bash:readline',
  'ur:/lib/x86_64-linux-gnu/libc.so.6:malloc',
  't:syscalls:sys_enter_*',
  'interval:ms:100',
  'uprobe:$1:foo',
);
const probe = fc
  .tuple(
    fc.array(attachPoint, { minLength: 1, maxLength: 3 }),
    fc.option(expression),
    statements.block,
  )
  .map(([aps, pred, body]) => `${aps.join(', ')}${pred === null ? '' : ` / ${pred} /`} ${body}`);
const preambleItem = fc.constantFrom(
  '#include <linux/sched.h>',
  '#include "local.h"',
  '#define UNUSED_MACRO 42',
  'struct foo { int a; unsigned long b; char name[16]; struct foo *next; }',
  'union u { int x; char c[4][2]; };',
  'enum e { A, B = 5, C = -2 };',
);
const program = fc
  .tuple(fc.array(preambleItem, { maxLength: 3 }), fc.array(probe, { minLength: 1, maxLength: 3 }))
  .map(([pre, probes]) => [...pre, ...probes].join('\n'));

describe('print → parse round trip', () => {
  it('generated programs parse, and print → parse gives the same AST', () => {
    fc.assert(
      fc.property(program, (source) => {
        const first = parse(source, 'gen.bt');
        expect(first.diagnostics, source).toEqual([]);
        const printed = printProgram(first.ast!);
        const second = parse(printed, 'printed.bt');
        expect(second.diagnostics, printed).toEqual([]);
        expect(strip(second.ast)).toEqual(strip(first.ast));
        expect(printProgram(second.ast!)).toBe(printed);
      }),
      { numRuns: 400 },
    );
  });

  it('round-trips the tricky spellings', () => {
    for (const e of [
      '-(5)',
      '- -5',
      '-5',
      '-(-5)',
      '(uint8)-1',
      '(-5).0',
      '(@m)[1]',
      '@m[1][2]',
      '(1 ? 2 : 3) ? 4 : 5',
      '1 - (2 - 3)',
      '!!$x',
      '- -$x',
      '&*$p',
      '"\\x01\\377\\0"',
    ]) {
      const source = `BEGIN { $x = ${e} }`;
      const first = parse(source, 'a.bt');
      expect(first.diagnostics, e).toEqual([]);
      const second = parse(printProgram(first.ast!), 'b.bt');
      expect(strip(second.ast), e).toEqual(strip(first.ast));
    }
  });
});
