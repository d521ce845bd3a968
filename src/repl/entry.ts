// What one REPL entry is: lines are gathered until brackets balance (and a bare attach-point
// header has its body), then the text is either script text (probes, #define, struct …) or a
// statement list that runs once, as a BEGIN block would.

import { parse } from '../../grammar/index';
import type { Probe, PreambleItem, SourceRange } from '../../grammar/ast';
import { hasErrors, type Diagnostic } from '../../grammar/diagnostics';
import { JoinedScript, newPiece, onceOrigin, onceText } from './script';

/** Brackets still open at the end of `text` (strings and comments skipped); -1 inside a
 *  comment. A closing bracket that does not match makes the text complete (0): the parser
 *  then says what is wrong. */
function openDepth(text: string): number {
  const open: string[] = [];
  const closes: Record<string, string> = { '}': '{', ')': '(', ']': '[' };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"' && text[i] !== '\n'; i++)
        if (text[i] === '\\') i++;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) return -1;
      i = close + 1;
    } else if (c === '{' || c === '(' || c === '[') open.push(c);
    else if (c in closes) {
      if (open.pop() !== closes[c]) return 0;
    }
  }
  return open.length;
}

/** An attach point list with no body yet: `kprobe:vfs_read`, `BEGIN`, `t:sched:a,` … */
const HEADER_ONLY = /^\s*(BEGIN|END|[A-Za-z]\w*:[^\s{]*)(\s*,\s*[^\s{]*)*\s*(\/.*\/)?\s*$/s;

/** True when the lines gathered so far need more lines to be a whole entry. */
export function needsMoreLines(text: string): boolean {
  const depth = openDepth(text);
  if (depth !== 0) return depth === -1 || depth > 0;
  return HEADER_ONLY.test(text) || /,\s*$/.test(text);
}

/** True while brackets are open (a header waiting for its body is not "open"). */
export function bracketsOpen(text: string): boolean {
  const depth = openDepth(text);
  return depth === -1 || depth > 0;
}

/** Text that is meant as probes / script rather than statements. */
const SCRIPT_START = /^\s*(#|(BEGIN|END)\b|(struct|union|enum)\b[^;]*\{|[A-Za-z]\w*:(?!:))/;

/** Definitions: `#define`, `#include`, `struct …`. */
const PREAMBLE_START = /^\s*(#|(struct|union|enum)\b)/;

/** A part of an entry: its text and where it starts in the entry (1-based line and column). */
export interface EntryPart<T> {
  node: T;
  text: string;
  line: number;
  column: number;
}

export type ClassifiedEntry =
  | { kind: 'script'; preamble: EntryPart<PreambleItem>[]; probes: EntryPart<Probe>[] }
  | { kind: 'once'; text: string }
  | { kind: 'error'; diagnostics: Diagnostic[] };

function part<T extends { range: SourceRange }>(text: string, node: T): EntryPart<T> {
  const { start, end } = node.range;
  return {
    node,
    text: text.slice(start.offset, end.offset),
    line: start.line,
    column: start.column,
  };
}

export function classifyEntry(text: string, sourceName: string): ClassifiedEntry {
  const asScript = parse(text, sourceName);
  if (asScript.ast && !hasErrors(asScript.diagnostics)) {
    return {
      kind: 'script',
      preamble: asScript.ast.preamble.map((p) => part(text, p)),
      probes: asScript.ast.probes.map((p) => part(text, p)),
    };
  }
  if (PREAMBLE_START.test(text)) {
    // Definitions alone are not a script; with an empty probe after them they are.
    const withProbe = parse(`${text}\nBEGIN {}`, sourceName);
    if (withProbe.ast && !hasErrors(withProbe.diagnostics) && withProbe.ast.probes.length === 1)
      return {
        kind: 'script',
        preamble: withProbe.ast.preamble.map((p) => part(text, p)),
        probes: [],
      };
  }
  if (SCRIPT_START.test(text)) return { kind: 'error', diagnostics: asScript.diagnostics };
  const wrapped = parse(onceText(text), sourceName);
  if (wrapped.ast && !hasErrors(wrapped.diagnostics)) return { kind: 'once', text };
  const asPiece = new JoinedScript([
    newPiece('once', onceText(text), onceOrigin(text, sourceName), 0n, true),
  ]);
  return {
    kind: 'error',
    diagnostics: wrapped.diagnostics.map((d) => asPiece.locate(d).diagnostic),
  };
}
