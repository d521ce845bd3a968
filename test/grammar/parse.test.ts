import { describe, expect, it } from 'vitest';
import type * as A from '../../grammar/ast';
import { forEachChild, parse } from '../../grammar/index';
import { expr, firstError, parseOk, statements, strip } from './helpers';

const int = (v: number | bigint) => ({ kind: 'IntegerLiteral', value: BigInt(v) });
const bin = (operator: string, left: unknown, right: unknown) => ({
  kind: 'Binary',
  operator,
  left,
  right,
});
const v = (name: string) => ({ kind: 'Variable', name });
const map = (name: string, keys: unknown[] = [], indexed = keys.length > 0) => ({
  kind: 'MapAccess',
  name,
  keys,
  indexed,
});

describe('probes and attach points', () => {
  it('keeps attach points raw, several per probe, with aliases, wildcards, paths, offsets', () => {
    const p = parseOk(
      'kprobe:vfs_*, k:f+16, uprobe:/bin/bash:readline,\n' +
        'ur:/lib/x86_64-linux-gnu/libc.so.6:malloc, t:syscalls:sys_enter_*, i:ms:100, uprobe:$1:foo { 1 }',
    ).probes[0]!;
    expect(p.attachPoints.map((a) => a.raw)).toEqual([
      'kprobe:vfs_*',
      'k:f+16',
      'uprobe:/bin/bash:readline',
      'ur:/lib/x86_64-linux-gnu/libc.so.6:malloc',
      't:syscalls:sys_enter_*',
      'i:ms:100',
      'uprobe:$1:foo',
    ]);
  });

  it('joins attach point pieces separated by whitespace, and reads /…/ glued to one as part of it', () => {
    expect(parseOk('kprobe : vfs_read { 1 }').probes[0]!.attachPoints[0]!.raw).toBe(
      'kprobe:vfs_read',
    );
    const glued = parseOk('kprobe:vfs_read/pid/{1}').probes[0]!;
    expect(glued.attachPoints[0]!.raw).toBe('kprobe:vfs_read/pid/');
    expect(glued.predicate).toBeNull();
  });

  it('accepts BEGIN/END (and lowercase), a trailing comma, several probes', () => {
    const p = parseOk('BEGIN { 1 } END { 2 }\nbegin, end, { 3 }');
    expect(p.probes.map((x) => x.attachPoints.map((a) => a.raw))).toEqual([
      ['BEGIN'],
      ['END'],
      ['begin', 'end'],
    ]);
  });

  it('parses predicates, where / divides unless it is followed by {', () => {
    const p = parseOk('kprobe:f /pid / 2 == 1/ { 1 }').probes[0]!;
    expect(strip(p.predicate)).toEqual(
      bin('==', bin('/', { kind: 'Builtin', name: 'pid' }, int(2)), int(1)),
    );
    expect(parseOk('k:f\n/ pid /* c */ /\n// x\n{ 1 }').probes[0]!.predicate).not.toBeNull();
  });

  it('records exact ranges', () => {
    const src = 'BEGIN {\n  @x[1] = 10;\n}\n';
    const p = parseOk(src).probes[0]!;
    const assign = p.body.statements[0] as A.AssignMap;
    expect(assign.range.start).toEqual({ offset: 10, line: 2, column: 3 });
    expect(assign.range.end).toEqual({ offset: 20, line: 2, column: 13 });
    expect(src.slice(assign.map.range.start.offset, assign.map.range.end.offset)).toBe('@x[1]');
    expect(p.range.start.offset).toBe(0);
    expect(p.body.range.end.offset).toBe(src.lastIndexOf('}') + 1);
  });

  it('gives every node a unique id', () => {
    const ast = parseOk('BEGIN { @x[pid, comm] = count(); if ($a > 1) { $b = (1, "s").1 } }');
    const ids: number[] = [];
    const walk = (n: A.Node) => {
      ids.push(n.id);
      forEachChild(n, walk);
    };
    walk(ast);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThan(15);
  });
});

