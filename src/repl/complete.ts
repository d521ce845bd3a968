// Tab completion for readline: dot-commands and their arguments, probe names from the
// source's catalog, builtin variables and functions (from stdlib/), and map names.

import { readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { builtinFunctionNames, builtinVariableNames } from '../../stdlib/index';
import { COMMANDS, findCommand } from './commands';

export interface CompletionContext {
  /** Every probe name of the source's catalog (`bpfscope -l`). */
  probeNames(): readonly string[];
  /** Probes that have events in the source; preferred when a prefix matches several. */
  firingProbes(): ReadonlySet<string>;
  mapNames(): readonly string[];
  probeNumbers(): readonly number[];
  cwd: string;
}

export type Completion = [string[], string];

const PROVIDERS = [
  'BEGIN',
  'END',
  'tracepoint:',
  'kprobe:',
  'kretprobe:',
  'kfunc:',
  'kretfunc:',
  'uprobe:',
  'uretprobe:',
  'usdt:',
  'interval:',
  'profile:',
  'software:',
  'hardware:',
];

const TIMER_PREFIXES = [
  'interval:s:',
  'interval:ms:',
  'interval:us:',
  'interval:hz:',
  'profile:hz:',
  'profile:s:',
  'profile:ms:',
];

function startingWith(candidates: Iterable<string>, prefix: string): string[] {
  return [...new Set(candidates)].filter((c) => c.startsWith(prefix)).sort();
}

function completeProbeName(word: string, ctx: CompletionContext): string[] {
  const hits = startingWith([...ctx.probeNames(), ...TIMER_PREFIXES], word);
  if (hits.length <= 1) return hits;
  const firing = ctx.firingProbes();
  const preferred = hits.filter((h) => firing.has(h));
  return preferred.length > 0 ? preferred : hits;
}

function completeFile(partial: string, cwd: string): string[] {
  const dir = partial.endsWith('/') ? partial : dirname(partial);
  const shownDir = partial.includes('/') ? (dir.endsWith('/') ? dir : `${dir}/`) : '';
  try {
    return readdirSync(resolve(cwd, dir))
      .map((name) => {
        const isDir = (() => {
          try {
            return statSync(join(resolve(cwd, dir), name)).isDirectory();
          } catch {
            return false;
          }
        })();
        return shownDir + name + (isDir ? '/' : '');
      })
      .filter((c) => c.startsWith(partial))
      .sort();
  } catch {
    return [];
  }
}

function completeArgument(command: string, arg: string, ctx: CompletionContext): string[] {
  switch (findCommand(command)?.argument) {
    case 'map':
      return startingWith(ctx.mapNames(), arg.startsWith('@') || arg === '' ? arg : `@${arg}`);
    case 'probe-number':
      return startingWith(ctx.probeNumbers().map(String), arg);
    case 'probe-name':
      return completeProbeName(arg, ctx);
    case 'file':
      return completeFile(arg, ctx.cwd);
    default:
      return [];
  }
}

/** readline's completer: `line` is the text before the cursor. */
export function complete(line: string, ctx: CompletionContext): Completion {
  const command = /^\s*\.(\w*)$/.exec(line);
  if (command) {
    const word = `.${command[1]}`;
    return [
      startingWith(
        COMMANDS.map((c) => `.${c.name}`),
        word,
      ),
      word,
    ];
  }
  const withArgument = /^\s*\.(\w+)\s+(\S*)$/.exec(line);
  if (withArgument) {
    const [, name, arg] = withArgument as unknown as [string, string, string];
    return [completeArgument(name, arg, ctx), arg];
  }
  const word = /[\w@$:./*+-]*$/.exec(line)![0];
  const before = line.slice(0, line.length - word.length);
  if (word.startsWith('@')) return [startingWith(ctx.mapNames(), word), word];
  const atProbePosition = /^\s*$|,\s*$/.test(before) && !before.includes('{');
  if (word.includes(':') && atProbePosition) return [completeProbeName(word, ctx), word];
  const names = [...builtinVariableNames(), ...builtinFunctionNames()];
  return [startingWith(atProbePosition ? [...PROVIDERS, ...names] : names, word), word];
}
