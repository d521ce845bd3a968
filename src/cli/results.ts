// Files a run writes from its maps at exit, beside the printed output: folded stacks
// (--folded), an SVG flame graph (--flamegraph) and the HTML report (--report). They are
// checked before the run starts (a flame graph of a program without a stack map is refused at
// once) and written after the exit dump, in place (a FIFO or /dev/stdout works); a run that
// fails writes none of them.

import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Program } from '../../compiler/program';
import type { Event } from '../../probes/event';
import type { EventSource } from '../../probes/source';
import type { MapStore, OutputEnv } from '../output/index';
import { readScriptMaps } from '../output/snapshot';
import { flameGraphSvg } from '../pictures/flamegraph';
import { foldedText } from '../pictures/folded';
import { reportHtml } from '../pictures/report';
import { RunLog } from '../pictures/run_log';
import { isStackMap, mergedProfile, StackMapError, stackProfiles } from '../pictures/stacks';

export class ResultFileError extends Error {}

export interface ResultFileOptions {
  folded?: string;
  flamegraph?: string;
  report?: string;
}

function requested(options: ResultFileOptions): string[] {
  const flags: string[] = [];
  if (options.folded !== undefined) flags.push('--folded');
  if (options.flamegraph !== undefined) flags.push('--flamegraph');
  if (options.report !== undefined) flags.push('--report');
  return flags;
}

/** Refuses, before anything runs, result files the program cannot produce. */
export function checkResultFiles(
  options: ResultFileOptions & { dryRun: boolean; emitElf?: string; metrics?: string },
  program: Program,
): void {
  const flags = requested(options);
  if (options.metrics !== undefined) flags.push('--metrics');
  if (flags.length === 0) return;
  if (options.dryRun || options.emitElf !== undefined) {
    throw new ResultFileError(
      `${flags[0]} needs a run; it cannot be used with --dry-run or --emit-elf`,
    );
  }
  const stackFlags = flags.filter((f) => f === '--folded' || f === '--flamegraph');
  if (stackFlags.length > 0 && !program.maps.some((m) => m.script && isStackMap(m.script))) {
    throw new ResultFileError(
      `${stackFlags[0]} needs a map keyed by kstack or ustack with a count() or sum() value, e.g. @[kstack] = count(); the program has none`,
    );
  }
}

/** The live backend does not write result files yet: refused rather than ignored. */
export function refuseResultFilesLive(options: ResultFileOptions & { metrics?: string }): void {
  const flags = requested(options);
  if (options.metrics !== undefined) flags.push('--metrics');
  if (flags.length > 0) throw new ResultFileError(`${flags[0]} is not supported with --live yet`);
}

/** Follows a run for its result files: the messages printed and the events delivered. */
export class RunResults {
  private readonly log: RunLog;

  constructor(
    private readonly options: ResultFileOptions,
    private readonly program: Program,
    private readonly script: { sourceName: string; text?: string },
    private readonly source: EventSource,
  ) {
    this.log = new RunLog(source.startNs);
  }

  /** The output environment, also telling the report of each printed message. */
  observe(env: OutputEnv): OutputEnv {
    if (this.options.report === undefined) return env;
    return { ...env, onMessage: (type, text) => this.log.message(type, text) };
  }

  /** Events delivered so far. */
  get events(): number {
    return this.log.events;
  }

  event(event: Event): void {
    this.log.at(event.ts);
  }

  /** Writes the requested files from the maps as they are at exit. */
  write(
    cwd: string,
    maps: MapStore,
    env: OutputEnv,
    result: { exitCode: number; exited: boolean; stopped?: boolean },
  ): void {
    if (requested(this.options).length === 0) return;
    const snapshots = readScriptMaps(this.program, maps, env);
    const { folded, flamegraph, report } = this.options;
    try {
      if (folded !== undefined || flamegraph !== undefined) {
        const profile = mergedProfile(stackProfiles(snapshots));
        if (folded !== undefined)
          writeInPlace(resolve(cwd, folded), Buffer.from(foldedText(profile), 'latin1'));
        if (flamegraph !== undefined)
          writeInPlace(resolve(cwd, flamegraph), Buffer.from(flameGraphSvg(profile), 'utf8'));
      }
      if (report !== undefined) {
        const end = result.exited || result.stopped ? this.log.nowNs : this.source.endNs;
        const facts = {
          scriptName: this.script.sourceName,
          script: this.script.text,
          source: this.source.name,
          durationNs: end - this.source.startNs,
          events: this.log.events,
          lostEvents: 0,
          exitCode: result.exitCode,
        };
        writeInPlace(
          resolve(cwd, report),
          Buffer.from(reportHtml(facts, snapshots, this.log), 'utf8'),
        );
      }
    } catch (e) {
      if (e instanceof StackMapError) throw new ResultFileError(e.message);
      throw e;
    }
  }
}

function writeInPlace(path: string, bytes: Uint8Array): void {
  try {
    writeFileSync(path, bytes);
  } catch (e) {
    throw new ResultFileError(`cannot write ${path}: ${(e as Error).message}`);
  }
}