describe('statements', () => {
  it('separates statements with ; (last one optional), and not after a block', () => {
    expect(statements('$a = 1; $b = 2').length).toBe(2);
    expect(statements('$a = 1; $b = 2;').length).toBe(2);
    expect(statements('if (1) { } $b = 2').length).toBe(2);
    expect(firstError('BEGIN { if (1) { }; }')).toEqual({
      at: '1:18',
      message: 'syntax error, unexpected ;, expecting }',
    });
    expect(firstError('BEGIN { 1;; }')?.at).toBe('1:9');
    expect(firstError('BEGIN { ; }')?.at).toBe('1:9');
  });

  it('builds assignments, compound assignments and increments', () => {
    const s = statements('@m[1, 2] = 3; $v = 4; @c += 1; $v <<= 2; @c++; --$v; ++@m[1, 2]');
    expect(strip(s)).toEqual([
      { kind: 'AssignMap', map: map('@m', [int(1), int(2)]), value: int(3) },
      { kind: 'AssignVariable', variable: v('$v'), value: int(4) },
      { kind: 'CompoundAssign', target: map('@c'), operator: '+', value: int(1) },
      { kind: 'CompoundAssign', target: v('$v'), operator: '<<', value: int(2) },
      {
        kind: 'ExpressionStatement',
        expression: { kind: 'IncDec', operator: '++', prefix: false, target: map('@c') },
      },
      {
        kind: 'ExpressionStatement',
        expression: { kind: 'IncDec', operator: '--', prefix: true, target: v('$v') },
      },
      {
        kind: 'ExpressionStatement',
        expression: {
          kind: 'IncDec',
          operator: '++',
          prefix: true,
          target: map('@m', [int(1), int(2)]),
        },
      },
    ]);
    for (const op of ['-', '*', '/', '%', '&', '|', '^', '>>']) {
      expect((statements(`$v ${op}= 1`)[0] as A.CompoundAssign).operator).toBe(op);
    }
  });

  it('builds if / else if / else, while, unroll, jumps', () => {
    const [i] = statements('if ($a) { 1 } else if ($b) { 2 } else { 3 }') as A.If[];
    expect(i!.else!.statements[0]!.kind).toBe('If');
    const nested = i!.else!.statements[0] as A.If;
    expect(strip(nested.else)).toEqual({
      kind: 'Block',
      statements: [{ kind: 'ExpressionStatement', expression: int(3) }],
    });
    const [w, u, u2, u3, u4] = statements(
      'while ($i < 3) { $i++; break; continue } unroll(5) { } unroll($1) { } unroll($#) { } unroll(-1) { }',
    );
    expect(w!.kind).toBe('While');
    expect(strip((w as A.While).body.statements.slice(1))).toEqual([
      { kind: 'Jump', jump: 'break' },
      { kind: 'Jump', jump: 'continue' },
    ]);
    expect(strip((u as A.Unroll).count)).toEqual(int(5));
    expect(strip((u2 as A.Unroll).count)).toEqual({ kind: 'PositionalParameter', index: 1 });
    expect(strip((u3 as A.Unroll).count)).toEqual({ kind: 'PositionalCount' });
    expect(strip((u4 as A.Unroll).count)).toEqual(int(-1));
    expect(strip(statements('return'))).toEqual([{ kind: 'Jump', jump: 'return' }]);
    expect(firstError('BEGIN { unroll($x) { } }')?.message).toBe(
      'syntax error, unexpected variable, expecting $# or - or positional parameter or integer',
    );
  });

  it('requires braces around if/while/unroll bodies', () => {
    expect(firstError('BEGIN {\n  if (1) printf("no braces\\n");\n}')).toEqual({
      at: '2:10',
      message: 'syntax error, unexpected call, expecting {',
    });
    expect(firstError('BEGIN { while (1) 1; }')?.at).toBe('1:19');
  });

  it('accepts the newer for-each loop, let declarations and delete(@m, k)', () => {
    const [f, l1, l2, l3, d] = statements(
      'for ($kv : @m) { print($kv.0) } let $a; let $b = 1; let $c: uint8 = 2; delete(@m, 1)',
    );
    expect(strip(f)).toMatchObject({ kind: 'For', variable: v('$kv'), map: map('@m') });
    expect(strip(l1)).toEqual({
      kind: 'VariableDeclaration',
      variable: v('$a'),
      type: null,
      value: null,
    });
    expect(strip(l2)).toEqual({
      kind: 'VariableDeclaration',
      variable: v('$b'),
      type: null,
      value: int(1),
    });
    expect(strip(l3)).toEqual({
      kind: 'VariableDeclaration',
      variable: v('$c'),
      type: { kind: 'TypeName', name: 'uint8', pointerDepth: 0 },
      value: int(2),
    });
    expect(strip(d)).toEqual({
      kind: 'ExpressionStatement',
      expression: { kind: 'Call', name: 'delete', args: [map('@m'), int(1)] },
    });
  });

  it('reports a C-style for loop the way 0.17 reports any for', () => {
    expect(firstError('BEGIN {\n  for ($i = 0; $i < 3; $i++) { }\n}')).toEqual({
      at: '2:3',
      message: 'syntax error, unexpected for, expecting }',
    });
  });

  it('rejects assignment to non-lvalues; tuples are immutable', () => {
    expect(firstError('BEGIN { 1 = 2 }')).toEqual({
      at: '1:11',
      message: 'syntax error, unexpected =, expecting }',
    });
    expect(firstError('BEGIN { $t.0 = 5 }')).toEqual({
      at: '1:9',
      message:
        'Tuples are immutable once created. Consider creating a new tuple and assigning it instead.',
    });
    expect(firstError('BEGIN { ++1 }')).toEqual({
      at: '1:9',
      message: 'syntax error, unexpected integer',
    });
  });
});

