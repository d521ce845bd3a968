// Files the run writes (-o, --record, --emit-elf) are opened before probes attach and written
// in place: special files, links and permissions stay as they were.

import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import {
  linkSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
  chmodSync,
  existsSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/run_cli';
import { memoryIo } from '../../src/cli/io';

async function cli(argv: string[], cwd: string, env: Record<string, string> = {}) {
  const io = memoryIo({ cwd, env });
  const status = await runCli(argv, io);
  return { status, stdout: io.stdout(), stderr: io.stderr() };
}

const HELLO = 'BEGIN { printf("hello\\n"); exit(); }';
const HELLO_OUT = 'Attaching 1 probe...\nhello\n\n\n';

describe('-o FILE', () => {
  it('writes through a symlink, leaving the link a link', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bpfscope-o-'));
    writeFileSync(join(dir, 'real.txt'), 'old contents that are longer than the new ones\n');
    symlinkSync('real.txt', join(dir, 'link.txt'));
    const r = await cli(['-o', 'link.txt', '-e', HELLO], dir);
    expect(r.status).toBe(0);
    expect(lstatSync(join(dir, 'link.txt')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'link.txt'))).toBe('real.txt');
    expect(readFileSync(join(dir, 'real.txt'), 'latin1')).toBe(HELLO_OUT);
  });

  it('keeps a file’s mode and its hard links', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bpfscope-o-'));
    writeFileSync(join(dir, 'out.txt'), '');
    chmodSync(join(dir, 'out.txt'), 0o600);
    linkSync(join(dir, 'out.txt'), join(dir, 'other-name.txt'));
    const r = await cli(['-o', 'out.txt', '-e', HELLO], dir);
    expect(r.status).toBe(0);
    expect(statSync(join(dir, 'out.txt')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'other-name.txt'), 'latin1')).toBe(HELLO_OUT);
  });

  it('leaves /dev/null a device', async () => {
    let writable = true;
    try {
      writeFileSync('/dev/null', '');
    } catch {
      writable = false;
    }
    if (!writable) return; // no /dev/null to write here
    const r = await cli(['-o', '/dev/null', '-e', HELLO], tmpdir());
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('writes into a FIFO its reader reads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bpfscope-o-'));
    const fifo = join(dir, 'pipe');
    if (spawnSync('mkfifo', [fifo]).status !== 0) return; // mkfifo missing: nothing to test
    const reader = spawn('cat', [fifo]);
    const chunks: Buffer[] = [];
    reader.stdout.on('data', (c: Buffer) => chunks.push(c));
    const ended = new Promise<void>((done) => reader.on('close', () => done()));
    const r = await cli(['-o', 'pipe', '-e', HELLO], dir);
    await ended;
    expect(r.status).toBe(0);
    expect(Buffer.concat(chunks).toString('latin1')).toBe(HELLO_OUT);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('an unwritable path fails before any probe attaches, naming the path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bpfscope-o-'));
    const r = await cli(['-o', 'no/such/dir/out.txt', '-e', HELLO], dir, {
      __BPFTRACE_NOTIFY_PROBES_ATTACHED: '1',
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'ERROR: Failed to open output file: "no/such/dir/out.txt": No such file or directory\n',
    );
  });

  it('-B none and full give the same bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bpfscope-o-'));
    for (const mode of ['none', 'line', 'full']) {
      const r = await cli(['-B', mode, '-o', `out-${mode}.txt`, '-e', HELLO], dir);
      expect(r.status).toBe(0);
      expect(readFileSync(join(dir, `out-${mode}.txt`), 'latin1')).toBe(HELLO_OUT);
    }
  });
});

describe('--record FILE', () => {
  it('writes the trace in place and a failed open stops the run first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bpfscope-rec-'));
    writeFileSync(join(dir, 'real.jsonl'), '');
    symlinkSync('real.jsonl', join(dir, 'rec.jsonl'));
    const r = await cli(
      ['--record', 'rec.jsonl', '--duration', '50ms', '-e', 'interval:ms:10 { @ = count(); }'],
      dir,
    );
    expect(r.status).toBe(0);
    expect(lstatSync(join(dir, 'rec.jsonl')).isSymbolicLink()).toBe(true);
    const lines = readFileSync(join(dir, 'real.jsonl'), 'utf8').trim().split('\n');
    expect(JSON.parse(lines[0]!).format).toBe('bpfscope-trace');
    expect(lines.length).toBe(6);
    const bad = await cli(['--record', 'nope/rec.jsonl', '-e', HELLO], dir);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('"nope/rec.jsonl": No such file or directory');
  });
});

describe('--emit-elf FILE', () => {
  it('replaces a regular file whole, keeping its mode, and never replaces a device or a link', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bpfscope-elf-'));
    writeFileSync(join(dir, 'prog.o'), 'old');
    chmodSync(join(dir, 'prog.o'), 0o640);
    symlinkSync('prog.o', join(dir, 'link.o'));
    const r = await cli(['--emit-elf', 'link.o', '-e', HELLO], dir);
    expect(r.status).toBe(0);
    expect(lstatSync(join(dir, 'link.o')).isSymbolicLink()).toBe(true);
    expect(statSync(join(dir, 'prog.o')).mode & 0o777).toBe(0o640);
    expect([...readFileSync(join(dir, 'prog.o')).subarray(0, 4)]).toEqual([0x7f, 0x45, 0x4c, 0x46]);
    if (existsSync('/dev/null')) {
      const toNull = await cli(['--emit-elf', '/dev/null', '-e', HELLO], dir);
      expect(toNull.status).toBe(0);
      expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    }
  });
});

describe('cat()', () => {
  it('prints at most 10 KiB of a file, as bpftrace 0.17 does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bpfscope-cat-'));
    writeFileSync(join(dir, 'big'), 'x'.repeat(50_000));
    const r = await cli(['-q', '-e', `BEGIN { cat("${join(dir, 'big')}"); exit(); }`], dir);
    // 0.17 prints `cat("/tmp/hello")` of "hello" as `hello`, then the two newlines at exit.
    expect(r.stdout.length).toBe(10240 + 2);
    expect(r.stdout === 'x'.repeat(10240) + '\n\n').toBe(true);
    if (existsSync('/dev/zero')) {
      const zero = await cli(['-q', '-e', 'BEGIN { cat("/dev/zero"); exit(); }'], dir);
      expect(zero.stdout === '\0'.repeat(10240) + '\n\n').toBe(true);
    }
  });
});
