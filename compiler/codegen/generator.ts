// The shape of a builtin's code generation, looked up by the same name as the checker's
// stdlib record for it.

import type { Builtin, Call, Expression } from '../../grammar/ast';
import type { ProbeGen } from './probe-gen';
import type { Value } from './value';

export type Gen = (e: Expression) => Value;
export type VariableGen = (g: ProbeGen, node: Builtin) => Value;
export type FunctionGen = (g: ProbeGen, node: Call, gen: Gen) => Value;

/** What a statement-only function (printf, exit…) returns. */
export const NOTHING: Value = { kind: 'const', value: 0n };
