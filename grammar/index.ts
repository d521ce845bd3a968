// The grammar's front door: source text → AST (or diagnostics), AST → source text, and
// child traversal.

import type { IToken } from 'chevrotain';
import type { Program, SourceRange } from './ast';
import { AstBuilder, errorRange } from './cstToAst';
import { error, type Diagnostic } from './diagnostics';
import { scan, type ScannedToken } from './lexer';
import { preprocess } from './preprocessor';
import { getParser } from './parser';
import { SourceText } from './source';
import { missingProbeBodyDiagnostic, syntaxErrorDiagnostic } from './syntaxErrors';
import * as T from './tokens';
import { firstNodeDeeperThan } from './visit';

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
  parser.input = tokens;
  let cst;
  try {
    cst = parser.program();
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return failed([error('program is nested too deeply', wholeRange(text))]);
  }
  // 0.17 lexes as it parses: lexical errors before the first syntax error are reported
  // (and the syntax error they cause is not); later ones are never reached.
  const firstSyntaxError = parser.errors[0];
  const syntaxOffset = firstSyntaxError ? tokenOffset(firstSyntaxError.token, text) : Infinity;
  const earlierLexical = lexical.filter((_, i) => scanned.diagnosticOffsets[i]! <= syntaxOffset);
  if (earlierLexical.length > 0) return failed(earlierLexical);
  if (firstSyntaxError) {
    return failed([syntaxErrorDiagnostic(firstSyntaxError, tokens, text, scanned.eofRange)]);
  }

  const builder = new AstBuilder(wholeRange(text));
  const ast = builder.build(cst);
  if (!ast) return failed(builder.diagnostics);
  if (ast.probes.length === 0) return failed([missingProbeBodyDiagnostic(tokens, text)]);
  const deep = firstNodeDeeperThan(ast, MAX_AST_DEPTH);
  if (deep) {
    const message = `expression is nested too deeply (more than ${MAX_AST_DEPTH} levels)`;
    return failed([error(message, deep.range)]);
  }
  return { ast, diagnostics: builder.diagnostics };
}

function tokenOffset(token: IToken, text: SourceText): number {
  return Number.isNaN(token.startOffset) ? text.text.length : token.startOffset;
}

function wholeRange(text: SourceText): SourceRange {
  return text.range(0, text.text.length);
}

const opening = new Set([T.LParen, T.LBracket, T.LBrace]);
const closing = new Set([T.RParen, T.RBracket, T.RBrace]);
const prefix = new Set([T.Minus, T.Bang, T.Tilde, T.Star, T.Ampersand, T.Increment, T.Decrement]);
const statementBoundary = new Set([T.Semicolon, T.LBrace, T.RBrace]);

/**
 * The first token at which brackets are open more than MAX_NESTING deep, counting a run
 * of prefix operators and the `?`s of one statement (each nests the next) as levels too.
 */
function firstTooDeeplyNested(tokens: readonly ScannedToken[]): ScannedToken | null {
  let depth = 0;
  let prefixRun = 0;
  let ternaries = 0;
  for (const t of tokens) {
    if (opening.has(t.tokenType)) depth++;
    else if (closing.has(t.tokenType)) depth = Math.max(0, depth - 1);
    if (statementBoundary.has(t.tokenType)) ternaries = 0;
    else if (t.tokenType === T.Question) ternaries++;
    prefixRun = prefix.has(t.tokenType) ? prefixRun + 1 : 0;
    if (depth + prefixRun + ternaries > MAX_NESTING) return t;
  }
  return null;
}
