// What the live tests need from the machine, and why they skip when it is missing.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Undefined when live tests can run here; otherwise the one-line reason they skip. */
export function liveSkipReason(): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'needs root (bpf() and perf_event_open)';
  if (!existsSync('/sys/kernel/tracing/events/syscalls'))
    return 'tracefs is not mounted at /sys/kernel/tracing';
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('koffi');
  } catch {
    return 'the koffi FFI module is not installed';
  }
  return undefined;
}

export function bpftraceAvailable(): boolean {
  try {
    execFileSync('bpftrace', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Programs loaded in the kernel now (bpftool prog list), or -1 without bpftool. */
export function bpfProgramCount(): number {
  try {
    const out = execFileSync('bpftool', ['prog', 'list', '--json'], { encoding: 'utf8' });
    return (JSON.parse(out) as unknown[]).length;
  } catch {
    return -1;
  }
}
