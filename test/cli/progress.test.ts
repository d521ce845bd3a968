// The progress line: shown only for runs longer than a second, redrawn in place at most four
// times a second, removed before the final output; never shown when stderr is not a terminal.

import { describe, expect, it } from 'vitest';
import { Progress } from '../../src/cli/progress';
import { runCli } from '../../src/cli/run_cli';
import { memoryIo } from '../../src/cli/io';

describe('progress on stderr', () => {
  it('shows position, events/s and time left, redrawn in place, then cleared', () => {
    let now = 0;
    const written: string[] = [];
    const progress = new Progress(
      (text) => written.push(text),
      () => now,
    );
    progress.update(0.1, 1000);
    expect(written).toEqual([]); // the first second is quiet
    now = 2000;
    progress.update(0.25, 500_000);
    expect(written).toEqual(['\r\x1b[K 25%  500,000 events  250,000 events/s  6 s left']);
    now = 2100;
    progress.update(0.3, 600_000);
    expect(written.length).toBe(1); // not redrawn within 250 ms
    progress.clear();
    expect(written.at(-1)).toBe('\r\x1b[K');
  });

  it('is off with -q and when stderr is not a terminal', async () => {
    const script = 'interval:ms:1 { @ = count(); }';
    const notTerminal = memoryIo({});
    await runCli(['--duration', '2s', '-e', script], notTerminal);
    expect(notTerminal.stderr()).toBe('');
    const quiet = { ...memoryIo({}), stderrIsTerminal: true };
    const io = memoryIo({});
    quiet.writeStderr = io.writeStderr;
    await runCli(['-q', '--duration', '2s', '-e', script], quiet);
    expect(io.stderr()).toBe('');
  });
});
