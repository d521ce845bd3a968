// `--record FILE`: writes the events a run consumed as a recorded trace. The file appears under
// its name only when the recording is complete (written to FILE.partial, renamed on close).

import { closeSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import type { ResolvedAttachPoint } from '../../compiler/host';
import type { Event } from '../event';
import type { EventSource } from '../source';
import { eventToLine, FrameNamer, makeHeader } from './jsonl';

export interface TraceWriter {
  write(event: Event): void;
  /** Finishes the file (renames it into place). */
  close(): void;
  /** Drops a half-written recording. */
  abort(): void;
}

export function createTraceWriter(
  path: string,
  source: EventSource,
  probes: readonly ResolvedAttachPoint[],
): TraceWriter {
  const toStdout = path === '-';
  const partial = toStdout ? '' : `${path}.partial`;
  const fd = toStdout ? 1 : openSync(partial, 'w');
  const tracepoints = source.catalog.tracepoints;
  let buffer: string[] = [];
  let size = 0;
  const flush = () => {
    if (buffer.length === 0) return;
    writeSync(fd, buffer.join(''));
    buffer = [];
    size = 0;
  };
  const push = (text: string) => {
    buffer.push(text);
    size += text.length;
    if (size > 1 << 20) flush();
  };
  const header = makeHeader({
    source: source.name,
    ncpus: source.ncpus,
    startNs: source.startNs,
    endNs: source.endNs,
    probes,
    tracepoints,
    symbols: source.symbols,
  });
  push(JSON.stringify(header) + '\n');
  const frames = new FrameNamer(source.symbols);
  let done = false;
  return {
    write(event: Event) {
      push(JSON.stringify(eventToLine(event, tracepoints, frames)) + '\n');
    },
    close() {
      if (done) return;
      done = true;
      flush();
      if (!toStdout) {
        closeSync(fd);
        renameSync(partial, path);
      }
    },
    abort() {
      if (done) return;
      done = true;
      if (!toStdout) {
        closeSync(fd);
        try {
          unlinkSync(partial);
        } catch {
          /* already gone */
        }
      }
    },
  };
}