describe('expressions', () => {
  it('follows C precedence and associativity', () => {
    expect(expr('1 + 2 * 3')).toEqual(bin('+', int(1), bin('*', int(2), int(3))));
    expect(expr('1 - 2 - 3')).toEqual(bin('-', bin('-', int(1), int(2)), int(3)));
    expect(expr('5 & 3 == 3')).toEqual(bin('&', int(5), bin('==', int(3), int(3))));
    expect(expr('1 << 2 + 1')).toEqual(bin('<<', int(1), bin('+', int(2), int(1))));
    expect(expr('1 | 2 ^ 3 & 4')).toEqual(
      bin('|', int(1), bin('^', int(2), bin('&', int(3), int(4)))),
    );
    expect(expr('2 < 3 == 1')).toEqual(bin('==', bin('<', int(2), int(3)), int(1)));
    expect(expr('1 || 2 && 3')).toEqual(bin('||', int(1), bin('&&', int(2), int(3))));
    expect(expr('1 ? 2 : 3 ? 4 : 5')).toEqual({
      kind: 'Ternary',
      condition: int(1),
      then: int(2),
      else: { kind: 'Ternary', condition: int(3), then: int(4), else: int(5) },
    });
    expect(expr('$a || $b ? 1 : 2')).toMatchObject({
      kind: 'Ternary',
      condition: { operator: '||' },
    });
    expect(expr('!$a + ~$b')).toEqual(
      bin(
        '+',
        { kind: 'Unary', operator: '!', operand: v('$a') },
        { kind: 'Unary', operator: '~', operand: v('$b') },
      ),
    );
  });

  it('folds - before an integer literal into a negative literal, as 0.17 does', () => {
    expect(expr('-5')).toEqual(int(-5));
    expect(expr('- 5')).toEqual(int(-5));
    expect(expr('-(5)')).toEqual({ kind: 'Unary', operator: '-', operand: int(5) });
    expect(expr('- - 5')).toEqual({ kind: 'Unary', operator: '-', operand: int(-5) });
    expect(expr('2 * -3')).toEqual(bin('*', int(2), int(-3)));
    expect(expr('10 -5')).toEqual(bin('-', int(10), int(5)));
    expect(expr('-9223372036854775808')).toEqual(int(-(2n ** 63n)));
    expect(expr('-18446744073709551615')).toEqual(int(1));
    expect(firstError('BEGIN { $x = --5; }')).toEqual({
      at: '1:14',
      message: 'syntax error, unexpected integer',
    });
  });

  it('builds casts, sizeof, offsetof', () => {
    expect(expr('(uint8)-1')).toEqual({
      kind: 'Cast',
      type: { kind: 'TypeName', name: 'uint8', pointerDepth: 0 },
      operand: int(-1),
    });
    expect(expr('(struct foo **)$p')).toEqual({
      kind: 'Cast',
      type: { kind: 'TypeName', name: 'foo', record: 'struct', pointerDepth: 2 },
      operand: v('$p'),
    });
    expect(expr('(foo) - 1')).toMatchObject({
      kind: 'Cast',
      type: { name: 'foo' },
      operand: int(-1),
    });
    expect(expr('(pid) - 1')).toEqual(bin('-', { kind: 'Builtin', name: 'pid' }, int(1)));
    expect(expr('sizeof(uint8)')).toEqual({
      kind: 'Sizeof',
      operand: { kind: 'TypeName', name: 'uint8', pointerDepth: 0 },
    });
    expect(expr('sizeof(struct task_struct)')).toMatchObject({
      operand: { kind: 'TypeName', record: 'struct' },
    });
    expect(expr('sizeof($x)')).toEqual({ kind: 'Sizeof', operand: v('$x') });
    expect(expr('sizeof(long)')).toEqual({
      kind: 'Sizeof',
      operand: { kind: 'Identifier', name: 'long' },
    });
    expect(expr('offsetof(struct foo, a.b)')).toEqual({
      kind: 'Offsetof',
      record: { kind: 'TypeName', name: 'foo', record: 'struct', pointerDepth: 0 },
      fields: ['a', 'b'],
    });
  });

  it('builds postfix accesses, tuples, calls, maps, builtins and identifiers', () => {
    expect(expr('$a->b.c[1].0')).toEqual({
      kind: 'TupleAccess',
      index: 0,
      tuple: {
        kind: 'Index',
        index: int(1),
        object: {
          kind: 'FieldAccess',
          field: 'c',
          arrow: false,
          object: { kind: 'FieldAccess', field: 'b', arrow: true, object: v('$a') },
        },
      },
    });
    expect(expr('(1, "a", (2, 3))')).toMatchObject({
      kind: 'Tuple',
      elements: [int(1), { kind: 'StringLiteral', value: 'a' }, { kind: 'Tuple' }],
    });
    expect(expr('(1)')).toEqual(int(1));
    expect(expr('1.5')).toEqual({ kind: 'TupleAccess', tuple: int(1), index: 5 });
    expect(expr('@')).toEqual(map('@'));
    expect(expr('@[1]')).toEqual(map('@', [int(1)]));
    expect(expr('count()')).toEqual({ kind: 'Call', name: 'count', args: [] });
    expect(expr('kstack(perf, 3)')).toEqual({
      kind: 'Call',
      name: 'kstack',
      args: [{ kind: 'Identifier', name: 'perf' }, int(3)],
    });
    expect(expr('foo(1)')).toEqual({ kind: 'Call', name: 'foo', args: [int(1)] });
    for (const b of [
      'pid',
      'tid',
      'comm',
      'arg0',
      'sarg9',
      'retval',
      'args',
      'ctx',
      'curtask',
      'cpid',
      'numaid',
      'kstack',
      'ustack',
      'username',
    ]) {
      expect(expr(b)).toEqual({ kind: 'Builtin', name: b });
    }
    expect(expr('arg10')).toEqual({ kind: 'Identifier', name: 'arg10' });
    expect(expr('AF_INET')).toEqual({ kind: 'Identifier', name: 'AF_INET' });
    expect(expr('args->filename')).toEqual({
      kind: 'FieldAccess',
      object: { kind: 'Builtin', name: 'args' },
      field: 'filename',
      arrow: true,
    });
    expect(expr('args.filename')).toMatchObject({ kind: 'FieldAccess', arrow: false });
    expect(expr('$1 + $#')).toEqual(
      bin('+', { kind: 'PositionalParameter', index: 1 }, { kind: 'PositionalCount' }),
    );
    expect(expr('true != false')).toEqual(
      bin('!=', { kind: 'BooleanLiteral', value: true }, { kind: 'BooleanLiteral', value: false }),
    );
    expect(expr('*$p + &$q')).toEqual(
      bin(
        '+',
        { kind: 'Unary', operator: '*', operand: v('$p') },
        { kind: 'Unary', operator: '&', operand: v('$q') },
      ),
    );
  });

  it('reports $0 like 0.17', () => {
    expect(firstError('BEGIN { $x = $0; }')).toEqual({
      at: '1:14',
      message: 'param $0 is out of integer range [1, 9223372036854775807]',
    });
  });

  it('gives Call.nameRange the name alone', () => {
    const call = (statements('printf("%d", 1)')[0] as A.ExpressionStatement).expression as A.Call;
    expect([call.nameRange.start.column, call.nameRange.end.column]).toEqual([9, 15]);
    expect([call.range.start.column, call.range.end.column]).toEqual([9, 24]);
  });
});

