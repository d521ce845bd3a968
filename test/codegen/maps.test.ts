// Map contents after running generated programs: key and value layouts of program.ts,
// aggregations per CPU, hist/lhist bucket indices, and the asynchronous map records.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { histIndex, lhistIndex } from '../../compiler/codegen/aggregations';
import { RecordKind } from '../../compiler/program';
import { i64, keyHex, run, u64 } from './run';

const ZERO_KEY = keyHex(0n);
/** The bucket index of a hist/lhist key: its last 8 bytes. */
const bucketOf = (hex: string) => {
  const key = Buffer.from(hex, 'hex');
  return u64(key, key.length - 8);
};

describe('value maps', () => {
  it('stores integers as 8 bytes under packed keys; ++ and += start at 0', () => {
    const r = run('BEGIN { @m[1, "ab"] = (int8)-3; @c++; @c++; @s += 5; @k[(uint64)-1] = 7; }');
    const key = Buffer.concat([Buffer.from(keyHex(1n), 'hex'), Buffer.from('ab\0')]).toString(
      'hex',
    );
    const m = r.map('@m');
    expect(m.size).toBe(1);
    expect(i64(m.get(key)!, 0)).toBe(-3n);
    expect(u64(r.map('@c').get(ZERO_KEY)!, 0)).toBe(2n);
    expect(u64(r.map('@s').get(ZERO_KEY)!, 0)).toBe(5n);
    expect(u64(r.map('@k').get(keyHex(-1n))!, 0)).toBe(7n);
  });
  it('reads a missing key as zero and delete removes at once', () => {
    const r = run(
      'BEGIN { @a[1] = 1; @a[2] = 2; delete(@a[1]); printf("%d %d\\n", @a[1], @a[2]); }',
    );
    expect(r.printed).toEqual([[0n, 2n]]);
    expect([...r.map('@a').keys()]).toEqual([keyHex(2n)]);
  });
  it('stores strings and tuples with their layouts', () => {
    const r = run('BEGIN { @s = "hi"; @t = (1, "x"); }');
    expect(Buffer.from(r.map('@s').get(ZERO_KEY)!).subarray(0, 3).toString('latin1')).toBe('hi\0');
    const t = r.map('@t').get(ZERO_KEY)!;
    expect(i64(t, 0)).toBe(1n);
    expect(t[8]).toBe('x'.charCodeAt(0));
  });
});

