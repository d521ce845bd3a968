// Generated programs run in the runtime: bpftrace 0.17's integer, string and control-flow
// semantics, observed through printf records. Operands come from maps where the point is
// the generated instructions (scratch variables holding constants are folded at compile
// time); a property test checks that folding and the instructions agree.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { run } from './run';

const printed = (source: string, params: string[] = []) => run(source, { params }).printed;

describe('integers', () => {
  it('divides unsigned, shifts logically, wraps', () => {
    expect(
      printed(
        'BEGIN { @a = -7; @b = 2; @s = -1; printf("%ld %ld %ld %ld\\n", @a / @b, @a % 3, @s >> 60, @s << 63); }',
      ),
    ).toEqual([[9223372036854775804n, 0n, 15n, -9223372036854775808n]]);
  });
  it('compares signed only when both sides are signed', () => {
    expect(
      printed(
        'BEGIN { @a = -1; @u = (uint64)1; printf("%d %d %d\\n", @a < @u, @a < 1, (uint8)255 == @a); }',
      ),
    ).toEqual([[0n, 1n, 0n]]);
  });
  it('casts truncate then extend by the target signedness', () => {
    expect(
      printed(
        'BEGIN { @x = -1; @y = 65535; @z = -2; printf("%ld %ld %ld\\n", (uint16)(int8)@x, (int32)(uint16)@y, (uint64)(int32)@z); }',
      ),
    ).toEqual([[255n, -1n, 4294967294n]]);
  });
  it('keeps the width for unary minus and ~', () => {
    expect(
      printed(
        'BEGIN { @x = 5; @y = 1; $x = (uint8)@x; $y = (uint16)@y; printf("%ld %ld %ld\\n", -$x, ~$y, -@x); }',
      ),
    ).toEqual([[251n, 65534n, -5n]]);
  });
  it('short-circuits && and ||', () => {
    const r = run(
      'BEGIN { @z = 0; @o = 1; if (@z && @a++) {} if (@o || @b++) {} if (@o && @c++ == 0) { printf("yes\\n"); } printf("%d %d %d\\n", @a, @b, @c); }',
    );
    expect(r.printed).toEqual([[], [0n, 0n, 1n]]);
  });
});

describe('control flow', () => {
  it('while with break and continue', () => {
    const out = printed(
      'BEGIN { $i = 0; while ($i < 10) { $i++; if ($i == 2) { continue; } if ($i == 5) { break; } printf("%d\\n", $i); } printf("end %d\\n", $i); }',
    );
    expect(out).toEqual([[1n], [3n], [4n], [5n]]);
  });
  it('exit stops the probe after its record', () => {
    const r = run('BEGIN { printf("a\\n"); exit(); printf("b\\n"); @x = 1; }');
    expect(r.records.map((x) => x.kind)).toEqual([1, 5]);
    expect(r.map('@x').size).toBe(0);
  });
  it('ternaries on integers and strings', () => {
    expect(
      printed('BEGIN { @x = 5; printf("%s %d\\n", @x > 3 ? "big" : "small", @x == 4 ? 1 : 2); }'),
    ).toEqual([['big', 2n]]);
  });
  it('a ternary with a known condition gives the taken arm, widened to the ternary type', () => {
    const r = run(
      'BEGIN { $x = 5; printf("%s|%s\\n", $x > 3 ? "big" : "small", $x == 6 ? "six" : "other"); @m[$x ? "yes" : "no"] = 1; }',
    );
    expect(r.printed).toEqual([['big', 'other']]);
    expect([...r.map('@m').keys()]).toEqual([Buffer.from('yes').toString('hex').padEnd(128, '0')]);
  });
  it('records zero the padding after an argument that is not a multiple of 8 bytes', () => {
    const r = run(
      'BEGIN { $s = "abcde"; printf("%s %d\\n", $s, 7); printf("%s\\n", buf("xyz", 2)); }',
    );
    const [first, second] = r.records.map((rec) => rec.bytes);
    expect([...first.subarray(16, 24)]).toEqual([0x61, 0x62, 0x63, 0x64, 0x65, 0, 0, 0]);
    expect([...second.subarray(16, 24)]).toEqual([2, 0x78, 0x79, 0, 0, 0, 0, 0]);
  });
  it('unroll repeats the body', () => {
    expect(
      printed('BEGIN { $n = 0; unroll(3) { unroll(2) { $n++; } } printf("%d\\n", $n); }'),
    ).toEqual([[6n]]);
  });
});

describe('strings', () => {
  it('compares up to the shorter size including its NUL', () => {
    const out = printed(
      'BEGIN { @a = "hello"; @b = "help"; @c = "abc"; @d = "abcdef"; printf("%d %d %d %d %d\\n", @a == "hello", @a != @b, @c == @d, @d == @c, "abc\\0def" == "abc"); }',
    );
    expect(out).toEqual([[1n, 1n, 0n, 0n, 1n]]);
  });
  it('strncmp gives 0 on a match', () => {
    expect(
      printed(
        'BEGIN { @a = "hello"; printf("%d %d\\n", strncmp(@a, "help", 3), strncmp(@a, "help", 4)); }',
      ),
    ).toEqual([[0n, 1n]]);
  });
  it('str of a positional parameter is a compile-time string', () => {
    expect(
      printed('BEGIN { printf("%s|%s|%s\\n", str($1), str($1, 3), str($1 + 2)); }', ['abcdefgh']),
    ).toEqual([['abcdefgh', 'abc', 'cdefgh']]);
  });
  it('tuples keep their elements', () => {
    expect(
      printed(
        'BEGIN { $t = (1, "two", (3, "four"), -5); printf("%d %s %d %s %d\\n", $t.0, $t.1, $t.2.0, $t.2.1, $t.3); }',
      ),
    ).toEqual([[1n, 'two', 3n, 'four', -5n]]);
  });
});

function castBits(value: bigint, type: string): bigint {
  const bits = Number(/\d+$/.exec(type)![0]);
  return BigInt.asUintN(bits, value);
}

describe('constant folding agrees with the instructions', () => {
  it('except x % 0: 0 when folded, x at run time (0.17 behaviour §10)', () => {
    const [[folded, computed]] = printed(
      'BEGIN { @a = 7; @z = 0; printf("%ld %ld\\n", 7 % 0, @a % @z); }',
    );
    expect([folded, computed]).toEqual([0n, 7n]);
  });

  const ops = [
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
  ];
  it('for random operands, types and operators', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }),
        fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }),
        fc.constantFrom(...ops),
        fc.constantFrom('int64', 'uint64', 'int32', 'uint8'),
        (a, b, op, type) => {
          const shift = op === '<<' || op === '>>';
          // x % 0 differs on purpose: folded to 0 as LLVM folds it in 0.17, x at run time as
          // the BPF instruction gives (behaviour §10; pinned by the test below).
          fc.pre(!(op === '%' && castBits(b, type) === 0n));
          const right = shift ? `(${type})${BigInt.asUintN(6, b)}` : `(${type})${b}`;
          const expr = (x: string, y: string) => `(${type})(${x}) ${op} ${y}`;
          const source = `BEGIN { @a = ${a}; @b = ${shift ? BigInt.asUintN(6, b) : b}; printf("%ld %ld\\n", ${expr(String(a), right)}, ${expr('@a', `(${type})@b`)}); }`;
          const [[folded, computed]] = printed(source);
          expect(computed).toBe(folded);
        },
      ),
      { numRuns: 60 },
    );
  });
});
