// `bpfscope --live`: the CLI's entry to the kernel backend — the live ProbeHost for checking
// and `-l`, then the run with -c/-p, -o and -f as for the VM backend.

import { execSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Program } from '../../compiler/program';
import type { CliOptions } from '../cli/args';
import type { CliIo } from '../cli/io';
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

export function liveHost(_options: CliOptions, io: CliIo): LiveHost {
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
}): Promise<number> {
  const { program, host, options, io } = args;
  const pid = parsePid(options.pid);
  const attached = attachProbes(program, host);
  if (options.record !== undefined) checkRecordable(attached.map((a) => a.point));
  const chunks: Buffer[] = [];
  const write =
    options.output !== undefined
      ? (c: string | Uint8Array) =>
          chunks.push(Buffer.from(typeof c === 'string' ? Buffer.from(c, 'latin1') : c))
      : (c: string | Uint8Array) => io.writeStdout(c);
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
      record:
        options.record !== undefined
          ? {
              tracepoints: host.catalog.tracepoints,
              write: (events, startNs, endNs, ncpus) => {
                const source = recordedSession(host, events, startNs, endNs, ncpus);
                const writer = createTraceWriter(
                  resolve(io.cwd, options.record!),
                  source,
                  attached.map((a) => a.point),
                );
                for (const event of events) writer.write(event);
                writer.close();
              },
            }
          : undefined,
    });
    if (options.output !== undefined)
      writeFileSync(resolve(io.cwd, options.output), Buffer.concat(chunks));
    return result.exitCode;
  } finally {
    child?.kill();
  }
}
