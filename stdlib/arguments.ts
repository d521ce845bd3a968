// Small argument checks shared by the builtin records; each reports 0.17's message and says
// whether the arguments were acceptable.

import type { Type } from '../compiler/types';
import { messages } from '../compiler/check/messages';
import type { CallCheck, Phase } from '../compiler/builtin';

export function isInteger(type: Type): boolean {
  return type.kind === 'int' || type.kind === 'bool';
}

export function isStringLike(type: Type): boolean {
  return type.kind === 'string';
}

/** Exactly `count` arguments ("requires no arguments", "requires one argument", …). */
export function argumentCount(c: CallCheck, count: number, phase: Phase = 'early'): boolean {
  const given = c.call.args.length;
  if (given === count) return true;
  const message =
    count === 0
      ? messages.requiresNoArguments(c.call.name, given)
      : messages.requiresArguments(c.call.name, count, given);
  c.error(message, c.call.range, phase);
  return false;
}

/** Between `min` and `max` arguments. `varargs`: 0.17's wording for functions it checks
 *  as variadic ("requires at least", "takes up to") even when min = max. */
export function argumentRange(c: CallCheck, min: number, max: number, varargs = false): boolean {
  const given = c.call.args.length;
  if (given >= min && given <= max) return true;
  const message =
    min === max && !varargs
      ? given > max && max === 0
        ? messages.requiresNoArguments(c.call.name, given)
        : messages.requiresArguments(c.call.name, min, given)
      : given < min
        ? messages.requiresAtLeast(c.call.name, min, given)
        : messages.takesUpTo(c.call.name, max, given);
  c.error(message, c.call.range, 'early');
  return false;
}

export function integerArgument(c: CallCheck, index: number, phase: Phase = 'final'): boolean {
  const type = c.argTypes[index];
  if (type === undefined || isInteger(type)) return true;
  c.error(messages.onlyIntegerArguments(c.call.name, type), c.call.range, phase);
  return false;
}

export function stringArgument(c: CallCheck, index: number, phase: Phase = 'final'): boolean {
  const type = c.argTypes[index];
  if (type === undefined || type.kind === 'string') return true;
  c.error(messages.onlyStringArguments(c.call.name, type), c.call.range, phase);
  return false;
}

/** An integer literal argument; returns its value or undefined (after an error). */
export function integerLiteral(
  c: CallCheck,
  index: number,
  phase: Phase = 'early',
): bigint | undefined {
  const arg = c.call.args[index];
  if (!arg) return undefined;
  const value = c.literalInteger(arg);
  if (value === undefined) {
    c.error(messages.expectsIntegerLiteral(c.call.name, c.argTypes[index]), c.call.range, phase);
  }
  return value;
}

export function stringLiteral(
  c: CallCheck,
  index: number,
  phase: Phase = 'early',
): string | undefined {
  const arg = c.call.args[index];
  if (!arg) return undefined;
  const value = c.literalString(arg);
  if (value === undefined) {
    c.error(messages.expectsStringLiteral(c.call.name, c.argTypes[index]), c.call.range, phase);
  }
  return value;
}

/** ksym/usym: an integer or a pointer. */
export function integerOrPointer(c: CallCheck, index = 0): boolean {
  const type = c.argTypes[index];
  if (type === undefined || isInteger(type) || type.kind === 'pointer' || type.kind === 'none')
    return true;
  c.error(messages.integerOrPointer(c.call.name), c.call.range, 'early');
  return false;
}

/** Functions with `statementOnly` call this where 0.17 reports it among their checks. */
export function notAsValue(c: CallCheck): void {
  if (c.position === 'assignment' || c.position === 'map-assignment' || c.position === 'map-key') {
    c.error(messages.notInAssignment(c.call.name), c.call.range, 'early');
  }
}

/** `f(@m)`: the first argument must be a whole, unindexed map. */
export function wholeMap(c: CallCheck): boolean {
  if (!c.mapArgument) {
    c.error(messages.expectsMap(c.call.name), c.call.range, 'early');
    return false;
  }
  if (c.mapArgument.indexed) {
    c.error(messages.mapIndexed(c.call.name), c.call.range, 'early');
    return false;
  }
  return true;
}
