// Code generation of builtins by name; stdlib/index.ts joins each generator to the builtin's
// record (and refuses, at load, a generator without a record).

import { unsupported } from '../../compiler/codegen/errors';
import { addressFunctions } from './addresses';
import { argumentVariable, contextFunctions, contextVariables } from './context';
import { genLen } from '../../compiler/codegen/foreach';
import { join } from './join';
import { miscFunctions } from './misc';
import { outputFunctions } from './output';
import { taskVariables } from './task';
import { textFunctions } from './text';
import type { FunctionGen, VariableGen } from '../../compiler/codegen/generator';

export { argumentVariable };

export const VARIABLE_GENERATORS: Record<string, VariableGen> = {
  ...taskVariables,
  ...contextVariables,
  // `args` is generated where it is used, as `args.field` (compiler/codegen/access.ts).
  args: (_g, node) => unsupported(`The builtin ${node.name}`, node.range),
};

export const FUNCTION_GENERATORS: Record<string, FunctionGen> = {
  ...addressFunctions,
  ...outputFunctions,
  ...textFunctions,
  ...miscFunctions,
  ...contextFunctions,
  join,
  len: (g, node) => genLen(g, node),
};
