// The kernel backend's run (DESIGN.md, "kernel backend"): load the Program through bpf(),
// attach every probe, start the -c child, run BEGIN in this task, then drain the perf buffer
// as records come — each wake-up's records as one batch through src/output — until exit(),
// Ctrl-C/SIGTERM, the child's exit or the end of --duration; then detach, run END, print the
// maps read through bpf(), and release every kernel object.

import { readFileSync } from 'node:fs';
import { ELAPSED_MAP_NAME, type Program } from '../../compiler/program';
import type { AttachedProbe } from '../run';
import type { Output } from '../output/index';
import { Bpf } from './bpf';
import { attachPoint, type AttachContext } from './attach';
import { attachUsdt } from './usdt_attach';
import { KernelObjects, loadProgram, possibleCpus } from './loader';
import { KernelMaps } from './maps';
import { PerfBuffer } from './perf_buffer';
import { LiveError } from './errors';
import type { ChildProcess } from './child';
import { LiveRecorder } from './recorder';
import type { TracepointCatalog } from '../../probes/tracepoints';
import type { Event } from '../../probes/event';

export interface LiveRunOptions {
  program: Program;
  attached: AttachedProbe[];
  output: Output;
  tracefs: string;
  cwd: string;
  quiet?: boolean;
  /** -p PID */
  pid?: number;
  /** -c CMD, already started and waiting to run. */
  child?: ChildProcess;
  /** Stop after this long (ns), as a timeout. */
  durationNs?: bigint;
  onAttached?: () => void;
  /** Warnings to stderr ("Lost N events"). */
  writeError: (text: string) => void;
  /** After each batch of records (a wake-up's worth) has been handled. */
  onBatch?: () => void;
  /** --record: record every tracepoint event (formats from this catalog); `write` gets them in
   *  time order with the run's start and end times once the run has ended. */
  record?: {
    tracepoints: TracepointCatalog;
    write(events: Event[], startNs: bigint, endNs: bigint, ncpus: number): void;
  };
}

export interface LiveRunResult {
  exitCode: number;
}

export function cpuList(path: string): number[] {
  const cpus: number[] = [];
  for (const part of readFileSync(path, 'utf8').trim().split(',')) {
    const [a, b] = part.split('-').map(Number) as [number, number | undefined];
    for (let c = a; c <= (b ?? a); c++) cpus.push(c);
  }
  return cpus;
}

export async function runLive(options: LiveRunOptions): Promise<LiveRunResult> {
  const { program, attached, output } = options;
  const bpf = new Bpf();
  const objects = new KernelObjects(bpf);
  let perf: PerfBuffer | undefined;
  let recording: PerfBuffer | undefined;
  let stop: ((why: string) => void) | undefined;
  const onSignal = () => stop?.('signal');
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const ncpus = possibleCpus(readFileSync('/sys/devices/system/cpu/possible', 'utf8'));
    const online = cpuList('/sys/devices/system/cpu/online');
    loadProgram(objects, program);
    const maps = new KernelMaps(bpf, objects.maps, ncpus);
    const events = objects.maps.find((m) => m.def.name === '.events');
    if (!events) throw new Error('internal: the program has no .events map');
    perf = new PerfBuffer(objects, events.fd, online);
    const recorder = options.record
      ? new LiveRecorder(objects, options.record.tracepoints, ncpus)
      : undefined;
    recording = recorder ? new PerfBuffer(objects, recorder.outputFd, online) : undefined;

    const ctx: AttachContext = {
      objects,
      tracefs: options.tracefs,
      onlineCpus: online,
      pid: options.pid ?? options.child?.pid,
      cwd: options.cwd,
    };
    if (!options.quiet) output.attached(attached.length);
    // User probes in reverse, as bpftrace 0.17 attaches them: the kernel runs the uprobes of
    // one address last-attached first, so the script's first probe fires first.
    const user = (a: AttachedProbe) => ['uprobe', 'uretprobe', 'usdt'].includes(a.point.provider);
    const order = [...attached.filter((a) => !user(a)), ...attached.filter(user).reverse()];
    for (const a of order) {
      const fd = objects.programs[a.probeIndex]!;
      if (a.point.provider === 'usdt') attachUsdt(ctx, a.point, fd);
      else attachPoint(ctx, a.point, fd);
      // The recording program goes after the script's: every event it records, the script saw.
      if (recorder && a.point.provider === 'tracepoint')
        attachPoint(ctx, a.point, recorder.programFor(a.point));
    }
    options.onAttached?.();

    const elapsed = program.maps.find((m) => m.name === ELAPSED_MAP_NAME);
    if (elapsed) {
      const value = new Uint8Array(8);
      new DataView(value.buffer).setBigUint64(0, process.hrtime.bigint(), true);
      maps.update(elapsed.id, new Uint8Array(elapsed.keySize), value);
    }

    let exit: { code: number } | undefined;
    const handle = (record: Uint8Array) => {
      if (exit) return;
      const result = output.handleRecord(record, maps);
      if (result.exit) exit = result.exit;
    };
    const drain = () => {
      recording?.drain((record) => recorder!.take(record));
      perf!.drain(handle);
      options.onBatch?.();
    };
    const startNs = process.hrtime.bigint();
    const runSpecial = (provider: 'BEGIN' | 'END') => {
      for (const a of attached) {
        if (a.point.provider !== provider) continue;
        bpf.testRun(objects.programs[a.probeIndex]!, new Uint8Array(8 * 12));
        drain();
        if (exit && provider === 'BEGIN') return;
      }
    };

    runSpecial('BEGIN');
    const hasEvents = attached.some(
      (a) => a.point.provider !== 'BEGIN' && a.point.provider !== 'END',
    );
    let reportedLost = 0n;
    const reportLost = () => {
      if (perf!.lost > reportedLost) {
        options.writeError(`Lost ${perf!.lost - reportedLost} events\n`);
        reportedLost = perf!.lost;
      }
    };
    if (!exit) {
      let stopped: string | undefined;
      stop = (why) => (stopped ??= why);
      options.child?.onExit(() => stop?.('child'));
      options.child?.start();
      const deadline =
        options.durationNs !== undefined ? process.hrtime.bigint() + options.durationNs : undefined;
      while (!exit && !stopped && (hasEvents || options.child || deadline !== undefined)) {
        await perf.wait(50);
        drain();
        reportLost();
        if (deadline !== undefined && process.hrtime.bigint() >= deadline) stopped = 'duration';
      }
    }
    // Detach the event probes (their perf events close), then END and the maps.
    objects.detachProbes();
    drain();
    reportLost();
    const exitCode = exit?.code ?? 0;
    const endNs = process.hrtime.bigint();
    exit = undefined;
    runSpecial('END');
    exit = undefined;
    output.printMapsAtExit(maps);
    if (recorder) {
      if (recording!.lost > 0n)
        throw new LiveError(
          `the recording lost ${recording!.lost} events (its perf buffer overflowed); nothing was written`,
        );
      options.record!.write(recorder.sortedEvents(), startNs, endNs, ncpus);
    }
    return { exitCode };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    perf?.release();
    recording?.release();
    objects.close();
    options.child?.kill();
  }
}
