// The bpfscope command: bpftrace 0.17's command line, run in-process against a CliIo so the
// same code serves the real process, the tests and the conformance runner.

import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs, renderUsageError, usage, UsageError, type CliOptions } from './args';
import type { CliIo } from './io';
import { DEFAULT_MAP_KEYS_MAX, DEFAULT_STRLEN, MAX_STRLEN } from '../../compiler/host';
import { renderDiagnostics } from '../../grammar/diagnostics';
import { compileSource } from '../compile';
import type { Program } from '../../compiler/program';
import type { Program as Ast } from '../../grammar/ast';
import { attachProbes, AttachError, runProgram } from '../run';
import { executorFromEnv, Runtime, VerifierError, VmError, type Executor } from '../runtime/index';
import { BadRecordError, Output } from '../output/index';
import { createProbeHost } from '../../probes/host';
import { openSource, SourceError, workloadHelp } from '../sources';
import { createTraceWriter } from '../../probes/trace/writer';
import { TraceFileError } from '../../probes/trace/errors';
import type { OutputEnv } from '../output/index';
import type { EventSource } from '../../probes/source';
import type { AttachedProbe } from '../run';
import { printDebug } from './debug';
import { writeObject, readObject, ObjectFileError } from '../../compiler/elf/index';
import { parseDuration } from './duration';
import { programCallsExit } from './exit_detect';
import { VERSION } from '../version';
import { runRepl } from '../repl/index';
import { VmBackend } from '../vm_backend';
import { Progress } from './progress';
import { decode, IsaError } from '../../compiler/isa/encode';
import { liveHost, runLiveCli, type LiveHost } from '../live/cli';
import { LiveError } from '../live/errors';
import { OutputFileError, OutputSink, StreamedFile, writeWholeFile } from './output_file';
import { strerror } from '../output/strerror';
import { checkResultFiles, refuseResultFilesLive, ResultFileError, RunResults } from './results';
import { serveMetrics } from './metrics_endpoint';
import { MetricsAddressError } from '../metrics/server';

/** A user error: printed as one line on stderr, exit status 1. */
export class CliError extends Error {}

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];

interface ScriptInput {
  sourceName: string;
  text?: string;
  object?: Uint8Array;
}

async function readScript(options: CliOptions, io: CliIo): Promise<ScriptInput> {
  if (options.program !== undefined) return { sourceName: 'stdin', text: options.program };
  if (options.file === undefined) throw new UsageError("USAGE: filename or -e 'program' required.");
  if (options.file === '-') {
    return { sourceName: 'stdin', text: Buffer.from(await io.readStdin()).toString('latin1') };
  }
  const path = resolve(io.cwd, options.file);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const reason = strerror(BigInt(Math.abs((e as NodeJS.ErrnoException).errno ?? 5)));
    throw new CliError(`failed to open file '${options.file}': ${reason}`);
  }
  if (ELF_MAGIC.every((b, i) => bytes[i] === b)) {
    return { sourceName: options.file, object: new Uint8Array(bytes) };
  }
  return { sourceName: options.file, text: bytes.toString('latin1') };
}

/** bpftrace's numeric environment variables: digits only (0 is taken as it is). */
/** BPFSCOPE_EXECUTOR=interpreter runs programs on the reference interpreter instead of the JIT. */
function envExecutor(env: CliIo['env']): Executor | undefined {
  try {
    return executorFromEnv(env);
  } catch (e) {
    throw new CliError((e as Error).message);
  }
}

