// The grammar's front door: source text → AST (or diagnostics), AST → source text, and
// child traversal.

import type { IToken, TokenType } from 'chevrotain';
import type { Program, SourceRange } from './ast';
import { error, type Diagnostic } from './diagnostics';
import { errorRange, scan, type ScannedToken } from './lexer';
import { preprocess } from './preprocessor';
import { getParser } from './parser';
import { SourceText } from './source';
import { missingProbeBodyDiagnostic, syntaxErrorDiagnostic } from './syntaxErrors';
import * as T from './tokens';

export { printProgram } from './printer';
export { forEachChild } from './visit';
export { parserConstructionMs } from './parser';

/** Deepest bracket / prefix-operator / ternary nesting accepted: Chevrotain recurses about
 *  eight rules per parenthesis, and about 200 levels exhaust the default JS stack. */
export const MAX_NESTING = 150;
/** Deepest AST accepted (long operator chains nest to the left). */
export const MAX_AST_DEPTH = 2000;

export interface ParseResult {
  ast: Program | null;
  diagnostics: Diagnostic[];
}

export function parse(source: string, sourceName: string): ParseResult {
  void sourceName; // diagnostics carry ranges; the caller renders them with the name
  const failed = (diagnostics: Diagnostic[]): ParseResult => ({ ast: null, diagnostics });
  const text = new SourceText(source);
  const scanned = scan(text);
  const lexical = scanned.diagnostics;
  const expanded = preprocess(scanned.tokens);
  if (expanded.diagnostics.length > 0)
    return failed(lexical.length ? lexical : expanded.diagnostics);
  const tokens = expanded.tokens;

  const tooDeep = firstTooDeeplyNested(tokens);
  if (tooDeep) {
    const message = `program is nested too deeply (more than ${MAX_NESTING} levels)`;
    return failed(lexical.length ? lexical : [error(message, errorRange(tooDeep))]);
  }

  const parser = getParser();
  let parsed;
  try {
    parsed = parser.parseTokens(tokens, wholeRange(text), MAX_AST_DEPTH);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return failed([error('program is nested too deeply', wholeRange(text))]);
  }
  // 0.17 lexes as it parses: lexical errors before the first syntax error are reported,
  // then that syntax error (a bad token is dropped, so the parser usually trips on the
  // next one); later lexical errors are never reached.
  const firstSyntaxError = parser.errors[0];
  const syntaxOffset = firstSyntaxError ? tokenOffset(firstSyntaxError.token, text) : Infinity;
  const earlierLexical = lexical.filter((_, i) => scanned.diagnosticOffsets[i]! <= syntaxOffset);
  if (firstSyntaxError) {
    const syntax = syntaxErrorDiagnostic(firstSyntaxError, tokens, text, scanned.eofRange);
    return failed([...earlierLexical, syntax]);
  }
  if (earlierLexical.length > 0) return failed(earlierLexical);

  const { ast, diagnostics, deepest } = parsed;
  if (!ast) return failed(diagnostics.slice(0, 1));
  if (ast.probes.length === 0) return failed([missingProbeBodyDiagnostic(tokens, text)]);
  if (deepest) {
    const message = `expression is nested too deeply (more than ${MAX_AST_DEPTH} levels)`;
    return failed([error(message, deepest.range)]);
  }
  return { ast, diagnostics: [] };
}

function tokenOffset(token: IToken, text: SourceText): number {
  return Number.isNaN(token.startOffset) ? text.text.length : token.startOffset;
}

function wholeRange(text: SourceText): SourceRange {
  return text.range(0, text.text.length);
}

/** Membership of token types, indexed by tokenTypeIdx (checked for every token). */
function typeSet(types: TokenType[]): boolean[] {
  const set: boolean[] = [];
  for (const type of types) set[type.tokenTypeIdx!] = true;
  return set;
}
const opening = typeSet([T.LParen, T.LBracket, T.LBrace]);
const closing = typeSet([T.RParen, T.RBracket, T.RBrace]);
const prefix = typeSet([T.Minus, T.Bang, T.Tilde, T.Star, T.Ampersand, T.Increment, T.Decrement]);
const statementBoundary = typeSet([T.Semicolon, T.LBrace, T.RBrace]);

/**
 * The first token at which brackets are open more than MAX_NESTING deep, counting a run
 * of prefix operators and the `?`s of one statement (each nests the next) as levels too.
 */
function firstTooDeeplyNested(tokens: readonly ScannedToken[]): ScannedToken | null {
  let depth = 0;
  let prefixRun = 0;
  let ternaries = 0;
  for (const t of tokens) {
    const type = t.tokenTypeIdx;
    if (opening[type]) depth++;
    else if (closing[type]) depth = Math.max(0, depth - 1);
    if (statementBoundary[type]) ternaries = 0;
    else if (t.tokenType === T.Question) ternaries++;
    prefixRun = prefix[type] ? prefixRun + 1 : 0;
    if (depth + prefixRun + ternaries > MAX_NESTING) return t;
  }
  return null;
}
