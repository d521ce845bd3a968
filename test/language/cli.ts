// Test helper: the bpfscope command in-process, for the newer-language end-to-end tests.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/run_cli';
import { memoryIo } from '../../src/cli/io';

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

export async function cli(
  argv: string[],
  options: { cwd?: string; env?: Record<string, string>; stdin?: string } = {},
): Promise<CliResult> {
  const io = memoryIo({ cwd: options.cwd, env: options.env, stdin: options.stdin });
  const status = await runCli(argv, io);
  return { status, stdout: io.stdout(), stderr: io.stderr() };
}

/** Runs `-q -e program` and returns its output (stdout then stderr). */
export async function run(program: string, extra: string[] = []): Promise<CliResult> {
  return cli(['-q', ...extra, '-e', program]);
}

/**
 * Runs the program twice: directly, and compiled to a .o file that is then run. Both must
 * print the same; returns the direct run.
 */
export async function runBothWays(program: string): Promise<CliResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bpfscope-lang-'));
  const direct = await cli(['-q', '-e', program], { cwd: dir });
  const emitted = await cli(['--emit-elf', 'p.o', '-e', program], { cwd: dir });
  if (emitted.status !== 0) return { ...emitted, stderr: `--emit-elf: ${emitted.stderr}` };
  const fromObject = await cli(['-q', 'p.o'], { cwd: dir });
  if (fromObject.stdout !== direct.stdout || fromObject.status !== direct.status) {
    return {
      status: -1,
      stdout: direct.stdout,
      stderr: `the .o printed differently:\n${fromObject.stdout}${fromObject.stderr}`,
    };
  }
  return direct;
}
