// Error scripts run through the real bpftrace 0.17 (its stderr stored beside each script):
// our parse + check must report the same first location, and the same rendered errors.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { messageLines, runCheck } from './helpers';

const DIR = join(__dirname, 'fixtures');
/** Newer bpftrace syntax the brief says to accept although 0.17 rejects it. */
const ACCEPTED_NEWER = new Set([
  'begin-29' /* print(@m[k]) */,
  'begin-37' /* exit(1) */,
  'diff-q-brace-value-shifted' /* a block expression */,
  'diff-q-empty-parens-shifted' /* the empty tuple */,
  'diff-q-one-tuple-shifted' /* a one-element tuple */,
]);
/** 0.17 counted `%%d` as a conversion; bpfscope reads `%%` as C does (a data-losing 0.17 bug
 *  the reference says not to copy), so only the errors on other lines are expected. */
const PERCENT_PERCENT_FIXED = new Set([
  'diff-k-printf-arg-count-tabs',
  'diff-s-printf-pct-pct-d-tab',
]);
/** Needs symbol tables the checker does not have (uaddr's symbol lookup). */
const NEEDS_SYMBOLS = new Set(['begin-71']);

const names = readdirSync(DIR)
  .filter((f) => f.endsWith('.bt'))
  .map((f) => f.slice(0, -3));

describe('bpftrace 0.17 error fixtures', () => {
  for (const name of names) {
    it(name, () => {
      const source = readFileSync(join(DIR, `${name}.bt`), 'latin1');
      const expected = readFileSync(join(DIR, `${name}.stderr`), 'latin1');
      const run = runCheck(source, {}, `${name}.bt`);
      let located = messageLines(expected).filter((l) => l.startsWith(`${name}.bt:`));
      if (PERCENT_PERCENT_FIXED.has(name)) {
        const sourceLines = source.split('\n');
        located = located.filter((l) => {
          const line = Number(/\.bt:(\d+):/.exec(l)?.[1]);
          return !sourceLines[line - 1]?.includes('%%');
        });
      }
      if (NEEDS_SYMBOLS.has(name)) {
        expect(messageLines(run.stderr)[0]).toBe(located[0]);
        return;
      }
      if (located.length === 0 || ACCEPTED_NEWER.has(name)) {
        expect(run.hasError, run.stderr).toBe(false);
        return;
      }
      expect(messageLines(run.stderr)).toEqual(located);
    });
  }
});
