// The shape of a builtin's record (STYLE.md §9: one builtin, one record; one group, one file).
// stdlib/ implements these records; the registry of them is handed in through
// CompileOptions.builtins, so compiler/ never imports stdlib/. The checker calls `check` with a
// narrow context; codegen and the output side look the same records up by name.

import type { Call, Expression, SourceRange } from '../grammar/ast';
import type { CompileOptions, ProbeProvider } from './host';
import type { MapValueKind } from './program';
import type { FunctionGen, VariableGen } from './codegen/generator';
import type { Type } from './types';

/** 0.17 runs its semantic pass up to 10 times and stops after the first pass with errors:
 *  `early` errors are found in the first pass; `second` ones need a type that only a whole
 *  earlier pass learns (a map assigned later in the text); `final` ones only the last pass
 *  checks. A phase's errors hide all later phases' errors and every warning (warnings come
 *  from the last pass). `pre` errors (unknown functions) come from a pass before all of
 *  those: only the first one is shown. */
export type Phase = 'pre' | 'early' | 'second' | 'final';

/** The probe an expression is checked in. */
export interface ProbeContext {
  /** Providers of all attach points of the probe block (after alias resolution). */
  providers: ProbeProvider[];
  /** Is the `args` builtin's record type known for this probe (tracepoint with a format)? */
  argsType: Type | null;
}

interface CheckBase {
  options: CompileOptions;
  probe: ProbeContext;
  error(message: string, range: SourceRange, phase?: Phase): void;
  warning(message: string, range: SourceRange): void;
}

export interface VariableCheck extends CheckBase {
  /** Where the variable is used. */
  range: SourceRange;
}

export interface CallCheck extends CheckBase {
  call: Call;
  /** Types of the arguments, already checked (a whole-map argument has its map's value type). */
  argTypes: Type[];
  /** The argument's compile-time integer value when it is an integer literal (or a
   *  numeric positional parameter, which 0.17 treats as a literal), else undefined. */
  literalInteger(arg: Expression): bigint | undefined;
  /** The string value when the argument is a string literal, else undefined. */
  literalString(arg: Expression): string | undefined;
  /** Where the call stands: the value of an assignment (`$x = f()`, `@m = f()`), a map key,
   *  or elsewhere in an expression / as a statement. */
  position: 'assignment' | 'map-assignment' | 'map-key' | 'statement' | 'expression';
  /** Inside a `while` (or newer for-each) body; `unroll` does not count. */
  inWhileLoop: boolean;
  /** When the first argument is a map access and the builtin takes a map (mapArgument). */
  mapArgument: MapArgumentInfo | null;
}

export interface MapArgumentInfo {
  name: string;
  /** Written with keys (`@m[k]`). */
  indexed: boolean;
  /** The map's value kind, when the map is assigned somewhere. */
  value: MapValueKind | undefined;
}

export interface BuiltinVariable {
  kind: 'variable';
  name: string;
  /** Result type; called when the probe allows the variable, or the restriction keeps it. */
  type(check: VariableCheck): Type;
  /** An error message when the variable cannot be used in this probe, else null. */
  restrict?(
    probe: ProbeContext,
    options: CompileOptions,
  ): { message: string; phase?: Phase; keepsType?: boolean } | null;
  /** Its code generation. Without it the checker refuses the variable as not implemented. */
  generate?: VariableGen;
}

/** How the checker must treat the first argument. */
export type MapArgument =
  /** `f(@m)`: a whole map, not indexed (print/clear/zero, len). */
  | 'whole'
  /** `delete(@m[k])` / `has_key(@m, k)`: the map, possibly indexed. */
  | 'element'
  /** print: a map or any value. */
  | 'map-or-value';

export interface BuiltinFunction {
  kind: 'function';
  name: string;
  /** Set for count/sum/…: the call must be the whole value of a map assignment. */
  aggregation?: boolean;
  /** Only with --unsafe. */
  unsafe?: boolean;
  /** 0.17 rejects the call as a value (`$x = time()`, map key); `check` reports it
   *  (arguments.ts notAsValue) at the point of 0.17's order of checks. */
  statementOnly?: boolean;
  mapArgument?: MapArgument;
  /** Bare identifiers among the arguments are words of the call (stack modes), not
   *  expressions: the checker leaves them to `check`. */
  identifierArguments?: boolean;
  /** Index of an argument that is a printf-style format exempt from the 63-char literal limit. */
  formatArgument?: number;
  /** Checks the arguments (reporting errors) and returns the result type. */
  check(check: CallCheck): Type;
  /** Its code generation (an aggregation's is the map update, compiler/codegen/aggregations.ts).
   *  Without it (and not an aggregation) the checker refuses the call as not implemented. */
  generate?: FunctionGen;
}

export type Builtin = BuiltinVariable | BuiltinFunction;

/** The builtins a compilation knows, looked up by name (stdlib/index.ts builds it). */
export interface BuiltinRegistry {
  /** The record of a builtin variable (`pid`, `arg3`, `sarg0`, `args`…), if there is one. */
  variable(name: string): BuiltinVariable | undefined;
  /** The record of a builtin function (`printf`, `count`, `str`…), if there is one. */
  function(name: string): BuiltinFunction | undefined;
  variableNames(): string[];
  functionNames(): string[];
}
