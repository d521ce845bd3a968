// The part of the C preprocessor that bpftrace scripts use (0.17 hands these lines to
// clang): `#if`/`#ifdef`/`#ifndef`/`#elif`/`#else`/`#endif` select which tokens stay,
// `#undef` forgets a macro, and object-like `#define NAME text` macros replace every
// later identifier token NAME with the tokens of `text` (expanded again, without
// recursion), located at the use site. Function-like macros (`#define SQ(x) …`) are not
// expanded, as in bpftrace 0.17.

import type { SourceRange } from './ast';
import { error, type Diagnostic } from './diagnostics';
import { scan, type ScannedToken } from './lexer';
import { SourceText } from './source';
import * as T from './tokens';

/** Macros bpftrace defines for every script. bpfscope always has BTF-style type info. */
export const predefinedMacros: readonly string[] = ['BPFTRACE_HAVE_BTF'];

const directiveLine = /^#\s*([A-Za-z_]+)\s*(.*)$/s;
const objectLikeDefine = /^([A-Za-z_][A-Za-z0-9_]*)(?![A-Za-z0-9_(])(.*)$/s;
const anyDefine = /^([A-Za-z_][A-Za-z0-9_]*)/;

interface Conditional {
  /** This branch's tokens are kept. */
  active: boolean;
  /** Some branch of this #if chain was already taken. */
  taken: boolean;
  /** The enclosing region is active. */
  outerActive: boolean;
  sawElse: boolean;
}

class PreprocessError extends Error {
  constructor(
    message: string,
    readonly range: SourceRange,
  ) {
    super(message);
  }
}

export function preprocess(tokens: ScannedToken[]): {
  tokens: ScannedToken[];
  diagnostics: Diagnostic[];
} {
  if (!tokens.some((t) => t.tokenType === T.Directive)) return { tokens, diagnostics: [] };
  const macros = new Map<string, string | ScannedToken[] | null>(
    predefinedMacros.map((m) => [m, '1']),
  );
  const stack: Conditional[] = [];
  const out: ScannedToken[] = [];
  const active = () => stack.length === 0 || stack[stack.length - 1]!.active;

  const bodyTokens = (name: string, use: ScannedToken): ScannedToken[] => {
    let body = macros.get(name)!;
    if (typeof body === 'string') {
      const scanned = scan(new SourceText(body), 'code');
      const first = scanned.diagnostics[0];
      if (first)
        throw new PreprocessError(`in expansion of macro ${name}: ${first.message}`, use.range);
      body = scanned.tokens;
      macros.set(name, body);
    }
    return body ?? [];
  };

  const expand = (t: ScannedToken, expanding: Set<string>): void => {
    if (
      t.tokenType !== T.Identifier ||
      !macros.has(t.image) ||
      macros.get(t.image) === null ||
      expanding.has(t.image)
    ) {
      out.push(t);
      return;
    }
    expanding.add(t.image);
    for (const b of bodyTokens(t.image, t)) expand(b.locatedAt(t), expanding);
    expanding.delete(t.image);
  };

  const directive = (t: ScannedToken): void => {
    const m = directiveLine.exec(t.image.replace(/\\\n/g, ' '));
    const name = m?.[1] ?? '';
    const rest = (m?.[2] ?? '').trim();
    const top = stack[stack.length - 1];
    switch (name) {
      case 'if':
      case 'ifdef':
      case 'ifndef': {
        const outerActive = active();
        const value =
          outerActive &&
          (name === 'if'
            ? evaluateCondition(rest, macros, t.range)
            : macros.has(rest.split(/\s/)[0]!) === (name === 'ifdef'));
        stack.push({ active: value, taken: value, outerActive, sawElse: false });
        return;
      }
      case 'elif':
      case 'else':
        if (!top || top.sawElse) throw new PreprocessError(`#${name} without #if`, t.range);
        if (name === 'else') {
          top.sawElse = true;
          top.active = top.outerActive && !top.taken;
        } else {
          top.active = top.outerActive && !top.taken && evaluateCondition(rest, macros, t.range);
        }
        top.taken ||= top.active;
        return;
      case 'endif':
        if (!top) throw new PreprocessError('#endif without #if', t.range);
        stack.pop();
        return;
    }
    if (!active()) return;
    if (name === 'define') {
      const object = objectLikeDefine.exec(rest);
      if (object) macros.set(object[1]!, object[2]!.trim());
      else if (anyDefine.test(rest)) macros.set(anyDefine.exec(rest)![1]!, null);
    } else if (name === 'undef') {
      macros.delete(rest);
      return;
    }
    out.push(t);
  };

  const expanding = new Set<string>();
  try {
    for (const t of tokens) {
      if (t.tokenType === T.Directive) directive(t);
      else if (active()) expand(t, expanding);
    }
    if (stack.length > 0)
      throw new PreprocessError(
        'unterminated conditional directive',
        tokens[tokens.length - 1]!.range,
      );
  } catch (e) {
    if (e instanceof PreprocessError)
      return { tokens: [], diagnostics: [error(e.message, e.range)] };
    throw e;
  }
  return { tokens: out, diagnostics: [] };
}

/** `#if` expressions: integers, `defined(X)`/`defined X`, macro names, ! && || == != ( ). */
function evaluateCondition(
  text: string,
  macros: ReadonlyMap<string, unknown>,
  range: SourceRange,
): boolean {
  const tokens = text.match(/defined|[A-Za-z_]\w*|\d+|&&|\|\||==|!=|[!()]|\S/g) ?? [];
  let i = 0;
  const fail = (): never => {
    throw new PreprocessError(`unsupported #if expression: ${text}`, range);
  };
  const primary = (): number => {
    const t = tokens[i++] ?? fail();
    if (t === '!') return primary() ? 0 : 1;
    if (t === '(') {
      const v = or();
      if (tokens[i++] !== ')') fail();
      return v;
    }
    if (t === 'defined') {
      const paren = tokens[i] === '(';
      if (paren) i++;
      const name = tokens[i++] ?? fail();
      if (paren && tokens[i++] !== ')') fail();
      return macros.has(name) ? 1 : 0;
    }
    if (/^\d+$/.test(t)) return Number(t);
    if (/^[A-Za-z_]/.test(t)) {
      const body = macros.get(t);
      return typeof body === 'string' && /^\d+$/.test(body.trim()) ? Number(body) : 0;
    }
    return fail();
  };
  const equality = (): number => {
    let v = primary();
    while (tokens[i] === '==' || tokens[i] === '!=') {
      const op = tokens[i++];
      const r = primary();
      v = (op === '==') === (v === r) ? 1 : 0;
    }
    return v;
  };
  const and = (): number => {
    let v = equality();
    while (tokens[i] === '&&') {
      i++;
      v = equality() && v ? 1 : 0;
    }
    return v;
  };
  const or = (): number => {
    let v = and();
    while (tokens[i] === '||') {
      i++;
      v = and() || v ? 1 : 0;
    }
    return v;
  };
  const value = or();
  if (i !== tokens.length) fail();
  return value !== 0;
}
