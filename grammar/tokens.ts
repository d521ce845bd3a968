// Token types shared by the scanner (grammar/lexer.ts) and the Chevrotain parser.
// The scanner is hand-written (bpftrace's lexer is context-dependent: attach points,
// predicates and C definitions each lex differently), so the token types carry no
// patterns. Each `label` is bison's spelling of the token in bpftrace 0.17's
// "syntax error, unexpected X" messages.

import { createToken, Lexer, type TokenType } from 'chevrotain';

function token(name: string, label: string, categories: TokenType[] = []): TokenType {
  return createToken({ name, label, pattern: Lexer.NA, categories });
}

// Categories ------------------------------------------------------------------------------

/** Every word-like token: usable as a field name after `.`/`->` and in C definitions. */
export const Word = token('Word', 'identifier');
/** Binary operators handled by the precedence climber. */
export const BinaryOperator = token('BinaryOperator', 'operator');
/** `+=` … `>>=` */
export const CompoundAssignOperator = token('CompoundAssignOperator', 'compound assignment');

// Words -----------------------------------------------------------------------------------

export const Identifier = token('Identifier', 'identifier', [Word]);
export const BuiltinName = token('BuiltinName', 'builtin', [Word]);
export const CallName = token('CallName', 'call', [Word]);
export const CallBuiltinName = token('CallBuiltinName', 'call_builtin', [Word]);
export const StackMode = token('StackMode', 'stack_mode', [Word]);

export const If = token('If', 'if', [Word]);
export const Else = token('Else', 'else', [Word]);
export const Unroll = token('Unroll', 'unroll', [Word]);
export const While = token('While', 'while', [Word]);
export const For = token('For', 'for', [Word]);
export const Return = token('Return', 'return', [Word]);
export const Break = token('Break', 'break', [Word]);
export const Continue = token('Continue', 'continue', [Word]);
export const Struct = token('Struct', 'struct', [Word]);
export const Union = token('Union', 'union', [Word]);
export const Enum = token('Enum', 'enum', [Word]);
// Newer-bpftrace words that 0.17 lexes as plain identifiers (or calls): same labels.
export const Sizeof = token('Sizeof', 'call', [Word]);
export const Offsetof = token('Offsetof', 'identifier', [Word]);
export const Let = token('Let', 'identifier', [Word]);
export const True = token('True', 'identifier', [Word]);
export const False = token('False', 'identifier', [Word]);
// Top-level keywords of newer bpftrace (0.17 lexes these words as attach points).
export const MacroKeyword = token('MacroKeyword', 'macro', [Word]);
export const ConfigKeyword = token('ConfigKeyword', 'config', [Word]);

// Values ----------------------------------------------------------------------------------

export const IntegerToken = token('Integer', 'integer');
export const StringToken = token('String', 'string');
export const MapName = token('MapName', 'map');
export const VariableName = token('VariableName', 'variable');
export const Param = token('Param', 'positional parameter');
export const ParamCount = token('ParamCount', '$#');

// Punctuation -----------------------------------------------------------------------------

export const LBrace = token('LBrace', '{');
export const RBrace = token('RBrace', '}');
export const LParen = token('LParen', '(');
export const RParen = token('RParen', ')');
export const LBracket = token('LBracket', '[');
export const RBracket = token('RBracket', ']');
export const Semicolon = token('Semicolon', ';');
export const Comma = token('Comma', '","');
export const Assign = token('Assign', '=');
export const Colon = token('Colon', ':');
export const Question = token('Question', '?');
export const Dot = token('Dot', '.');
export const DotDot = token('DotDot', '..');
export const Arrow = token('Arrow', '->');
export const Increment = token('Increment', '++');
export const Decrement = token('Decrement', '--');
export const Bang = token('Bang', '!');
export const Tilde = token('Tilde', '~');

