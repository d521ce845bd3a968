// A REPL session: the pieces attached so far, compiled together through the normal pipeline
// (compileSource → attachProbes → Runtime → Output, driven by run.ts's ProbeDispatcher), an
// event stream on one virtual clock, and the operations the dot-commands need. No terminal
// here: what it prints goes to a SessionSink.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderDiagnostic, type Diagnostic } from '../../grammar/diagnostics';
import { printProgram } from '../../grammar/index';
import { disassemble } from '../../compiler/isa/disasm';
import { typeName } from '../../compiler/types';
import type { ScriptMapInfo } from '../../compiler/program';
import { createProbeHost, type ProbeListing } from '../../probes/host';
import type { EventSource } from '../../probes/source';
import { compileSource, type CompileResult } from '../compile';
import {
  AttachError,
  attachProbes,
  ProbeDispatcher,
  type AttachedProbe,
  setStartTime,
} from '../run';
import { Output, type OutputEnv, type OutputFormat } from '../output/index';
import { Runtime, VerifierError, VmError, type Executor } from '../runtime/index';
import { carryMaps } from './carry';
import { classifyEntry } from './entry';
import {
  JoinedScript,
  newPiece,
  onceOrigin,
  onceText,
  orderPieces,
  RETIRED_BEGIN,
  type Piece,
} from './script';
import type { ResolvedAttachPoint } from '../../compiler/host';
import type { Probe } from '../../grammar/ast';
import { SessionStream, type Reopen } from './stream';

/** Where a session's text goes. */
export interface SessionSink {
  /** What the probes print and what .print/.exit print (bytes as a byte string or array). */
  output(chunk: string | Uint8Array): void;
  /** Diagnostics and command errors. */
  error(text: string): void;
  /** Confirmations meant for a person at a terminal. */
  note(text: string): void;
}

export interface SessionOptions {
  source: EventSource;
  /** A recorded trace steps by events; a simulation by time. */
  kind: 'simulation' | 'trace';
  /** Moves the end of a simulated source further (see SessionStream). */
  reopen?: Reopen;
  format: OutputFormat;
  strlen: number;
  mapKeysMax: number;
  params: string[];
  unsafe: boolean;
  seed: number;
  /** The executor of the session's programs (default the JIT). */
  executor?: Executor;
  cwd: string;
  sink: SessionSink;
}

interface Compiled {
  script: JoinedScript;
  result: CompileResult & Required<Pick<CompileResult, 'ast' | 'checked' | 'program'>>;
  attached: AttachedProbe[];
  runtime: Runtime;
  output: Output;
  dispatcher: ProbeDispatcher;
}

/** How a `.run` ended. */
export type RunEnd = 'done' | 'stopped' | 'exited' | 'fault' | 'end-of-source';

const SECOND = 1_000_000_000n;
/** `.run` without a duration on a trace delivers this many events. */
const TRACE_STEP_EVENTS = 10;

export class ReplSession {
  readonly host: ProbeListing;
  readonly stream: SessionStream;
  private pieces: Piece[] = [];
  private compiled: Compiled | undefined;
  private nextNumber = 1;
  /** Set once the session is over (exit() or .exit): the status to exit with. */
  exitCode: number | undefined;

  constructor(private readonly options: SessionOptions) {
    this.host = createProbeHost(options.source);
    this.stream = new SessionStream(options.source, options.reopen);
  }

  get ended(): boolean {
    return this.exitCode !== undefined;
  }

  /** Script map names, for completion. */
  mapNames(): string[] {
    return [...(this.compiled?.result.checked.maps.keys() ?? [])];
  }

  /** Attached probes (not statement lists), with their numbers. */
  probePieces(): Piece[] {
    return this.pieces.filter((p) => p.kind === 'probe');
  }

  // ---- adding and removing pieces -----------------------------------------------------

