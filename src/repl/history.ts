// The REPL's line history, kept across sessions in ~/.bpfscope_history (or the file
// BPFSCOPE_HISTORY names; an empty BPFSCOPE_HISTORY keeps no history).

import { readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const HISTORY_SIZE = 1000;

export function historyPath(env: Record<string, string | undefined>): string | undefined {
  const override = env.BPFSCOPE_HISTORY;
  if (override !== undefined) return override === '' ? undefined : override;
  return join(env.HOME || homedir(), '.bpfscope_history');
}

/** The saved lines, newest first (as readline wants them). */
export function loadHistory(path: string | undefined): string[] {
  if (path === undefined) return [];
  try {
    return readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .reverse()
      .slice(0, HISTORY_SIZE);
  } catch {
    return [];
  }
}

/** Saves readline's history (newest first) oldest first, one line each. A history that cannot
 *  be written is not worth interrupting the session for. */
export function saveHistory(path: string | undefined, newestFirst: readonly string[]): void {
  if (path === undefined) return;
  const lines = newestFirst.slice(0, HISTORY_SIZE).reverse();
  try {
    writeFileSync(path, lines.map((l) => `${l}\n`).join(''), { mode: 0o600 });
  } catch {
    // ignored: see above
  }
}
