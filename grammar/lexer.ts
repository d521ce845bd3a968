// The scanner. bpftrace's lexer is context-dependent, so this is hand-written and feeds
// Chevrotain token instances to the parser:
//  - at the top level, attach points are raw text (`kprobe:vfs_read/pid/` is one attach
//    point, as in 0.17), pieces separated only by whitespace are joined, `/` opens a
//    predicate and `{` a probe body;
//  - inside a predicate, the `/` followed by `{` closes it; any other `/` divides;
//  - `struct`/`union`/`enum` at the top level start a C definition lexed as code;
//  - `#include`/`#define` lines are directive tokens; `#!` lines are ignored anywhere.
//
// Every token also records `errorStart`: where bison's location for it begins in 0.17.
// bpftrace's lexer only moves the location's start over whitespace, so a token written
// right after another (`printf("a"5)`) is reported from the start of that run of tokens.

import type { IToken, TokenType } from 'chevrotain';
import type { SourcePosition, SourceRange } from './ast';
import { error, type Diagnostic } from './diagnostics';
import { scanInteger, scanString } from './literals';
import type { SourceText } from './source';
import * as T from './tokens';
import { classifyWord } from './words';

/**
 * A token as Chevrotain needs it, plus our extras. Only offsets are stored: lines and
 * columns are looked up in the source's line table when a range is asked for, which most
 * tokens never are.
 */
export class ScannedToken implements IToken {
  readonly tokenTypeIdx: number;
  private cachedRange: SourceRange | undefined = undefined;

  constructor(
    readonly tokenType: TokenType,
    readonly image: string,
    readonly startOffset: number,
    /** Inclusive, as Chevrotain counts it. */
    readonly endOffset: number,
    /** Start of bison's location for this token (see the file comment). */
    readonly errorStartOffset: number,
    readonly source: SourceText,
    /** Integer value (already wrapped to int64) or decoded string bytes. */
    readonly value?: bigint | string,
  ) {
    this.tokenTypeIdx = tokenType.tokenTypeIdx!;
  }

  get range(): SourceRange {
    return (this.cachedRange ??= this.source.range(this.startOffset, this.endOffset + 1));
  }

  get errorStart(): SourcePosition {
    return this.errorStartOffset === this.startOffset
      ? this.range.start
      : this.source.position(this.errorStartOffset);
  }

  /** This token's kind and text at another token's place (a macro expanded at its use). */
  locatedAt(use: ScannedToken): ScannedToken {
    const { startOffset, endOffset, errorStartOffset, source } = use;
    return new ScannedToken(
      this.tokenType,
      this.image,
      startOffset,
      endOffset,
      errorStartOffset,
      source,
      this.value,
    );
  }
}

/** bison's location for a token: from the start of its whitespace-free run to its end. */
export function errorRange(t: ScannedToken): SourceRange {
  return { start: t.errorStart, end: t.range.end };
}

export interface ScanResult {
  tokens: ScannedToken[];
  diagnostics: Diagnostic[];
  /** For each diagnostic, the offset of the text it is about (to order it among syntax errors). */
  diagnosticOffsets: number[];
  /** Where end of file is, for bison-style "unexpected end of file" locations. */
  eofRange: SourceRange;
}

type Mode = 'top' | 'code' | 'predicate' | 'definition';

/** Operators by their first character, longest first. */
const punctuationByFirstChar: (readonly (readonly [string, TokenType])[])[] = [];
for (const entry of T.punctuation) {
  const code = entry[0].charCodeAt(0);
  punctuationByFirstChar[code] = [...(punctuationByFirstChar[code] ?? []), entry];
}
const noPunctuation: readonly (readonly [string, TokenType])[] = [];

function isWordStart(c: string | undefined): boolean {
  if (c === undefined) return false;
  const k = c.charCodeAt(0);
  return (k >= 97 && k <= 122) || (k >= 65 && k <= 90) || k === 95;
}
function isWordChar(c: string | undefined): boolean {
  if (c === undefined) return false;
  const k = c.charCodeAt(0);
  return (k >= 97 && k <= 122) || (k >= 65 && k <= 90) || k === 95 || (k >= 48 && k <= 57);
}
const isSpace = (c: string | undefined) =>
  c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';