  /** Compiles an entry together with everything attached; on success attaches it and runs
   *  its BEGIN blocks (a statement list runs now). Returns false when it was rejected. */
  add(text: string, sourceName = 'stdin'): boolean {
    if (this.ended) return false;
    const entry = classifyEntry(text, sourceName);
    if (entry.kind === 'error') {
      this.reportDiagnostics(entry.diagnostics, sourceName, text);
      return false;
    }
    const addedAt = this.stream.now;
    const fresh: Piece[] =
      entry.kind === 'once'
        ? [
            newPiece(
              'once',
              onceText(entry.text),
              onceOrigin(entry.text, sourceName),
              addedAt,
              true,
            ),
          ]
        : [
            ...entry.preamble.map((p) =>
              newPiece(
                'preamble',
                p.text,
                { sourceName, entry: text, line: p.line, column: p.column },
                addedAt,
                false,
              ),
            ),
            ...entry.probes.map((p) =>
              newPiece(
                'probe',
                p.text,
                { sourceName, entry: text, line: p.line, column: p.column },
                addedAt,
                p.node.attachPoints.some((a) => a.raw === 'BEGIN'),
              ),
            ),
          ];
    const pieces = orderPieces([...this.pieces, ...fresh]);
    const compiled = this.build(pieces, new Set(fresh));
    if (compiled === undefined) return false;
    if (compiled === null) {
      this.pieces = pieces;
      return true;
    }
    for (const p of fresh) if (p.kind === 'probe') p.number = this.nextNumber++;
    this.install(compiled);
    for (const p of fresh)
      if (p.kind === 'probe')
        this.options.sink.note(`probe ${p.number} attached: ${headerOf(p.text)}\n`);
    const freshIndexes = new Set(
      fresh.filter((p) => p.kind !== 'preamble').map((p) => this.probeIndexOf(p)),
    );
    this.guard(() =>
      compiled.dispatcher.runSpecial('BEGIN', this.stream.now, (i) => freshIndexes.has(i)),
    );
    for (const p of fresh) p.ran = p.begin;
    this.afterInvocations();
    return true;
  }

  /** Detaches probe `number`; its maps keep their contents while other pieces use them. */
  detach(number: number): boolean {
    const piece = this.probePieces().find((p) => p.number === number);
    if (!piece) return this.fail(`no probe ${number} (see .probes)`);
    const rest = this.pieces.filter((p) => p !== piece);
    const compiled = this.build(rest, new Set());
    if (compiled === undefined) return false;
    const before = this.mapNames();
    if (compiled === null) {
      this.pieces = rest;
      this.compiled = undefined;
      this.stream.setProbes([]);
    } else this.install(compiled);
    this.options.sink.note(`probe ${number} detached\n`);
    const kept = new Set(this.mapNames());
    for (const name of before)
      if (!kept.has(name)) this.options.sink.note(`${name} dropped: nothing attached uses it\n`);
    return true;
  }

  /** Compiles `pieces`; reports diagnostics (warnings only of `fresh` pieces). */
  private build(pieces: Piece[], fresh: Set<Piece>): Compiled | null | undefined {
    const script = new JoinedScript(pieces);
    // Definitions without any probe yet are kept for the probes to come.
    if (!pieces.some((p) => p.kind !== 'preamble')) return null;
    const o = this.options;
    const result = compileSource(script.text, {
      sourceName: 'stdin',
      source: script.text,
      strlen: o.strlen,
      mapKeysMax: o.mapKeysMax,
      params: o.params,
      unsafe: o.unsafe,
      host: this.host,
    });
    for (const d of result.diagnostics) {
      const { piece, diagnostic } = script.locate(d);
      if (d.severity === 'warning' && !(piece && fresh.has(piece))) continue;
      if (!piece) o.sink.error(renderDiagnostic(d, 'stdin', script.text));
      else {
        const where = fresh.has(piece) ? '' : `in ${describe(piece)}: `;
        o.sink.error(
          where + renderDiagnostic(diagnostic, piece.origin.sourceName, piece.origin.entry),
        );
      }
    }
    const { ast, checked, program } = result;
    if (!ast || !checked || !program) return undefined;
    try {
      const attached = attachProbes(program, this.host);
      const runtime = new Runtime(program, {
        ncpus: o.source.ncpus,
        seed: o.seed,
        executor: o.executor,
      });
      setStartTime(runtime, o.source.startNs);
      const output = new Output(
        program,
        o.format,
        (chunk) => o.sink.output(chunk),
        this.outputEnv(),
      );
      return {
        script,
        result: { ...result, ast, checked, program },
        attached,
        runtime,
        output,
        dispatcher: new ProbeDispatcher(attached, runtime, output),
      };
    } catch (e) {
      if (e instanceof AttachError || e instanceof VerifierError) {
        this.fail(e.message);
        return undefined;
      }
      throw e;
    }
  }

