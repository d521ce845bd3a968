// Differential testing against the real bpftrace 0.17:
//   npx vite-node scripts/differential.ts [FAMILY...] [--only REGEX] [--record DIR] [--record-all]
//                                         [--verbose]
// runs every generated variant (test/differential/variants.ts) under bpftrace and bpfscope and
// reports the variants whose stdout or exit status differ. With --record, each differing
// variant is stored as a conformance-layout fixture (cases/ + expected/) under DIR; with
// --record-all every stable variant is (use it with --only to record chosen ones).

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bpftraceMissing, differential, storeFixture } from '../test/differential/harness';
import { FAMILIES } from '../test/differential/variants';

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const verbose = argv.includes('--verbose');
  const recordAll = argv.includes('--record-all');
  const recordAt = argv.indexOf('--record');
  const recordDir = recordAt >= 0 ? argv[recordAt + 1] : undefined;
  const onlyAt = argv.indexOf('--only');
  const only = onlyAt >= 0 ? new RegExp(argv[onlyAt + 1]) : undefined;
  const skip = new Set([recordAt + 1, onlyAt + 1].filter((i) => i > 0));
  const names = argv.filter((a, i) => !a.startsWith('--') && !skip.has(i));
  const unknown = names.filter((n) => !(n in FAMILIES));
  if (unknown.length) {
    console.error(
      `unknown families: ${unknown.join(', ')}; known: ${Object.keys(FAMILIES).join(', ')}`,
    );
    return 2;
  }
  const missing = bpftraceMissing();
  if (missing) {
    console.error(`differential: cannot run the oracle: ${missing}`);
    return 2;
  }
  const dir = mkdtempSync(join(tmpdir(), 'bpfscope-diff-'));
  let ran = 0;
  let differed = 0;
  let unstable = 0;
  let refused = 0;
  for (const family of names.length ? names : Object.keys(FAMILIES)) {
    for (const v of FAMILIES[family]()) {
      if (only && !only.test(v.name)) continue;
      const r = await differential(v, dir);
      ran++;
      if (r.reference.status !== 0) {
        refused++;
        if (verbose)
          console.log(
            `(bpftrace exits ${r.reference.status} on ${v.name}: ${r.reference.stderr.split('\n')[0]})`,
          );
      }
      if (r.unstable) {
        unstable++;
        const why =
          r.reference.status === 124
            ? 'bpftrace never exited'
            : 'bpftrace itself is not deterministic here';
        console.log(`UNSTABLE ${v.name} (${why})`);
      } else if (r.difference) {
        differed++;
        console.log(`DIFF ${v.name}`);
        if (verbose) console.log(`${v.script}\n${r.difference}\n--- our stderr\n${r.ours.stderr}`);
        if (recordDir) storeFixture(recordDir, v, r.reference);
      } else if (verbose) {
        console.log(`ok   ${v.name}`);
      }
      if (recordDir && recordAll && !r.unstable && !r.difference)
        storeFixture(recordDir, v, r.reference);
    }
  }
  console.log(
    `\n${ran} variants, ${differed} differ, ${unstable} unstable in bpftrace, ${refused} refused by bpftrace (scratch dir ${dir})`,
  );
  return differed ? 1 : 0;
}

main().then((code) => process.exit(code));
