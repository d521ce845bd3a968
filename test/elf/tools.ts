// Detects the external tools the object-file tests use, so tests skip with a reason instead
// of failing where they are missing.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

function runs(command: string, args: string[]): boolean {
  const result = spawnSync(command, args, { stdio: 'ignore', timeout: 10_000 });
  return result.status === 0;
}

/** Why the kernel cannot load objects here, or undefined if it can. */
export function kernelLoadUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root';
  if (!existsSync('/sys/fs/bpf')) return 'no bpffs at /sys/fs/bpf';
  if (!runs('bpftool', ['version'])) return 'no bpftool';
  return undefined;
}

export function toolUnavailable(command: string): string | undefined {
  return runs(command, ['--version']) ? undefined : `no ${command}`;
}

export function run(
  command: string,
  args: string[],
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 64 << 20,
  });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}
