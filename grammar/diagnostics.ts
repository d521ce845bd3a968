// Diagnostics are collected, never thrown, and rendered the way bpftrace 0.17 does:
//   NAME:LINE:COL1-COL2: ERROR: message
//   <the source line>
//   <spaces>~~~~
// A range that spans lines renders as `NAME:L1-L2: ERROR: message` with no source echo, and
// a range on a line past the end of the text (end of file) renders without the echo too.

import type { SourceRange } from './ast';

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
  const { start, end } = d.range;
  if (end.line > start.line) {
    return `${sourceName}:${start.line}-${end.line}: ${label}: ${d.message}\n`;
  }
  const endColumn = Math.max(end.column, start.column);
  const head = `${sourceName}:${start.line}:${start.column}-${endColumn}: ${label}: ${d.message}\n`;
  const lines = source.split('\n');
  const line = lines[start.line - 1];
  if (line === undefined || (start.line === lines.length && line === '')) return head;
  const marker = ' '.repeat(start.column - 1) + '~'.repeat(Math.max(0, endColumn - start.column));
  return `${head}${line}\n${marker}\n`;
}

export function renderDiagnostics(
  diagnostics: readonly Diagnostic[],
  sourceName: string,
  source: string,
): string {
  return diagnostics.map((d) => renderDiagnostic(d, sourceName, source)).join('');
}
