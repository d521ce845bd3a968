// bpftrace's own runtime test suite (its repository's tests/runtime) run against this
// bpfscope through ../shared/tools/peer-suite/run.py, for `npm run conformance`. The
// repository is named by the BPFTRACE_REPO environment variable (a clone or a bare mirror).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type PeerSuiteResult =
  { ran: true; passed: number; selected: number; skipped: number } | { ran: false; reason: string };

/**
 * Runs the kernel-independent class of the suite with `command` as the bpftrace command.
 * Returns why it did not run when python3, the runner or the repository is missing.
 */
export function runPeerSuite(options: {
  repository: string | undefined;
  shared: string;
  command: string;
  jobs?: number;
}): PeerSuiteResult {
  if (!options.repository) return { ran: false, reason: 'BPFTRACE_REPO is not set' };
  if (!existsSync(options.repository))
    return { ran: false, reason: `${options.repository} not found` };
  const runner = join(options.shared, 'tools', 'peer-suite', 'run.py');
  if (!existsSync(runner)) return { ran: false, reason: `${runner} not found` };
  if (spawnSync('python3', ['--version']).status !== 0)
    return { ran: false, reason: 'python3 not found' };
  const dir = mkdtempSync(join(tmpdir(), 'bpfscope-peer-'));
  const report = join(dir, 'report.json');
  try {
    const run = spawnSync(
      'python3',
      [
        runner,
        '--src',
        options.repository,
        '--cmd',
        options.command,
        '--jobs',
        String(options.jobs ?? 2),
        '-q',
        '--report',
        report,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' },
    );
    if (!existsSync(report)) {
      const why = (run.stderr ?? '').trim().split('\n').pop() || `exit status ${run.status}`;
      return { ran: false, reason: `the runner failed: ${why}` };
    }
    const overall = JSON.parse(readFileSync(report, 'utf8')).summary.overall as {
      selected: number;
      passed: number;
      skipped: number;
    };
    return { ran: true, ...overall };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
