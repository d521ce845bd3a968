// The session's script: every attached piece (preamble items, probe blocks, statement lists run
// once) kept as text and joined into one script, which is what gets compiled. A diagnostic in
// the joined script is moved back to the entry its piece came from, so it is shown against the
// text the user typed.

import type { SourcePosition } from '../../grammar/ast';
import type { Diagnostic } from '../../grammar/diagnostics';

export type PieceKind = 'preamble' | 'probe' | 'once';

/** Where a piece's text came from. */
export interface PieceOrigin {
  /** `stdin` for typed entries, the path for `.load`. */
  sourceName: string;
  /** The whole entry the piece was part of. */
  entry: string;
  /** Entry line and column of the piece's first character (line 0 for a wrapped statement
   *  list, whose first line is the synthetic `BEGIN {`). */
  line: number;
  column: number;
}

export interface Piece {
  /** Session number of a probe (`.probes`, `.detach N`); 0 for other pieces. */
  number: number;
  kind: PieceKind;
  /** The text as entered (a statement list wrapped as a BEGIN block). */
  text: string;
  /** A BEGIN block (a statement list, or a probe with a BEGIN attach point). */
  begin: boolean;
  /** Set once its BEGIN block has run: it stays in the script (for its maps and their types)
   *  but is compiled as a RETIRED_BEGIN probe that never fires. */
  ran: boolean;
  origin: PieceOrigin;
  /** Virtual time at which the piece was added. */
  addedAt: bigint;
}

/**
 * The attach point a BEGIN block is compiled under once it has run. bpftrace 0.17 allows one
 * BEGIN per script, and a session's later BEGIN blocks and statement lists must still compile
 * with the earlier ones; a timer that fires after 31 years of virtual time never does, and the
 * session never asks the source for it.
 */
export const RETIRED_BEGIN = 'interval:s:999999999';

/** The text a piece has in the compiled script. */
export function placedText(piece: Piece): string {
  if (!(piece.begin && piece.ran)) return piece.text;
  const header = /^[^{/]*/.exec(piece.text)![0];
  return header.replace(/\bBEGIN\b/, RETIRED_BEGIN) + piece.text.slice(header.length);
}

export function newPiece(
  kind: PieceKind,
  text: string,
  origin: PieceOrigin,
  addedAt: bigint,
  begin: boolean,
): Piece {
  return { number: 0, kind, text, begin, ran: false, origin, addedAt };
}

/** A statement list as the BEGIN block it runs as: the wrapper takes a line before and after. */
export function onceText(statements: string): string {
  return `BEGIN {\n${statements}\n}`;
}

export function onceOrigin(statements: string, sourceName: string): PieceOrigin {
  return { sourceName, entry: statements, line: 0, column: 1 };
}

interface Placed {
  piece: Piece;
  /** 1-based line of the piece's first line in the joined script. */
  startLine: number;
  lineCount: number;
}

/** Preamble pieces first (definitions must come before their uses), then the others in the
 *  order they were added; each probe block is one probe of the compiled program, in order. */
export function orderPieces(pieces: readonly Piece[]): Piece[] {
  return [
    ...pieces.filter((p) => p.kind === 'preamble'),
    ...pieces.filter((p) => p.kind !== 'preamble'),
  ];
}

export class JoinedScript {
  readonly text: string;
  private readonly placed: Placed[] = [];

  constructor(readonly pieces: readonly Piece[]) {
    let line = 1;
    const texts = pieces.map(placedText);
    pieces.forEach((piece, i) => {
      const lineCount = texts[i]!.split('\n').length;
      this.placed.push({ piece, startLine: line, lineCount });
      line += lineCount;
    });
    this.text = texts.join('\n');
  }

  /** The piece a diagnostic lies in, and the diagnostic moved into that piece's entry. */
  locate(d: Diagnostic): { piece?: Piece; diagnostic: Diagnostic } {
    if (!d.range) return { diagnostic: d };
    const at = this.placed.find(
      (p) => d.range!.start.line >= p.startLine && d.range!.start.line < p.startLine + p.lineCount,
    );
    if (!at) return { diagnostic: d };
    const { origin } = at.piece;
    const entryLines = origin.entry.split('\n');
    const move = (pos: SourcePosition): SourcePosition => {
      const pieceLine = pos.line - at.startLine + 1;
      let line = origin.line + pieceLine - 1;
      let column = pieceLine === 1 ? pos.column + origin.column - 1 : pos.column;
      // A position on a wrapper line of a statement list lands at the nearest end of it.
      if (line < 1) [line, column] = [1, 1];
      else if (line > entryLines.length)
        [line, column] = [entryLines.length, entryLines.at(-1)!.length + 1];
      const offset =
        entryLines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;
      return { line, column, offset };
    };
    return {
      piece: at.piece,
      diagnostic: { ...d, range: { start: move(d.range.start), end: move(d.range.end) } },
    };
  }
}
