// The builtin lookup shared by the checker, codegen and the output side.

import { aggregationFunctions } from './aggregations';
import { miscFunctions } from './misc';
import { netFunctions } from './net';
import { outputFunctions } from './output';
import { positionalArgumentVariable, probeArgumentVariables } from './probe_args';
import { processVariables } from './process';
import type { BuiltinFunction, BuiltinRegistry, BuiltinVariable } from '../compiler/builtin';
import { stringFunctions } from './strings';
import { symbolFunctions, symbolVariables } from './symbols';
import { timeFunctions, timeVariables } from './time';

export type * from '../compiler/builtin';

const VARIABLES = new Map<string, BuiltinVariable>(
  [...processVariables, ...timeVariables, ...probeArgumentVariables, ...symbolVariables].map(
    (v) => [v.name, v],
  ),
);

const FUNCTIONS = new Map<string, BuiltinFunction>(
  [
    ...aggregationFunctions,
    ...outputFunctions,
    ...stringFunctions,
    ...symbolFunctions,
    ...netFunctions,
    ...miscFunctions,
    ...timeFunctions,
  ].map((f) => [f.name, f]),
);

/** The record of a builtin variable (`pid`, `arg3`, `sarg0`, `args`…), if there is one. */
export function builtinVariable(name: string): BuiltinVariable | undefined {
  return VARIABLES.get(name) ?? positionalArgumentVariable(name);
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
