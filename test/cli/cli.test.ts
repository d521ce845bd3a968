// The bpfscope command end to end, in-process: flags, files, exit statuses, and the ways
// of running one script (simulated, recorded then replayed, compiled to .o then run).

import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/run_cli';
import { memoryIo } from '../../src/cli/io';

async function cli(
  argv: string[],
  options: { cwd?: string; env?: Record<string, string>; stdin?: string } = {},
) {
  const io = memoryIo({ cwd: options.cwd, env: options.env, stdin: options.stdin });
  const status = await runCli(argv, io);
  return { status, stdout: io.stdout(), stderr: io.stderr() };
}

const COUNT = 'tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }';

describe('running scripts', () => {
  it('runs a one-liner on the default workload and prints the map at exit', async () => {
    const r = await cli(['-e', COUNT]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Attaching 1 probe\.\.\.\n\n\n(@\[[\w-]+\]: \d+\n)+$/);
  });

  it('is deterministic for a seed and differs between seeds', async () => {
    const a = await cli(['--seed', '3', '-e', COUNT]);
    const b = await cli(['--seed', '3', '-e', COUNT]);
    const c = await cli(['--seed', '4', '-e', COUNT]);
    expect(a.stdout).toBe(b.stdout);
    expect(c.stdout).not.toBe(a.stdout);
  });

  it('gives each attach point of a block its own probe name', async () => {
    const r = await cli([
      '-e',
      'tracepoint:sched:sched_switch, tracepoint:sched:sched_wakeup { @[probe] = count(); }',
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('@[tracepoint:sched:sched_switch]: ');
    expect(r.stdout).toContain('@[tracepoint:sched:sched_wakeup]: ');
  });

  it('names the user function in uprobes through func, as 0.17 does', async () => {
    const r = await cli(['-e', 'uprobe:libc:malloc { @[func] = count(); }']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^@\[malloc\]: \d+$/m);
  });

  it('reads the script from a file, from stdin, and takes positional parameters', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bpfscope-cli-'));
    writeFileSync(join(dir, 'p.bt'), 'BEGIN { printf("%d %s\\n", $1, str($2)); exit(); }\n');
    const fromFile = await cli(['p.bt', '7', 'seven'], { cwd: dir });
    expect(fromFile.stdout).toBe('Attaching 1 probe...\n7 seven\n\n\n');
    const fromStdin = await cli(['-', '7', 'seven'], {
      stdin: 'BEGIN { printf("%d\\n", $1); exit(); }',
    });
    expect(fromStdin.stdout).toBe('Attaching 1 probe...\n7\n\n\n');
  });

  it('writes -o output to the file and nothing to stdout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bpfscope-cli-'));
    const r = await cli(['-o', 'out.txt', '-e', 'BEGIN { printf("x\\n"); exit(); }'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(join(dir, 'out.txt'), 'latin1')).toBe('Attaching 1 probe...\nx\n\n\n');
  });

  it('-q drops the Attaching line, in text and JSON', async () => {
    const text = await cli(['-q', '-e', 'BEGIN { printf("x\\n"); exit(); }']);
    expect(text.stdout).toBe('x\n\n\n');
    const json = await cli(['-q', '-f', 'json', '-e', 'BEGIN { printf("x\\n"); exit(); }']);
    expect(json.stdout).toBe('{"type": "printf", "data": "x\\n"}\n\n\n');
  });

  it('prints the notify line once probes are attached', async () => {
    const r = await cli(['-e', 'BEGIN { exit(); }'], {
      env: { __BPFTRACE_NOTIFY_PROBES_ATTACHED: '1' },
    });
    expect(r.stdout).toBe('Attaching 1 probe...\n__BPFTRACE_NOTIFY_PROBES_ATTACHED\n\n\n');
  });
});

