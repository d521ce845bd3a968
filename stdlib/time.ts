// Time builtins: nsecs elapsed (variables), time strftime (functions).

import { NONE, UINT64 } from '../compiler/types';
import { argumentRange, integerArgument, notAsValue, stringLiteral } from './arguments';
import type { BuiltinFunction, BuiltinVariable } from '../compiler/builtin';

export const timeVariables: BuiltinVariable[] = [
  { kind: 'variable', name: 'nsecs', type: () => UINT64 },
  { kind: 'variable', name: 'elapsed', type: () => UINT64 },
];

export const timeFunctions: BuiltinFunction[] = [
  {
    kind: 'function',
    name: 'time',
    statementOnly: true,
    formatArgument: 0,
    check(c) {
      notAsValue(c);
      if (argumentRange(c, 0, 1) && c.call.args.length === 1) stringLiteral(c, 0, 'final');
      return NONE;
    },
  },
  {
    kind: 'function',
    name: 'strftime',
    formatArgument: 0,
    check(c) {
      if (argumentRange(c, 2, 2, true)) {
        stringLiteral(c, 0, 'final');
        integerArgument(c, 1);
      }
      return { kind: 'opaque', name: 'timestamp', size: 16 };
    },
  },
];
