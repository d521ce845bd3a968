// SIGINT and SIGTERM end a run as bpftrace 0.17's: event delivery stops, END runs, the maps
// are printed and the status is 0 (checked against bpftrace 0.17 on this machine). Real
// child processes, not mocks.

import { describe, expect, it } from 'vitest';
import { runProcess } from './process';

const SCRIPT =
  'BEGIN { printf("begun\\n"); @a = 1; } interval:ms:1 { @ticks = count(); } END { printf("end\\n"); }';

describe('signals end a run like bpftrace', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} mid-run: END runs, the maps are printed, status 0`, async () => {
      // Hours of simulated 1 ms ticks: far longer than the test waits.
      const run = await runProcess(['--duration', '100h', '-e', SCRIPT]);
      await run.waitFor('begun\n');
      run.child.kill(signal);
      const status = await run.exited;
      expect(run.stderr()).toBe('');
      expect(status).toBe(0);
      expect(run.stdout()).toMatch(
        /^Attaching 3 probes\.\.\.\nbegun\nend\n\n\n@a: 1\n@ticks: \d+\n$/,
      );
    });
  }

  it('exit(N) ends the run with status N, after END and the maps', async () => {
    const run = await runProcess(['-e', 'BEGIN { @x = 1; exit(3); } END { printf("end\\n"); }']);
    expect(await run.exited).toBe(3);
    expect(run.stdout()).toBe('Attaching 2 probes...\nend\n\n\n@x: 1\n');
  });
});