describe('literals', () => {
  it('reads integers the way 0.17 does', () => {
    expect(expr('010')).toEqual(int(8));
    expect(expr('0777')).toEqual(int(511));
    expect(expr('0x1F + 0XfF')).toEqual(bin('+', int(31), int(255)));
    expect(expr('1_000_000')).toEqual(int(1000000));
    expect(expr('1__0')).toEqual(int(10));
    expect(expr('07_7')).toEqual(int(63));
    expect(expr('5u + 5U + 5l + 5ul + 5ull + 5LL + 5Ll')).toMatchObject({ kind: 'Binary' });
    expect(expr('1e6')).toEqual(int(1000000));
    expect(expr('9e16')).toEqual(int(9n * 10n ** 16n));
    expect(expr('1e1_0')).toEqual(int(10n ** 10n));
    expect(expr('1e3ul')).toEqual(int(1000));
    expect(expr('18446744073709551615')).toEqual(int(-1));
    expect(expr('9223372036854775808')).toEqual(int(-(2n ** 63n)));
    expect(expr('0xffffffffffffffff')).toEqual(int(-1));
  });

  it('reports bad integers like 0.17', () => {
    expect(firstError('BEGIN { $x = 09; }')).toEqual({
      at: '1:14',
      message: 'Found trailing non-numeric characters',
    });
    expect(firstError('BEGIN { $x = 5lu; }')).toEqual({
      at: '1:14',
      message: 'syntax error, unexpected identifier, expecting }',
    });
    expect(firstError('BEGIN { $x = 10e2; }')?.message).toBe(
      'Coefficient part of scientific literal must be in range (0,9), got: 10',
    );
    expect(firstError('BEGIN { $x = 1e17; }')?.message).toBe(
      'Exponent will overflow integer range: 17',
    );
    expect(firstError('BEGIN {\n  printf("%ld\\n", 18446744073709551616);\n}')).toEqual({
      at: '2:19',
      message: 'stoull',
    });
    expect(firstError('BEGIN { $x = 0x; }')?.message).toBe(
      'syntax error, unexpected identifier, expecting }',
    );
  });

  it('decodes string escapes and keeps long strings (the length limit is the checker’s)', () => {
    expect(expr('"a\\tb\\n\\r\\\\\\"c"')).toEqual({ kind: 'StringLiteral', value: 'a\tb\n\r\\"c' });
    expect(expr('"\\x41\\x414\\101\\0101\\0"')).toEqual({
      kind: 'StringLiteral',
      value: 'AA4A\x081\0',
    });
    expect(expr('"é"')).toEqual({ kind: 'StringLiteral', value: '\xc3\xa9' });
    expect(expr(`"${'x'.repeat(100)}"`)).toEqual({ kind: 'StringLiteral', value: 'x'.repeat(100) });
  });

  it('reports bad escapes like 0.17 (every one of them)', () => {
    const r = parse('BEGIN {\n  printf("%s %s\\n", "bad\\q", "\\400");\n}', 't.bt');
    expect(r.ast).toBeNull();
    expect(
      r.diagnostics.map((d) => [d.message, d.range!.start.column, d.range!.end.column]),
    ).toEqual([
      ["invalid escape character '\\q'", 21, 27],
      ["octal escape sequence out of range '\\400'", 30, 35],
    ]);
    expect(firstError('BEGIN { print("a\\x") }')?.message).toBe("invalid escape character '\\x'");
    expect(firstError('BEGIN { print("abc) }')?.message).toBe('unterminated string');
    expect(firstError("BEGIN { print('a') }")?.message).toBe("invalid character '''");
  });
});