export function scan(source: SourceText, startMode: 'top' | 'code' = 'top'): ScanResult {
  const src = source.text;
  const tokens: ScannedToken[] = [];
  const diagnostics: Diagnostic[] = [];
  const diagnosticOffsets: number[] = [];
  let pos = 0;
  let step = 0; // bison's location start
  let mode: Mode = startMode;
  let depth = 0;

  const push = (
    type: TokenType,
    start: number,
    end: number,
    value?: bigint | string,
    image = src.slice(start, end),
  ): void => {
    const errorStart = step >= start ? start : step;
    tokens.push(new ScannedToken(type, image, start, end - 1, errorStart, source, value));
  };
  let tokenStart = 0;
  const report = (message: string, range: SourceRange): void => {
    diagnostics.push(error(message, range));
    diagnosticOffsets.push(tokenStart);
  };
  const fail = (message: string, end: number): void => {
    report(message, { start: source.position(step), end: source.position(end) });
  };

  /** Skip whitespace and comments; whitespace moves bison's location start. */
  const skipTrivia = (): void => {
    for (;;) {
      const c = src[pos];
      if (isSpace(c)) {
        pos++;
        step = pos;
      } else if (c === '/' && src[pos + 1] === '/') {
        while (pos < src.length && src[pos] !== '\n') pos++;
      } else if (c === '/' && src[pos + 1] === '*') {
        const close = src.indexOf('*/', pos + 2);
        if (close < 0) {
          // 0.17 moves the location's start past each newline inside a comment.
          const lastNewline = src.lastIndexOf('\n');
          const start = Math.max(step, lastNewline >= pos ? lastNewline + 1 : step);
          pos = src.length;
          tokenStart = pos;
          report('end of file during comment', source.range(start, pos));
          step = start;
        } else {
          const newline = src.lastIndexOf('\n', close);
          if (newline > pos) step = newline + 1;
          pos = close + 2;
        }
      } else if (c === '#' && src[pos + 1] === '!' && (pos === 0 || src[pos - 1] === '\n')) {
        while (pos < src.length && src[pos] !== '\n') pos++;
      } else {
        return;
      }
    }
  };

  const scanDirective = (): void => {
    const start = pos;
    while (pos < src.length && src[pos] !== '\n') {
      if (src[pos] === '\\' && src[pos + 1] === '\n') pos++;
      pos++;
    }
    push(T.Directive, start, pos);
  };

  /**
   * Top level: one attach point. Its pieces are words, `*`, `.`, `[`, `]`, `+`, `-`, `:`,
   * `$N`, quoted strings, and after a `:` also `/` and `#` (paths); pieces separated only
   * by whitespace or comments are joined, as 0.17 concatenates them. Anything else ends it.
   */
  const scanAttachPoint = (): void => {
    const start = pos;
    let raw = '';
    let end = pos;
    let afterColon = false;
    for (;;) {
      for (;;) {
        const c = src[pos];
        if (c === '"') {
          const s = scanString(src, pos);
          raw += src.slice(pos, s.end);
          pos = s.end;
          if (!s.terminated) break;
        } else if (c === '$' && isDigit(src[pos + 1])) {
          raw += c;
          pos++;
          while (isDigit(src[pos])) raw += src[pos++];
        } else if (
          c !== undefined &&
          isAttachPointChar(c, afterColon) &&
          !src.startsWith('//', pos) &&
          !src.startsWith('/*', pos)
        ) {
          if (c === ':') afterColon = true;
          raw += c;
          pos++;
        } else {
          break;
        }
      }
      end = pos;
      skipTrivia();
      const next = src[pos];
      if (next === undefined || !startsAttachPoint(src, pos)) break;
    }
    pos = end;
    push(T.AttachPointText, start, end, raw);
  };

  const scanWord = (): void => {
    const start = pos;
    while (isWordChar(src[pos])) pos++;
    const word = src.slice(start, pos);
    push(classifyWord(word), start, pos, undefined, word);
  };

  /** One code token (anything inside a block, a predicate or a C definition). */
  const scanCodeToken = (): void => {
    const c = src[pos]!;
    const start = pos;
    tokenStart = pos;
    if (isWordStart(c)) return scanWord();
    if (c >= '0' && c <= '9') {
      const r = scanInteger(src, pos);
      pos = r.end;
      if (r.ok) push(T.IntegerToken, start, pos, r.value);
      else fail(r.message, pos);
      return;
    }
    if (c === '"') {
      const s = scanString(src, pos);
      for (const e of s.errors) fail(e.message, e.end);
      pos = s.end;
      if (!s.terminated) {
        // bison counts the newline that ends the line as one more column of the token.
        const lineEnd = src.indexOf('\n', pos);
        pos = lineEnd < 0 ? src.length : lineEnd;
        const end = source.position(pos);
        if (lineEnd >= 0) end.column++;
        report('unterminated string', { start: source.position(step), end });
        return;
      }
      // 0.17 still returns the string after a bad escape, so lexing and parsing go on.
      push(T.StringToken, start, pos, s.value);
      return;
    }
    if (c === '@') {
      pos++;
      if (isWordStart(src[pos])) while (isWordChar(src[pos])) pos++;
      push(T.MapName, start, pos);
      return;
    }
    if (c === '$') {
      if (isWordStart(src[pos + 1])) {
        pos++;
        while (isWordChar(src[pos])) pos++;
        push(T.VariableName, start, pos);
      } else if (src[pos + 1] !== undefined && src[pos + 1]! >= '0' && src[pos + 1]! <= '9') {
        pos++;
        while (src[pos] !== undefined && src[pos]! >= '0' && src[pos]! <= '9') pos++;
        push(T.Param, start, pos, BigInt(src.slice(start + 1, pos)));
      } else if (src[pos + 1] === '#') {
        pos += 2;
        push(T.ParamCount, start, pos);
      } else {
        pos++;
        fail(`invalid character '$'`, pos);
      }
      return;
    }
    if (c === '#') return scanDirective();
    if (c === '/' && closesPredicate(src, pos + 1)) {
      pos++;
      push(T.PredicateEnd, start, pos);
      if (mode === 'predicate') mode = 'top';
      return;
    }
    const candidates = punctuationByFirstChar[c.charCodeAt(0)] ?? noPunctuation;
    for (let i = 0; i < candidates.length; i++) {
      const [text, type] = candidates[i]!;
      if (text.length === 1 || src.startsWith(text, pos)) {
        pos += text.length;
        push(type, start, pos, undefined, text);
        if (type === T.LBrace) depth++;
        else if (type === T.Semicolon && mode === 'definition' && depth === 0) mode = 'top';
        else if (type === T.RBrace && depth > 0 && --depth === 0) mode = 'top';
        return;
      }
    }
    pos += c.length;
    fail(`invalid character '${c}'`, pos);
  };

  for (;;) {
    skipTrivia();
    if (pos >= src.length) break;
    const c = src[pos]!;
    if (mode !== 'top') {
      scanCodeToken();
      continue;
    }
    const start = pos;
    if (c === '#') {
      scanDirective();
    } else if (c === '{') {
      pos++;
      push(T.LBrace, start, pos);
      mode = 'code';
      depth = 1;
    } else if (c === '}' || c === ';' || c === ',') {
      pos++;
      push(c === '}' ? T.RBrace : c === ';' ? T.Semicolon : T.Comma, start, pos);
    } else if (c === '/') {
      pos++;
      // Like 0.17, a `/` right before `{` ends a predicate even where none was opened.
      const closing = closesPredicate(src, pos);
      push(closing ? T.PredicateEnd : T.PredicateStart, start, pos);
      if (!closing) mode = 'predicate';
    } else if (startsDefinition(src, pos)) {
      scanWord();
      mode = 'definition';
      depth = 0;
    } else if (startsTopLevelStatement(src, pos)) {
      const keyword = /^[a-z]+/.exec(src.slice(pos, pos + 6))![0];
      pos += keyword.length;
      push(topLevelKeywords[keyword]!, start, pos);
      mode = 'definition';
      depth = 0;
    } else if (startsAttachPoint(src, pos)) {
      scanAttachPoint();
    } else {
      // Not an attach point: lexed as code so that the parser reports it (0.17 does too).
      scanCodeToken();
    }
  }
  const eof = source.position(src.length);
  return {
    tokens,
    diagnostics,
    diagnosticOffsets,
    eofRange: { start: source.position(Math.min(step, src.length)), end: eof },
  };
}

