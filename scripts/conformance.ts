// `npm run conformance`: one line per suite, `NAME: pass N/M`, then the failing cases.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { judgeCase, loadConformanceCases } from '../src/conformance/cases';
import { runConformanceCase } from '../src/conformance/run_case';
import { runBpfConformanceSuite } from '../src/runtime/conformance';
import { runPeerSuite } from '../src/conformance/peer_suite';

async function main(): Promise<void> {
  const shared = process.env.BPFSCOPE_SHARED ?? join(process.cwd(), '..', 'shared');
  const verbose = process.argv.includes('-v');
  const casesRoot = join(shared, 'conformance');
  if (existsSync(casesRoot)) {
    const cases = loadConformanceCases(casesRoot);
    const failures: string[] = [];
    for (const c of cases) {
      const why = judgeCase(c, await runConformanceCase(c));
      if (why !== undefined) failures.push(verbose ? `${c.name}: ${why}` : c.name);
    }
    console.log(`conformance: pass ${cases.length - failures.length}/${cases.length}`);
    for (const f of failures) console.log(`  FAIL ${f}`);
  } else {
    console.log(`conformance: skipped (${casesRoot} not found)`);
  }
  const vectorsDir = join(shared, 'bpf-conformance', 'tests');
  if (existsSync(vectorsDir)) {
    const suite = runBpfConformanceSuite(vectorsDir);
    console.log(`bpf-conformance: pass ${suite.passed}/${suite.total}`);
    for (const f of suite.failures) console.log(`  FAIL ${f.name}`);
  } else {
    console.log(`bpf-conformance: skipped (${vectorsDir} not found)`);
  }
  const peer = runPeerSuite({
    repository: process.env.BPFTRACE_REPO,
    shared,
    command: `${process.execPath} ${join(__dirname, 'bpfscope.cjs')}`,
  });
  if (peer.ran) {
    console.log(
      `bpftrace runtime suite (kernel-independent): pass ${peer.passed}/${peer.selected}` +
        ` (${peer.skipped} skipped)`,
    );
  } else {
    console.log(`bpftrace runtime suite: skipped (${peer.reason})`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
