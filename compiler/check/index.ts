// The checker's front door: check(ast, options) → CheckedProgram (see checked.ts).

import type { Program } from '../../grammar/ast';
import type { CompileOptions } from '../host';
import type { CheckedProgram } from './checked';
import { Checker } from './checker';

export function check(ast: Program, options: CompileOptions): CheckedProgram {
  // A first walk learns every map's value kind, so a map read before its assignment in the
  // text is typed as 0.17's repeated passes type it; its diagnostics are discarded.
  const learn = new Checker(options);
  learn.checkProgram(ast);
  const checker = new Checker(options, learn.maps);
  checker.checkProgram(ast);
  // 0.17 stops after the first pass that reports errors: when that pass is the first one,
  // errors only the final pass finds (and its warnings) are never shown.
  const pre = checker.diagnostics.find((d) => d.phase === 'pre');
  const early = checker.diagnostics.some(
    (d) => d.phase === 'early' && d.diagnostic.severity === 'error',
  );
  const diagnostics = pre
    ? [pre.diagnostic]
    : checker.diagnostics.filter((d) => !early || d.phase === 'early').map((d) => d.diagnostic);
  return {
    ast,
    options,
    types: checker.types,
    maps: checker.maps,
    probes: checker.probePoints.map((points, i) => ({
      points,
      variables: checker.probeVariables[i],
    })),
    constants: checker.constants,
    diagnostics,
  };
}
