// Regression tests from the differential harness: each fixture is a script with bpftrace
// 0.17's recorded output (conformance layout), judged by the corpus rules without bpftrace.
// fixtures/: differences that are fixed. pending/ (when present): known differences not fixed
// yet, expected to fail; once one passes, move it to fixtures/.

import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { judgeCase, loadConformanceCases } from '../../src/conformance/cases';
import { runConformanceCase } from '../../src/conformance/run_case';

const fixed = loadConformanceCases(join(__dirname, 'fixtures'));
const pendingDir = join(__dirname, 'pending');
const pending = existsSync(join(pendingDir, 'cases')) ? loadConformanceCases(pendingDir) : [];

describe('differential regressions (fixed)', () => {
  for (const c of fixed) {
    it(c.name, async () => {
      expect(judgeCase(c, await runConformanceCase(c))).toBeUndefined();
    });
  }
});

describe.skipIf(pending.length === 0)('differential regressions (known, not fixed yet)', () => {
  for (const c of pending) {
    it.fails(`${c.name} (fixed? move it from pending/ to fixtures/)`, async () => {
      expect(judgeCase(c, await runConformanceCase(c))).toBeUndefined();
    });
  }
});
