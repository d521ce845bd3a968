// Every conformance case through parse + check: an expected compile error must be found at
// bpftrace's first location; a case that ran must check cleanly.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCheck } from './helpers';
import { SHARED } from '../shared';

const ROOT = `${SHARED}/conformance`;
const cases = existsSync(join(ROOT, 'cases'))
  ? readdirSync(join(ROOT, 'cases'))
      .filter((f) => f.endsWith('.bt'))
      .map((f) => f.slice(0, -3))
  : [];

function optional(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'latin1') : undefined;
}

let passed = 0;
let counted = 0;

describe.skipIf(cases.length === 0)('conformance cases (parse + check)', () => {
  afterAll(() => {
    console.log(`checker conformance: ${passed}/${counted} cases pass`);
  });
  for (const name of cases) {
    const status = Number(readFileSync(join(ROOT, 'expected', `${name}.status`), 'utf8').trim());
    const stderr = optional(join(ROOT, 'expected', `${name}.stderr`)) ?? '';
    const location = new RegExp(`^${name}\\.bt:(\\d+):(\\d+)`, 'm').exec(stderr);
    // Cases that fail at run time or abort (status 134/255) are not the checker's to judge.
    if (status !== 0 && !(status === 1 && location)) continue;
    it(name, () => {
      counted++;
      const source = readFileSync(join(ROOT, 'cases', `${name}.bt`), 'latin1');
      const args =
        optional(join(ROOT, 'cases', `${name}.args`))
          ?.trim()
          .split(/\s+/)
          .filter((a) => a !== '--') ?? [];
      const env = Object.fromEntries(
        (optional(join(ROOT, 'cases', `${name}.env`)) ?? '')
          .split('\n')
          .filter((l) => l.includes('='))
          .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
      );
      const strlen = env.BPFTRACE_STRLEN ? Number(env.BPFTRACE_STRLEN) : 64;
      const run = runCheck(source, { params: args, strlen }, `${name}.bt`);
      if (status === 0) {
        expect(run.stderr.includes('ERROR'), run.stderr).toBe(false);
      } else {
        expect(run.firstLocation, run.stderr).toBe(`${location![1]}:${location![2]}`);
      }
      passed++;
    });
  }
});
