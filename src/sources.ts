// Opening the event source a run reads: the simulated workload (default), a recorded trace,
// or an strace log (told apart by the first line), plain or gzip-compressed.

import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { ResolvedAttachPoint } from '../compiler/host';
import type { EventSource } from '../probes/source';
import { createSimulatedSource, listWorkloads, UnknownWorkloadError } from '../probes/sim/source';
import { DEFAULT_WORKLOAD } from '../probes/sim/workloads';
import { replayFromText } from '../probes/replay';
import { createTraceWriter, type TraceWriter } from '../probes/trace/writer';
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

function decompress(bytes: Uint8Array, file: string): string {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return gunzipSync(bytes).toString('utf8');
    } catch (e) {
      throw new SourceError(`${file}: corrupt gzip data: ${(e as Error).message}`);
    }
  }
  return Buffer.from(bytes).toString('utf8');
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
    const text = decompress(await readReplayBytes(options, file), name);
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

export function createRecorder(
  path: string,
  source: EventSource,
  probes: readonly ResolvedAttachPoint[],
): TraceWriter {
  return createTraceWriter(path, source, probes);
}
