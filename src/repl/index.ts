// `bpfscope repl`: an interactive session over an event source, on node:readline. Lines are
// gathered into entries (probes to attach, statements to run once) and dot-commands; on a
// terminal there are prompts, Tab completion, history and Ctrl-C; with piped input only what
// the session prints is written, so a session can be scripted (`bpfscope repl < session.txt`).

import { createInterface, type Interface } from 'node:readline';
import type { OutputFormat } from '../output/index';
import type { EventSource } from '../../probes/source';
import { openSource } from '../sources';
import { isCommandLine, runCommand, type CommandContext } from './commands';
import { complete, type CompletionContext } from './complete';
import { bracketsOpen, needsMoreLines } from './entry';
import { probesThatFire, SIMULATION_SAMPLE_NS } from './firing';
import { HISTORY_SIZE, historyPath, loadHistory, saveHistory } from './history';
import { ReplSession } from './session';
import type { Executor } from '../runtime/index';

export { ReplSession, type SessionOptions, type SessionSink, type RunEnd } from './session';
export { complete, type CompletionContext } from './complete';

export interface ReplSettings {
  replay?: string;
  workload?: string;
  seed: number;
  /** --duration: the end of the session's stream; without it a simulation has no end. */
  durationNs?: bigint;
  format: OutputFormat;
  strlen: number;
  mapKeysMax: number;
  params: string[];
  unsafe: boolean;
  cwd: string;
  env: Record<string, string | undefined>;
  /** BPFSCOPE_EXECUTOR: the executor of the session's programs (default the JIT). */
  executor?: Executor;
}

export interface ReplStreams {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  error: NodeJS.WritableStream;
  /** A person at a terminal: prompts, completion, history, notes. */
  terminal: boolean;
}

export const PROMPT = 'bpfscope> ';
export const CONTINUATION_PROMPT = '      ... ';
/** A simulation is first opened this far ahead; the stream moves its end further as needed. */
const FIRST_HORIZON_NS = 10_000_000_000n;

/** Opens the session's source: the workload or trace, as the command line would. */
export async function openSessionSource(settings: ReplSettings): Promise<{
  source: EventSource;
  reopen?: (endNs: bigint) => Promise<EventSource>;
}> {
  const base = {
    replay: settings.replay,
    workload: settings.workload,
    seed: settings.seed,
    cwd: settings.cwd,
  };
  const source = await openSource({ ...base, durationNs: settings.durationNs ?? FIRST_HORIZON_NS });
  if (settings.replay !== undefined || settings.durationNs !== undefined) return { source };
  return {
    source,
    reopen: (endNs) => openSource({ ...base, durationNs: endNs - source.startNs }),
  };
}

/** Runs a session to its end; returns the exit status (exit()'s code, else 0). */
export async function runRepl(settings: ReplSettings, streams: ReplStreams): Promise<number> {
  const { source, reopen } = await openSessionSource(settings);
  const latin1 = (chunk: string | Uint8Array) =>
    typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
  const session = new ReplSession({
    source,
    reopen,
    kind: settings.replay !== undefined ? 'trace' : 'simulation',
    format: settings.format,
    strlen: settings.strlen,
    mapKeysMax: settings.mapKeysMax,
    params: settings.params,
    unsafe: settings.unsafe,
    seed: settings.seed,
    executor: settings.executor,
    cwd: settings.cwd,
    sink: {
      output: (chunk) => streams.output.write(latin1(chunk)),
      error: (text) => streams.error.write(latin1(text)),
      note: (text) => {
        if (streams.terminal) streams.output.write(latin1(text));
      },
    },
  });

  const history = streams.terminal ? historyPath(settings.env) : undefined;
  let firing: Set<string> | undefined;
  let allProbes: string[] | undefined;
  const completion: CompletionContext = {
    probeNames: () => (allProbes ??= session.host.listProbes()),
    firingProbes: () =>
      (firing ??= probesThatFire(
        source,
        session.host,
        settings.replay === undefined ? SIMULATION_SAMPLE_NS : undefined,
      )),
    mapNames: () => session.mapNames(),
    probeNumbers: () => session.probePieces().map((p) => p.number),
    cwd: settings.cwd,
  };
  const rl = createInterface({
    input: streams.input,
    output: streams.terminal ? streams.output : undefined,
    terminal: streams.terminal,
    prompt: PROMPT,
    completer: streams.terminal
      ? (line: string) => complete(toByteString(line), completion)
      : undefined,
    history: loadHistory(history),
    historySize: streams.terminal ? HISTORY_SIZE : 0,
    removeHistoryDuplicates: true,
  });
  rl.on('history', (lines: string[]) => saveHistory(history, lines));

  let pending: string[] = [];
  let running = false;
  let stop = false;
  const prompt = () => {
    if (!streams.terminal) return;
    rl.setPrompt(pending.length > 0 ? CONTINUATION_PROMPT : PROMPT);
    rl.prompt();
  };
  rl.on('SIGINT', () => {
    if (running) {
      stop = true;
      return;
    }
    // At the prompt, Ctrl-C abandons the line and the unfinished entry, not the session.
    clearLine(rl);
    pending = [];
    streams.output.write('^C\n');
    prompt();
  });
  // With piped input a Ctrl-C is a signal; it too stops a running .run only.
  const onSignal = () => {
    stop = true;
  };

  const context: CommandContext = {
    session,
    cwd: settings.cwd,
    write: (text) => streams.output.write(latin1(text)),
    stopRequested: () => stop,
  };
  const command = async (line: string) => {
    running = true;
    stop = false;
    if (!streams.terminal) process.on('SIGINT', onSignal);
    try {
      await runCommand(line, context);
    } finally {
      if (!streams.terminal) process.off('SIGINT', onSignal);
      running = false;
    }
  };
  const addPending = () => {
    const text = pending.join('\n');
    pending = [];
    session.add(text);
  };

  prompt();
  for await (const raw of rl) {
    const line = toByteString(raw);
    if (pending.length > 0 && /^\s*\.break\s*$/.test(line)) pending = [];
    else if (isCommandLine(line) && (pending.length === 0 || !bracketsOpen(pending.join('\n')))) {
      // A command after a header that never got its body: the header is an entry of its own.
      if (pending.length > 0) addPending();
      if (!session.ended) await command(line);
    } else if (pending.length > 0 || line.trim() !== '') {
      pending.push(line);
      if (!needsMoreLines(pending.join('\n'))) addPending();
    }
    if (session.ended) break;
    prompt();
  }
  // End of input (Ctrl-D) ends the session as .exit does; an unfinished entry is dropped.
  if (pending.length > 0)
    session.error(`ERROR: the input ended inside an unfinished entry; it was not attached\n`);
  const status = session.finish();
  rl.close();
  return status;
}

/** Input lines are UTF-8 text; the pipeline works on byte strings (one char per byte). */
function toByteString(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

function clearLine(rl: Interface): void {
  rl.write(null, { ctrl: true, name: 'e' });
  rl.write(null, { ctrl: true, name: 'u' });
}
