// The REPL on a real pseudo-terminal (tmux): prompts, a located error and the prompt again,
// Tab completion of a probe name, .disasm, Ctrl-C stopping a .run, .exit printing the maps,
// and history kept in the file BPFSCOPE_HISTORY names.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'bpfscope-repl-tty-'));
const bundle = join(dir, 'bpfscope.cjs');
const history = join(dir, 'history');
const session = `bpfscope-repl-test-${process.pid}`;

function tmux(...args: string[]): string {
  return execFileSync('tmux', args, { encoding: 'utf8' });
}

function screen(): string {
  return tmux('capture-pane', '-p', '-J', '-S', '-500', '-t', session);
}

async function waitFor(pattern: RegExp | string, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = screen();
    if (typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text)) return text;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${String(pattern)}; the screen:\n${text}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function type(text: string): void {
  tmux('send-keys', '-t', session, '-l', text);
}

function press(...keys: string[]): void {
  tmux('send-keys', '-t', session, ...keys);
}

describe.skipIf(!hasTmux)('the REPL on a terminal (tmux)', () => {
  beforeAll(async () => {
    await build({
      entryPoints: [resolve(__dirname, '../../src/cli/main.ts')],
      outfile: bundle,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      logLevel: 'error',
    });
    const command = `BPFSCOPE_HISTORY=${history} node ${bundle} repl; echo "EXITED $?"; sleep 60`;
    tmux('new-session', '-d', '-s', session, '-x', '200', '-y', '50', command);
  });
  afterAll(() => {
    spawnSync('tmux', ['kill-session', '-t', session]);
  });

  it('runs a session', async () => {
    await waitFor('bpfscope> ');
    type('tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }');
    press('Enter');
    await waitFor('probe 1 attached: tracepoint:raw_syscalls:sys_enter');
    type('.run 1s');
    press('Enter');
    await waitFor('at +1.000s');
    type('.print');
    press('Enter');
    await waitFor(/^@\[nginx\]: \d+$/m);

    // A broken line: the located error, then the prompt again.
    type('tracepoint:raw_syscalls:sys_enter { @x = count( }');
    press('Enter');
    const afterError = await waitFor(/~\nbpfscope> ?(\n|$)/);
    expect(afterError).toContain(
      'stdin:1:49-50: ERROR: syntax error, unexpected }\n' +
        'tracepoint:raw_syscalls:sys_enter { @x = count( }\n' +
        '                                                ~\n',
    );

    // Tab completes a probe name from the source's catalog.
    type('tracepoint:sched:sched_sw');
    press('Tab');
    await waitFor(/bpfscope> tracepoint:sched:sched_switch ?$/m);
    press('C-u');

    type('.disasm 1');
    press('Enter');
    await waitFor(/^ +\d+:\t?\s*95 00 00 00 00 00 00 00\s+exit$/m);

    // Ctrl-C stops a long .run, not the session.
    type('.run 1h');
    press('Enter');
    await new Promise((r) => setTimeout(r, 1500));
    press('C-c');
    await waitFor(/stopped at \+\d+\.\d+s\nbpfscope> ?(\n|$)/);

    type('.exit');
    press('Enter');
    const end = await waitFor('EXITED 0');
    expect(end).toMatch(/\.exit\n(.*\n)*\n\n@\[[\w.-]+\]: \d+\n(.*\n)*@\[nginx\]: \d+\n/);
    expect(readFileSync(history, 'utf8')).toContain('.run 1s\n');
  });
});