function envInteger(env: CliIo['env'], name: string, fallback: number, max?: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) {
    throw new CliError(`Env var '${name}' did not contain a valid uint64_t, or was zero-valued.`);
  }
  const value = Number(raw);
  if (max !== undefined && value > max) {
    throw new CliError(`'${name}' ${value} exceeds the current maximum of ${max} bytes.`);
  }
  return value;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const repl = argv[0] === 'repl';
  let options: CliOptions;
  try {
    if (argv.length === 0) throw new UsageError('');
    options = parseArgs(repl ? argv.slice(1) : argv);
  } catch (e) {
    if (e instanceof UsageError) {
      io.writeStderr(renderUsageError(e));
      return 1;
    }
    throw e;
  }
  try {
    return await (repl ? runReplWithOptions(options, io) : runWithOptions(options, io));
  } catch (e) {
    if (e instanceof TraceFileError || (e instanceof SourceError && e.located)) {
      io.writeStderr(`${e.message}\n`);
      return 1;
    }
    if (e instanceof VerifierError) {
      const probe = (e as VerifierError & { probeIndex?: number }).probeIndex;
      io.writeStderr(
        `ERROR: the verifier refused probe ${probe ?? '?'} at instruction ${e.insnIndex}: ${e.message}\n`,
      );
      return 1;
    }
    if (e instanceof VmError || e instanceof BadRecordError) {
      io.writeStderr(`ERROR: ${e.message}\n`);
      return 1;
    }
    if (e instanceof UsageError) {
      io.writeStderr(renderUsageError(e));
      return 1;
    }
    if (
      e instanceof CliError ||
      e instanceof SourceError ||
      e instanceof ObjectFileError ||
      e instanceof AttachError ||
      e instanceof LiveError ||
      e instanceof OutputFileError ||
      e instanceof ResultFileError ||
      e instanceof MetricsAddressError
    ) {
      io.writeStderr(`ERROR: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

async function runWithOptions(options: CliOptions, io: CliIo): Promise<number> {
  if (options.help) {
    io.writeStdout(usage() + workloadHelp());
    return 0;
  }
  if (options.version) {
    io.writeStdout(`bpfscope v${VERSION} (bpftrace v0.17.0 compatible)\n`);
    return 0;
  }
  if (!options.live && (options.command !== undefined || options.pid !== undefined)) {
    throw new CliError(
      `${options.command !== undefined ? '-c' : '-p'} needs live tracing of real processes: add --live, or use --replay with a recorded trace`,
    );
  }
  const { strlen, mapKeysMax } = environmentSettings(io.env);
  // A bad BPFSCOPE_EXECUTOR is refused before anything runs.
  envExecutor(io.env);
  const durationNs = options.duration !== undefined ? parseDuration(options.duration) : undefined;
  const sourceOptions = {
    replay: options.replay,
    workload: options.workload,
    seed: options.seed,
    durationNs,
    cwd: io.cwd,
    readStdin: io.readStdin,
  };

  if (options.info) {
    io.writeStdout(infoText());
    return 0;
  }
  if (options.list) {
    const host = options.live
      ? liveHost(options, io)
      : createProbeHost(await openSource(sourceOptions));
    const names = options.verbose
      ? host.listProbesVerbose(options.listPattern)
      : host.listProbes(options.listPattern);
    io.writeStdout(names.map((n) => `${n}\n`).join(''));
    return 0;
  }

  const script = await readScript(options, io);
  // The source is opened (a trace read and checked) once; only a simulation whose length
  // depends on the program is opened again below.
  const firstSource = options.live ? undefined : await openSource(sourceOptions);
  const host = firstSource ? createProbeHost(firstSource) : liveHost(options, io);
  let program: Program;
  let ast: Ast | undefined;
  if (script.object) {
    program = readObject(script.object, script.sourceName);
    checkBytecode(program, script.sourceName);
  } else {
    const result = compileSource(script.text ?? '', {
      sourceName: script.sourceName,
      source: script.text,
      strlen,
      mapKeysMax,
      params: options.params,
      unsafe: options.unsafe,
      host,
    });
    const shown = options.noWarnings
      ? result.diagnostics.filter((d) => d.severity === 'error')
      : result.diagnostics;
    if (shown.length > 0)
      io.writeStderr(renderDiagnostics(shown, script.sourceName, script.text ?? ''));
    if (options.debug > 0 && result.ast) {
      printDebug(io, options.debug, result);
      return result.program ? 0 : 1;
    }
    if (!result.program) return 1;
    program = result.program;
    ast = result.ast;
  }

  checkResultFiles(options, program);
  if (options.emitElf !== undefined) {
    writeWholeFile(resolve(io.cwd, options.emitElf), writeObject(program), options.emitElf);
    return 0;
  }
  if (options.dryRun) return 0;
  if (!firstSource) refuseResultFilesLive(options);

  // The files the run writes are opened before any probe attaches: one that cannot be written
  // fails the run before BEGIN.
  const outputFile =
    options.output !== undefined
      ? StreamedFile.open(resolve(io.cwd, options.output), options.output, 'output file')
      : undefined;
  let recordFile: StreamedFile | undefined;
  try {
    recordFile =
      options.record !== undefined && options.record !== '-'
        ? StreamedFile.open(resolve(io.cwd, options.record), options.record, 'record file')
        : undefined;
  } catch (e) {
    outputFile?.abandon();
    throw e;
  }
  const files = [outputFile, recordFile];
  try {
    const status = !firstSource
      ? await runLiveCli({ program, host: host as LiveHost, options, io, outputFile, recordFile })
      : await runAttached(options, io, {
          program,
          script,
          host,
          ast,
          firstSource,
          sourceOptions,
          durationNs,
          outputFile,
          recordFile,
        });
    for (const file of files) file?.close();
    return status;
  } catch (e) {
    for (const file of files) file?.abandon();
    throw e;
  }
}

interface RunInputs {
  program: Program;
  script: ScriptInput;
  host: ReturnType<typeof createProbeHost>;
  ast: Ast | undefined;
  firstSource: EventSource;
  sourceOptions: Parameters<typeof openSource>[0];
  durationNs: bigint | undefined;
  outputFile: StreamedFile | undefined;
  recordFile: StreamedFile | undefined;
}

async function runAttached(options: CliOptions, io: CliIo, inputs: RunInputs): Promise<number> {
  const { program, host, ast, firstSource, sourceOptions, durationNs } = inputs;
  const attached = attachProbes(program, host);
  const runDuration = durationNs ?? untilExitDuration(program, attached, ast);
  const source =
    options.replay !== undefined || runDuration === durationNs
      ? firstSource!
      : await openSource({ ...sourceOptions, durationNs: runDuration });
  const runtime = new Runtime(program, {
    ncpus: source.ncpus,
    seed: options.seed,
    executor: envExecutor(io.env),
  });

  const outputFile = inputs.outputFile;
  const sink = new OutputSink(
    outputFile ? (bytes) => outputFile.write(bytes) : (bytes) => io.writeStdout(bytes),
    options.buffering,
  );
  const results = new RunResults(options, program, inputs.script, source);
  const env = results.observe(outputEnv(source, io));
  const output = new Output(program, options.format, (chunk) => sink.write(chunk), env);
  const recordFile = inputs.recordFile;
  const recorder =
    options.record !== undefined
      ? createTraceWriter(
          recordFile
            ? (text) => recordFile.write(Buffer.from(text, 'utf8'))
            : (text) => io.writeStdout(Buffer.from(text, 'utf8')),
          source,
          attached.map((a) => a.point),
        )
      : undefined;
  if (options.verbose) io.writeStderr(verboseReport(program));
  const metrics =
    options.metrics !== undefined
      ? await serveMetrics(options.metrics, program, runtime, env, () => ({
          events: results.events,
          lostEvents: 0,
        }))
      : undefined;
  if (metrics && !options.quiet) io.writeStderr(`Serving metrics at ${metrics.url}\n`);
  let stopRequested = false;
  const releaseSignals = io.onStopSignal?.(() => {
    stopRequested = true;
  });
  const progress =
    io.stderrIsTerminal && !options.quiet
      ? new Progress((text) => io.writeStderr(text))
      : undefined;
  const backend = new VmBackend(runtime, source, attached, (event) => {
    recorder?.write(event);
    results.event(event);
  });
  try {
    const result = await runProgram({
      quiet: options.quiet,
      backend,
      attached,
      output,
      onAttached: () => {
        if (io.env.__BPFTRACE_NOTIFY_PROBES_ATTACHED !== undefined) {
          sink.flush();
          io.writeStdout('__BPFTRACE_NOTIFY_PROBES_ATTACHED\n');
        }
      },
      onBatchEnd: () => {
        // Output and the progress line share a terminal: the line goes before output does.
        if (sink.holds) progress?.clear();
        sink.endOfBatch();
        recorder?.flush();
        progress?.update(backend.fractionDone, backend.delivered);
      },
      shouldStop: () => stopRequested,
    });
    results.write(io.cwd, runtime, env, result);
    return result.exitCode;
  } finally {
    progress?.clear();
    await metrics?.close();
    releaseSignals?.();
    // What was produced before a failure stays written.
    sink.flush();
    recorder?.flush();
  }
}

/** `bpfscope repl [options]`: the source options as for a run; no script. The REPL needs the
 *  process's own streams (a terminal, or piped input read line by line). */
async function runReplWithOptions(options: CliOptions, io: CliIo): Promise<number> {
  if (options.help) {
    io.writeStdout(REPL_USAGE + workloadHelp());
    return 0;
  }
  const unsupported: [boolean, string][] = [
    [options.program !== undefined, '-e (enter the probes at the prompt)'],
    [options.file !== undefined, 'a script file (use .load FILE at the prompt)'],
    [options.list, '-l (use .list at the prompt)'],
    [options.output !== undefined, '-o'],
    [options.record !== undefined, '--record'],
    [
      options.folded !== undefined ||
        options.flamegraph !== undefined ||
        options.report !== undefined ||
        options.metrics !== undefined,
      '--folded / --flamegraph / --report / --metrics',
    ],
    [options.emitElf !== undefined, '--emit-elf'],
    [options.dryRun || options.debug > 0, '-d / --dry-run (use .disasm and .ast at the prompt)'],
    [options.command !== undefined || options.pid !== undefined, '-c / -p'],
  ];
  const bad = unsupported.find(([given]) => given);
  if (bad) throw new UsageError(`repl does not take ${bad[1]}`);
  if (options.replay === '-')
    throw new CliError('repl reads its commands from standard input; --replay needs a file');
  return runRepl(
    {
      replay: options.replay,
      workload: options.workload,
      seed: options.seed,
      durationNs: options.duration !== undefined ? parseDuration(options.duration) : undefined,
      format: options.format,
      ...environmentSettings(io.env),
      params: options.params,
      unsafe: options.unsafe,
      cwd: io.cwd,
      env: io.env,
      executor: envExecutor(io.env),
    },
    {
      input: process.stdin,
      output: process.stdout,
      error: process.stderr,
      terminal: !!process.stdin.isTTY && !!process.stdout.isTTY,
    },
  );
}

const REPL_USAGE = `USAGE:
    bpfscope repl [--workload NAME] [--seed N] [--duration TIME] [--replay FILE] [-f json] [--unsafe]

An interactive session over an event source: enter probes to attach them, statements to run
them once, and dot-commands (.run, .print, .maps, .probes, .help ...). With piped input it
prints only what the session prints: bpfscope repl < session.txt
`;

/** Without --duration, a program that calls exit() runs until it does, within a cap: an hour
 *  of virtual time when only timers fire (cheap to simulate), ten seconds otherwise. */
function untilExitDuration(
  program: Program,
  attached: AttachedProbe[],
  ast: Ast | undefined,
): bigint | undefined {
  if (!programCallsExit(program, ast)) return undefined;
  const timersOnly = attached.every((a) => ['BEGIN', 'END', 'interval'].includes(a.point.provider));
  return timersOnly ? 3_600_000_000_000n : 10_000_000_000n;
}

function outputEnv(source: EventSource, io: CliIo): OutputEnv {
  return {
    symbols: source.symbols,
    bootWallNs: source.bootWallNs ?? BigInt(Date.now()) * 1_000_000n - source.startNs,
    writeError: (text) => io.writeStderr(text),
    readFile: (path) => readBounded(resolve(io.cwd, path), CAT_LIMIT),
  };
}

/** A damaged object (bytes that are no eBPF instruction) is a one-line error naming the file,
 *  the program and the instruction; the verifier then judges the instructions themselves. */
function checkBytecode(program: Program, file: string): void {
  program.probes.forEach((probe, i) => {
    try {
      decode(probe.bytecode);
    } catch (e) {
      if (!(e instanceof IsaError)) throw e;
      throw new CliError(`${file}: program ${i} (${probe.attachPoints.join(', ')}): ${e.message}`);
    }
  });
}

/** cat() prints at most this many bytes of a file, as bpftrace 0.17 does. */
const CAT_LIMIT = 10240;

/** The first `limit` bytes of a file (a device such as /dev/zero has no end). */
function readBounded(path: string, limit: number): Uint8Array | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const buffer = new Uint8Array(limit);
    let filled = 0;
    while (filled < limit) {
      const n = readSync(fd, buffer, filled, limit - filled, null);
      if (n === 0) break;
      filled += n;
    }
    return buffer.subarray(0, filled);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** -v: what was loaded — each program's size and the verifier's verdict. */
function verboseReport(program: Program): string {
  const lines = program.probes.map(
    (probe, i) =>
      `INFO: program ${i} (${probe.attachPoints.join(',')}): ${probe.bytecode.length / 8} instruction slots, ${probe.stackSize} stack bytes, verified`,
  );
  const maps = program.maps.map(
    (m) =>
      `INFO: map ${m.name}: type ${m.bpfType}, key ${m.keySize} B, value ${m.valueSize} B, max ${m.maxEntries}`,
  );
  return [...lines, ...maps, ''].join('\n');
}

function infoText(): string {
  return [
    'System',
    `  OS: ${process.platform}`,
    `  Arch: ${process.arch}`,
    '',
    'Build',
    `  version: bpfscope v${VERSION}`,
    `  compatible with: bpftrace v0.17.0`,
    `  runtime: bpfscope eBPF VM (interpreter)`,
    '',
  ].join('\n');
}

/** BPFTRACE_STRLEN and BPFTRACE_MAP_KEYS_MAX, or bpftrace's defaults. */
function environmentSettings(env: CliIo['env']): { strlen: number; mapKeysMax: number } {
  return {
    strlen: envInteger(env, 'BPFTRACE_STRLEN', DEFAULT_STRLEN, MAX_STRLEN),
    mapKeysMax: envInteger(env, 'BPFTRACE_MAP_KEYS_MAX', DEFAULT_MAP_KEYS_MAX),
  };
}