export const Plus = token('Plus', '+', [BinaryOperator]);
export const Minus = token('Minus', '-', [BinaryOperator]);
export const Star = token('Star', '*', [BinaryOperator]);
export const Slash = token('Slash', '/', [BinaryOperator]);
export const Percent = token('Percent', '%', [BinaryOperator]);
export const Ampersand = token('Ampersand', '&', [BinaryOperator]);
export const Pipe = token('Pipe', '|', [BinaryOperator]);
export const Caret = token('Caret', '^', [BinaryOperator]);
export const ShiftLeft = token('ShiftLeft', '<<', [BinaryOperator]);
export const ShiftRight = token('ShiftRight', '>>', [BinaryOperator]);
export const Less = token('Less', '<', [BinaryOperator]);
export const LessEqual = token('LessEqual', '<=', [BinaryOperator]);
export const Greater = token('Greater', '>', [BinaryOperator]);
export const GreaterEqual = token('GreaterEqual', '>=', [BinaryOperator]);
export const Equal = token('Equal', '==', [BinaryOperator]);
export const NotEqual = token('NotEqual', '!=', [BinaryOperator]);
export const LogicalAnd = token('LogicalAnd', '&&', [BinaryOperator]);
export const LogicalOr = token('LogicalOr', '||', [BinaryOperator]);

export const CompoundAssignTokens = ['+', '-', '*', '/', '%', '&', '|', '^', '<<', '>>'].map((op) =>
  token(`Assign${op}`, `${op}=`, [CompoundAssignOperator]),
);

// Program structure -----------------------------------------------------------------------

/** One whole attach point (its pieces joined, whitespace dropped). */
export const AttachPointText = token('AttachPointText', 'attach point');
/** The `/` that opens a predicate. */
export const PredicateStart = token('PredicateStart', '/');
/** The `/` that closes a predicate (the one followed by `{`). */
export const PredicateEnd = token('PredicateEnd', 'end predicate');
/** A `#include` or `#define` line. */
export const Directive = token('Directive', 'preprocessor directive');

export const allTokens: TokenType[] = [
  Word,
  BinaryOperator,
  CompoundAssignOperator,
  Identifier,
  BuiltinName,
  CallName,
  CallBuiltinName,
  StackMode,
  If,
  Else,
  Unroll,
  While,
  For,
  Return,
  Break,
  Continue,
  Struct,
  Union,
  Enum,
  Sizeof,
  Offsetof,
  Let,
  True,
  False,
  MacroKeyword,
  ConfigKeyword,
  IntegerToken,
  StringToken,
  MapName,
  VariableName,
  Param,
  ParamCount,
  LBrace,
  RBrace,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Semicolon,
  Comma,
  Assign,
  Colon,
  Question,
  Dot,
  DotDot,
  Arrow,
  Increment,
  Decrement,
  Bang,
  Tilde,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  Ampersand,
  Pipe,
  Caret,
  ShiftLeft,
  ShiftRight,
  Less,
  LessEqual,
  Greater,
  GreaterEqual,
  Equal,
  NotEqual,
  LogicalAnd,
  LogicalOr,
  ...CompoundAssignTokens,
  AttachPointText,
  PredicateStart,
  PredicateEnd,
  Directive,
];

/** Operator text → token type, longest first so the scanner can match greedily. */
export const punctuation: ReadonlyArray<readonly [string, TokenType]> = (
  [
    ['<<=', CompoundAssignTokens[8]!],
    ['>>=', CompoundAssignTokens[9]!],
    ['+=', CompoundAssignTokens[0]!],
    ['-=', CompoundAssignTokens[1]!],
    ['*=', CompoundAssignTokens[2]!],
    ['/=', CompoundAssignTokens[3]!],
    ['%=', CompoundAssignTokens[4]!],
    ['&=', CompoundAssignTokens[5]!],
    ['|=', CompoundAssignTokens[6]!],
    ['^=', CompoundAssignTokens[7]!],
    ['->', Arrow],
    ['..', DotDot],
    ['++', Increment],
    ['--', Decrement],
    ['<<', ShiftLeft],
    ['>>', ShiftRight],
    ['<=', LessEqual],
    ['>=', GreaterEqual],
    ['==', Equal],
    ['!=', NotEqual],
    ['&&', LogicalAnd],
    ['||', LogicalOr],
    ['{', LBrace],
    ['}', RBrace],
    ['(', LParen],
    [')', RParen],
    ['[', LBracket],
    [']', RBracket],
    [';', Semicolon],
    [',', Comma],
    ['=', Assign],
    [':', Colon],
    ['?', Question],
    ['.', Dot],
    ['!', Bang],
    ['~', Tilde],
    ['+', Plus],
    ['-', Minus],
    ['*', Star],
    ['/', Slash],
    ['%', Percent],
    ['&', Ampersand],
    ['|', Pipe],
    ['^', Caret],
    ['<', Less],
    ['>', Greater],
  ] as const
).slice();
