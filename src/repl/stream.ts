// One virtual clock for a REPL session. The source's events for the attached probes are read
// in time order; when the set of probes changes, the source is read again from its start with
// the new set and everything before the session's clock is skipped. A source's stream for a
// probe does not depend on which other probes are requested (the simulation draws its random
// numbers the same way whatever is attached), so the probes attached before see the same
// events they would have seen, and a probe attached later sees only the events after it.

import type { ResolvedAttachPoint } from '../../compiler/host';
import type { Event } from '../../probes/event';
import type { EventSource } from '../../probes/source';

/** Opens the session's source again so that it runs until at least `endNs`. */
export type Reopen = (endNs: bigint) => Promise<EventSource>;

export class SessionStream {
  /** Events before this time have been delivered (or were before the probes' attach time). */
  private nextFrom: bigint;
  /** The time the session has reached. */
  private reached: bigint;
  private probes: readonly ResolvedAttachPoint[] = [];
  private probesKey = '';
  private iterator: Iterator<Event> | undefined;
  private peeked: Event | undefined;

  /**
   * @param source the source opened for the session
   * @param reopen for a source whose end can be moved (the simulation); undefined when the
   *   source's end is fixed (a trace, or a --duration given)
   */
  constructor(
    private source: EventSource,
    private readonly reopen?: Reopen,
  ) {
    this.nextFrom = source.startNs;
    this.reached = source.startNs;
  }

  get startNs(): bigint {
    return this.source.startNs;
  }

  /** The session's virtual time. */
  get now(): bigint {
    return this.reached;
  }

  /** The last time the stream can reach, or undefined when it can be extended without end. */
  get endNs(): bigint | undefined {
    return this.reopen ? undefined : this.source.endNs;
  }

  get atEnd(): boolean {
    return this.endNs !== undefined && this.reached >= this.endNs;
  }

  /** The attach points events are wanted for (BEGIN/END are ignored by sources). */
  setProbes(probes: readonly ResolvedAttachPoint[]): void {
    const key = probes.map((p) => `${p.name}/${p.periodNs ?? ''}`).join('\n');
    if (key === this.probesKey) return;
    this.probes = probes;
    this.probesKey = key;
    this.restart();
  }

  /** Makes sure the source runs until `limit` (reopening a simulation further if needed);
   *  returns the time a run to `limit` can actually reach. */
  async prepare(limit: bigint): Promise<bigint> {
    if (limit <= this.source.endNs) return limit;
    if (!this.reopen) return this.source.endNs;
    // Doubling the horizon keeps the cost of re-reading from the start in proportion.
    const span = limit - this.source.startNs;
    this.source = await this.reopen(this.source.startNs + span * 2n);
    this.restart();
    return limit;
  }

  /** The time of the next event, if it is at or before `limit`. */
  peekTime(limit: bigint): bigint | undefined {
    const event = this.peek();
    return event && event.ts <= limit ? event.ts : undefined;
  }

  /** The next event at or before `limit`, consumed. */
  next(limit: bigint): Event | undefined {
    const event = this.peek();
    if (!event || event.ts > limit) return undefined;
    this.peeked = undefined;
    this.reached = event.ts;
    return event;
  }

  /** Ends a run at `time`: the clock moves there and nothing at or before it is delivered
   *  again. A run stopped early ends at its last event's time, after every event of that time. */
  finish(time: bigint): void {
    if (time > this.reached) this.reached = time;
    this.nextFrom = this.reached + 1n;
  }

  private restart(): void {
    this.iterator = undefined;
    this.peeked = undefined;
  }

  private peek(): Event | undefined {
    if (this.peeked) return this.peeked;
    if (!this.probes.some((p) => p.provider !== 'BEGIN' && p.provider !== 'END')) return undefined;
    if (!this.iterator)
      this.iterator = this.source.events({ probes: this.probes })[Symbol.iterator]();
    for (;;) {
      const result = this.iterator.next();
      if (result.done) return undefined;
      if (result.value.ts >= this.nextFrom) {
        this.peeked = result.value;
        return this.peeked;
      }
    }
  }
}
