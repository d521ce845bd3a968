// Parse + check a script and render its diagnostics the way bpftrace does.

import { parse } from '../../grammar';
import { renderDiagnostics } from '../../grammar/diagnostics';
import type { CompileOptions } from '../../compiler/host';
import { check } from '../../compiler/check';
import type { CheckedProgram } from '../../compiler/check/checked';
import { testOptions } from './fakeHost';

export interface CheckRun {
  /** Rendered diagnostics (parse errors, or the checker's). */
  stderr: string;
  checked: CheckedProgram | null;
  hasError: boolean;
  firstLocation: string | null;
}

export function runCheck(
  source: string,
  overrides: Partial<CompileOptions> = {},
  name = 'stdin',
): CheckRun {
  const parsed = parse(source, name);
  if (!parsed.ast) {
    const d = parsed.diagnostics[0];
    return {
      stderr: renderDiagnostics(parsed.diagnostics, name, source),
      checked: null,
      hasError: true,
      firstLocation: d?.range ? `${d.range.start.line}:${d.range.start.column}` : null,
    };
  }
  const checked = check(parsed.ast, testOptions({ sourceName: name, source, ...overrides }));
  const diagnostics = [...parsed.diagnostics, ...checked.diagnostics];
  const firstError = diagnostics.find((d) => d.severity === 'error');
  return {
    stderr: renderDiagnostics(diagnostics, name, source),
    checked,
    hasError: firstError !== undefined,
    firstLocation: firstError?.range
      ? `${firstError.range.start.line}:${firstError.range.start.column}`
      : null,
  };
}

/** Only the error/warning lines of rendered diagnostics. */
export function messageLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => /: (ERROR|WARNING): /.test(l));
}
