// What the HTML report tells about a run besides its maps: the facts (script, source,
// duration, events) and the printed messages with their event times. Memory stays bounded:
// only the first MAX_MESSAGES messages are kept (the rest are counted), each at most
// MAX_MESSAGE_BYTES long.

export const MAX_MESSAGES = 10_000;
export const MAX_MESSAGE_BYTES = 4096;

export interface RunFacts {
  /** Script file name, or "stdin" for -e and standard input. */
  scriptName: string;
  /** The script's text (a byte string); undefined for a compiled .o. */
  script?: string;
  /** The event source, e.g. `sim:build seed=1`, `trace:run.jsonl`. */
  source: string;
  /** Virtual nanoseconds from BEGIN to END. */
  durationNs: bigint;
  /** Events delivered to the probes. */
  events: number;
  /** Events the backend lost (ring or perf buffer overruns); the VM loses none. */
  lostEvents: number;
  exitCode: number;
}

export interface LoggedMessage {
  /** Nanoseconds since the start of the run. */
  offsetNs: bigint;
  /** The message's `-f json` type: printf, time, cat, syscall, join. */
  type: string;
  /** As printed (a byte string), cut at MAX_MESSAGE_BYTES. */
  text: string;
  truncated: boolean;
}

export class RunLog {
  readonly messages: LoggedMessage[] = [];
  /** Messages printed, kept or not. */
  printed = 0;
  events = 0;
  private now: bigint;

  constructor(private readonly startNs: bigint) {
    this.now = startNs;
  }

  /** The time of the event being delivered (messages printed from now on carry it). */
  at(ts: bigint): void {
    this.now = ts;
    this.events++;
  }

  get nowNs(): bigint {
    return this.now;
  }

  message(type: string, text: string): void {
    this.printed++;
    if (this.messages.length >= MAX_MESSAGES) return;
    const truncated = text.length > MAX_MESSAGE_BYTES;
    this.messages.push({
      offsetNs: this.now - this.startNs,
      type,
      text: truncated ? text.slice(0, MAX_MESSAGE_BYTES) : text,
      truncated,
    });
  }
}
