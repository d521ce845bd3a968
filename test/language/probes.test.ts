// Newer bpftrace's probe spellings, end to end.

import { describe, expect, it } from 'vitest';
import { runBothWays } from './cli';

describe('lowercase begin and end', () => {
  it('run like BEGIN and END, and probe names them as written', async () => {
    const r = await runBothWays(
      'begin { printf("%s", probe); @x = 1; } end { printf("-%s %d\\n", probe, @x); clear(@x); }',
    );
    expect(r.stderr).toBe('');
    expect(r.stdout.trimEnd()).toBe('begin-end 1');
    expect(r.status).toBe(0);
  });

  it('count as BEGIN for the one-BEGIN rule', async () => {
    const r = await runBothWays('BEGIN {} begin { exit(); }');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('More than one BEGIN probe defined');
  });
});
