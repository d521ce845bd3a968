// The builtin lookup shared by the checker, codegen and the output side.

import { aggregationFunctions } from './aggregations';
import { miscFunctions } from './misc';
import { netFunctions } from './net';
import { outputFunctions } from './output';
import { positionalArgumentVariable, probeArgumentVariables } from './probe_args';
import { processVariables } from './process';
import type {
  Builtin,
  BuiltinFunction,
  BuiltinRegistry,
  BuiltinVariable,
} from '../compiler/builtin';
import { argumentVariable, FUNCTION_GENERATORS, VARIABLE_GENERATORS } from './codegen/index';
import { stringFunctions } from './strings';
import { symbolFunctions, symbolVariables } from './symbols';
import { timeFunctions, timeVariables } from './time';

export type * from '../compiler/builtin';

/** Each record joined with its generator; a generator without a record is a bug in this
 *  folder, refused as soon as it loads. */
function withGenerators<R extends Builtin>(
  records: readonly R[],
  generators: Record<string, NonNullable<R['generate']>>,
): Map<string, R> {
  const joined = new Map(records.map((r) => [r.name, { ...r, generate: generators[r.name] }]));
  for (const name of Object.keys(generators))
    if (!joined.has(name)) throw new Error(`internal: code generation for unknown builtin ${name}`);
  return joined;
}

const VARIABLES = withGenerators<BuiltinVariable>(
  [...processVariables, ...timeVariables, ...probeArgumentVariables, ...symbolVariables],
  VARIABLE_GENERATORS,
);

const FUNCTIONS = withGenerators<BuiltinFunction>(
  [
    ...aggregationFunctions,
    ...outputFunctions,
    ...stringFunctions,
    ...symbolFunctions,
    ...netFunctions,
    ...miscFunctions,
    ...timeFunctions,
  ],
  FUNCTION_GENERATORS,
);

/** The record of a builtin variable (`pid`, `arg3`, `sarg0`, `args`…), if there is one. */
export function builtinVariable(name: string): BuiltinVariable | undefined {
  const known = VARIABLES.get(name);
  if (known) return known;
  const positional = positionalArgumentVariable(name);
  return positional && { ...positional, generate: argumentVariable };
}

/** The record of a builtin function (`printf`, `count`, `str`…), if there is one. */
export function builtinFunction(name: string): BuiltinFunction | undefined {
  return FUNCTIONS.get(name);
}

export function builtinVariableNames(): string[] {
  return [...VARIABLES.keys()];
}

export function builtinFunctionNames(): string[] {
  return [...FUNCTIONS.keys()];
}

/** The registry handed to the compiler (CompileOptions.builtins). */
export const stdlib: BuiltinRegistry = {
  variable: builtinVariable,
  function: builtinFunction,
  variableNames: builtinVariableNames,
  functionNames: builtinFunctionNames,
};
