// Diagnostics are collected, never thrown, and rendered the way bpftrace 0.17 does:
//   NAME:LINE:COL1-COL2: ERROR: message
//   <the source line>
//   <spaces>~~~~
// A range that spans lines renders as `NAME:L1-L2: ERROR: message` with no source echo, and
// a range on a line past the end of the text (end of file) renders without the echo too.

import type { SourcePosition, SourceRange } from './ast';

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  severity: Severity;
  message: string;
  /** null for errors that concern the whole program or the command line. */
  range: SourceRange | null;
}

export function error(message: string, range: SourceRange | null): Diagnostic {
  return { severity: 'error', message, range };
}

export function warning(message: string, range: SourceRange | null): Diagnostic {
  return { severity: 'warning', message, range };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

export function renderDiagnostic(d: Diagnostic, sourceName: string, source: string): string {
  const label = d.severity === 'error' ? 'ERROR' : 'WARNING';
  if (!d.range) return `${sourceName}: ${label}: ${d.message}\n`;
  const { start, end } = bpftraceLines(d.range, source);
  if (end.line > start.line) {
    return `${sourceName}:${start.line}-${end.line}: ${label}: ${d.message}\n`;
  }
  const endColumn = Math.max(end.column, start.column);
  const head = `${sourceName}:${start.line}:${start.column}-${endColumn}: ${label}: ${d.message}\n`;
  const lines = source.split('\n');
  const line = lines[start.line - 1];
  if (line === undefined || (start.line === lines.length && line === '')) return head;
  // bpftrace echoes each tab as 4 spaces, and widens the marker to match.
  const width = (i: number) => (line[i] === '\t' ? 4 : 1);
  let marker = '';
  // The marker never runs past the echoed line.
  const stop = (column: number) => Math.min(column - 1, line.length);
  for (let i = 0; i < stop(start.column); i++) marker += ' '.repeat(width(i));
  for (let i = start.column - 1; i < stop(endColumn); i++) marker += '~'.repeat(width(i));
  return `${head}${line.replace(/\t/g, '    ')}\n${marker}\n`;
}

/** bpftrace's lexer counts every `\r` as a line break too, so in a CRLF file each line
 *  end counts twice (and the echo is whatever `\n`-line has that number). */
function bpftraceLines(range: SourceRange, source: string): SourceRange {
  if (!source.includes('\r')) return range;
  const line = (p: SourcePosition) => {
    if (p.offset < 0 || p.offset > source.length) return p;
    let breaks = 0;
    for (let i = 0; i < p.offset; i++) if (source[i] === '\n' || source[i] === '\r') breaks++;
    return { ...p, line: breaks + 1 };
  };
  return { start: line(range.start), end: line(range.end) };
}

export function renderDiagnostics(
  diagnostics: readonly Diagnostic[],
  sourceName: string,
  source: string,
): string {
  return diagnostics.map((d) => renderDiagnostic(d, sourceName, source)).join('');
}
