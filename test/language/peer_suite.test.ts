// `npm run conformance`'s run of bpftrace's runtime suite: why it skips.

import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runPeerSuite } from '../../src/conformance/peer_suite';

const shared = join(__dirname, '..', '..', '..', 'shared');

describe('the bpftrace runtime suite runner', () => {
  it('skips with a reason when no repository is named or it is missing', () => {
    expect(runPeerSuite({ repository: undefined, shared, command: 'x' })).toEqual({
      ran: false,
      reason: 'BPFTRACE_REPO is not set',
    });
    expect(runPeerSuite({ repository: '/nonexistent/repo', shared, command: 'x' })).toEqual({
      ran: false,
      reason: '/nonexistent/repo not found',
    });
  });

  it('skips with a reason when the runner is missing', () => {
    const r = runPeerSuite({ repository: __dirname, shared: '/nonexistent', command: 'x' });
    expect(r).toEqual({
      ran: false,
      reason: '/nonexistent/tools/peer-suite/run.py not found',
    });
  });
});
