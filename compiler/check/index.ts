// The checker's front door: check(ast, options) → CheckedProgram (see checked.ts).

import type { Program } from '../../grammar/ast';
import type { CompileOptions } from '../host';
import type { CheckedProgram } from './checked';
import { Checker, type TaggedDiagnostic } from './checker';
import type { Diagnostic } from '../../grammar/diagnostics';
import { expandMacros } from '../../grammar/macros';

export function check(ast: Program, options: CompileOptions): CheckedProgram {
  // Newer bpftrace's macros are expanded in place first: the checker never sees a call.
  const macroErrors = expandMacros(ast).diagnostics;
  if (macroErrors.length > 0) {
    return {
      ast,
      options,
      types: new Map(),
      maps: new Map(),
      probes: [],
      constants: new Map(),
      diagnostics: macroErrors,
    };
  }
  // A first walk learns every map's value kind, so a map read before its assignment in the
  // text is typed as 0.17's repeated passes type it; its diagnostics are discarded.
  const learn = new Checker(options);
  learn.checkProgram(ast);
  const checker = new Checker(options, learn.maps);
  checker.checkProgram(ast);
  // 0.17 stops after the first pass that reports errors: when that pass is the first one,
  // errors only the final pass finds (and its warnings) are never shown.
  const diagnostics = reported(checker.diagnostics);
  return {
    ast,
    options,
    types: checker.types,
    maps: checker.maps,
    probes: checker.probePoints.map((points, i) => ({
      points,
      attachTexts: checker.probeAttachTexts[i]!,
      variables: checker.probeVariables[i],
    })),
    constants: checker.constants,
    diagnostics,
  };
}

const PHASES = ['early', 'second', 'final'] as const;

/**
 * What 0.17 prints: only the first pass that has errors is reported (see Phase), with the
 * warnings of the passes run up to it. Warnings are written as a pass meets them, its errors
 * when the pass ends, so warnings come first.
 */
function reported(all: TaggedDiagnostic[]): Diagnostic[] {
  const pre = all.find((d) => d.phase === 'pre');
  if (pre) return [pre.diagnostic];
  const isError = (d: TaggedDiagnostic) => d.diagnostic.severity === 'error';
  const last =
    PHASES.find((phase) => phase !== 'final' && all.some((d) => d.phase === phase && isError(d))) ??
    'final';
  const reached = (d: TaggedDiagnostic) =>
    PHASES.indexOf(d.phase as (typeof PHASES)[number]) <= PHASES.indexOf(last);
  const warnings = all.filter((d) => !isError(d) && reached(d));
  const errors = all.filter((d) => isError(d) && (last === 'final' || d.phase === last));
  return [...warnings, ...errors].map((d) => d.diagnostic);
}
