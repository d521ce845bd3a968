// Aggregation functions: count sum avg min max stats hist lhist. Each must be the whole value
// of a map assignment (`@m = count()`); the map's value kind is the returned aggregation.

import type { Aggregation, Type } from '../compiler/types';
import { messages } from '../compiler/check/messages';
import { argumentCount, integerArgument, integerLiteral } from './arguments';
import type { BuiltinFunction, CallCheck } from '../compiler/builtin';

function aggregation(aggregation: Aggregation): Type {
  return { kind: 'aggregation', aggregation };
}

function signedArgument(c: CallCheck): boolean {
  const type = c.argTypes[0];
  return type?.kind === 'int' ? type.signed : false;
}

function valueAggregation(name: 'sum' | 'min' | 'max' | 'avg' | 'stats'): BuiltinFunction {
  return {
    kind: 'function',
    name,
    aggregation: true,
    check(c) {
      if (argumentCount(c, 1)) integerArgument(c, 0);
      return aggregation({ kind: name, signed: signedArgument(c) });
    },
  };
}

/** 0.17's compile-time checks of lhist's bounds (behaviour §6). */
function checkLhist(c: CallCheck): Type {
  const fallback = aggregation({ kind: 'lhist', min: 0n, max: 0n, step: 1n });
  if (!argumentCount(c, 4)) return fallback;
  integerArgument(c, 0);
  const min = integerLiteral(c, 1);
  const max = integerLiteral(c, 2);
  const step = integerLiteral(c, 3);
  if (min === undefined || max === undefined || step === undefined) return fallback;
  const at = c.call.range;
  if (step < 1n) {
    c.error(messages.lhistStepMin(step), at, 'final');
  } else {
    if (min < 0n) c.error(messages.lhistMinNegative(min), at, 'final');
    if (min > max) c.error(messages.lhistMinMax(min, max), at, 'final');
    if (max - min < step) {
      c.error(messages.lhistStepRange(step, max - min), at, 'final');
    } else if ((max - min) / step > 1000n) {
      c.error(messages.lhistBuckets((max - min) / step), at, 'final');
    }
  }
  return aggregation({ kind: 'lhist', min, max, step: step < 1n ? 1n : step });
}

export const aggregationFunctions: BuiltinFunction[] = [
  {
    kind: 'function',
    name: 'count',
    aggregation: true,
    check(c) {
      argumentCount(c, 0);
      return aggregation({ kind: 'count' });
    },
  },
  valueAggregation('sum'),
  valueAggregation('min'),
  valueAggregation('max'),
  valueAggregation('avg'),
  valueAggregation('stats'),
  {
    kind: 'function',
    name: 'hist',
    aggregation: true,
    check(c) {
      if (argumentCount(c, 1)) integerArgument(c, 0);
      return aggregation({ kind: 'hist' });
    },
  },
  { kind: 'function', name: 'lhist', aggregation: true, check: checkLhist },
];
