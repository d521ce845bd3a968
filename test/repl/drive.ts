// Drives a REPL session in-process through piped streams, and runs the CLI for comparison.

import { PassThrough, Readable } from 'node:stream';
import { DEFAULT_MAP_KEYS_MAX, DEFAULT_STRLEN } from '../../compiler/host';
import { runRepl, type ReplSettings } from '../../src/repl/index';
import { runCli } from '../../src/cli/run_cli';
import { memoryIo } from '../../src/cli/io';

export interface Driven {
  out: string;
  err: string;
  status: number;
}

function collect(stream: PassThrough): () => string {
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return () => Buffer.concat(chunks).toString('latin1');
}

export function settings(overrides: Partial<ReplSettings> = {}): ReplSettings {
  return {
    seed: 1,
    format: 'text',
    strlen: DEFAULT_STRLEN,
    mapKeysMax: DEFAULT_MAP_KEYS_MAX,
    params: [],
    unsafe: false,
    cwd: process.cwd(),
    env: { BPFSCOPE_HISTORY: '' },
    ...overrides,
  };
}

/** Runs a session over `lines` (piped: no prompts). */
export async function drive(lines: string, overrides: Partial<ReplSettings> = {}): Promise<Driven> {
  const output = new PassThrough();
  const error = new PassThrough();
  const out = collect(output);
  const err = collect(error);
  const status = await runRepl(settings(overrides), {
    input: Readable.from([lines]),
    output,
    error,
    terminal: false,
  });
  return { out: out(), err: err(), status };
}

/** `bpfscope ARGS` in-process. */
export async function cli(args: string[]): Promise<Driven> {
  const io = memoryIo({});
  const status = await runCli(args, io);
  return { out: io.stdout(), err: io.stderr(), status };
}

/** What `bpfscope -e` prints after its `Attaching N probes...` line. */
export async function afterAttaching(args: string[]): Promise<string> {
  const { out } = await cli(args);
  return out.slice(out.indexOf('\n') + 1);
}
