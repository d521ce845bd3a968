// The dot-commands: one table with each command's arguments, help line and action over a
// ReplSession. The table also feeds `.help` and Tab completion.

import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../cli/args';
import { parseDuration } from '../cli/duration';
import type { ReplSession } from './session';

export interface CommandContext {
  session: ReplSession;
  cwd: string;
  /** Command output (listings), as a byte string. */
  write(text: string): void;
  /** Polled by `.run` to stop early (Ctrl-C). */
  stopRequested(): boolean;
}

/** What an argument names, for completion. */
export type ArgumentKind = 'map' | 'probe-number' | 'probe-name' | 'file' | 'none';

interface Command {
  name: string;
  args: string;
  help: string;
  argument: ArgumentKind;
  action(ctx: CommandContext, arg: string | undefined): Promise<void> | void;
}

class CommandError extends Error {}

function mapName(arg: string | undefined): string | undefined {
  if (arg === undefined) return undefined;
  return arg.startsWith('@') ? arg : `@${arg}`;
}

function probeNumber(arg: string | undefined, required: boolean): number | undefined {
  if (arg === undefined) {
    if (required) throw new CommandError('expects a probe number (see .probes)');
    return undefined;
  }
  if (!/^\d+$/.test(arg)) throw new CommandError(`expects a probe number, got "${arg}"`);
  return Number(arg);
}

function required(arg: string | undefined, what: string): string {
  if (arg === undefined) throw new CommandError(`expects ${what}`);
  return arg;
}

function duration(arg: string | undefined): bigint | undefined {
  if (arg === undefined) return undefined;
  try {
    return parseDuration(arg);
  } catch (e) {
    if (e instanceof UsageError)
      throw new CommandError(`expects a duration such as 500ms or 2s, got "${arg}"`);
    throw e;
  }
}

export const COMMANDS: readonly Command[] = [
  {
    name: 'run',
    args: '[DURATION]',
    help: 'advance the clock (default: to the next interval tick, the next events of a trace, or 1s)',
    argument: 'none',
    async action(ctx, arg) {
      const session = ctx.session;
      const end = await session.run(duration(arg), ctx.stopRequested);
      if (end === 'stopped') session.note(`stopped at ${session.clockText()}\n`);
      else if (end === 'end-of-source')
        session.note(`end of the event source reached at ${session.clockText()}\n`);
      else if (end !== 'exited') session.note(`at ${session.clockText()}\n`);
    },
  },
  {
    name: 'print',
    args: '[@MAP]',
    help: 'print one map, or all maps, as print() does',
    argument: 'map',
    action: (ctx, arg) => void ctx.session.printMaps(mapName(arg)),
  },
  {
    name: 'maps',
    args: '',
    help: 'list the maps with their key and value types',
    argument: 'none',
    action: (ctx) => ctx.write(ctx.session.mapsListing()),
  },
  {
    name: 'probes',
    args: '',
    help: 'list the attached probes with their numbers',
    argument: 'none',
    action: (ctx) => ctx.write(ctx.session.probesListing()),
  },
  {
    name: 'detach',
    args: 'N',
    help: 'detach probe N (maps that nothing else uses go with it)',
    argument: 'probe-number',
    action: (ctx, arg) => void ctx.session.detach(probeNumber(arg, true)!),
  },
  {
    name: 'clear',
    args: '[@MAP]',
    help: 'clear one map, or all maps',
    argument: 'map',
    action: (ctx, arg) => void ctx.session.clearMaps(mapName(arg)),
  },
  {
    name: 'disasm',
    args: '[N]',
    help: "show probe N's eBPF instructions (all probes without N)",
    argument: 'probe-number',
    action(ctx, arg) {
      const text = ctx.session.disasm(probeNumber(arg, false));
      if (text !== undefined) ctx.write(text);
    },
  },
  {
    name: 'ast',
    args: '[N]',
    help: 'show probe N as parsed (all probes without N)',
    argument: 'probe-number',
    action(ctx, arg) {
      const text = ctx.session.ast(probeNumber(arg, false));
      if (text !== undefined) ctx.write(text);
    },
  },
  {
    name: 'list',
    args: '[PATTERN]',
    help: 'list the probes of the event source (as bpfscope -l)',
    argument: 'probe-name',
    action: (ctx, arg) =>
      ctx.write(
        ctx.session.host
          .listProbes(arg)
          .map((n) => `${n}\n`)
          .join(''),
      ),
  },
  {
    name: 'load',
    args: 'FILE',
    help: "attach a script's probes",
    argument: 'file',
    action(ctx, arg) {
      const file = required(arg, 'a script file');
      let text: string;
      try {
        text = readFileSync(resolve(ctx.cwd, file)).toString('latin1');
      } catch (e) {
        throw new CommandError(`${file}: cannot read: ${(e as Error).message}`);
      }
      ctx.session.add(text, file);
    },
  },
  {
    name: 'save',
    args: 'FILE',
    help: "write the session's probes as a script",
    argument: 'file',
    action(ctx, arg) {
      const file = required(arg, 'a file name');
      try {
        writeFileSync(resolve(ctx.cwd, file), Buffer.from(ctx.session.scriptText(), 'latin1'));
      } catch (e) {
        throw new CommandError(`${file}: cannot write: ${(e as Error).message}`);
      }
      ctx.session.note(`saved ${ctx.session.probePieces().length} probe(s) to ${file}\n`);
    },
  },
  {
    name: 'break',
    args: '',
    help: 'drop the lines of an unfinished entry',
    argument: 'none',
    action: () => undefined,
  },
  {
    name: 'help',
    args: '',
    help: 'show this help',
    argument: 'none',
    action: (ctx) => ctx.write(helpText()),
  },
  {
    name: 'exit',
    args: '',
    help: 'run END probes, print the maps as at exit, and quit (also Ctrl-D)',
    argument: 'none',
    action: (ctx) => void ctx.session.finish(),
  },
];

export function helpText(): string {
  const rows = COMMANDS.map((c) => `  .${`${c.name} ${c.args}`.trim().padEnd(18)} ${c.help}\n`);
  return (
    'Enter probes (`tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }`) to attach them,\n' +
    'or statements (`printf("%d\\n", 6 * 7)`) to run them once. Commands:\n' +
    rows.join('') +
    'Ctrl-C stops a running .run; Tab completes commands, probe names, builtins and maps.\n'
  );
}

/** A command line is `.NAME [ARGUMENT]`. */
export function isCommandLine(line: string): boolean {
  return /^\s*\.[A-Za-z]/.test(line);
}

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}

export async function runCommand(line: string, ctx: CommandContext): Promise<void> {
  const match = /^\s*\.(\S+)\s*(.*?)\s*$/.exec(line)!;
  const [, name, rest] = match as unknown as [string, string, string];
  const command = findCommand(name);
  if (!command) {
    ctx.session.error(`ERROR: unknown command .${name} (see .help)\n`);
    return;
  }
  try {
    await command.action(ctx, rest === '' ? undefined : rest);
  } catch (e) {
    if (e instanceof CommandError) ctx.session.error(`ERROR: .${name} ${e.message}\n`);
    else throw e;
  }
}