  private install(compiled: Compiled): void {
    if (this.compiled) {
      for (const name of carryMaps(this.compiled.runtime, compiled.runtime))
        this.options.sink.note(`${name}: its type changed; its contents were dropped\n`);
    }
    this.pieces = compiled.script.pieces.slice();
    this.compiled = compiled;
    this.stream.setProbes(this.eventPoints());
  }

  /** The attach points that take events from the source. */
  private eventPoints(): ResolvedAttachPoint[] {
    return (this.compiled?.attached ?? [])
      .map((a) => a.point)
      .filter((p) => p.provider !== 'BEGIN' && p.provider !== 'END' && p.name !== RETIRED_BEGIN);
  }

  /** Index of a piece's probe block in the compiled program. */
  private probeIndexOf(piece: Piece): number {
    return this.pieces.filter((p) => p.kind !== 'preamble').indexOf(piece);
  }

  private outputEnv(): OutputEnv {
    return {
      symbols: this.options.source.symbols,
      writeError: (text) => this.options.sink.error(text),
      readFile: (path) => {
        try {
          return new Uint8Array(readFileSync(resolve(this.options.cwd, path)));
        } catch {
          return undefined;
        }
      },
    };
  }

  // ---- running --------------------------------------------------------------------------

  /**
   * Advances the clock by `durationNs` (default: to the next interval tick, the next events of
   * a trace, or one second), delivering the events in between. `stopRequested` is polled
   * between events of different times; the run yields to the event loop now and then so
   * that a Ctrl-C can be seen.
   */
  async run(durationNs?: bigint, stopRequested: () => boolean = () => false): Promise<RunEnd> {
    if (this.ended) return 'exited';
    const stream = this.stream;
    if (stream.atEnd) return 'end-of-source';
    const countLimit = durationNs === undefined ? this.defaultEventCount() : undefined;
    const wanted = durationNs !== undefined ? stream.now + durationNs : this.defaultTarget();
    const limit = await stream.prepare(wanted);
    const compiled = this.compiled;
    let delivered = 0;
    let sliceStart = performance.now();
    for (let last: bigint | undefined; ;) {
      const nextTs = stream.peekTime(limit);
      if (nextTs === undefined) break;
      if (last !== undefined && nextTs !== last) {
        if (countLimit !== undefined && delivered >= countLimit) {
          stream.finish(last);
          return 'done';
        }
        if (performance.now() - sliceStart > 25) {
          await new Promise((r) => setImmediate(r));
          sliceStart = performance.now();
        }
        if (stopRequested()) {
          stream.finish(last);
          return 'stopped';
        }
      }
      const event = stream.next(limit)!;
      last = event.ts;
      delivered++;
      if (!compiled) continue;
      if (!this.guard(() => compiled.dispatcher.deliver(event))) {
        stream.finish(event.ts);
        return 'fault';
      }
      if (compiled.dispatcher.exit) {
        stream.finish(event.ts);
        this.afterInvocations();
        return 'exited';
      }
    }
    stream.finish(limit);
    return limit < wanted || stream.atEnd ? 'end-of-source' : 'done';
  }

