import type { ResolvedAttachPoint } from '../../compiler/host';
import type { Event } from '../../probes/event';
import { createProbeHost } from '../../probes/host';
import type { EventSource } from '../../probes/source';

export function attach(source: EventSource, ...patterns: string[]): ResolvedAttachPoint[] {
  const host = createProbeHost(source);
  return patterns.flatMap((p) => {
    const r = host.resolveAttachPoint(p);
    if (!r.ok) throw new Error(`${p}: ${r.message}`);
    return r.points;
  });
}

export function collect(source: EventSource, ...patterns: string[]): Event[] {
  return [...source.events({ probes: attach(source, ...patterns) })];
}

export function readCString(event: Event, address: bigint): string | undefined {
  for (const r of event.memory) {
    if (address >= r.address && address < r.address + BigInt(r.bytes.length)) {
      const from = Number(address - r.address);
      const end = r.bytes.indexOf(0, from);
      return new TextDecoder().decode(r.bytes.subarray(from, end < 0 ? undefined : end));
    }
  }
  return undefined;
}

export function u64(ctx: Uint8Array, offset: number): bigint {
  return new DataView(ctx.buffer, ctx.byteOffset, ctx.byteLength).getBigUint64(offset, true);
}
