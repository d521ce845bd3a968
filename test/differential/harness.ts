// Differential harness: runs one script under the real bpftrace 0.17 (the oracle) and under
// bpfscope in-process, and judges them with the conformance corpus's own rules, so a variant
// that passes here would pass as a held-out conformance case.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { judgeCase, type CaseOutcome, type ConformanceCase } from '../../src/conformance/cases';
import { runConformanceCase } from '../../src/conformance/run_case';

export const BPFTRACE = '/usr/bin/bpftrace';

/** One generated variant: a script plus what the corpus lets a case add around it. */
export interface Variant {
  name: string;
  script: string;
  flags?: string[];
  args?: string[];
  env?: Record<string, string>;
}

/** Why bpftrace cannot be the oracle here, or undefined when it can. */
export function bpftraceMissing(): string | undefined {
  if (!existsSync(BPFTRACE)) return `${BPFTRACE} not installed`;
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'not root';
  return undefined;
}

/** bpftrace's harmless complaint about RLIMIT_MEMLOCK, dropped like the corpus does. */
const RLIMIT_LINE = /^ERROR: .*RLIMIT_MEMLOCK.*\n?/m;

/** Writes the variant's files in the corpus layout (NAME.bt, .flags, .args, .env) under dir. */
export function writeVariantFiles(v: Variant, dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${v.name}.bt`), v.script, 'latin1');
  if (v.flags?.length) writeFileSync(join(dir, `${v.name}.flags`), v.flags.join(' ') + '\n');
  if (v.args?.length) writeFileSync(join(dir, `${v.name}.args`), v.args.join(' ') + '\n');
  const env = Object.entries(v.env ?? {});
  if (env.length)
    writeFileSync(join(dir, `${v.name}.env`), env.map(([k, x]) => `${k}=${x}\n`).join(''));
}

function cleanEnv(extra: Record<string, string> | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, x] of Object.entries(process.env)) if (!k.startsWith('BPFTRACE_')) env[k] = x;
  return { ...env, ...extra };
}

/** The status `timeout` exits with when it had to stop bpftrace. */
const TIMED_OUT = 124;

/** Runs the variant (already written to dir) under bpftrace, killing runaway runs. */
export function runBpftrace(v: Variant, dir: string, timeoutSeconds = 10): CaseOutcome {
  const r = spawnSync(
    'timeout',
    [
      '-s',
      'INT',
      '-k',
      '2',
      String(timeoutSeconds),
      BPFTRACE,
      ...(v.flags ?? []),
      `${v.name}.bt`,
      ...(v.args ?? []),
    ],
    { cwd: dir, env: cleanEnv(v.env), encoding: 'latin1', maxBuffer: 64 << 20 },
  );
  return {
    status: r.status ?? (r.signal ? 128 : -1),
    stdout: r.stdout ?? '',
    stderr: (r.stderr ?? '').replace(RLIMIT_LINE, ''),
  };
}

/** A ConformanceCase for the variant with the given recorded (oracle) outcome. */
export function asCase(v: Variant, dir: string, expected: CaseOutcome): ConformanceCase {
  return {
    name: v.name,
    dir,
    flags: v.flags ?? [],
    args: v.args ?? [],
    env: v.env ?? {},
    expectedStdout: expected.stdout,
    expectedStderr: expected.stderr,
    expectedStatus: expected.status,
  };
}

/** Runs the variant (already written to dir) under bpfscope, in-process. */
export function runBpfscope(v: Variant, dir: string): Promise<CaseOutcome> {
  return runConformanceCase(asCase(v, dir, { status: 0, stdout: '', stderr: '' }));
}

export interface DiffResult {
  variant: Variant;
  reference: CaseOutcome;
  ours: CaseOutcome;
  /** Why bpfscope's run does not match, or undefined when it does. */
  difference?: string;
  /** Set when bpftrace itself gave different stdout on two runs: the variant proves nothing. */
  unstable?: boolean;
}

/**
 * Runs one variant under both tools. bpftrace runs twice (three times for interval probes) so
 * that non-determinism in the oracle (hash-order ties, timing) is detected and not reported.
 */
export async function differential(v: Variant, dir: string): Promise<DiffResult> {
  writeVariantFiles(v, dir);
  const reference = runBpftrace(v, dir);
  const again = runBpftrace(v, dir);
  const unstable = again.stdout !== reference.stdout || again.status !== reference.status;
  // bpfscope runs in-process and cannot be killed: a script bpftrace never ends is skipped.
  if (reference.status === TIMED_OUT) {
    const ours = { status: -1, stdout: '', stderr: 'not run: bpftrace timed out' };
    return { variant: v, reference, ours, unstable: true };
  }
  const ours = await runBpfscope(v, dir);
  const difference = unstable ? undefined : judgeCase(asCase(v, dir, reference), ours);
  return { variant: v, reference, ours, difference, unstable };
}

/** Stores a variant and its oracle outcome as a conformance-layout fixture under root. */
export function storeFixture(root: string, v: Variant, reference: CaseOutcome): void {
  writeVariantFiles(v, join(root, 'cases'));
  const expected = join(root, 'expected');
  mkdirSync(expected, { recursive: true });
  writeFileSync(join(expected, `${v.name}.stdout`), reference.stdout, 'latin1');
  writeFileSync(join(expected, `${v.name}.stderr`), reference.stderr, 'latin1');
  writeFileSync(join(expected, `${v.name}.status`), `${reference.status}\n`);
}