  private intervalPeriods(): bigint[] {
    return this.eventPoints()
      .filter((p) => p.provider === 'interval' && p.periodNs)
      .map((p) => p.periodNs!);
  }

  /** The next interval tick after now (ticks are counted from the source's start), or 1 s. */
  private defaultTarget(): bigint {
    const now = this.stream.now;
    const start = this.stream.startNs;
    const ticks = this.intervalPeriods().map((p) => start + ((now - start) / p + 1n) * p);
    if (ticks.length > 0) return ticks.reduce((a, b) => (b < a ? b : a));
    if (this.stepsByEvents()) return this.stream.endNs!;
    return now + SECOND;
  }

  private defaultEventCount(): number | undefined {
    return this.stepsByEvents() ? TRACE_STEP_EVENTS : undefined;
  }

  /** A trace without interval probes steps by events, when there are probes to see them. */
  private stepsByEvents(): boolean {
    return this.isTrace() && this.intervalPeriods().length === 0 && this.eventPoints().length > 0;
  }

  private isTrace(): boolean {
    return this.options.kind === 'trace';
  }

  /** Runs END, prints the maps as at exit, and ends the session. */
  finish(): number {
    if (this.ended) return this.exitCode!;
    this.exitCode = 0;
    this.runEnd();
    return this.exitCode;
  }

  private runEnd(): void {
    const compiled = this.compiled;
    if (!compiled) return;
    compiled.dispatcher.exit = undefined;
    this.guard(() => compiled.dispatcher.runSpecial('END', this.stream.now));
    compiled.output.printMapsAtExit(compiled.runtime);
  }

  /** After BEGIN blocks or events: an exit() ends the session as it ends a bpftrace run. */
  private afterInvocations(): void {
    const exit = this.compiled?.dispatcher.exit;
    if (!exit || this.ended) return;
    this.exitCode = exit.code;
    this.runEnd();
  }

  /** Runs probe programs; a VM fault is reported and stops what was running. */
  private guard(body: () => void): boolean {
    try {
      body();
      return true;
    } catch (e) {
      if (e instanceof VmError) return this.fail(e.message);
      throw e;
    }
  }

  // ---- looking at things ------------------------------------------------------------------

  private scriptMap(name: string): { id: number; info: ScriptMapInfo } | undefined {
    const def = this.compiled?.result.program.maps.find((m) => m.name === name && m.script);
    return def ? { id: def.id, info: def.script! } : undefined;
  }

  private mapsNamed(name: string | undefined): { id: number; name: string }[] | undefined {
    const program = this.compiled?.result.program;
    if (name === undefined) {
      return (program?.maps ?? [])
        .filter((m) => m.script)
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    }
    const map = this.scriptMap(name);
    if (!map) {
      this.fail(`no map ${name} (see .maps)`);
      return undefined;
    }
    return [{ id: map.id, name }];
  }

  /** `.print [@MAP]`: as print(@MAP) prints it; every map when no name is given. */
  printMaps(name?: string): boolean {
    const maps = this.mapsNamed(name);
    if (!maps) return false;
    const c = this.compiled;
    if (c) for (const m of maps) c.output.printMap(m.id, c.runtime);
    return true;
  }

  /** `.clear [@MAP]`: as clear(@MAP) does; every map when no name is given. */
  clearMaps(name?: string): boolean {
    const maps = this.mapsNamed(name);
    if (!maps) return false;
    const c = this.compiled;
    if (c) for (const m of maps) c.runtime.clearMap(m.id);
    return true;
  }

  /** `.maps`: one line per map, `@name[key types]: value (N entries)`. */
  mapsListing(): string {
    const c = this.compiled;
    if (!c) return '';
    const names = [...c.result.checked.maps.keys()].sort();
    return names
      .map((name) => {
        const info = c.result.checked.maps.get(name)!;
        const keys = info.keyTypes.length ? `[${info.keyTypes.map(typeName).join(', ')}]` : '';
        const value =
          info.value.kind === 'aggregation'
            ? aggregationName(info.value.aggregation)
            : typeName(info.value.type);
        const map = this.scriptMap(name);
        const count = map ? c.runtime.mapEntries(map.id).length : 0;
        return `${name}${keys}: ${value} (${count} ${count === 1 ? 'entry' : 'entries'})\n`;
      })
      .join('');
  }