describe('comments, preprocessor lines and C definitions', () => {
  it('ignores comments and #! lines anywhere', () => {
    const p = parseOk(
      '#!/usr/bin/env bpftrace\n/* a */ BEGIN // b\n{ 1 /* c */ }\n#!again\nEND { 2 }\n',
    );
    expect(p.probes.length).toBe(2);
  });

  it('reads #include and object-like #define, expanding the macro at each use', () => {
    const p = parseOk(
      '#include <linux/sched.h>\n#include "my.h"\n#define N 5 + 1\n#define SQ(x) ((x)*(x))\nBEGIN { $x = N * SQ(2) }',
    );
    expect(strip(p.preamble)).toEqual([
      { kind: 'Include', path: 'linux/sched.h', system: true },
      { kind: 'Include', path: 'my.h', system: false },
      { kind: 'Define', name: 'N', body: '5 + 1' },
    ]);
    const value = (p.probes[0]!.body.statements[0] as A.AssignVariable).value;
    // Token substitution, not grouping: 5 + 1 * SQ(2)
    expect(strip(value)).toEqual(
      bin('+', int(5), bin('*', int(1), { kind: 'Call', name: 'SQ', args: [int(2)] })),
    );
    // Expanded tokens are located at the use site.
    expect(value.range.start.column).toBe(14);
  });

  it('selects #ifdef/#ifndef/#else/#endif branches (BPFTRACE_HAVE_BTF is defined)', () => {
    const p = parseOk(
      '#ifndef BPFTRACE_HAVE_BTF\n#include <linux/socket.h>\n#else\n#include <sys/socket.h>\n#endif\n#if defined(X) || 1\n#define Y 2\n#endif\nBEGIN { $y = Y }',
    );
    expect(strip(p.preamble)).toEqual([
      { kind: 'Include', path: 'sys/socket.h', system: true },
      { kind: 'Define', name: 'Y', body: '2' },
    ]);
    expect(firstError('#ifdef X\nBEGIN { 1 }')?.message).toBe('unterminated conditional directive');
  });

  it('reads struct, union and enum definitions', () => {
    const p = parseOk(
      'struct foo { int a; unsigned long long b; char name[16]; struct bar *next; uint8_t m[2][3] };\n' +
        'union u { int x; char c; }\nenum e { A, B = 5, C, D = -1 };\nBEGIN { 1 }',
    );
    const [s, u, e] = p.preamble as [A.RecordDefinition, A.RecordDefinition, A.EnumDefinition];
    expect(strip(s.fields)).toEqual([
      {
        kind: 'RecordField',
        name: 'a',
        type: { kind: 'TypeName', name: 'int', pointerDepth: 0 },
        arrayLengths: [],
      },
      {
        kind: 'RecordField',
        name: 'b',
        type: { kind: 'TypeName', name: 'unsigned long long', pointerDepth: 0 },
        arrayLengths: [],
      },
      {
        kind: 'RecordField',
        name: 'name',
        type: { kind: 'TypeName', name: 'char', pointerDepth: 0 },
        arrayLengths: [16],
      },
      {
        kind: 'RecordField',
        name: 'next',
        type: { kind: 'TypeName', name: 'bar', record: 'struct', pointerDepth: 1 },
        arrayLengths: [],
      },
      {
        kind: 'RecordField',
        name: 'm',
        type: { kind: 'TypeName', name: 'uint8_t', pointerDepth: 0 },
        arrayLengths: [2, 3],
      },
    ]);
    expect(u.union).toBe(true);
    expect(e.enumerators.map((x) => [x.name, x.value])).toEqual([
      ['A', 0n],
      ['B', 5n],
      ['C', 6n],
      ['D', -1n],
    ]);
  });
});

