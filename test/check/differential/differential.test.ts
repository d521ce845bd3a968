// A live sample of the error differential: the corpus's err-* scripts, re-laid-out on one
// line, run through the real bpftrace 0.17 and through bpfscope must agree on verdict, first
// location and messages. The full run (thousands of variants) is scripts/error-differential.ts.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bpftraceUnavailable, compare, pool, runBpfscope, runBpftrace } from './harness';
import { allVariants } from './variants';

/** `%%` is a literal percent in bpfscope on purpose (0.17 counted `%%d` as a conversion). */
const INTENDED = new Set(['k-printf-arg-count-oneline']);

const sample = allVariants().filter((v) => /^k-.*-oneline$/.test(v.name) && !INTENDED.has(v.name));
const why =
  bpftraceUnavailable() ?? (sample.length === 0 ? '../shared/conformance not found' : null);
if (why) console.log(`error differential: skipped (${why})`);

describe.skipIf(why !== null)('error differential against bpftrace 0.17', () => {
  it(`agrees on ${sample.length} corpus error scripts laid out on one line`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bpfscope-diff-'));
    const theirs = await pool(sample, 8, (v) => runBpftrace(join(dir, 'bpftrace'), v));
    const differing: string[] = [];
    for (let i = 0; i < sample.length; i++) {
      const ours = await runBpfscope(join(dir, 'bpfscope'), sample[i]);
      let kinds = compare(sample[i], theirs[i], ours);
      // On a loaded machine bpftrace may not finish compiling within the pool's timeout (and
      // then looks like it accepted the script): ask it again, alone and with time to spare.
      if (kinds.length > 0)
        kinds = compare(sample[i], await runBpftrace(join(dir, 'bpftrace'), sample[i], 120), ours);
      if (kinds.length > 0) differing.push(`${sample[i].name}: ${kinds.join(', ')}`);
    }
    expect(sample.length).toBeGreaterThan(20);
    expect(differing).toEqual([]);
  }, 600_000);
});
