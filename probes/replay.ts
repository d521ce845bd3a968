// `--replay FILE`: opens a recorded trace (JSON Lines) or an strace log, from a file or stdin
// (`-`), gzip-compressed or not, and returns it as an EventSource.

import { gunzipSync } from 'node:zlib';
import type { EventSource } from './source';
import { looksLikeStrace } from './strace/parser';
import { createStraceSource, type StraceSourceOptions } from './strace/source';
import { TraceFileError } from './trace/errors';
import { createTraceSource, isTraceHeaderLine } from './trace/reader';

export interface ReplayOptions extends StraceSourceOptions {}

/** The text of replay input: gzip-compressed data (told by its magic) is inflated first. */
export function replayText(bytes: Uint8Array, name: string): string {
  let data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b) {
    try {
      data = gunzipSync(data);
    } catch (e) {
      throw new TraceFileError(name, 0, `corrupt gzip data: ${(e as Error).message}`);
    }
  }
  return data.toString('utf8');
}

/** Which kind of replay input `text` is, judged by its first non-empty line. */
export function detectReplayFormat(text: string): 'trace' | 'strace' | undefined {
  const first = text.split('\n').find((l) => l.trim() !== '');
  if (first === undefined) return undefined;
  if (isTraceHeaderLine(first) || first.trim().startsWith('{')) return 'trace';
  if (looksLikeStrace(first)) return 'strace';
  return undefined;
}

export function replayFromText(
  text: string,
  name: string,
  options: ReplayOptions = {},
): EventSource {
  switch (detectReplayFormat(text)) {
    case 'trace':
      return createTraceSource(text, name, options);
    case 'strace':
      return createStraceSource(text, name, options);
    default: {
      const lineIndex = text.split('\n').findIndex((l) => l.trim() !== '');
      throw new TraceFileError(
        name,
        lineIndex < 0 ? 1 : lineIndex + 1,
        lineIndex < 0
          ? 'empty replay input'
          : 'neither a bpfscope trace (first line {"format": "bpfscope-trace", "version": 1}) nor `strace -f -ttt -T` output',
      );
    }
  }
}
