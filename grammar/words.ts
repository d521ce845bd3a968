// How bpftrace 0.17's lexer classifies a word. This decides the token type (and so the AST
// node: a builtin word becomes a Builtin node, a plain one an Identifier) and the token's
// name in syntax errors. It is lexical knowledge only; what a builtin means is stdlib/'s.

import type { TokenType } from 'chevrotain';
import * as T from './tokens';

/** Words 0.17's lexer makes builtin variables. */
export const builtinWords: ReadonlySet<string> = new Set([
  'pid',
  'tid',
  'uid',
  'gid',
  'nsecs',
  'elapsed',
  'cpu',
  'comm',
  'retval',
  'func',
  'probe',
  'curtask',
  'rand',
  'cgroup',
  'username',
  'args',
  'ctx',
  'numaid',
  'cpid',
]);

/** Words 0.17's lexer makes call names. */
export const callWords: ReadonlySet<string> = new Set([
  'avg',
  'buf',
  'cat',
  'cgroupid',
  'clear',
  'count',
  'delete',
  'exit',
  'hist',
  'join',
  'kaddr',
  'kptr',
  'ksym',
  'lhist',
  'macaddr',
  'max',
  'min',
  'ntop',
  'override',
  'print',
  'printf',
  'cgroup_path',
  'reg',
  'signal',
  'stats',
  'str',
  'strftime',
  'strncmp',
  'sum',
  'system',
  'time',
  'uaddr',
  'uptr',
  'usym',
  'zero',
  'path',
  'unwatch',
  'bswap',
  'skboutput',
  'pton',
  'strerror',
  'strcontains',
  'debugf',
]);

const keywordTokens: Record<string, TokenType> = {
  if: T.If,
  else: T.Else,
  unroll: T.Unroll,
  while: T.While,
  for: T.For,
  return: T.Return,
  break: T.Break,
  continue: T.Continue,
  struct: T.Struct,
  union: T.Union,
  enum: T.Enum,
  sizeof: T.Sizeof,
  offsetof: T.Offsetof,
  let: T.Let,
  true: T.True,
  false: T.False,
  kstack: T.CallBuiltinName,
  ustack: T.CallBuiltinName,
  bpftrace: T.StackMode,
  perf: T.StackMode,
};

/** `arg0`…`arg9` and `sarg0`…`sarg9` (one digit only, as in 0.17). */
const argumentWords = Array.from({ length: 10 }, (_, i) => [`arg${i}`, `sarg${i}`]).flat();

/** Every word that is not a plain identifier, with its token type (looked up per word). */
const wordTypes = new Map<string, TokenType>([
  ...[...callWords].map((w) => [w, T.CallName] as const),
  ...[...builtinWords, ...argumentWords].map((w) => [w, T.BuiltinName] as const),
  ...Object.entries(keywordTokens),
]);

/** A builtin variable's word (`pid`, `comm`, `arg0`…): newer bpftrace also accepts `pid()`
 *  and `__builtin_pid` for it. */
export function isBuiltinVariableWord(word: string): boolean {
  return wordTypes.get(word) === T.BuiltinName;
}

/** A word 0.17 lexes as a call (`printf`, `count`…). */
export function isCallWord(word: string): boolean {
  return callWords.has(word);
}

export function classifyWord(word: string): TokenType {
  return wordTypes.get(word) ?? T.Identifier;
}
