// What codegen reads: types by node id, map key/value kinds, constants, probe variables.

import { describe, expect, it } from 'vitest';
import { scanFormat, formatPieces } from '../../stdlib/printf_format';
import { builtinFunction, builtinVariable } from '../../stdlib';
import { messageLines, runCheck } from './helpers';

describe('side tables', () => {
  it('fixes map key and value kinds', () => {
    const run = runCheck(
      'BEGIN { @c[comm, 1] = count(); @s = sum((uint8)3); @v["a"] = "xy"; @v["abc"] = "xyz1"; }',
    );
    const maps = run.checked!.maps;
    expect(maps.get('@c')).toEqual({
      keyTypes: [
        { kind: 'string', size: 16 },
        { kind: 'int', size: 8, signed: false },
      ],
      value: { kind: 'aggregation', aggregation: { kind: 'count' } },
    });
    expect(maps.get('@s')!.value).toEqual({
      kind: 'aggregation',
      aggregation: { kind: 'sum', signed: false },
    });
    expect(maps.get('@v')).toEqual({
      keyTypes: [{ kind: 'string', size: 4 }],
      value: { kind: 'value', type: { kind: 'string', size: 5 } },
    });
  });

  it('sizes string variables for the longest assignment and types every expression', () => {
    const run = runCheck('BEGIN { $s = "ab"; $s = "abcdef"; $n = (uint8)200 + (uint8)100; }');
    expect(run.checked!.probes[0].variables.get('$s')).toEqual({ kind: 'string', size: 7 });
    expect(run.checked!.probes[0].variables.get('$n')).toEqual({
      kind: 'int',
      size: 8,
      signed: false,
    });
    const ast = run.checked!.ast;
    const visit = (n: unknown): number =>
      n && typeof n === 'object'
        ? Object.values(n).reduce((a: number, v) => a + visit(v), 'kind' in n && 'id' in n ? 1 : 0)
        : 0;
    expect(visit(ast)).toBeGreaterThan(5);
  });

  it('records constants for enums, params, $# and sizeof', () => {
    const run = runCheck(
      'enum e { A = 7 }; BEGIN { $a = A; $b = $1; $c = $#; $d = sizeof(int16); }',
      { params: ['0x10'] },
    );
    expect([...run.checked!.constants.values()].sort()).toEqual([16n, 1n, 2n, 7n].sort());
  });

  it('gives lhist its literal bounds and types tracepoint args', () => {
    const run = runCheck(
      'tracepoint:syscalls:sys_enter_openat { @l = lhist(args->flags, 0, 100, 10); @f = str(args->filename); }',
    );
    expect(run.hasError).toBe(false);
    expect(run.checked!.maps.get('@l')!.value).toEqual({
      kind: 'aggregation',
      aggregation: { kind: 'lhist', min: 0n, max: 100n, step: 10n },
    });
  });
});

describe('rules', () => {
  const first = (src: string, opts = {}) => messageLines(runCheck(src, opts).stderr)[0];
  it('rejects non-numeric positional parameters', () => {
    expect(first('BEGIN { $x = $1; }', { params: ['5abc'] })).toBe(
      'stdin:1:14-16: ERROR: $1 used numerically but given "5abc". Try using str($1).',
    );
  });
  it('checks str($1 + k)', () => {
    expect(first('BEGIN { $x = str($1 + 9); }', { params: ['abcdefgh'] })).toContain(
      'only addition of a single constant less or equal to the length of $1 (which is 8) is allowed inside str()',
    );
  });
  it('does not know kernel structs', () => {
    expect(first('BEGIN { $t = (struct task_struct *)curtask; }')).toBe(
      "stdin:1:14-36: ERROR: Unknown struct/union: 'struct task_struct'",
    );
    expect(first('kprobe:f { $p = curtask->pid; }')).toContain('kernel types not available');
  });
  it('accepts newer syntax', () => {
    expect(
      runCheck(
        'BEGIN { @m[1] = 2; print(@m[1]); exit(3); let $x = 1; for ($kv : @m) { print($kv.1); } if (has_key(@m, 1)) { delete(@m, 1); } $n = len(@m); }',
      ).hasError,
    ).toBe(false);
  });
  it('hides final-pass errors behind early ones', () => {
    const lines = messageLines(runCheck('BEGIN { $x = 1; $x = "s"; @y = "a" + 1; }').stderr);
    expect(lines).toEqual([
      "stdin:1:20-21: ERROR: Type mismatch for $x: trying to assign value of type 'string[2]' when variable already contains a value of type 'int64'",
    ]);
  });
  it('warns on stats print with top/div', () => {
    expect(first('BEGIN { @a = stats(1); print(@a, 1, 2); }')).toBe(
      "stdin:1:24-39: WARNING: print()'s top and div arguments are ignored when used on stats() maps.",
    );
  });
});

describe('stdlib', () => {
  it('has one record per builtin', () => {
    for (const v of [
      'pid',
      'comm',
      'arg3',
      'sarg1',
      'retval',
      'args',
      'func',
      'probe',
      'nsecs',
      'kstack',
    ])
      expect(builtinVariable(v)?.name).toBe(v);
    for (const f of [
      'printf',
      'count',
      'lhist',
      'str',
      'ksym',
      'ntop',
      'bswap',
      'signal',
      'clear',
      'strftime',
    ])
      expect(builtinFunction(f)?.name).toBe(f);
    expect(builtinVariable('jiffies')).toBeUndefined();
  });
  it('scans printf formats like 0.17, but reads %% as a literal percent', () => {
    expect(scanFormat('%%d %-08.3lx %i %+d %rx').map((c) => c.text)).toEqual(['%-08.3lx', '%rx']);
    expect(formatPieces('a%db%sc').map((p) => p.text)).toEqual(['a%d', 'b%s', 'c']);
  });
});
