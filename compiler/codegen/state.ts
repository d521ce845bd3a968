// Program-wide state shared by the probes being generated: map definitions (script maps
// and internal ones) and the descriptor tables that records refer to by index.

import { DEFAULT_STACK_LIMIT } from '../types';
import {
  BpfMapType,
  stackMapName,
  type FormatDescriptor,
  type JoinDescriptor,
  type MapDef,
  type PrintValueDescriptor,
} from '../program';
import type { ScriptMapInfo } from '../program';
import type { CompileOptions } from '../host';
import { hasBucketKey, isKeylessCount, mapKeySize, mapValueSize } from './layout';

/** Slots of the `.events` perf map: one per possible CPU. */
export const EVENTS_MAX_CPUS = 128;
/** Stack traces kept per stack map (bpftrace's default). */
export const STACK_MAP_ENTRIES = 4096;

export class ProgramState {
  readonly maps: MapDef[] = [];
  readonly printfs: FormatDescriptor[] = [];
  readonly cats: FormatDescriptor[] = [];
  readonly systems: FormatDescriptor[] = [];
  readonly timeFormats: string[] = [];
  readonly printValues: PrintValueDescriptor[] = [];
  readonly joins: JoinDescriptor[] = [];
  readonly probeNames: string[] = [];
  private readonly byName = new Map<string, MapDef>();

  constructor(
    readonly options: CompileOptions,
    scriptMaps: Map<string, ScriptMapInfo>,
  ) {
    this.internal('.events', BpfMapType.PerfEventArray, 4, 4, EVENTS_MAX_CPUS);
    for (const [name, info] of [...scriptMaps].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const keyless = isKeylessCount(info);
      this.add({
        id: this.maps.length,
        name,
        bpfType: keyless
          ? BpfMapType.PercpuArray
          : info.value.kind === 'aggregation'
            ? BpfMapType.PercpuHash
            : BpfMapType.Hash,
        keySize: keyless ? 4 : mapKeySize(info),
        valueSize: mapValueSize(info),
        maxEntries:
          keyless || (info.keyTypes.length === 0 && !hasBucketKey(info)) ? 1 : options.mapKeysMax,
        script: info,
      });
    }
  }

  private add(def: MapDef): MapDef {
    this.maps.push(def);
    this.byName.set(def.name, def);
    return def;
  }

  /** An internal map (name starting with `.`), created on first request. */
  internal(
    name: string,
    bpfType: BpfMapType,
    keySize: number,
    valueSize: number,
    maxEntries: number,
  ): MapDef {
    return (
      this.byName.get(name) ??
      this.add({ id: this.maps.length, name, bpfType, keySize, valueSize, maxEntries })
    );
  }

  map(name: string): MapDef {
    const def = this.byName.get(name);
    if (!def) throw new Error(`internal: unknown map ${name}`);
    return def;
  }

  get events(): MapDef {
    return this.map('.events');
  }

  /** The stack-trace map of stacks `limit` frames deep (`.kstack`, or `.kstack.3` for 3). */
  stackMap(user: boolean, limit = DEFAULT_STACK_LIMIT): MapDef {
    return this.internal(
      stackMapName(user, limit),
      BpfMapType.StackTrace,
      4,
      8 * Math.max(1, limit),
      STACK_MAP_ENTRIES,
    );
  }

  probeId(name: string): number {
    const index = this.probeNames.indexOf(name);
    if (index >= 0) return index;
    this.probeNames.push(name);
    return this.probeNames.length - 1;
  }

  intern<T>(table: T[], entry: T): number {
    const key = JSON.stringify(entry, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
    const index = table.findIndex(
      (e) => JSON.stringify(e, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)) === key,
    );
    if (index >= 0) return index;
    table.push(entry);
    return table.length - 1;
  }
}
