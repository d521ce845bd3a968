// `for ($kv : @m)` and `len(@m)` through bpf_for_each_map_elem: the loop body is a callback
// subprogram that the verifier checks and the VM calls once per entry.

import { describe, expect, it } from 'vitest';
import { CodegenError } from '../../compiler/codegen/index';
import { compile } from './compile';
import { run } from './run';

const printed = (source: string) => run(source).printed;

describe('for loops over maps', () => {
  it('visits every entry with the key and value, and sees and updates scratch variables', () => {
    expect(
      printed(
        'BEGIN { @a[1] = 10; @a[2] = 20; $t = 5; for ($kv : @a) { $t = $t + $kv.1; printf("%d %d\\n", $kv.0, $kv.1); } printf("%d\\n", $t); }',
      ),
    ).toEqual([[1n, 10n], [2n, 20n], [35n]]);
  });
  it('gives multi-key maps a tuple key and stops at break', () => {
    expect(
      printed(
        'BEGIN { @b["x", 3] = 5; @b["y", 4] = 6; for ($kv : @b) { printf("%s %d %d\\n", $kv.0.0, $kv.0.1, $kv.1); break; } }',
      ),
    ).toEqual([['x', 3n, 5n]]);
  });
  it('skips the rest of the body at continue and can write other maps', () => {
    expect(
      printed(
        'BEGIN { @a[1] = 1; @a[2] = 2; @a[3] = 3; for ($kv : @a) { if ($kv.0 == 2) { continue; } @c[$kv.0] = $kv.1 * 2; } printf("%d %d %d\\n", @c[1], @c[2], @c[3]); }',
      ),
    ).toEqual([[2n, 0n, 6n]]);
  });
  it('nests', () => {
    expect(
      printed(
        'BEGIN { @a[1] = 1; @a[2] = 2; $n = 0; for ($x : @a) { for ($y : @a) { $n = $n + $x.1 * $y.1; } } printf("%d\\n", $n); }',
      ),
    ).toEqual([[9n]]);
  });
  it('copies string keys and values, and keys of mixed widths', () => {
    expect(
      printed(
        'BEGIN { @s["ab"] = "xyz"; @i[(int32)-3, "q"] = -7; for ($kv : @s) { printf("%s=%s\\n", $kv.0, $kv.1); } for ($e : @i) { printf("%d %s %d\\n", $e.0.0, $e.0.1, $e.1); } }',
      ),
    ).toEqual([
      ['ab', 'xyz'],
      [-3n, 'q', -7n],
    ]);
  });
  it('refuses return inside the body with a located error', () => {
    const source = 'BEGIN { @a[1] = 1; for ($kv : @a) { return; } }';
    try {
      compile(source);
      expect.fail('compiled');
    } catch (e) {
      expect(e).toBeInstanceOf(CodegenError);
      const d = (e as CodegenError).diagnostics[0];
      expect(d.message).toBe('return inside a for loop over a map is not implemented yet');
      expect(d.range?.start.column).toBe(source.indexOf('return') + 1);
    }
  });
  it('refuses per-CPU aggregation maps with a located error', () => {
    try {
      compile('BEGIN { @c[1] = count(); for ($kv : @c) { } }');
      expect.fail('compiled');
    } catch (e) {
      expect(e).toBeInstanceOf(CodegenError);
      const d = (e as CodegenError).diagnostics[0];
      expect(d.message).toContain('for loops over count() maps');
    }
  });
});

describe('len', () => {
  it('counts entries, including per-CPU maps', () => {
    expect(
      printed(
        'BEGIN { @a[1] = 1; @a[2] = 2; @c["a"] = count(); printf("%d %d %d\\n", len(@a), len(@c), len(@e)); @e[1] = 1; }',
      ),
    ).toEqual([[2n, 1n, 0n]]);
  });
});
