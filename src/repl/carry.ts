// Moving map contents from one compiled session script's runtime to the next. Maps are matched
// by name; contents move only when the layout is the same (type, key and value size, the key
// types and value kind of a script map), so the bytes mean the same thing in both programs.

import { BpfMapType, type MapDef } from '../../compiler/program';
import type { Runtime } from '../runtime/index';
import { BPF_ANY, StackTraceMap } from '../runtime/maps';

function sameLayout(a: MapDef, b: MapDef): boolean {
  const info = (d: MapDef) =>
    JSON.stringify(d.script ?? null, (_k, v: unknown) =>
      typeof v === 'bigint' ? v.toString() : v,
    );
  return (
    a.bpfType === b.bpfType &&
    a.keySize === b.keySize &&
    a.valueSize === b.valueSize &&
    info(a) === info(b)
  );
}

const OUTPUT_MAPS = new Set([BpfMapType.PerfEventArray, BpfMapType.Ringbuf]);

/** Copies every map of `from` into the map of the same name in `to`. Returns the names of
 *  script maps whose contents could not move (their layout changed). */
export function carryMaps(from: Runtime, to: Runtime): string[] {
  const dropped: string[] = [];
  for (const target of to.program.maps) {
    if (OUTPUT_MAPS.has(target.bpfType)) continue;
    const source = from.program.maps.find((m) => m.name === target.name);
    if (!source) continue;
    if (!sameLayout(source, target)) {
      if (source.script && from.mapEntries(source.id).length > 0) dropped.push(target.name);
      continue;
    }
    const oldMap = from.maps.get(source.id)!;
    const newMap = to.maps.get(target.id)!;
    if (oldMap instanceof StackTraceMap && newMap instanceof StackTraceMap) {
      // Stored in id order, stacks get the same ids that map values refer to.
      const count = oldMap.entries().length;
      for (let id = 0; id < count; id++) newMap.store(oldMap.stack(id));
      continue;
    }
    to.maps.ensureCpu(from.maps.cpuCount - 1);
    for (const entry of oldMap.entries()) {
      entry.values.forEach((value, cpu) => newMap.update(entry.key, value, BPF_ANY, cpu));
    }
  }
  return dropped;
}
