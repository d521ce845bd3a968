// --live end to end on this machine's kernel: the same script, the same deterministic
// workload (-c), the same output as bpftrace 0.17; located errors for what the kernel lacks;
// every kernel object released. Skipped with a reason without root, BPF, tracefs or koffi.

import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/run_cli';
import { memoryIo } from '../../src/cli/io';
import { liveSkipReason, bpftraceAvailable, bpfProgramCount } from './support';

async function cli(argv: string[], env: Record<string, string> = {}) {
  const io = memoryIo({ cwd: process.cwd(), env });
  const status = await runCli(argv, io);
  return { status, stdout: io.stdout(), stderr: io.stderr() };
}

const skip = liveSkipReason();
if (skip) console.log(`test/live skipped: ${skip}`);

/** A copy of cat under a name no other process has, so that `comm` filters pick it alone. */
function workload(): { command: string; comm: string } {
  const dir = mkdtempSync(join(tmpdir(), 'bpfscope-live-'));
  const comm = 'bpfsclivecat';
  copyFileSync('/bin/cat', join(dir, comm));
  return { command: `${join(dir, comm)} /dev/null`, comm };
}

describe.skipIf(skip !== undefined)('--live', () => {
  it('counts a -c workload through tracepoints as bpftrace 0.17 does', async () => {
    const { command, comm } = workload();
    const script = `tracepoint:syscalls:sys_enter_openat /comm == "${comm}"/ { @opens = count(); }
      tracepoint:syscalls:sys_exit_read /comm == "${comm}"/ { @reads = count(); @bytes = sum(args->ret); }
      END { printf("end\\n"); }`;
    const ours = await cli(['--live', '-c', command, '-e', script]);
    expect(ours.stderr).toBe('');
    expect(ours.status).toBe(0);
    expect(ours.stdout).toMatch(/^Attaching 3 probes\.\.\.\n/);
    expect(ours.stdout).toMatch(/@opens: [1-9]\d*\n/);
    if (bpftraceAvailable()) {
      const theirs = execFileSync('bpftrace', ['-c', command, '-e', script], {
        encoding: 'latin1',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      expect(ours.stdout).toBe(theirs);
    }
  }, 60_000);

  it('records a live session that --replay of the same script prints the same', async () => {
    const { command, comm } = workload();
    const dir = mkdtempSync(join(tmpdir(), 'bpfscope-rec-'));
    const trace = join(dir, 'session.jsonl');
    const script = `tracepoint:syscalls:sys_enter_openat /comm == "${comm}"/ {
        printf("%s %d %d\\n", str(args->filename), args->flags, tid == pid); @[comm] = count(); }
      tracepoint:syscalls:sys_exit_read /comm == "${comm}"/ { @r = hist(args->ret); }
      tracepoint:sched:sched_process_exit /comm == "${comm}"/ { printf("exit %s\\n", args->comm); }
      END { printf("end\\n"); }`;
    // On one CPU, so that the live run's per-CPU batches print in time order, as the replay does.
    const pinned = existsSync('/usr/bin/taskset') ? `/usr/bin/taskset -c 0 ${command}` : command;
    const live = await cli(['--live', '--record', trace, '-c', pinned, '-e', script]);
    expect(live.stderr).toBe('');
    expect(live.status).toBe(0);
    expect(live.stdout).toMatch(/\/etc\/ld\.so\.cache \d+ 1\n/);
    expect(live.stdout).toMatch(/exit bpfsclivecat\n/);
    const replayed = await cli(['--replay', trace, '-e', script]);
    expect(replayed.stderr).toBe('');
    expect(replayed.stdout).toBe(live.stdout);
  }, 60_000);

  it('refuses to record probes the recording cannot replay, before attaching anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bpfscope-rec-'));
    const r = await cli([
      '--live',
      '--record',
      join(dir, 'x.jsonl'),
      '-e',
      'uprobe:/lib/x86_64-linux-gnu/libc.so.6:getpid { @ = count(); }',
    ]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      'ERROR: --record of a live run records tracepoint probes (and BEGIN, END, interval); uprobe:/lib/x86_64-linux-gnu/libc.so.6:getpid cannot be recorded\n',
    );
    expect(existsSync(join(dir, 'x.jsonl'))).toBe(false);
  });

  it('runs BEGIN in its own task, and exit() from a timer ends the run', async () => {
    const r = await cli([
      '--live',
      '-e',
      'BEGIN { printf("begin %s\\n", comm); @n = 1; } interval:ms:100 { @n++; if (@n > 3) { exit(); } } END { printf("end\\n"); }',
    ]);
    expect(r.status).toBe(0);
    // BEGIN runs in this process's task: its comm is this (node) thread's name.
    expect(r.stdout).toMatch(/^Attaching 3 probes\.\.\.\nbegin \S.*\nend\n\n\n@n: 4\n$/);
  }, 30_000);

  it('names the missing kernel feature, located, for kprobes', async () => {
    const r = await cli(['--live', '-e', 'kprobe:vfs_read { @ = count(); }']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^stdin:1:1-\d+: ERROR: kprobe probes need kprobe support/);
  });

  it('releases every program and map it loaded', async () => {
    const before = bpfProgramCount();
    const r = await cli([
      '--live',
      '-e',
      'tracepoint:raw_syscalls:sys_enter { @[comm] = count(); } interval:ms:50 { exit(); }',
    ]);
    expect(r.status).toBe(0);
    expect(bpfProgramCount()).toBe(before);
  }, 30_000);
});