/**
 * 0.17's "end predicate" token: a `/` followed, after optional whitespace, by `{` or `/`.
 * It applies everywhere: a division followed by a block comment is a syntax error in 0.17.
 */
function closesPredicate(src: string, pos: number): boolean {
  while (isSpace(src[pos])) pos++;
  return src[pos] === '{' || src[pos] === '/';
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

function isAttachPointChar(c: string, afterColon: boolean): boolean {
  return isWordChar(c) || '*.[]+-:'.includes(c) || (afterColon && (c === '/' || c === '#'));
}

/** Words that cannot start an attach point in 0.17 (they are lexed as keywords). */
const statementKeywords = /^(if|else|unroll|while|for|return|break|continue)(?![A-Za-z0-9_:])/;

function startsAttachPoint(src: string, pos: number): boolean {
  const c = src[pos]!;
  if (isDigit(c)) return false;
  if (isWordStart(c)) return !statementKeywords.test(src.slice(pos, pos + 9));
  return startsAttachPointPiece(src, pos);
}

function startsAttachPointPiece(src: string, pos: number): boolean {
  const c = src[pos]!;
  return (
    c === '"' ||
    (c === '$' && isDigit(src[pos + 1])) ||
    (c !== '/' && c !== '-' && c !== '+' && isAttachPointChar(c, false))
  );
}

const topLevelKeywords: Record<string, TokenType> = {
  macro: T.MacroKeyword,
  config: T.ConfigKeyword,
  let: T.Let,
};

/**
 * Newer bpftrace's top-level statements, lexed as code up to their `;` or closing `}`:
 * `macro NAME`, `config =`, `let @map`. (0.17 reads each as an attach point and rejects it.)
 */
function startsTopLevelStatement(src: string, pos: number): boolean {
  return /^(?:macro\s+[A-Za-z_]|config\s*=|let\s+@)/.test(src.slice(pos, pos + 64));
}

function startsDefinition(src: string, pos: number): boolean {
  const m = /^(struct|union|enum)(?![A-Za-z0-9_:])/.exec(src.slice(pos, pos + 7));
  return m !== null;
}
