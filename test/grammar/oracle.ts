// Runs the reference bpftrace 0.17 (`bpftrace -d`, which prints the parser's AST when the
// program parses) and reduces its answer to what the grammar tests compare.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BPFTRACE = '/usr/bin/bpftrace';

export type OracleResult = 'OK' | { location: string | null; message: string };

export function bpftraceAvailable(): boolean {
  if (!existsSync(BPFTRACE)) return false;
  const r = spawnSync(BPFTRACE, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  return r.status === 0 && /v0\.17\./.test(r.stdout);
}

/** 'OK' when 0.17 parses the program, else its first error's location and message. */
export function runOracle(program: string): OracleResult {
  const dir = mkdtempSync(join(tmpdir(), 'bpfscope-grammar-'));
  try {
    const file = join(dir, 'p.bt');
    writeFileSync(file, program);
    const r = spawnSync(BPFTRACE, ['-d', file], { encoding: 'utf8', timeout: 20_000 });
    const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
    if (out.includes('AST after: parser')) return 'OK';
    const located = new RegExp(
      `${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:([0-9:-]+): ERROR: (.*)`,
    ).exec(out);
    if (located) return { location: located[1]!, message: located[2]! };
    const bare = /ERROR: (?!Unknown error -1: couldn't set RLIMIT)(.*)/.exec(out);
    return { location: null, message: bare ? bare[1]! : out.trim() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