describe('aggregations', () => {
  it('count, sum, avg, stats', () => {
    const r = run(
      'BEGIN { @c = count(); @c = count(); @k[1] = count(); @s = sum(5); @s = sum(-7); @a = avg(8); @a = avg(1); @st = stats(3); }',
    );
    expect(u64(r.map('@c').get('00000000')!, 0)).toBe(2n); // keyless count: per-CPU array, 4-byte key
    expect(u64(r.map('@k').get(keyHex(1n))!, 0)).toBe(1n);
    expect(i64(r.map('@s').get(ZERO_KEY)!, 0)).toBe(-2n);
    const a = r.map('@a').get(ZERO_KEY)!;
    expect([i64(a, 0), u64(a, 8)]).toEqual([9n, 2n]);
    const st = r.map('@st').get(ZERO_KEY)!;
    expect([i64(st, 0), u64(st, 8)]).toEqual([3n, 1n]);
  });
  it('min and max store the true extremes with isSet', () => {
    const r = run(
      'BEGIN { $v = 5; @mn = min($v); @mn = min(-4294967296); @mn = min(9); @mx = max(-5); @mx = max(-9); }',
    );
    const mn = r.map('@mn').get(ZERO_KEY)!;
    expect([i64(mn, 0), u64(mn, 8)]).toEqual([-4294967296n, 1n]);
    const mx = r.map('@mx').get(ZERO_KEY)!;
    expect([i64(mx, 0), u64(mx, 8)]).toEqual([-5n, 1n]);
  });
  it('hist buckets: negative, 0, 1, powers of two up to 2^62', () => {
    const values = [-1n, 0n, 1n, 2n, 3n, 4n, 1023n, 1024n, 1n << 31n, 1n << 40n, (1n << 62n) + 5n];
    const body = values.map((v) => `@v = ${v}; @h = hist(@v);`).join(' '); // map reads: computed at run time
    const r = run(`BEGIN { ${body} }`);
    const buckets = [...r.map('@h').keys()].map((k) => bucketOf(k)).sort((a, b) => Number(a - b));
    expect(buckets).toEqual(
      [0n, 1n, 2n, 3n, 3n + 0n, 4n, 11n, 12n, 33n, 42n, 64n].filter(
        (v, i, a) => a.indexOf(v) === i,
      ),
    );
    expect(u64(r.map('@h').get(keyHex(3n))!, 0)).toBe(2n); // 2 and 3: a keyless hist key is the bucket
  });
  it('computes the same hist and lhist buckets at run time as at compile time', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), (v) => {
        const r = run(`BEGIN { @v = ${v}; @h = hist(@v); @l = lhist(@v, 100, 5000, 70); }`);
        const bucket = (name: string) => bucketOf([...r.map(name).keys()][0]);
        expect(bucket('@h')).toBe(histIndex(v));
        expect(bucket('@l')).toBe(
          lhistIndex(v, { kind: 'lhist', min: 100n, max: 5000n, step: 70n }),
        );
      }),
      { numRuns: 40 },
    );
  });
  it('hist of constants buckets the same way', () => {
    const r = run('BEGIN { @h = hist(-1); @h = hist(0); @h = hist(1024); @h = hist(1 << 40); }');
    const buckets = [...r.map('@h').keys()].map((k) => bucketOf(k)).sort((a, b) => Number(a - b));
    expect(buckets).toEqual([0n, 1n, 12n, 42n]);
  });
  it('lhist buckets: below min, regular, at or above max', () => {
    const body = [-1, 0, 8, 9, 10, 500]
      .map((v) => `@v = ${v}; @l = lhist(@v, 0, 10, 3);`)
      .join(' ');
    const r = run(`BEGIN { ${body} }`);
    const counts = new Map([...r.map('@l')].map(([k, v]) => [bucketOf(k), u64(v, 0)]));
    expect(counts).toEqual(
      new Map([
        [0n, 1n],
        [1n, 1n],
        [3n, 1n],
        [4n, 3n],
      ]),
    );
  });
});

describe('records', () => {
  it('print, clear and zero name the map; print of a value carries it', () => {
    const r = run('BEGIN { @a = 1; print(@a, 3, 2); clear(@a); zero(@a); print(-7); }');
    const mapId = BigInt(r.program.maps.find((m) => m.name === '@a')!.id);
    expect(r.records.map((x) => [x.kind, x.id])).toEqual([
      [RecordKind.PrintMap, mapId],
      [RecordKind.ClearMap, mapId],
      [RecordKind.ZeroMap, mapId],
      [RecordKind.PrintValue, 0n],
    ]);
    expect(r.records[0].args).toEqual([3n, 2n]);
    expect(r.records[3].args).toEqual([-7n]);
  });
  it('builtins read the task through helpers', () => {
    const r = run('BEGIN { printf("%d %d %d %d %s\\n", pid, tid, uid, gid, comm); }');
    expect(r.printed).toEqual([[42n, 43n, 1000n, 100n, 'tester']]);
  });
  it('probe names the attach point', () => {
    const r = run('BEGIN { printf("%s\\n", probe); }');
    expect(r.program.probeNames[Number(r.printed[0][0])]).toBe('BEGIN');
  });
});

describe('delete on hist/lhist and keyless counts', () => {
  it('removes every bucket of a key and nothing else', () => {
    const r = run(
      'BEGIN { @h[1] = hist(3); @h[2] = hist(3); @h[2] = hist(-5); @h[2] = hist(1 << 62); delete(@h[2]); }',
    );
    expect([...r.map('@h').keys()]).toEqual([keyHex(1n, 3n)]);
  });
  it('keyless hist/lhist: deletes the all-zero key, bucket 0 alone (as 0.17 does)', () => {
    const r = run(
      'BEGIN { @l = lhist(5, 0, 100, 10); @l = lhist(500, 0, 100, 10); @l = lhist(-1, 0, 100, 10); delete(@l); }',
    );
    expect([...r.map('@l').keys()].map(bucketOf).sort()).toEqual([1n, 11n]);
  });
  it('keyless count: the per-CPU array entry is reset to 0', () => {
    const r = run('BEGIN { @c = count(); @c = count(); delete(@c); }');
    expect(u64(r.map('@c').get('00000000')!, 0)).toBe(0n);
  });
});
