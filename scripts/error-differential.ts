// Differential run of the generated error/warning variants against the real bpftrace 0.17.
//
//   npx vite-node scripts/error-differential.ts [--filter REGEX] [--jobs N] [--show N]
//                                               [--write-fixtures] [--no-cache]
//
// bpftrace's outcomes are cached by script text in $TMPDIR/bpfscope-error-diff (they never
// change); bpfscope runs in-process each time. Every variant that ever differed is remembered
// in $TMPDIR/bpfscope-error-diff/ever-differed.txt; --write-fixtures stores those that agree
// now (and pass the checker's fixture test) as test/check/fixtures/diff-*.bt with bpftrace's
// stderr beside it, as regression fixtures.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  bpftraceUnavailable,
  bpftraceVerdict,
  compare,
  diagnosticText,
  pool,
  runBpfscope,
  runBpftrace,
  type Outcome,
  type Variant,
} from '../test/check/differential/harness';
import { allVariants } from '../test/check/differential/variants';
import { messageLines, runCheck } from '../test/check/helpers';

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const value = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};

const WORK = join(tmpdir(), 'bpfscope-error-diff');
const CACHE = join(WORK, 'cache');
const FIXTURES = join(__dirname, '..', 'test', 'check', 'fixtures');

function cacheKey(v: Variant): string {
  return createHash('sha256')
    .update(JSON.stringify([v.name, v.script, v.args ?? [], v.env ?? {}]))
    .digest('hex');
}

async function bpftraceOutcome(v: Variant): Promise<Outcome> {
  const file = join(CACHE, `${cacheKey(v)}.json`);
  if (!flag('--no-cache') && existsSync(file)) {
    const cached = JSON.parse(readFileSync(file, 'utf8')) as Outcome;
    return { ...cached, verdict: bpftraceVerdict(cached.status) };
  }
  const outcome = await runBpftrace(join(WORK, 'bpftrace'), v);
  writeFileSync(file, JSON.stringify(outcome));
  return outcome;
}

/** A fixture name fit for `NAME.bt` in diagnostics. */
function fixtureName(v: Variant): string {
  return `diff-${v.name}`.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 80);
}

/** Writes a fixture when the checker's fixture test (fake probe host) will pass it. */
async function writeFixture(v: Variant): Promise<string | null> {
  if (v.args?.length || v.env) return null; // the fixture format has no args/env
  const name = fixtureName(v);
  const renamed = { ...v, name };
  const outcome = await runBpftrace(join(WORK, 'fixtures'), renamed);
  if (outcome.verdict === 'abort') return null;
  const located = messageLines(outcome.stderr).filter((l) => l.startsWith(`${name}.bt:`));
  const ours = runCheck(v.script, {}, `${name}.bt`);
  const agrees =
    located.length === 0
      ? !ours.hasError
      : JSON.stringify(messageLines(ours.stderr)) === JSON.stringify(located);
  if (!agrees) return null;
  writeFileSync(join(FIXTURES, `${name}.bt`), v.script, 'latin1');
  writeFileSync(join(FIXTURES, `${name}.stderr`), outcome.stderr, 'latin1');
  return name;
}

async function main(): Promise<void> {
  const why = bpftraceUnavailable();
  if (why) {
    console.log(`error-differential: skipped (${why})`);
    return;
  }
  mkdirSync(CACHE, { recursive: true });
  const filter = value('--filter');
  const variants = allVariants().filter((v) => !filter || new RegExp(filter).test(v.name));
  const jobs = Number(value('--jobs') ?? 8);
  const show = Number(value('--show') ?? 30);

  const theirs = await pool(variants, jobs, bpftraceOutcome);
  const differing: { v: Variant; kinds: string[]; a: Outcome; b: Outcome }[] = [];
  for (let i = 0; i < variants.length; i++) {
    const v = variants[i];
    const ours = await runBpfscope(join(WORK, 'bpfscope'), v);
    const kinds = compare(v, theirs[i], ours);
    if (kinds.length > 0) differing.push({ v, kinds, a: theirs[i], b: ours });
  }

  const byKind = new Map<string, number>();
  for (const d of differing) byKind.set(d.kinds[0], (byKind.get(d.kinds[0]) ?? 0) + 1);
  for (const d of differing.slice(0, show)) {
    console.log(
      `=== ${d.v.name} [${d.kinds.join(', ')}]${d.v.args ? ` args=${d.v.args.join(' ')}` : ''}${d.v.env ? ` env=${JSON.stringify(d.v.env)}` : ''}`,
    );
    console.log(d.v.script.trimEnd());
    console.log(`--- bpftrace (status ${d.a.status}):`);
    console.log(diagnosticText(d.v.name, d.a.stderr) || d.a.stderr.trimEnd());
    console.log(`--- bpfscope (status ${d.b.status}):`);
    console.log(diagnosticText(d.v.name, d.b.stderr) || d.b.stderr.trimEnd());
  }
  console.log(
    `\n${variants.length} variants, ${differing.length} differ (${[...byKind]
      .map(([k, n]) => `${k}: ${n}`)
      .join(', ')})`,
  );
  writeFileSync(
    join(WORK, 'differing.txt'),
    differing.map((d) => `${d.v.name} ${d.kinds.join(',')}`).join('\n') + '\n',
  );
  const everFile = join(WORK, 'ever-differed.txt');
  const ever = new Set(existsSync(everFile) ? readFileSync(everFile, 'utf8').split('\n') : []);
  for (const d of differing) ever.add(d.v.name);
  ever.delete('');
  writeFileSync(everFile, [...ever].sort().join('\n') + '\n');
  if (flag('--write-fixtures')) {
    const now = new Set(differing.map((d) => d.v.name));
    const written: string[] = [];
    for (const v of variants) {
      if (!ever.has(v.name) || now.has(v.name)) continue;
      const name = await writeFixture(v);
      if (name) written.push(name);
    }
    console.log(`wrote ${written.length} fixtures`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
