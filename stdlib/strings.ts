// String functions: str strncmp strcontains buf join path.

import { NONE, UINT64, type Type } from '../compiler/types';
import { messages } from '../compiler/check/messages';
import {
  argumentRange,
  integerArgument,
  integerLiteral,
  notAsValue,
  isInteger,
  stringArgument,
} from './arguments';
import type { BuiltinFunction, CallCheck } from '../compiler/builtin';

/** `str($1)` / `str($1 + k)` read a positional parameter as text; the checker types the
 *  argument as a string in that case. */
export function isPositionalString(c: CallCheck): boolean {
  const arg = c.call.args[0];
  if (!arg) return false;
  if (arg.kind === 'PositionalParameter') return true;
  // Any other `$N op x` was already reported by the checker as a bad offset.
  return arg.kind === 'Binary' && arg.left.kind === 'PositionalParameter';
}

function checkStr(c: CallCheck): Type {
  const result: Type = { kind: 'string', size: c.options.strlen };
  if (!argumentRange(c, 1, 2)) return NONE;
  const first = c.argTypes[0];
  const addressLike = isInteger(first) || first.kind === 'pointer' || first.kind === 'array';
  if (!addressLike && !isPositionalString(c) && first.kind !== 'none') {
    c.error(messages.strFirstArgument(first), c.call.range, 'early');
  }
  if (c.call.args.length === 2) {
    const length = c.literalInteger(c.call.args[1]);
    if (length !== undefined && length < 0n)
      c.error(messages.strNegative(length), c.call.range, 'final');
    else integerArgument(c, 1);
  }
  return result;
}

export const stringFunctions: BuiltinFunction[] = [
  { kind: 'function', name: 'str', check: checkStr },
  {
    kind: 'function',
    name: 'strncmp',
    check(c) {
      if (argumentRange(c, 3, 3)) {
        const size = integerLiteral(c, 2);
        if (size !== undefined && size < 0n)
          c.error(messages.strncmpNegative(), c.call.range, 'early');
        if (stringArgument(c, 0)) stringArgument(c, 1);
      }
      return UINT64;
    },
  },
  {
    kind: 'function',
    name: 'strcontains',
    check(c) {
      if (argumentRange(c, 2, 2) && stringArgument(c, 0)) stringArgument(c, 1);
      return UINT64;
    },
  },
  {
    kind: 'function',
    name: 'buf',
    check(c) {
      let size = c.options.strlen;
      if (argumentRange(c, 1, 2)) {
        const first = c.argTypes[0];
        if (first.kind === 'array') size = first.length;
        if (c.call.args.length === 2) {
          const length = c.literalInteger(c.call.args[1]);
          if (length !== undefined) {
            if (length < 0n) c.error(messages.bufNegative(length), c.call.range, 'early');
            else size = Number(length < BigInt(size) ? length : BigInt(size));
          } else {
            integerArgument(c, 1);
          }
        }
      }
      return { kind: 'buffer', size };
    },
  },
  {
    kind: 'function',
    name: 'join',
    statementOnly: true,
    check(c) {
      notAsValue(c);
      if (argumentRange(c, 1, 2) && c.call.args.length === 2) {
        if (c.literalString(c.call.args[1]) === undefined) {
          c.error(messages.expectsStringLiteral('join', c.argTypes[1]), c.call.range, 'early');
        }
      }
      return NONE;
    },
  },
  {
    kind: 'function',
    name: 'path',
    check(c) {
      const ok = c.probe.providers.every((p) => p === 'kfunc' || p === 'kretfunc' || p === 'iter');
      if (!ok) {
        c.error(messages.pathProbe(), c.call.range, 'early');
      }
      argumentRange(c, 1, 1);
      return { kind: 'string', size: c.options.strlen };
    },
  },
];
