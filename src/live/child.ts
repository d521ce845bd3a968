// The -c command: started before the probes attach, held until they are, then run — as
// bpftrace 0.17 does it (the command is split at spaces and run without a shell; a name
// without a slash is looked up in PATH). The run ends when it exits.

import { spawn, type ChildProcess as NodeChild } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { resolve } from 'node:path';
import { whichBinary } from './catalog';
import { LiveError } from './errors';

export class ChildCommandError extends LiveError {}

export interface ChildProcess {
  readonly pid: number;
  /** Lets the held command run. */
  start(): void;
  onExit(listener: () => void): void;
  readonly exited: boolean;
  /** Ends the command if it still runs (the run stopped first). */
  kill(): void;
}

/** Starts `command` held before its exec; its pid is the command's pid once it runs. */
export function startChild(command: string, cwd: string): ChildProcess {
  const argv = command.split(' ').filter((a) => a !== '');
  if (argv.length === 0) throw new ChildCommandError('-c needs a command');
  const file = argv[0]!.includes('/') ? resolve(cwd, argv[0]!) : whichBinary(argv[0]!);
  try {
    if (file === undefined) throw new Error();
    accessSync(file, constants.X_OK);
  } catch {
    throw new ChildCommandError(
      `failed to find the -c command '${argv[0]}' (or it is not executable)`,
    );
  }
  // The shell waits for one line on fd 3, then execs the command in place (same pid).
  const held: NodeChild = spawn(
    '/bin/sh',
    ['-c', 'read -r _ <&3; exec "$@"', 'sh', file, ...argv.slice(1)],
    {
      cwd,
      stdio: ['inherit', 'inherit', 'inherit', 'pipe'],
    },
  );
  let exited = false;
  const listeners: (() => void)[] = [];
  held.on('exit', () => {
    exited = true;
    for (const l of listeners) l();
  });
  const gate = held.stdio[3] as NodeJS.WritableStream;
  return {
    pid: held.pid ?? -1,
    start: () => gate.end('\n'),
    onExit: (l) => (exited ? l() : listeners.push(l)),
    get exited() {
      return exited;
    },
    kill: () => {
      if (!exited) held.kill('SIGTERM');
      gate.end();
    },
  };
}
