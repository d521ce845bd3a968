// Every diagnostic text the checker and the builtin signatures produce, worded exactly as
// bpftrace 0.17 prints them (including its typos: "a integer", the missing closing quote in
// map type mismatches). One function per message; callers never build message text.

import { typeName, type Type } from '../types';

/** Types are spelled as 0.17 does (one place: compiler/types.ts). */
export const typeText = typeName;

/** The coarse type class 0.17 names in "(… provided)" and "(… supplied)". */
export function typeClass(type: Type): string {
  switch (type.kind) {
    case 'int':
    case 'bool':
      return 'integer';
    case 'opaque':
      return type.name === 'macaddr' ? 'mac_address' : type.name;
    case 'aggregation':
      return type.aggregation.kind;
    case 'record':
      return 'record';
    default:
      return type.kind;
  }
}

export const messages = {
  /** A builtin with a record but no code generation yet (bpfscope's own message). */
  notImplemented: (what: string) => `${what} is not implemented yet`,
  // variables and identifiers
  rangeBoundNotInteger: (type: Type) =>
    `Loop range requires an integer for the start and end values, got ${typeText(type)}`,
  /** A newer-bpftrace construct parsed but not generated yet (bpfscope's own message). */
  constructsNotImplemented: (what: string) => `${what} are not implemented yet`,
  undefinedVariable: (name: string) => `Undefined or undeclared variable: ${name}`,
  undefinedVariableAfterNone: (name: string) => `Undefined variable: ${name}`,
  invalidAssignment: (type: Type) => `Invalid expression for assignment: ${typeText(type)}`,
  variableTypeMismatch: (name: string, assigned: Type, existing: Type) =>
    `Type mismatch for ${name}: trying to assign value of type '${typeText(assigned)}' when variable already contains a value of type '${typeText(existing)}'`,
  tupleTypeMismatch: (existing: Type, assigned: Type) =>
    `Tuple type mismatch: ${typeText(existing)} != ${typeText(assigned)}.`,
  invalidKey: () => 'Invalid expression for assignment: ',
  unknownIdentifier: (name: string) => `Unknown identifier: '${name}'`,
  unknownFunction: (name: string) => `Unknown function: ${name}`,

  // maps
  undefinedMap: (name: string) => `Undefined map: ${name}`,
  differentLhistBounds: () => 'Different lhist bounds in a single map unsupported',
  mapTypeMismatch: (name: string, assigned: Type, existing: Type) =>
    `Type mismatch for ${name}: trying to assign value of type '${typeText(assigned)}' when map already contains a value of type '${typeText(existing)}`,
  mapArgumentMismatch: (name: string, given: Type[], expected: Type[]) =>
    `Argument mismatch for ${name}: trying to access with arguments: [${given.map(typeText).join(', ')}] when map expects arguments: [${expected.map(typeText).join(', ')}]`,
  tupleMapKey: () =>
    'tuple cannot be used as a map key. Try a multi-key associative array instead (eg `@map[$1, $2] = ...)`.',
  aggregationAsKey: (name: string) => `${name}() can not be used as a map key`,
  mapKeyNotAllowed: (type: Type) => `${typeText(type)} can not be used as a map key`,

  // operators
  binaryTypeMismatch: (operator: string, left: Type, right: Type) =>
    `Type mismatch for '${operator}': comparing '${typeText(left)}' with '${typeText(right)}'`,
  stringOperator: (operator: string, left: Type, right: Type) =>
    `The ${operator} operator can not be used on expressions of types ${typeText(left)}, ${typeText(right)}`,
  unaryInvalid: (operator: string, type: Type) =>
    `The ${operator} operator can not be used on expressions of type '${typeText(type)}'`,
  ternaryTypes: (a: Type, b: Type) =>
    `Ternary operator must return the same type: have '${typeClass(a)}' and '${typeClass(b)}'`,
  ternaryTuple: () => 'Ternary return type unsupported tuple',
  literalLonger: (size: number) =>
    `The literal is longer than the variable string (size=${size}), condition will always be false`,
  stringSizeMismatch: (stored: number, assigned: number) =>
    `String size mismatch: ${stored} != ${assigned}. The value may be truncated.`,
  bufferSizeMismatch: (stored: number, assigned: number) =>
    `Buffer size mismatch: ${stored} != ${assigned}. The value may ${stored < assigned ? 'be truncated' : 'contain garbage'}.`,
  warnSignsArithmetic: (left: Type, right: Type) =>
    `arithmetic on integers of different signs: '${typeText(left)}' and '${typeText(right)}' can lead to undefined behavior`,
  warnSignsComparison: (left: Type, right: Type) =>
    `comparison of integers of different signs: '${typeText(left)}' and '${typeText(right)}' can lead to undefined behavior`,
  warnSignedDivision: (operator: string) =>
    `signed operands for '${operator}' can lead to undefined behavior (cast to unsigned to silence warning)`,

  // casts, sizeof, records, tuples
  unknownRecord: (name: string) => `Unknown struct/union: '${name}'`,
  castUnsupported: (type: Type) => `Casts are not supported for type: "${typeText(type)}"`,
  fieldOnNonRecord: (field: string, type: Type) =>
    `Can not access field '${field}' on expression of type '${typeText(type)}'`,
  dotOnPointer: (field: string, type: Type) =>
    `Can not access field '${field}' on type '${typeText(type)}'. Try dereferencing it first, or using '->'`,
  noSuchField: (record: Type, field: string) =>
    `Struct/union of type '${typeText(record)}' does not contain a field named '${field}'`,
  arrowOnNonPointer: (type: Type) =>
    `Can not access field on expression of type '${typeText(type)}'`,
  tupleIndexOnNonTuple: (index: number, type: Type) =>
    `Can not access index ${index} on expression of type '${typeText(type)}'`,
  tupleIndexRange: (index: number, count: number) =>
    `Invalid tuple index: ${index}. Found ${count} elements in tuple.`,
  indexNonArray: (type: Type) =>
    `The array index operator [] can only be used on arrays and pointers, found ${type.kind === 'string' ? 'string' : typeText(type)}.`,
  kernelTypesUnavailable: (name: string) =>
    `kernel types not available: '${name}' is not defined in this script`,
  stringTooLong: (text: string) => `String is too long (over 64 bytes): ${text}`,

  // control flow and probes
  invalidIfCondition: (type: Type) => `Invalid condition in if(): ${typeClass(type)}`,
  invalidPredicate: (type: Type) => `Invalid type for predicate: ${typeClass(type)}`,
  unrollMin: () => 'unroll minimum value is 1',
  unrollMax: () => 'unroll maximum value is 100',
  unrollInvalid: () => 'invalid unroll value',
  unrollNotLiteral: () => 'unroll count must be an integer literal or a positional parameter',
  jumpOutsideLoop: (jump: string) => `${jump} used outside of a loop`,
  moreThanOne: (which: 'BEGIN' | 'END') => `More than one ${which} probe defined`,
  probeError: (message: string) => message,
  forNotMap: () => 'for loop expects a map to iterate over',

  // positional parameters
  paramNotNumber: (index: number, value: string) =>
    `$${index} used numerically but given "${value}". Try using str($${index}).`,
  paramNotNumberShort: (index: number, value: string) =>
    `$${index} used numerically but given "${value}"`,
  paramOutOfRange: (index: number) =>
    `param $${index} is out of integer range [1, 9223372036854775807]`,

  // builtin variables
  builtinOnlyArgs: (name: string) =>
    `The ${name} builtin can only be used with 'kprobes', 'uprobes' and 'usdt' probes`,
  builtinOnlySargs: (name: string) =>
    `The ${name} builtin can only be used with 'kprobes' and 'uprobes' probes`,
  builtinRetval: (tracepointHint: boolean) =>
    `The retval builtin can only be used with 'kretprobe' and 'uretprobe' and 'kfunc' probes${tracepointHint ? ' (try to use args->ret instead)' : ''}`,
  builtinFuncNot: (probeType: string) =>
    `The func builtin can not be used with '${probeType}' probes`,
  builtinArgs: (probeType: string) =>
    `The args builtin can only be used with tracepoint/kfunc/uprobeprobes (${probeType} used here)`,
  builtinCtxInvalid: () => 'invalid program type',
  cpidWithoutCommand: () => 'cpid cannot be used without child command',

  notPositionalParameter: () => 'Not a positional parameter',

  // builtin functions
  requiresNoArguments: (fn: string, given: number) =>
    `${fn}() requires no arguments (${given} provided)`,
  requiresArguments: (fn: string, count: number, given: number) =>
    `${fn}() requires ${count === 1 ? 'one argument' : `${count} arguments`} (${given} provided)`,
  requiresAtLeast: (fn: string, count: number, given: number) =>
    `${fn}() requires at least ${count === 1 ? 'one argument' : `${count} arguments`} (${given} provided)`,
  takesUpTo: (fn: string, max: number, given: number) =>
    `${fn}() takes up to ${max} argument${max === 1 ? '' : 's'} (${given} provided)`,
  onlyIntegerArguments: (fn: string, given: Type) =>
    `${fn}() only supports integer arguments (${typeClass(given)} provided)`,
  onlyStringArguments: (fn: string, given: Type) =>
    `${fn}() only supports string arguments (${typeClass(given)} provided)`,
  expectsIntegerLiteral: (fn: string, given: Type) =>
    `${fn}() expects a integer literal (${typeClass(given)} provided)`,
  expectsStringLiteral: (fn: string, given: Type) =>
    `${fn}() expects a string literal (${typeClass(given)} provided)`,
  expectsMap: (fn: string) => `${fn}() expects a map to be provided`,
  mapIndexed: (fn: string) => `The map passed to ${fn}() should not be indexed by a key`,
  aggregationNotAssigned: (fn: string) => `${fn}() should be directly assigned to a map`,
  notInAssignment: (fn: string) => `${fn}() should not be used in an assignment or as a map key`,
  unsafeFunction: (fn: string) => `${fn}() is an unsafe function being used in safe mode`,
  notWithProbe: (fn: string, probeType: string) =>
    `${fn} can not be used with "${probeType}" probes`,
  lhistMinMax: (min: bigint, max: bigint) =>
    `lhist() min must be less than max (provided min ${min} and max ${max})`,
  lhistStepRange: (step: bigint, range: bigint) =>
    `lhist() step is too large for the given range (provided step ${step} for range ${range})`,
  lhistMinNegative: (min: bigint) => `lhist() min must be non-negative (provided min ${min})`,
  lhistStepMin: (step: bigint) => `lhist() step must be >= 1 (${step} provided)`,
  lhistBuckets: (buckets: bigint) =>
    `lhist() too many buckets, must be <= 1000 (would need ${buckets})`,
  printNonMapArgs: (given: number) => `Non-map print() only takes 1 argument, ${given} found`,
  printNotPrintable: (type: Type) => `${typeText(type)} type passed to print() is not printable`,
  printInLoop: () =>
    "Due to it's asynchronous nature using 'print()' in a loop can lead to unexpected behavior. The map will likely be updated before the runtime can 'print' it.",
  printStatsIgnored: () => "print()'s top and div arguments are ignored when used on stats() maps.",
  printfTooMany: (fn: string, given: number, expected: number) =>
    `${fn}: Too many arguments for format string (${given} supplied, ${expected} expected)`,
  printfNotEnough: (fn: string, given: number, expected: number) =>
    `${fn}: Not enough arguments for format string (${given} supplied, ${expected} expected)`,
  printfArgType: (fn: string, conversion: string, wanted: string, given: Type) =>
    `${fn}: ${conversion} specifier expects a value of type ${wanted} (${typeClass(given)} supplied)`,
  strFirstArgument: (given: Type) =>
    `str() expects an integer or a pointer type as first argument (${typeText(given)} provided)`,
  strOffsetParam: (index: number, length: number) =>
    `only addition of a single constant less or equal to the length of $${index} (which is ${length}) is allowed inside str()`,
  integerOrPointer: (fn: string) => `${fn}() expects an integer or pointer argument`,
  overrideKprobe: () => 'override can only be used with kprobes.',
  bufNegative: (length: bigint) => `buf cannot use negative length (${length})`,
  strNegative: (length: bigint) => `strcannot use negative length (${length})`,
  strncmpNegative: () => 'Builtin strncmp requires a non-negative size',
  stackLimitRange: (fn: string, limit: bigint) =>
    `${fn}([int limit]): limit shouldn't exceed 1024, ${BigInt.asUintN(64, limit)} given`,
  macaddrSize: () => 'macaddr() argument must be 6 bytes in size',
  macaddrLiteral: () => 'macaddr() does not support literal string arguments',
  ptonAddress: (text: string) =>
    `pton() expects an string argument of an IPv4/IPv6 address, got ${text}`,
  integerOrPointerArguments: (fn: string, given: Type) =>
    `${fn}() only supports integer or pointer arguments (${typeClass(given)} provided)`,
  argRegister: (name: string) => `x86_64 doesn't support ${name}`,
  ctxInTracepoint: () => 'Use args instead of ctx in tracepoint',
  ntopArgument: (given: Type) =>
    `ntop() expects an integer or array argument, got ${typeClass(given)}`,
  ntopSize: () => 'ntop() argument must be 4 or 16 bytes in size',
  bswapInteger: (given: Type) =>
    `bswap() only supports integer arguments (${typeClass(given)} provided)`,
  stackMode: (name: string) => `${name}: Unknown stack mode`,
  signalUnknown: (name: string) => `${name} is not a valid signal`,
  signalRange: (value: bigint) => `sig number should be in range [1, 64], got ${value}`,
  regUnknown: (name: string) => `'${name}' is not a valid register on this architecture (x86_64)`,
  pathProbe: () => "The path function can only be used with 'kfunc', 'kretfunc', 'iter' probes",
  exitCodeInteger: () => 'exit() code must be an integer',
  keyTypeMismatch: (fn: string, name: string) => `${fn}(): key type mismatch for ${name}`,
};
