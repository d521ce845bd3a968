// `bpfscope --live`: the CLI's entry to the kernel backend — the live ProbeHost for checking
// and `-l`, then the run with -c/-p, -o and -f as for the VM backend.

import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Program } from '../../compiler/program';
import type { CliOptions } from '../cli/args';
import type { CliIo } from '../cli/io';
import { OutputSink, type StreamedFile } from '../cli/output_file';
import { parseDuration } from '../cli/duration';
import { Output } from '../output/index';
import { attachProbes } from '../run';
import { createLiveHost, type LiveHost } from './catalog';
import { startChild, type ChildProcess } from './child';
import { LiveError } from './errors';
import { libc } from './ffi';
import { runLive } from './run_live';
import { checkRecordable } from './recorder';
import { createTraceWriter } from '../../probes/trace/writer';
import type { Event } from '../../probes/event';
import type { EventSource } from '../../probes/source';

/** A finished live session as an event source: what the recording's header describes. */
function recordedSession(
  host: LiveHost,
  events: Event[],
  startNs: bigint,
  endNs: bigint,
  ncpus: number,
): EventSource {
  return {
    name: 'live',
    catalog: host.catalog,
    symbols: host.symbols,
    ncpus,
    startNs,
    endNs,
    events: () => events,
  };
}

export type { LiveHost };

export function liveHost(options: CliOptions, io: CliIo): LiveHost {
  libc();
  return createLiveHost(io.cwd, undefined, parsePid(options.pid));
}

function parsePid(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new LiveError(`pid '${text}' is not a number`);
  const pid = Number(text);
  try {
    process.kill(pid, 0);
  } catch {
    throw new LiveError(`pid ${pid} does not exist`);
  }
  return pid;
}

export async function runLiveCli(args: {
  program: Program;
  host: LiveHost;
  options: CliOptions;
  io: CliIo;
  /** -o and --record, opened before anything attaches (src/cli/output_file.ts). */
  outputFile?: StreamedFile;
  recordFile?: StreamedFile;
}): Promise<number> {
  const { program, host, options, io, outputFile, recordFile } = args;
  const pid = parsePid(options.pid);
  const attached = attachProbes(program, host);
  if (options.record !== undefined) checkRecordable(attached.map((a) => a.point));
  const sink = new OutputSink(
    outputFile ? (bytes) => outputFile.write(bytes) : (bytes) => io.writeStdout(bytes),
    options.buffering,
  );
  const write = (chunk: string | Uint8Array) => sink.write(chunk);
  const output = new Output(program, options.format, write, {
    symbols: host.symbols,
    writeError: (text) => io.writeStderr(text),
    readFile: (path) => {
      try {
        return new Uint8Array(readFileSync(resolve(io.cwd, path)));
      } catch {
        return undefined;
      }
    },
    runCommand: (command) => {
      try {
        return new Uint8Array(
          execSync(command, { cwd: io.cwd, stdio: ['ignore', 'pipe', 'inherit'] }),
        );
      } catch (e) {
        const out = (e as { stdout?: Buffer }).stdout;
        return new Uint8Array(out ?? Buffer.alloc(0));
      }
    },
  });
  let child: ChildProcess | undefined;
  if (options.command !== undefined) child = startChild(options.command, io.cwd);
  try {
    const result = await runLive({
      program,
      attached,
      output,
      tracefs: host.tracefs,
      cwd: io.cwd,
      quiet: options.quiet,
      pid,
      child,
      durationNs: options.duration !== undefined ? parseDuration(options.duration) : undefined,
      onAttached: () => {
        if (io.env.__BPFTRACE_NOTIFY_PROBES_ATTACHED !== undefined)
          io.writeStdout('__BPFTRACE_NOTIFY_PROBES_ATTACHED\n');
      },
      writeError: (text) => io.writeStderr(text),
      onBatch: () => sink.endOfBatch(),
      record:
        options.record !== undefined
          ? {
              tracepoints: host.catalog.tracepoints,
              write: (events, startNs, endNs, ncpus) => {
                const source = recordedSession(host, events, startNs, endNs, ncpus);
                const writer = createTraceWriter(
                  recordFile
                    ? (text) => recordFile.write(Buffer.from(text, 'utf8'))
                    : (text) => io.writeStdout(Buffer.from(text, 'utf8')),
                  source,
                  attached.map((a) => a.point),
                );
                for (const event of events) writer.write(event);
                writer.flush();
              },
            }
          : undefined,
    });
    return result.exitCode;
  } finally {
    sink.flush();
    child?.kill();
  }
}
