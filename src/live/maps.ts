// The kernel's maps as the output side reads them (src/output/context.ts MapStore): entries
// read through bpf() at print, clear, zero and exit; per-CPU values split per possible CPU.

import { BpfMapType } from '../../compiler/program';
import type { MapEntry, MapStore } from '../output/context';
import type { Bpf } from './bpf';
import { isPerCpu, type LoadedMap } from './loader';

export class KernelMaps implements MapStore {
  constructor(
    private readonly bpf: Bpf,
    private readonly maps: readonly LoadedMap[],
    private readonly ncpus: number,
  ) {}

  private map(mapId: number): LoadedMap {
    const map = this.maps[mapId];
    if (!map) throw new RangeError(`no map ${mapId}`);
    return map;
  }

  private stride(map: LoadedMap): number {
    return isPerCpu(map.def) ? (map.def.valueSize + 7) & ~7 : map.def.valueSize;
  }

  private rawSize(map: LoadedMap): number {
    return isPerCpu(map.def) ? this.stride(map) * this.ncpus : map.def.valueSize;
  }

  mapEntries(mapId: number): MapEntry[] {
    const map = this.map(mapId);
    const entries: MapEntry[] = [];
    const isArray =
      map.def.bpfType === BpfMapType.Array || map.def.bpfType === BpfMapType.PercpuArray;
    for (const key of this.bpf.keys(map.fd, map.def.keySize)) {
      const raw = this.bpf.lookup(map.fd, key, this.rawSize(map));
      if (!raw) continue;
      const values = isPerCpu(map.def)
        ? Array.from({ length: this.ncpus }, (_, cpu) =>
            raw.slice(cpu * this.stride(map), cpu * this.stride(map) + map.def.valueSize),
          )
        : [raw];
      // An array map always has every slot; an all-zero slot was never written.
      if (isArray && values.every((v) => v.every((b) => b === 0))) continue;
      entries.push({ key, values });
    }
    return entries;
  }

  clearMap(mapId: number): void {
    const map = this.map(mapId);
    if (map.def.bpfType === BpfMapType.Array || map.def.bpfType === BpfMapType.PercpuArray) {
      this.zeroMap(mapId);
      return;
    }
    for (const key of this.bpf.keys(map.fd, map.def.keySize)) this.bpf.delete(map.fd, key);
  }

  zeroMap(mapId: number): void {
    const map = this.map(mapId);
    const zero = new Uint8Array(this.rawSize(map));
    for (const key of this.bpf.keys(map.fd, map.def.keySize)) this.bpf.update(map.fd, key, zero);
  }

  stackTrace(stackMapId: number, stackId: number): bigint[] {
    const map = this.map(stackMapId);
    const key = new Uint8Array(4);
    new DataView(key.buffer).setUint32(0, stackId, true);
    const raw = this.bpf.lookup(map.fd, key, map.def.valueSize);
    if (!raw) return [];
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const frames: bigint[] = [];
    for (let at = 0; at + 8 <= raw.length; at += 8) {
      const ip = view.getBigUint64(at, true);
      if (ip === 0n) break;
      frames.push(ip);
    }
    return frames;
  }

  /** Stores a value as user space does (the start time that `elapsed` reads). */
  update(mapId: number, key: Uint8Array, value: Uint8Array): void {
    const map = this.map(mapId);
    this.bpf.update(map.fd, key, value);
  }
}
