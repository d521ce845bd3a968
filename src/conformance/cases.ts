// The differential conformance corpus (shared/conformance): each case is a script with
// bpftrace 0.17's recorded stdout, stderr and exit status. See its README for the layout.

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface ConformanceCase {
  name: string;
  dir: string;
  flags: string[];
  args: string[];
  env: Record<string, string>;
  expectedStdout: string;
  expectedStderr: string;
  expectedStatus: number;
}

function words(path: string): string[] {
  return existsSync(path) ? readFileSync(path, 'utf8').trim().split(/\s+/).filter(Boolean) : [];
}

export function loadConformanceCases(root: string): ConformanceCase[] {
  const casesDir = join(root, 'cases');
  const expectedDir = join(root, 'expected');
  return readdirSync(casesDir)
    .filter((f) => f.endsWith('.bt'))
    .sort()
    .map((file) => {
      const name = file.slice(0, -3);
      const env: Record<string, string> = {};
      const envPath = join(casesDir, `${name}.env`);
      if (existsSync(envPath)) {
        for (const line of readFileSync(envPath, 'utf8').split('\n')) {
          const eq = line.indexOf('=');
          if (eq > 0) env[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
        }
      }
      const read = (ext: string) => {
        const p = join(expectedDir, `${name}.${ext}`);
        return existsSync(p) ? readFileSync(p, 'latin1') : '';
      };
      return {
        name,
        dir: casesDir,
        flags: words(join(casesDir, `${name}.flags`)),
        args: words(join(casesDir, `${name}.args`)),
        env,
        expectedStdout: read('stdout'),
        expectedStderr: read('stderr'),
        expectedStatus: Number(read('status').trim() || '0'),
      };
    });
}

/** Lines `Attaching N probe(s)...` are dropped on both sides before comparing. */
export function withoutAttachLines(text: string): string {
  return text
    .split('\n')
    .filter((line) => !/^Attaching \d+ probes?\.\.\.$/.test(line))
    .join('\n');
}

/** The first `NAME.bt:LINE:COL` location in a stderr text, as `LINE:COL`. */
export function firstLocation(stderr: string, name: string): string | undefined {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`${escaped}\\.bt:(\\d+):(\\d+)`).exec(stderr);
  return match ? `${match[1]}:${match[2]}` : undefined;
}

export interface CaseOutcome {
  status: number;
  stdout: string;
  stderr: string;
}

/** Why a case fails, or undefined when it passes (README rules). */
export function judgeCase(c: ConformanceCase, got: CaseOutcome): string | undefined {
  if (c.expectedStatus === 0) {
    if (got.status !== 0)
      return `exit status ${got.status}, expected 0; stderr: ${got.stderr.slice(0, 400)}`;
    const want = withoutAttachLines(c.expectedStdout);
    const have = withoutAttachLines(got.stdout);
    if (want !== have) return `stdout differs:\n--- expected\n${want}\n--- got\n${have}`;
    return undefined;
  }
  if (got.status !== 1)
    return `exit status ${got.status}, expected 1; stderr: ${got.stderr.slice(0, 400)}`;
  if (withoutAttachLines(got.stdout).trim() !== '')
    return `stdout not empty: ${got.stdout.slice(0, 200)}`;
  const want = firstLocation(c.expectedStderr, c.name);
  if (want !== undefined) {
    const have = firstLocation(got.stderr, c.name);
    if (have !== want)
      return `first location ${have ?? 'none'}, expected ${want}; stderr: ${got.stderr}`;
  }
  return undefined;
}
