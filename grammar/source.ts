// Offsets ↔ line/column positions for one source text.

import type { SourcePosition, SourceRange } from './ast';

export class SourceText {
  private readonly lineStarts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    }
  }

  /** Line index of the last lookup: most lookups are on the same line or the next. */
  private cursor = 0;

  position(offset: number): SourcePosition {
    const starts = this.lineStarts;
    let line = this.cursor;
    if (starts[line]! > offset) line = this.search(offset);
    else if (line + 1 < starts.length && starts[line + 1]! <= offset) {
      line++;
      if (line + 1 < starts.length && starts[line + 1]! <= offset) line = this.search(offset);
    }
    this.cursor = line;
    return { offset, line: line + 1, column: offset - starts[line]! + 1 };
  }

  private search(offset: number): number {
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  range(start: number, end: number): SourceRange {
    return { start: this.position(start), end: this.position(end) };
  }
}
