// Map printing checked byte for byte against bpftrace 0.17's recorded stdout: each test
// rebuilds the map contents the case's script produces and prints them as the run would.

import { describe, expect, it } from 'vitest';
import { RecordKind } from '../../compiler/program';
import type { Type } from '../../compiler/types';
import { I64, Sim, agg, capture, expectedStdout, record, str, u64, val } from './sim';

function check(
  name: string,
  format: 'text' | 'json',
  build: () => { sim: Sim; run: (o: ReturnType<typeof capture>) => void },
) {
  const expected = expectedStdout(name);
  it.skipIf(expected === undefined)(
    expected === undefined ? `${name} (conformance corpus not found)` : name,
    () => {
      const { sim, run } = build();
      const out = capture(sim.program, format);
      out.output.attached(1);
      run(out);
      out.output.printMapsAtExit(sim);
      expect(out.text()).toBe(expected);
    },
  );
}

const atExit = (sim: Sim) => ({ sim, run: () => {} });

describe('map printing matches bpftrace 0.17', () => {
  check('hist-label-suffixes', 'text', () => {
    const sim = new Sim({ '@h': agg({ kind: 'hist' }) });
    for (const v of [1023, 1024, 1048575, 1048576, 1073741823, 1073741824]) sim.agg('@h', [], v);
    return atExit(sim);
  });

  check('hist-bar-truncation', 'text', () => {
    const sim = new Sim({ '@h': agg({ kind: 'hist' }) });
    [1, 2, 4, 8, 16, 32].forEach((v, i) => {
      for (let n = 0; n < [1, 2, 3, 5, 6, 7][i]; n++) sim.agg('@h', [], v);
    });
    return atExit(sim);
  });

  check('hist-multi-key', 'text', () => {
    const sim = new Sim({ '@h': agg({ kind: 'hist' }, [str(6), I64]) });
    sim.agg('@h', ['read', 1], 10);
    sim.agg('@h', ['read', 1], 12);
    sim.agg('@h', ['read', 2], 100);
    for (let i = 0; i < 3; i++) sim.agg('@h', ['write', 1], 1);
    return atExit(sim);
  });

  check('hist-keyed-tie-key-bytes', 'text', () => {
    const sim = new Sim({ '@h': agg({ kind: 'hist' }, [I64]) });
    for (const k of [3, 256, 1, 2, 513]) sim.agg('@h', [k], 1);
    return atExit(sim);
  });

  check('hist-print-div', 'text', () => {
    const sim = new Sim(
      { '@h': agg({ kind: 'hist' }) },
      { printfs: [{ format: '--- auto print follows\n', args: [], size: 16 }] },
    );
    for (let i = 0; i < 4; i++) sim.agg('@h', [], 4);
    for (let i = 0; i < 3; i++) sim.agg('@h', [], 8);
    sim.agg('@h', [], 16);
    return {
      sim,
      run: ({ output }) => {
        output.handleRecord(record(RecordKind.PrintMap, sim.id('@h'), u64(0), u64(2)), sim);
        output.handleRecord(record(RecordKind.Printf, 0), sim);
      },
    };
  });

  check('hist-clear-and-zero', 'text', () => {
    const sim = new Sim({
      '@cleared': agg({ kind: 'hist' }),
      '@zeroed': agg({ kind: 'hist' }),
      '@zkeyed': agg({ kind: 'hist' }, [I64]),
    });
    sim.agg('@cleared', [], 5);
    sim.agg('@cleared', [], 50);
    sim.agg('@zeroed', [], 5);
    sim.agg('@zkeyed', [1], 7);
    return {
      sim,
      run: ({ output }) => {
        for (const [kind, name] of [
          [RecordKind.ClearMap, '@cleared'],
          [RecordKind.ZeroMap, '@zeroed'],
          [RecordKind.ZeroMap, '@zkeyed'],
        ] as const) {
          output.handleRecord(record(kind, sim.id(name)), sim);
        }
      },
    };
  });

  check('lhist-m-labels', 'text', () => {
    const sim = new Sim({
      '@l': agg({ kind: 'lhist', min: 1048576n, max: 4194304n, step: 1048576n }),
    });
    for (const v of [5, 1048576, 3145728, 3145729, 5000000]) sim.agg('@l', [], v);
    return atExit(sim);
  });

  check('lhist-step-not-dividing-range', 'text', () => {
    const sim = new Sim({ '@l': agg({ kind: 'lhist', min: 0n, max: 10n, step: 3n }) });
    for (let v = 0; v <= 11; v++) sim.agg('@l', [], v);
    return atExit(sim);
  });

  check('lhist-print-top-div', 'text', () => {
    const sim = new Sim(
      { '@l': agg({ kind: 'lhist', min: 0n, max: 10n, step: 5n }, [I64]) },
      { printfs: [{ format: '---\n', args: [], size: 16 }] },
    );
    sim.agg('@l', [1], 5);
    for (let i = 0; i < 4; i++) sim.agg('@l', [2], 5);
    return {
      sim,
      run: ({ output }) => {
        output.handleRecord(record(RecordKind.PrintMap, sim.id('@l'), u64(1), u64(2)), sim);
        output.handleRecord(record(RecordKind.Printf, 0), sim);
      },
    };
  });

  check('maps-mixed-kinds-spacing', 'text', () => {
    const sim = new Sim({
      '@a_count': agg({ kind: 'count' }),
      '@b_sum': agg({ kind: 'sum', signed: true }),
      '@c_min': agg({ kind: 'min', signed: true }),
      '@d_max': agg({ kind: 'max', signed: true }),
      '@e_avg': agg({ kind: 'avg', signed: true }),
      '@f_stats': agg({ kind: 'stats', signed: true }),
      '@g_hist': agg({ kind: 'hist' }),
      '@h_lhist': agg({ kind: 'lhist', min: 0n, max: 20n, step: 10n }),
      '@i_int': val(I64),
      '@j_str': val(str(7)),
    });
    sim.agg('@a_count', []);
    sim.agg('@b_sum', [], 3);
    sim.agg('@c_min', [], 4);
    sim.agg('@d_max', [], 5);
    sim.agg('@e_avg', [], 6);
    sim.agg('@f_stats', [], 7);
    sim.agg('@g_hist', [], 8);
    sim.agg('@h_lhist', [], 9);
    sim.set('@i_int', [], 10);
    sim.set('@j_str', [], 'eleven');
    return atExit(sim);
  });

  check('map-clear-avg-stats', 'text', () => {
    const sim = new Sim({
      '@a': agg({ kind: 'avg', signed: true }),
      '@b': val(I64),
      '@s': agg({ kind: 'stats', signed: true }, [I64]),
      '@z': val(I64),
    });
    sim.agg('@a', [], 3);
    sim.set('@b', [], 1);
    sim.agg('@s', [1], 3);
    sim.set('@z', [], 2);
    return {
      sim,
      run: ({ output }) => {
        output.handleRecord(record(RecordKind.ClearMap, sim.id('@a')), sim);
        output.handleRecord(record(RecordKind.ClearMap, sim.id('@s')), sim);
      },
    };
  });

  check('map-zero-kinds', 'text', () => {
    const sim = new Sim({
      '@c': agg({ kind: 'count' }),
      '@s': agg({ kind: 'sum', signed: true }),
      '@mi': agg({ kind: 'min', signed: true }),
      '@ma': agg({ kind: 'max', signed: true }),
      '@av': agg({ kind: 'avg', signed: true }),
      '@st': agg({ kind: 'stats', signed: true }),
      '@i': val(I64),
    });
    sim.agg('@c', []);
    sim.agg('@c', []);
    sim.agg('@s', [], 9);
    sim.agg('@mi', [], 4);
    sim.agg('@ma', [], 8);
    sim.agg('@av', [], 7);
    sim.agg('@st', [], 6);
    sim.set('@i', [], 42);
    return {
      sim,
      run: ({ output }) => {
        for (const name of ['@c', '@s', '@mi', '@ma', '@av', '@st', '@i'])
          output.handleRecord(record(RecordKind.ZeroMap, sim.id(name)), sim);
      },
    };
  });

  check('map-int-key-sizes', 'text', () => {
    const sim = new Sim({
      '@a': val(str(8), [{ kind: 'int', size: 1, signed: true }]),
      '@b': val(str(11), [{ kind: 'int', size: 2, signed: false }]),
      '@c': val(str(9), [{ kind: 'int', size: 4, signed: true }]),
      '@d': val(str(11), [{ kind: 'int', size: 4, signed: false }]),
    });
    sim.set('@a', [-1], 'int8 -1');
    sim.set('@a', [5], 'int8 5');
    sim.set('@b', [65535], 'uint16 max');
    sim.set('@b', [2], 'uint16 2');
    sim.set('@c', [-2], 'int32 -2');
    sim.set('@c', [3], 'int32 3');
    sim.set('@d', [4000000000], 'uint32 big');
    sim.set('@d', [1], 'uint32 1');
    return atExit(sim);
  });

  check('map-multi-key-string-values', 'text', () => {
    const sim = new Sim({ '@m': val(str(2), [I64, str(3)]) });
    sim.set('@m', [2, 'a'], 'x');
    sim.set('@m', [1, 'b'], 'y');
    sim.set('@m', [1, 'a'], 'z');
    sim.set('@m', [-1, 'a'], 'w');
    sim.set('@m', [0, 'zz'], 'v');
    return atExit(sim);
  });

  check('map-string-key-special-chars', 'text', () => {
    const sim = new Sim({ '@m': val(str(9), [str(11)]) });
    sim.set('@m', ['a"b'], 'tab\there');
    sim.set('@m', ['back\\slash'], 'q"uote');
    return atExit(sim);
  });

  check('print-div-sum-signed', 'text', () => {
    const sim = new Sim(
      { '@m': agg({ kind: 'sum', signed: true }, [str(4)]) },
      { printfs: [{ format: '---\n', args: [], size: 16 }] },
    );
    sim.agg('@m', ['neg'], -10);
    sim.agg('@m', ['pos'], 7);
    sim.agg('@m', ['big'], 20);
    return {
      sim,
      run: ({ output }) => {
        output.handleRecord(record(RecordKind.PrintMap, sim.id('@m'), u64(0), u64(3)), sim);
        output.handleRecord(record(RecordKind.Printf, 0), sim);
      },
    };
  });

  check('json-print-top-div', 'json', () => {
    const sim = new Sim({ '@m': agg({ kind: 'sum', signed: true }, [str(2)]) });
    sim.agg('@m', ['a'], 10);
    sim.agg('@m', ['b'], 200);
    sim.agg('@m', ['c'], 3000);
    return {
      sim,
      run: ({ output }) =>
        output.handleRecord(record(RecordKind.PrintMap, sim.id('@m'), u64(2), u64(10)), sim),
    };
  });

  check('json-keyed-maps', 'json', () => {
    const sim = new Sim({
      '@byint': agg({ kind: 'count' }, [I64]),
      '@bystr': agg({ kind: 'sum', signed: true }, [str(6)]),
      '@ints': val(I64, [I64]),
    });
    sim.agg('@byint', [10]);
    sim.agg('@byint', [10]);
    sim.agg('@byint', [-1]);
    sim.agg('@bystr', ['read'], 100);
    sim.agg('@bystr', ['write'], 5);
    sim.set('@ints', [1], -3);
    sim.set('@ints', [2], 8);
    return atExit(sim);
  });

  check('json-multi-key', 'json', () => {
    const sim = new Sim({
      '@m': val(I64, [I64, str(4)]),
      '@n': agg({ kind: 'count' }, [str(2), I64, I64]),
    });
    sim.set('@m', [1, 'a'], 5);
    sim.set('@m', [2, 'b,c'], 6);
    sim.agg('@n', ['x', 2, -3]);
    return atExit(sim);
  });

  check('json-empty-and-cleared', 'json', () => {
    const sim = new Sim({
      '@empty': val(I64, [I64]),
      '@cleared_sum': agg({ kind: 'sum', signed: true }),
      '@cleared_count': agg({ kind: 'count' }),
      '@zeroed_hist': agg({ kind: 'hist' }),
      '@zeroed_stats': agg({ kind: 'stats', signed: true }),
      '@kept': val(I64),
    });
    sim.set('@empty', [1], 1);
    sim.delete('@empty', [1]);
    sim.agg('@cleared_sum', [], 5);
    sim.agg('@cleared_count', []);
    sim.agg('@zeroed_hist', [], 5);
    sim.agg('@zeroed_stats', [], 5);
    sim.set('@kept', [], 1);
    return {
      sim,
      run: ({ output }) => {
        output.handleRecord(record(RecordKind.PrintMap, sim.id('@empty'), u64(0), u64(0)), sim);
        output.handleRecord(record(RecordKind.ClearMap, sim.id('@cleared_sum')), sim);
        output.handleRecord(record(RecordKind.ClearMap, sim.id('@cleared_count')), sim);
        output.handleRecord(record(RecordKind.ZeroMap, sim.id('@zeroed_hist')), sim);
        output.handleRecord(record(RecordKind.ZeroMap, sim.id('@zeroed_stats')), sim);
      },
    };
  });

  check('json-stats-avg-keyed', 'json', () => {
    const sim = new Sim({
      '@st': agg({ kind: 'stats', signed: true }, [str(2)]),
      '@av': agg({ kind: 'avg', signed: true }, [I64]),
    });
    sim.agg('@st', ['a'], 10);
    sim.agg('@st', ['a'], 20);
    sim.agg('@st', ['b'], -1);
    sim.agg('@av', [1], 3);
    sim.agg('@av', [1], 4);
    sim.agg('@av', [2], 100);
    return atExit(sim);
  });

  check('json-string-and-tuple-maps', 'json', () => {
    const tuple: Type = {
      kind: 'tuple',
      elements: [I64, str(4), { kind: 'tuple', elements: [I64, str(5)] }],
    };
    const sim = new Sim({
      '@str': val(str(6)),
      '@quote': val(str(11)),
      '@tup': val(tuple),
      '@keyed': val(str(2), [I64]),
    });
    sim.set('@str', [], 'hello');
    sim.set('@quote', [], 'say "hi"');
    sim.set('@tup', [], [1, 'two', [3, 'four']]);
    sim.set('@keyed', [2], 'b');
    sim.set('@keyed', [1], 'a');
    return atExit(sim);
  });

  check('json-escaped-keys', 'json', () => {
    const sim = new Sim({ '@m': val(str(9), [str(11)]) });
    sim.set('@m', ['a"b'], 'tab\there');
    sim.set('@m', ['back\\slash'], 'q"uote');
    return atExit(sim);
  });
});

describe('sanity of the scaffolding', () => {
  it('distinguishes signed from unsigned sums', () => {
    const sim = new Sim({
      '@u': agg({ kind: 'sum', signed: false }),
      '@s': agg({ kind: 'sum', signed: true }),
    });
    sim.agg('@u', [], -1);
    sim.agg('@s', [], -1);
    const out = capture(sim.program);
    out.output.printMapsAtExit(sim);
    expect(out.text()).toBe('\n\n@s: -1\n@u: 18446744073709551615\n');
  });
});
