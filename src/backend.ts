// What the run loop drives: a backend that has loaded a Program — the VM over an event source
// here, the kernel in live mode (DESIGN.md). The run loop, the REPL and the output side see
// only this interface.

import type { Program } from '../compiler/program';
import type { MapStore } from './output/index';

/** Hands on the records one program invocation emitted; 'exit' when one asked to exit. */
export type RecordHandler = (records: readonly Uint8Array[]) => 'continue' | 'exit';

export interface DeliveryControl {
  /** Called after each batch of events: output produced so far goes out. */
  batchEnd(): void;
  /** Asked between batches: true once the run must stop (SIGINT, SIGTERM). */
  shouldStop(): boolean;
}

export interface DeliveryEnd {
  /** 'source': the events ran out; 'exit': a program called exit(); 'stop': shouldStop(). */
  endedBy: 'source' | 'exit' | 'stop';
  /** The time END runs at. */
  endNs: bigint;
}

export interface Backend {
  readonly program: Program;
  /** The maps as the output side reads, clears and zeroes them. */
  readonly maps: MapStore;
  /** When BEGIN runs (ns on the backend's clock). */
  readonly startNs: bigint;
  /** Stores the run's start time where the `elapsed` builtin reads it. */
  setStartTime(ns: bigint): void;
  /** Runs one BEGIN or END program once and returns the records it emitted. */
  runSpecial(probeIndex: number, provider: 'BEGIN' | 'END', ts: bigint): readonly Uint8Array[];
  /** Delivers events to the attached programs (the VM) or attaches them and reads what they
   *  emit (the kernel), handing each invocation's records to `handle` in order, until the
   *  events end, `handle` answers 'exit', or `control.shouldStop()`. */
  deliver(handle: RecordHandler, control: DeliveryControl): Promise<DeliveryEnd>;
}
