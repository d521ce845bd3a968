// `--record FILE`: writes the events a run consumes as a recorded trace, as they are consumed
// (the caller owns the file: it is written in place and complete after an interrupt).

import type { ResolvedAttachPoint } from '../../compiler/host';
import type { Event } from '../event';
import type { EventSource } from '../source';
import { eventToLine, FrameNamer, makeHeader } from './jsonl';

export interface TraceWriter {
  write(event: Event): void;
  /** Hands on what is held (at the end of a batch of events, and at the end). */
  flush(): void;
}

const HELD_CHARS = 1 << 20;

export function createTraceWriter(
  out: (text: string) => void,
  source: EventSource,
  probes: readonly ResolvedAttachPoint[],
): TraceWriter {
  const tracepoints = source.catalog.tracepoints;
  let buffer: string[] = [];
  let size = 0;
  const flush = () => {
    if (buffer.length === 0) return;
    out(buffer.join(''));
    buffer = [];
    size = 0;
  };
  const push = (text: string) => {
    buffer.push(text);
    size += text.length;
    if (size > HELD_CHARS) flush();
  };
  const header = makeHeader({
    source: source.name,
    ncpus: source.ncpus,
    startNs: source.startNs,
    endNs: source.endNs,
    bootWallNs: source.bootWallNs,
    probes,
    tracepoints,
    symbols: source.symbols,
  });
  push(JSON.stringify(header) + '\n');
  const frames = new FrameNamer(source.symbols);
  return {
    write(event: Event) {
      push(JSON.stringify(eventToLine(event, tracepoints, frames)) + '\n');
    },
    flush,
  };
}
