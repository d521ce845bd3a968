// The differential harness itself, against the real bpftrace when it can run (root + binary).

import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bpftraceMissing, differential } from './harness';

const missing = bpftraceMissing();
if (missing) console.log(`differential harness: skipped (${missing})`);

describe.skipIf(missing !== undefined)('differential harness (live bpftrace)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bpfscope-diff-test-'));

  it('agrees with bpftrace on a small script and drops the RLIMIT line', async () => {
    const r = await differential(
      { name: 'live-agree', script: 'BEGIN { @a[2] = 5; printf("%5d|\\n", 42); exit(); }\n' },
      dir,
    );
    expect(r.reference.status).toBe(0);
    expect(r.reference.stderr).not.toMatch(/RLIMIT/);
    expect(r.reference.stdout).toContain('   42|\n');
    expect(r.difference).toBeUndefined();
  }, 30_000);

  it('marks a script whose bpftrace output changes from run to run as unstable', async () => {
    const r = await differential(
      { name: 'live-unstable', script: 'BEGIN { printf("%lu\\n", nsecs); exit(); }\n' },
      dir,
    );
    expect(r.reference.status).toBe(0);
    expect(r.unstable).toBe(true);
    expect(r.difference).toBeUndefined();
  }, 30_000);
});
