// Source locations as bpftrace 0.17 reports them. Its lexer moves the start of the current
// location only on whitespace, so a node's reported start is the first column after the last
// whitespace before it (outside string literals): `printf("%d",arg0)` reports arg0 from the
// `p` of printf. Operator tokens (`=`, `/`, `!`) are located by searching the source text
// between the operands; without the text, a one-space layout is assumed.

import type { SourcePosition, SourceRange } from '../../grammar/ast';

export class Locator {
  private readonly lineStarts: number[] = [0];

  constructor(private readonly source: string | undefined) {
    if (source) {
      for (let i = 0; i < source.length; i++) if (source[i] === '\n') this.lineStarts.push(i + 1);
    }
  }

  /** The range as bpftrace reports it: start moved back to the token-start quirk. */
  reported(range: SourceRange): SourceRange {
    if (!this.source) return range;
    const lineStart =
      this.lineStarts[range.start.line - 1] ?? range.start.offset - range.start.column + 1;
    let start = lineStart;
    let inString = false;
    // A line that begins inside a block comment: nothing moves the start until it closes.
    let from = lineStart;
    const open = this.source.lastIndexOf('/*', lineStart - 1);
    if (open >= 0) {
      const close = this.source.indexOf('*/', open + 2);
      if (close + 2 > lineStart) from = Math.min(close + 2, range.start.offset);
    }
    for (let i = from; i < range.start.offset; i++) {
      const ch = this.source[i];
      if (inString) {
        if (ch === '\\') i++;
        else if (ch === '"') inString = false;
      } else if (ch === '"') {
        inString = true;
      } else if (ch === '/' && this.source[i + 1] === '*') {
        // A block comment does not move the start either.
        const close = this.source.indexOf('*/', i + 2);
        if (close < 0 || close + 2 > range.start.offset) break;
        i = close + 1;
      } else if (ch === ' ' || ch === '\t' || ch === '\r') {
        start = i + 1;
      }
    }
    return { start: this.position(start, range.start), end: range.end };
  }

  /** The range of `token` found first at or after `from` (and before `limit`). */
  token(token: string, from: SourcePosition, limit: SourcePosition): SourceRange {
    if (this.source) {
      const at = this.source.indexOf(token, from.offset);
      if (at >= 0 && at < limit.offset) {
        const start = this.position(at, from);
        const end = this.position(at + token.length, from);
        return { start, end };
      }
    }
    // Assume `left OP right` with single spaces, or no space when there is no room.
    const gap = limit.offset - from.offset;
    const skip = gap > token.length ? Math.floor((gap - token.length) / 2) : 0;
    return { start: shift(from, skip), end: shift(from, skip + token.length) };
  }

  /** The position just after the last non-blank character before `p` (the file start if
   *  none): where 0.17's location of an attach point begins. */
  afterPreviousToken(p: SourcePosition): SourcePosition {
    const text = this.source;
    if (!text) return p;
    let end = 0;
    for (let i = 0; i < p.offset; i++) {
      const ch = text[i];
      const lineStart = i === 0 || text[i - 1] === '\n';
      if ((ch === '/' && text[i + 1] === '/') || (ch === '#' && lineStart)) {
        const nl = text.indexOf('\n', i);
        i = nl < 0 ? p.offset : nl;
      } else if (ch === '/' && text[i + 1] === '*') {
        const close = text.indexOf('*/', i + 2);
        i = close < 0 ? p.offset : close + 1;
      } else if (!/\s/.test(ch)) {
        end = i + 1;
      }
    }
    return this.position(Math.min(end, p.offset), p);
  }

  /**
   * `inner` widened to the `mark` characters around it (a predicate's slashes): the last
   * `mark` before it and the first one after it, before `limit`. Without the text, `inner`.
   */
  enclosing(mark: string, inner: SourceRange, limit: SourcePosition): SourceRange {
    if (!this.source) return inner;
    const open = this.source.lastIndexOf(mark, inner.start.offset - 1);
    const close = this.source.indexOf(mark, inner.end.offset);
    if (open < 0 || close < 0 || close >= limit.offset) return inner;
    return {
      start: this.position(open, inner.start),
      end: this.position(close + mark.length, inner.end),
    };
  }

  /** A zero-based offset converted to a position, on `near`'s line when there is no text. */
  private position(offset: number, near: SourcePosition): SourcePosition {
    if (!this.source) return shift(near, offset - near.offset);
    let line = 0;
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.lineStarts[mid] <= offset) {
        line = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return { offset, line: line + 1, column: offset - this.lineStarts[line] + 1 };
  }
}

export function shift(p: SourcePosition, by: number): SourcePosition {
  return { offset: p.offset + by, line: p.line, column: p.column + by };
}

export function span(start: SourcePosition, end: SourcePosition): SourceRange {
  return { start, end };
}

/** Location 1:1-1, where 0.17 reports an invalid `if` condition. */
export const FIRST_COLUMN: SourceRange = {
  start: { offset: 0, line: 1, column: 1 },
  end: { offset: 0, line: 1, column: 1 },
};
