// The VM backend: programs loaded into bpfscope's own eBPF runtime, run on the events of a
// streamed event source, in batches — between batches output goes out and the event loop runs
// (so a signal is noticed and a slow source is waited for without blocking).

import type { Program } from '../compiler/program';
import type { Event } from '../probes/event';
import type { EventSource } from '../probes/source';
import type { Backend, DeliveryControl, DeliveryEnd, RecordHandler } from './backend';
import type { AttachedProbe } from './run';
import { selfEvent, setStartTime } from './run';
import type { Runtime } from './runtime/index';
import type { MapStore } from './output/index';

/** Events delivered between two hand-overs of output (and checks for a signal). */
export const BATCH_EVENTS = 1024;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export class VmBackend implements Backend {
  private readonly byName = new Map<string, number[]>();
  /** Events delivered so far, and the time of the last one. */
  delivered = 0;
  now: bigint;

  constructor(
    private readonly runtime: Runtime,
    private readonly source: EventSource,
    private readonly attached: readonly AttachedProbe[],
    /** Called for every event the run consumes (for --record). */
    private readonly onEvent?: (event: Event) => void,
  ) {
    this.now = source.startNs;
    for (const a of attached) {
      if (a.point.provider === 'BEGIN' || a.point.provider === 'END') continue;
      const list = this.byName.get(a.point.name) ?? [];
      list.push(a.probeIndex);
      this.byName.set(a.point.name, list);
    }
  }

  get program(): Program {
    return this.runtime.program;
  }

  get maps(): MapStore {
    return this.runtime;
  }

  get startNs(): bigint {
    return this.source.startNs;
  }

  /** How far through the source's time span the delivery is (0..1). */
  get fractionDone(): number {
    const span = this.source.endNs - this.source.startNs;
    return span > 0n ? Number(((this.now - this.source.startNs) * 1000n) / span) / 1000 : 0;
  }

  setStartTime(ns: bigint): void {
    setStartTime(this.runtime, ns);
  }

  runSpecial(probeIndex: number, provider: 'BEGIN' | 'END', ts: bigint): readonly Uint8Array[] {
    this.runtime.invoke(probeIndex, selfEvent(provider, ts));
    return this.runtime.takeRecords();
  }

  async deliver(handle: RecordHandler, control: DeliveryControl): Promise<DeliveryEnd> {
    let now = this.source.startNs;
    if (this.byName.size === 0) return { endedBy: 'source', endNs: this.source.endNs };
    const probes = this.attached.map((a) => a.point);
    let inBatch = 0;
    for (const event of this.source.events({ probes })) {
      now = event.ts;
      this.now = now;
      this.delivered++;
      this.onEvent?.(event);
      for (const probeIndex of this.byName.get(event.probe) ?? []) {
        this.runtime.invoke(probeIndex, event);
        if (handle(this.runtime.takeRecords()) === 'exit') return { endedBy: 'exit', endNs: now };
      }
      if (++inBatch === BATCH_EVENTS) {
        inBatch = 0;
        control.batchEnd();
        await nextTurn();
        if (control.shouldStop()) return { endedBy: 'stop', endNs: now };
      }
    }
    return { endedBy: 'source', endNs: this.source.endNs };
  }
}
