// Opening the event source a run reads: the simulated workload (default), a recorded trace,
// or an strace log (told apart by the first line), plain or gzip-compressed.

import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { EventSource } from '../probes/source';
import { createSimulatedSource, listWorkloads, UnknownWorkloadError } from '../probes/sim/source';
import { DEFAULT_WORKLOAD } from '../probes/sim/workloads';
import { replayFromText, replayText } from '../probes/replay';
import { TraceFileError } from '../probes/trace/errors';

/** A problem with the event source the user named; printed as one line, exit status 1. */
export class SourceError extends Error {
  /** True when the message already starts with its `FILE:LINE:COL: ERROR:` location. */
  constructor(
    message: string,
    readonly located = false,
  ) {
    super(message);
  }
}

export interface SourceOptions {
  replay?: string;
  workload?: string;
  seed: number;
  durationNs?: bigint;
  cwd: string;
  readStdin?: () => Promise<Uint8Array>;
}

async function readReplayBytes(options: SourceOptions, file: string): Promise<Uint8Array> {
  if (file === '-') {
    if (!options.readStdin) throw new SourceError('--replay -: standard input is not available');
    return options.readStdin();
  }
  const path = resolve(options.cwd, file);
  try {
    if (statSync(path).isDirectory()) throw new SourceError(`${file}: is a directory`);
    return readFileSync(path);
  } catch (e) {
    if (e instanceof SourceError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new SourceError(
      `${file}: cannot read the trace: ${code === 'ENOENT' ? 'no such file' : code}`,
    );
  }
}

export async function openSource(options: SourceOptions): Promise<EventSource> {
  try {
    if (options.replay === undefined) {
      return createSimulatedSource({
        workload: options.workload,
        seed: options.seed,
        durationNs: options.durationNs,
      });
    }
    const file = options.replay;
    const name = file === '-' ? 'stdin' : file;
    const text = replayText(await readReplayBytes(options, file), name);
    return replayFromText(text, name);
  } catch (e) {
    if (e instanceof UnknownWorkloadError) throw new SourceError(e.message);
    if (e instanceof TraceFileError) throw new SourceError(e.message, true);
    throw e;
  }
}

export function workloadHelp(): string {
  const rows = listWorkloads().map((w) => `    ${w.name.padEnd(16)} ${w.description}`);
  return `\nWORKLOADS (--workload NAME, default ${DEFAULT_WORKLOAD}):\n${rows.join('\n')}\n`;
}
