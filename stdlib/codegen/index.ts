// Code generation of builtins, looked up by the name of their stdlib record.

import type { Builtin, Call } from '../../grammar/ast';
import { unsupported } from '../../compiler/codegen/errors';
import { addressFunctions } from './addresses';
import type { ProbeGen } from '../../compiler/codegen/probe-gen';
import type { Value } from '../../compiler/codegen/value';
import {
  argumentVariable,
  contextFunctions,
  contextVariables,
  isArgumentVariable,
} from './context';
import { genLen } from '../../compiler/codegen/foreach';
import { join } from './join';
import { miscFunctions } from './misc';
import { outputFunctions } from './output';
import { taskVariables } from './task';
import { textFunctions } from './text';
import type { FunctionGen, Gen, VariableGen } from '../../compiler/codegen/generator';

const VARIABLES: Record<string, VariableGen> = { ...taskVariables, ...contextVariables };
const FUNCTIONS: Record<string, FunctionGen> = {
  ...addressFunctions,
  ...outputFunctions,
  ...textFunctions,
  ...miscFunctions,
  ...contextFunctions,
  join,
  len: (g, node) => genLen(g, node),
};

export function genBuiltinVariable(g: ProbeGen, node: Builtin): Value {
  if (isArgumentVariable(node.name)) return argumentVariable(g, node);
  const generate = VARIABLES[node.name];
  if (!generate) return unsupported(`The builtin ${node.name}`, node.range);
  return generate(g, node);
}

export function genCall(g: ProbeGen, node: Call, gen: Gen): Value {
  const generate = FUNCTIONS[node.name];
  if (!generate) return unsupported(`The function ${node.name}()`, node.nameRange);
  return generate(g, node, gen);
}

/** Functions this codegen implements (for tests and the report of what is missing). */
export function implementedFunctions(): string[] {
  return Object.keys(FUNCTIONS);
}
