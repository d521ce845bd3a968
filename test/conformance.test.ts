// The differential conformance corpus: bpftrace 0.17's recorded behaviour, case by case.

import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { judgeCase, loadConformanceCases } from '../src/conformance/cases';
import { runConformanceCase } from '../src/conformance/run_case';

const root = join(__dirname, '..', '..', 'shared', 'conformance');
const cases = existsSync(root) ? loadConformanceCases(root) : [];

if (cases.length === 0) console.log(`conformance: skipped (${root} not found)`);

describe.skipIf(cases.length === 0)('conformance', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const outcome = await runConformanceCase(c);
      expect(judgeCase(c, outcome)).toBeUndefined();
    });
  }
});