  /** `.probes`: `N: text`, one line per attached probe. */
  probesListing(): string {
    return this.probePieces()
      .map((p) => {
        const at =
          p.addedAt > this.stream.startNs ? `  (attached at ${this.clockText(p.addedAt)})` : '';
        return `${p.number}: ${p.text.replace(/\s*\n\s*/g, ' ')}${at}\n`;
      })
      .join('');
  }

  private selected(number: number | undefined): Piece[] | undefined {
    const probes = this.probePieces();
    if (number === undefined) return probes;
    const piece = probes.find((p) => p.number === number);
    if (!piece) {
      this.fail(`no probe ${number} (see .probes)`);
      return undefined;
    }
    return [piece];
  }

  /** `.disasm [N]`: the probe's bytecode, as `-d` shows it. */
  disasm(number?: number): string | undefined {
    const c = this.compiled;
    const pieces = this.selected(number);
    if (!pieces || !c) return pieces ? '' : undefined;
    return pieces
      .map((piece) => {
        const probe = c.result.program.probes[this.probeIndexOf(piece)]!;
        return `${piece.number}: ${headerOf(piece.text)}:\n${disassemble(probe.bytecode)}`;
      })
      .join('\n');
  }

  /** `.ast [N]`: the probe as the parser understood it, printed back as source. */
  ast(number?: number): string | undefined {
    const c = this.compiled;
    const pieces = this.selected(number);
    if (!pieces || !c) return pieces ? '' : undefined;
    const ast = c.result.ast;
    return printProgram({
      ...ast,
      preamble: number === undefined ? ast.preamble : [],
      probes: pieces.map((p) => unretired(ast.probes[this.probeIndexOf(p)]!)),
    });
  }

  /** `.save`: the session's definitions and probes as a script. */
  scriptText(): string {
    return this.pieces
      .filter((p) => p.kind !== 'once')
      .map((p) => `${p.text}\n`)
      .join('\n');
  }

  /** Virtual time since the start of the source, e.g. `+1.250s`. */
  clockText(at: bigint = this.stream.now): string {
    const ms = (at - this.stream.startNs) / 1_000_000n;
    return `+${ms / 1000n}.${(ms % 1000n).toString().padStart(3, '0')}s`;
  }

  private reportDiagnostics(diagnostics: Diagnostic[], sourceName: string, text: string): void {
    for (const d of diagnostics) this.options.sink.error(renderDiagnostic(d, sourceName, text));
  }

  private fail(message: string): false {
    this.error(`ERROR: ${message}\n`);
    return false;
  }

  error(text: string): void {
    this.options.sink.error(text);
  }

  note(text: string): void {
    this.options.sink.note(text);
  }
}

/** A retired BEGIN probe as it was entered. */
function unretired(probe: Probe): Probe {
  return {
    ...probe,
    attachPoints: probe.attachPoints.map((a) =>
      a.raw === RETIRED_BEGIN ? { ...a, raw: 'BEGIN' } : a,
    ),
  };
}

function describe(piece: Piece): string {
  if (piece.kind === 'probe') return `probe ${piece.number}`;
  return piece.kind === 'once' ? 'an earlier statement' : 'an earlier definition';
}

function headerOf(text: string): string {
  const brace = text.indexOf('{');
  return (brace < 0 ? text : text.slice(0, brace)).replace(/\s+/g, ' ').trim();
}

function aggregationName(a: { kind: string; min?: bigint; max?: bigint; step?: bigint }): string {
  return a.kind === 'lhist' ? `lhist(${a.min}, ${a.max}, ${a.step})` : a.kind;
}
