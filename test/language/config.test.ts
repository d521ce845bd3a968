// Newer bpftrace's config block.

import { describe, expect, it } from 'vitest';
import { run, runBothWays } from './cli';

describe('config blocks', () => {
  it('accept the settings that change nothing bpfscope prints', async () => {
    const r = await runBothWays(
      'config = { on_stack_limit = 0; BPFTRACE_SHOW_DEBUG_INFO = 0 } begin { print((1, (2, "XXXX"))) }',
    );
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('(1, (2, XXXX))');
  });

  it('name an unknown setting', async () => {
    const r = await run('config = { bad_config=raw } begin {}');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      'stdin:1:12-26: ERROR: bad_config: not a known configuration option',
    );
  });

  it('refuse, located, a setting whose effect is not reproduced', async () => {
    const r = await run('config = { max_strlen = 8 } begin {}');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('ERROR: max_strlen: the max_strlen setting is not implemented yet');
    const bad = await run('config = { on_stack_limit = "x" } begin {}');
    expect(bad.stderr).toContain('ERROR: on_stack_limit: expects a non-negative integer');
  });

  it('must come before the probes', async () => {
    const r = await run('begin {} config = { on_stack_limit = 0 }');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('config block must come before probes');
  });
});
