// The pipeline in one place: source → parse → check → generate. Every way of running a
// script (CLI, REPL, API) comes through here, so all of them run the same artifact.

import { parse } from '../grammar/index';
import { hasErrors, type Diagnostic } from '../grammar/diagnostics';
import { check } from '../compiler/check/index';
import type { CheckedProgram } from '../compiler/check/checked';
import { generateOrDiagnose } from '../compiler/codegen/index';
import type { CompileOptions } from '../compiler/host';
import { stdlib } from '../stdlib/index';
import type { Program } from '../compiler/program';
import type { Program as Ast } from '../grammar/ast';

export interface CompileResult {
  ast?: Ast;
  checked?: CheckedProgram;
  program?: Program;
  diagnostics: Diagnostic[];
}

/** Compile options without the registries, which this front door hands in. */
export type SourceOptions = Omit<CompileOptions, 'builtins'>;

export function compileSource(source: string, settings: SourceOptions): CompileResult {
  const options: CompileOptions = { ...settings, builtins: stdlib };
  const parsed = parse(source, options.sourceName);
  if (!parsed.ast || hasErrors(parsed.diagnostics)) return { diagnostics: parsed.diagnostics };
  const checked = check(parsed.ast, options);
  const diagnostics = [...parsed.diagnostics, ...checked.diagnostics];
  if (hasErrors(diagnostics)) return { ast: parsed.ast, checked, diagnostics };
  const generated = generateOrDiagnose(checked);
  return {
    ast: parsed.ast,
    checked,
    program: generated.program,
    diagnostics: [...diagnostics, ...generated.diagnostics],
  };
}