describe('record, replay and compiled objects give the same output', () => {
  const script =
    'tracepoint:syscalls:sys_enter_openat { @[comm, str(args->filename)] = count(); } ' +
    'kretprobe:vfs_read { @r = hist(retval); }';

  it('--record then --replay prints byte-identical output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bpfscope-cli-'));
    const live = await cli(['--record', 'run.jsonl', '--seed', '5', '-e', script], { cwd: dir });
    expect(live.status).toBe(0);
    expect(existsSync(join(dir, 'run.jsonl'))).toBe(true);
    const replayed = await cli(['--replay', 'run.jsonl', '-e', script], { cwd: dir });
    expect(replayed.stderr).toBe('');
    expect(replayed.stdout).toBe(live.stdout);
  });

  it('--replay - reads the trace from standard input', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bpfscope-cli-'));
    const live = await cli(['--record', 'run.jsonl', '--seed', '5', '-e', script], { cwd: dir });
    const trace = readFileSync(join(dir, 'run.jsonl'), 'latin1');
    const replayed = await cli(['--replay', '-', '-e', script], { cwd: dir, stdin: trace });
    expect(replayed.stderr).toBe('');
    expect(replayed.stdout).toBe(live.stdout);
  });

  it('--emit-elf then running the .o prints what the script prints', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bpfscope-cli-'));
    const direct = await cli(['--seed', '2', '-e', script], { cwd: dir });
    const emitted = await cli(['--emit-elf', 'x.o', '-e', script], { cwd: dir });
    expect(emitted.status).toBe(0);
    expect(emitted.stdout).toBe('');
    const fromObject = await cli(['--seed', '2', 'x.o'], { cwd: dir });
    expect(fromObject.stderr).toBe('');
    expect(fromObject.stdout).toBe(direct.stdout);
  });
});

describe('user errors: one located line or message, exit status 1', () => {
  it('reports a script error located, with the source line and markers', async () => {
    const r = await cli(['-e', 'BEGIN { @x = nosuch(); }']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'stdin:1:14-20: ERROR: Unknown function: nosuch\nBEGIN { @x = nosuch(); }\n             ~~~~~~\n',
    );
  });

  it.each([
    [['missing.bt'], /^ERROR: failed to open file 'missing\.bt': No such file or directory\n$/],
    [['/'], /^ERROR: failed to open file '\/': Is a directory\n$/],
    [['--bogus-flag'], /^bpfscope: unrecognized option '--bogus-flag'\nUSAGE:\n/],
    [['-f', 'xml', '-e', 'BEGIN {}'], /Invalid output format "xml"/],
    [['--duration', 'soon', '-e', 'BEGIN {}'], /--duration expects a time/],
    [['--workload', 'nope', '-e', 'BEGIN {}'], /unknown workload 'nope'/],
    [['--replay', 'missing.jsonl', '-e', 'BEGIN {}'], /missing\.jsonl: cannot read the trace/],
    [['-c', 'ls', '-e', 'BEGIN {}'], /needs live tracing/],
  ])('%j', async (argv, message) => {
    const r = await cli(argv);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses BPFTRACE_STRLEN above 200', async () => {
    const r = await cli(['-e', 'BEGIN {}'], { env: { BPFTRACE_STRLEN: '201' } });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("'BPFTRACE_STRLEN' 201 exceeds the current maximum of 200 bytes.");
  });

  it('names the file and line of a malformed trace line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bpfscope-cli-'));
    writeFileSync(join(dir, 't.jsonl'), '{"format": "bpfscope-trace", "version": 1}\n{oops\n');
    const r = await cli(['--replay', 't.jsonl', '-e', COUNT], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^t\.jsonl:2:\d+: ERROR: /);
  });

  it('refuses a file that is not a BPF object but starts like ELF', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bpfscope-cli-'));
    writeFileSync(join(dir, 'bad.o'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 1, 2, 3]));
    const r = await cli(['bad.o'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('dry runs', () => {
  it('--dry-run compiles and runs nothing', async () => {
    const r = await cli(['--dry-run', '-e', COUNT]);
    expect(r).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  it('-d prints the AST and the bytecode of each probe', async () => {
    const r = await cli(['-d', '-e', COUNT]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('tracepoint:raw_syscalls:sys_enter');
    expect(r.stdout).toMatch(/call 1\b/);
    expect(r.stdout).toMatch(/exit/);
  });
});
