import { describe, expect, it } from 'vitest';
import { benchProbes, formatBench } from '../../probes/bench';

describe('probes benchmark', () => {
  it('measures the simulator and both replay readers', () => {
    const results = benchProbes({ durationNs: 100_000_000n, straceCalls: 500 });
    expect(results.map((r) => r.name)).toEqual([
      'simulate webserver',
      'read recorded trace',
      'read strace log',
    ]);
    // The recorded trace holds exactly the simulated events; the strace log 3 calls × 4 events.
    expect(results[1]!.events).toBe(results[0]!.events);
    expect(results[2]!.events).toBe(500 * 3 * 4);
    for (const r of results) expect(r.eventsPerSecond).toBeGreaterThan(0);
    expect(formatBench(results)).toMatch(/simulate webserver\s+\d+ events/);
  });
});
