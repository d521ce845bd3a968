// Differential runs of one script under the real bpftrace 0.17 and under bpfscope (in-process,
// `--dry-run`), compared on what the held-out cases judge: accepted or rejected, the first
// `NAME.bt:LINE:COL`, and the error/warning lines.

import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { memoryIo } from '../../../src/cli/io';
import { runCli } from '../../../src/cli/run_cli';

export interface Variant {
  /** File stem: the script is written as NAME.bt, so diagnostics name it. */
  name: string;
  script: string;
  args?: string[];
  env?: Record<string, string>;
}

export type Verdict = 'accept' | 'reject' | 'abort';

export interface Outcome {
  status: number;
  verdict: Verdict;
  /** stderr without bpftrace's RLIMIT_MEMLOCK line. */
  stderr: string;
  stdout: string;
}

export interface Difference {
  variant: Variant;
  kind: 'verdict' | 'location' | 'messages' | 'text';
  bpftrace: Outcome;
  bpfscope: Outcome;
}

const BPFTRACE = '/usr/bin/bpftrace';
const RLIMIT = /^ERROR: Unknown error -1: couldn't set RLIMIT_MEMLOCK.*\n?/m;

/** Why the differential runs cannot happen here, or null when they can. */
export function bpftraceUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'bpftrace needs root';
  const probe = spawnSync(BPFTRACE, ['--version'], { encoding: 'utf8' });
  if (probe.error || !/v0\.17/.test(probe.stdout ?? '')) return 'bpftrace 0.17 not installed';
  return null;
}

function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith('BPFTRACE_')) env[k] = v;
  }
  return { ...env, ...extra };
}

function writeScript(dir: string, variant: Variant): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${variant.name}.bt`), variant.script, 'latin1');
}

/** bpftrace's class of outcome: 1 is a compile error and 255 a load/attach failure (both
 *  must exit 1 under bpfscope), 134 its abort on unknown probe types; anything else (0, a
 *  timeout) ran. */
export function bpftraceVerdict(status: number): Verdict {
  if (status === 1 || status === 255) return 'reject';
  if (status === 134) return 'abort';
  return 'accept';
}

export function runBpftrace(dir: string, variant: Variant, timeoutSeconds = 10): Promise<Outcome> {
  writeScript(dir, variant);
  return new Promise((resolve) => {
    const child = spawn(
      'timeout',
      [
        '-s',
        'INT',
        '-k',
        '2',
        String(timeoutSeconds),
        BPFTRACE,
        `${variant.name}.bt`,
        ...(variant.args ?? []),
      ],
      { cwd: dir, env: cleanEnv(variant.env), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('close', (code, signal) => {
      const status = code ?? (signal === 'SIGABRT' ? 134 : 128);
      resolve({
        status,
        verdict: bpftraceVerdict(status),
        stdout: Buffer.concat(out).toString('latin1'),
        stderr: Buffer.concat(err).toString('latin1').replace(RLIMIT, ''),
      });
    });
  });
}

export async function runBpfscope(dir: string, variant: Variant): Promise<Outcome> {
  writeScript(dir, variant);
  const io = memoryIo({ env: { ...(variant.env ?? {}) }, cwd: dir });
  let status: number;
  try {
    status = await runCli(['--dry-run', `${variant.name}.bt`, ...(variant.args ?? [])], io);
  } catch (e) {
    return {
      status: -1,
      verdict: 'abort',
      stdout: io.stdout(),
      stderr: `${io.stderr()}\ninternal error: ${(e as Error).stack}`,
    };
  }
  return {
    status,
    verdict: status === 0 ? 'accept' : 'reject',
    stdout: io.stdout(),
    stderr: io.stderr(),
  };
}

/** The first `NAME.bt:LINE:COL` of a stderr text. */
export function firstLocation(name: string, stderr: string): string | null {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`${escaped}\\.bt:(\\d+)(?::(\\d+))?`).exec(stderr);
  if (!m) return null;
  return m[2] === undefined ? m[1] : `${m[1]}:${m[2]}`;
}

/** The located error/warning lines. */
export function diagnosticLines(name: string, stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.startsWith(`${name}.bt:`));
}

/** The diagnostic blocks: each located line with the source echo and marker after it. */
export function diagnosticText(name: string, stderr: string): string {
  const lines = stderr.split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith(`${name}.bt:`)) continue;
    kept.push(lines[i]);
    // End-of-file and probe-level (L1-L2) errors have no echo.
    while (i + 1 < lines.length && !/^\S+\.bt:|^ERROR|^WARNING|^$/.test(lines[i + 1])) {
      kept.push(lines[++i]);
    }
  }
  return kept.join('\n');
}

/** The differences that matter, most important first (empty when the runs agree). */
export function compare(
  variant: Variant,
  bpftrace: Outcome,
  bpfscope: Outcome,
): Difference['kind'][] {
  const kinds: Difference['kind'][] = [];
  const expected = bpftrace.verdict === 'abort' ? 'reject' : bpftrace.verdict;
  if (expected !== bpfscope.verdict) kinds.push('verdict');
  if (expected === 'reject') {
    const want = firstLocation(variant.name, bpftrace.stderr);
    if (want !== null && want !== firstLocation(variant.name, bpfscope.stderr))
      kinds.push('location');
  }
  const a = diagnosticLines(variant.name, bpftrace.stderr);
  const b = diagnosticLines(variant.name, bpfscope.stderr);
  if (a.join('\n') !== b.join('\n')) kinds.push('messages');
  else if (
    diagnosticText(variant.name, bpftrace.stderr) !== diagnosticText(variant.name, bpfscope.stderr)
  )
    kinds.push('text');
  return kinds;
}

/** Runs `f` over `items` with at most `limit` in flight. */
export async function pool<T, R>(items: T[], limit: number, f: (t: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await f(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
