// The bpfscope command as a real child process, for behaviour that belongs to a process
// (signals, pipes): the CLI is bundled once per test file into a temporary directory.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

let bundled: Promise<string> | undefined;

/** Path of a bundle of the CLI built from the working tree. */
export function cliBundle(): Promise<string> {
  bundled ??= (async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'bpfscope-bundle-')), 'bpfscope.cjs');
    await build({
      entryPoints: [resolve(__dirname, '../../src/cli/main.ts')],
      outfile: out,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      logLevel: 'silent',
    });
    return out;
  })();
  return bundled;
}

export interface Running {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout contains `text`. */
  waitFor(text: string): Promise<void>;
  /** Resolves with the exit status (or 128 + signal number when killed). */
  exited: Promise<number>;
}

const SIGNALS: Record<string, number> = { SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

export async function runProcess(args: string[], cwd?: string): Promise<Running> {
  const child = spawn(process.execPath, [await cliBundle(), ...args], { cwd });
  let out = '';
  let err = '';
  const waiters: { text: string; done: () => void }[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('latin1');
    for (const w of waiters.splice(0)) {
      if (out.includes(w.text)) w.done();
      else waiters.push(w);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('latin1')));
  const exited = new Promise<number>((done) =>
    child.on('close', (code, signal) => done(code ?? 128 + (SIGNALS[signal ?? ''] ?? 0))),
  );
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    waitFor: (text) =>
      new Promise<void>((done) => {
        if (out.includes(text)) done();
        else waiters.push({ text, done });
      }),
    exited,
  };
}
