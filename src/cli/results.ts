// Files a run writes from its maps at exit, beside the printed output: folded stacks
// (--folded) and an SVG flame graph (--flamegraph). They are checked before the run starts (a
// program without a stack map is refused at once) and written after the exit dump, in place
// (a FIFO or /dev/stdout works); a run that fails writes none of them.

import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Program } from '../../compiler/program';
import type { MapStore, OutputEnv } from '../output/index';
import { readScriptMaps } from '../output/snapshot';
import { flameGraphSvg } from '../pictures/flamegraph';
import { foldedText } from '../pictures/folded';
import { isStackMap, mergedProfile, StackMapError, stackProfiles } from '../pictures/stacks';

export class ResultFileError extends Error {}

export interface ResultFileOptions {
  folded?: string;
  flamegraph?: string;
}

function requested(options: ResultFileOptions): string[] {
  const flags: string[] = [];
  if (options.folded !== undefined) flags.push('--folded');
  if (options.flamegraph !== undefined) flags.push('--flamegraph');
  return flags;
}

/** Refuses, before anything runs, result files the program cannot produce. */
export function checkResultFiles(
  options: ResultFileOptions & { dryRun: boolean; emitElf?: string },
  program: Program,
): void {
  const flags = requested(options);
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
export function refuseResultFilesLive(options: ResultFileOptions): void {
  const flags = requested(options);
  if (flags.length > 0) throw new ResultFileError(`${flags[0]} is not supported with --live yet`);
}

/** Writes the requested files from the maps as they are at exit. */
export function writeResultFiles(
  options: ResultFileOptions,
  cwd: string,
  program: Program,
  maps: MapStore,
  env: OutputEnv,
): void {
  if (requested(options).length === 0) return;
  const snapshots = readScriptMaps(program, maps, env);
  try {
    const profile = mergedProfile(stackProfiles(snapshots));
    if (options.folded !== undefined)
      writeInPlace(resolve(cwd, options.folded), Buffer.from(foldedText(profile), 'latin1'));
    if (options.flamegraph !== undefined)
      writeInPlace(resolve(cwd, options.flamegraph), Buffer.from(flameGraphSvg(profile), 'utf8'));
  } catch (e) {
    if (e instanceof StackMapError) throw new ResultFileError(e.message);
    throw e;
  }
}

function writeInPlace(path: string, bytes: Uint8Array): void {
  try {
    writeFileSync(path, bytes);
  } catch (e) {
    throw new ResultFileError(`cannot write ${path}: ${(e as Error).message}`);
  }
}
