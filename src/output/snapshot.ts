// Every script map read at once, in the order bpftrace prints them at exit: what the exit dump,
// the pictures (folded stacks, flame graphs, the HTML report) and the metrics endpoint read, so
// the numbers they show are the printed ones.

import type { MapDef, Program, ScriptMapInfo } from '../../compiler/program';
import type { FormatContext, MapStore, OutputEnv } from './context';
import { readMap, type MapContents } from './mapdata';

export interface MapSnapshot {
  /** The map's name as the script spells it (`@`, `@bytes`). */
  name: string;
  def: MapDef;
  info: ScriptMapInfo;
  contents: MapContents;
}

/** Script map names in byte order, as the exit dump lists them (each name once). */
export function exitMapNames(program: Program): string[] {
  return [...new Set(program.mapNames)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The script map a name denotes, when the program stores one under it. */
export function scriptMapDef(program: Program, name: string): MapDef | undefined {
  return program.maps.find((m) => m.name === name && m.script);
}

/** Every script map's contents now, in exit-dump order. */
export function readScriptMaps(program: Program, maps: MapStore, env: OutputEnv): MapSnapshot[] {
  const ctx: FormatContext = { program, maps, env };
  const snapshots: MapSnapshot[] = [];
  for (const name of exitMapNames(program)) {
    const def = scriptMapDef(program, name);
    if (!def?.script) continue;
    const contents = readMap(def, def.script, maps.mapEntries(def.id), ctx);
    snapshots.push({ name, def, info: def.script, contents });
  }
  return snapshots;
}
