// Newer bpftrace's macros and block expressions, end to end (VM and .o).

import { describe, expect, it } from 'vitest';
import { runBothWays } from './cli';

async function prints(program: string): Promise<string> {
  const r = await runBothWays(program);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout.trim();
}

async function fails(program: string): Promise<string> {
  const r = await runBothWays(program);
  expect(r.status).toBe(1);
  return r.stderr;
}

describe('block expressions', () => {
  it('run their statements, then give their last expression', async () => {
    expect(await prints('begin { $a = { let $b = 2; $b * 3 }; print($a); }')).toBe('6');
    expect(await prints('begin { @x = 5; print(@x + { printf("a\\n"); 1 }); clear(@x); }')).toBe(
      'a\n6',
    );
  });

  it('may end with a semicolon when used as a statement', async () => {
    expect(await prints('begin { { printf("x"); }; printf("y\\n"); }')).toBe('xy');
  });
});

describe('macros', () => {
  it('take scratch variables by reference', async () => {
    expect(
      await prints('macro inc($x) { $x += 1; } begin { $a = 1; inc($a); inc($a); print($a); }'),
    ).toBe('3');
  });

  it('give the value of their last expression', async () => {
    expect(
      await prints(
        'macro inc($x) { $x += 1; $x } begin { $a = 1; $b = inc($a); print(($a, $b)); }',
      ),
    ).toBe('(2, 2)');
  });

  it('take maps and may change them', async () => {
    const out = await prints('macro set(@x) { @x[1] = 2; } begin { @a[1] = 1; set(@a); }');
    expect(out).toBe('@a[1]: 2');
  });

  it('insert an expression argument wherever the parameter is used', async () => {
    expect(
      await prints(
        'macro thrice(x) { x; x; x; } begin { thrice({ printf("hi") }); printf("\\n"); }',
      ),
    ).toBe('hihihi');
    expect(
      await prints(
        'macro add1(x) { x + 1 } macro add2(y) { y + add1(y) } begin { print(add2(add1(1))); }',
      ),
    ).toBe('5');
  });

  it("keep their own variables apart from the caller's", async () => {
    expect(
      await prints(
        'macro inc(x) { $y = x + 1; $y } begin { $y = 2; $z = inc(5); print(($y, $z)); }',
      ),
    ).toBe('(2, 6)');
    expect(
      await prints(
        'macro first(@m) { let $k; for ($kv : @m) { $k = $kv.0; break; } $k } ' +
          'begin { @a[1] = 0; @b["s"] = 0; print((first(@a), first(@b))); clear(@a); clear(@b); }',
      ),
    ).toBe('(1, s)');
  });

  it('without parameters are called by their bare name', async () => {
    expect(await prints('macro one() { 1 } begin { print(one + one()); }')).toBe('2');
  });

  it('report misuse at the call', async () => {
    expect(await fails('macro f($x) { $x } begin { f(1); }')).toContain(
      'stdin:1:30-31: ERROR: Mismatched arg. f() expects a variable for arg $x but got an expression.',
    );
    expect(await fails('macro f() { @x = 1; } begin { f(); }')).toContain(
      'ERROR: Unhygienic access to map: @x. Maps must be passed into the macro as arguments.',
    );
    expect(await fails('macro f() { g() } macro g() { f() } begin { f(); }')).toContain(
      'ERROR: Recursive macro call detected. Call chain: f > g > f',
    );
    expect(await fails('macro f(a) { a } begin { f(1, 2); }')).toContain(
      'ERROR: Call to f() has arguments that do not match any definition.',
    );
  });
});

describe('builtins called like functions', () => {
  it('pid() and __builtin_pid are pid', async () => {
    expect(await prints('begin { print(pid() == pid && __builtin_pid == pid); }')).toBe('1');
  });
});