describe('top-level errors', () => {
  it('reports a missing probe body like 0.17', () => {
    expect(parse('kprobe:f', 't').diagnostics[0]).toMatchObject({
      message: 'unexpected end of file, expected {',
    });
    expect(parse('', 't').diagnostics[0]).toEqual({
      severity: 'error',
      message: 'unexpected end of file, expected {',
      range: null,
    });
    expect(parse('// only a comment\n', 't').diagnostics[0]?.message).toBe(
      'unexpected end of file, expected {',
    );
    expect(firstError('BEGIN {\n  printf("x");\n  exit();\n')).toEqual({
      at: '4:1',
      message: 'syntax error, unexpected end of file, expecting }',
    });
    expect(firstError('BEGIN { 1 } ;')).toEqual({
      at: '1:13',
      message: 'syntax error, unexpected ;, expecting {',
    });
    expect(firstError('{ 1 }')).toEqual({ at: '1:1', message: 'No attach points for probe' });
  });

  it('locates errors from the start of a run of tokens with no whitespace, as bison does', () => {
    expect(firstError('BEGIN { printf("a"5) }')).toEqual({
      at: '1:9',
      message: 'syntax error, unexpected integer, expecting ) or ","',
    });
    expect(firstError('BEGIN { $x = 1\n  $y = 2; }')).toEqual({
      at: '2:3',
      message: 'syntax error, unexpected variable, expecting }',
    });
  });
});
