// Chevrotain's first parse error → a bpftrace-0.17-style diagnostic:
//   syntax error, unexpected X[, expecting Y]
// located like bison's lookahead token (see ScannedToken.errorStart). The expected part is
// given where bison gives it for the same situation (a missing `}`/`{`/`)`…); where bison
// would list no expectation (many alternatives), none is given.

import type { IRecognitionException, TokenType } from 'chevrotain';
import type { SourceRange } from './ast';
import { error, type Diagnostic } from './diagnostics';
import { errorRange, type ScannedToken } from './lexer';
import type { SourceText } from './source';
import * as T from './tokens';

function label(type: TokenType): string {
  return type.LABEL ?? type.name;
}

function isEof(token: ScannedToken | undefined): boolean {
  return token === undefined || token.tokenType.name === 'EOF' || Number.isNaN(token.startOffset);
}

/**
 * 0.17's error when the input ends where a probe (or its `{`) should come, including a
 * program with no probe at all. It spans from the end of the last probe to end of file.
 */
export function missingProbeBodyDiagnostic(
  tokens: readonly ScannedToken[],
  source: SourceText,
): Diagnostic {
  const message = 'unexpected end of file, expected {';
  if (source.text.length === 0) return error(message, null);
  const lastBrace = [...tokens].reverse().find((t) => t.tokenType === T.RBrace);
  const start = lastBrace ? lastBrace.range.end.offset : 0;
  return error(message, source.range(start, source.text.length));
}

export function syntaxErrorDiagnostic(
  e: IRecognitionException,
  tokens: readonly ScannedToken[],
  source: SourceText,
  eofRange: SourceRange,
): Diagnostic {
  const token = e.token as ScannedToken;
  const eof = isEof(token);
  const rules = e.context.ruleStack;
  const innermost = rules[rules.length - 1];
  const expected = mismatchExpected(e);

  // 0.17 has no `for` loop: a `for` that is not the newer `for ($x : @map)` form is
  // reported the way 0.17 reports any `for` statement.
  if (rules.includes('forStatement')) {
    const limit = eof ? Infinity : token.startOffset;
    const forToken = [...tokens]
      .reverse()
      .find((t) => t.tokenType === T.For && t.startOffset < limit);
    if (forToken) return error('syntax error, unexpected for, expecting }', errorRange(forToken));
  }
  const atTopLevel =
    e.name === 'NotAllInputParsedException' ||
    innermost === 'program' ||
    (innermost === 'probe' && expected !== T.PredicateEnd) ||
    (innermost === 'block' && rules[rules.length - 2] === 'probe' && expected === T.LBrace);
  if (eof && atTopLevel) return missingProbeBodyDiagnostic(tokens, source);

  const index = eof ? tokens.length : tokens.indexOf(token);
  const previous = index > 0 ? tokens[index - 1] : undefined;
  const expecting = atTopLevel ? '{' : expectedText(e, innermost, expected, previous);
  const unexpected = eof ? 'end of file' : label(token.tokenType);
  const message = `syntax error, unexpected ${unexpected}${expecting ? `, expecting ${expecting}` : ''}`;
  return error(message, eof ? eofRange : errorRange(token));
}

const expectingMismatch = /Expecting (?:token of type )?--> (.+?) <--/;

/** The token a MismatchedTokenException wanted. */
function mismatchExpected(e: IRecognitionException): TokenType | undefined {
  if (e.name !== 'MismatchedTokenException') return undefined;
  const wanted = expectingMismatch.exec(e.message)?.[1];
  if (wanted === undefined) return undefined;
  return T.allTokens.find((t) => t.name === wanted) ?? T.allTokens.find((t) => t.LABEL === wanted);
}

function expectedText(
  e: IRecognitionException,
  innermost: string | undefined,
  expected: TokenType | undefined,
  previous: ScannedToken | undefined,
): string | null {
  if (e.name === 'MismatchedTokenException') {
    const afterElement =
      previous !== undefined && previous.tokenType !== T.LParen && previous.tokenType !== T.Comma;
    // bison's state after a call word expects `++`/`--` (a quirk of 0.17's grammar).
    if (expected === T.LParen && innermost === 'call') return '++ or --';
    const list = ['call', 'parenthesized', 'mapAccess', 'sizeofExpression'].includes(
      innermost ?? '',
    );
    if ((expected === T.RParen || expected === T.RBracket) && list) {
      return afterElement ? `${label(expected)} or ","` : null;
    }
    if (
      expected &&
      expected !== T.BinaryOperator &&
      expected !== T.Word &&
      expected !== T.CompoundAssignOperator
    ) {
      return label(expected);
    }
    return null;
  }
  switch (innermost) {
    case 'statementList':
      return '}';
    case 'ifStatement':
      return '{ or if';
    case 'unrollStatement':
      return '$# or - or positional parameter or integer';
    default:
      return null;
  }
}
