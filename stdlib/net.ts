// Network address functions: ntop pton macaddr.

import { NONE, sizeOf, type Type } from '../compiler/types';
import { messages } from '../compiler/check/messages';
import { argumentRange, isInteger } from './arguments';
import type { BuiltinFunction } from '../compiler/builtin';

const INET: Type = { kind: 'opaque', name: 'inet', size: 24 };

/** 4 or 6 when `text` is an IPv4 / IPv6 address as inet_pton reads it, else undefined. */
function addressFamily(text: string): 4 | 6 | undefined {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) return v4.slice(1).every((p) => Number(p) <= 255) ? 4 : undefined;
  if (!text.includes(':') || !/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  const double = text.split('::').length - 1;
  if (double > 1) return undefined;
  const groups = text.split(':').filter((g) => g !== '');
  const v4tail = groups.length > 0 && groups[groups.length - 1].includes('.');
  if (v4tail && addressFamily(groups[groups.length - 1]) !== 4) return undefined;
  const count = groups.length + (v4tail ? 1 : 0);
  if (groups.some((g) => !g.includes('.') && !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return (double === 1 ? count < 8 : count === 8) ? 6 : undefined;
}

export const netFunctions: BuiltinFunction[] = [
  {
    kind: 'function',
    name: 'ntop',
    check(c) {
      // ntop(addr) or ntop(af, addr); addr is an integer or a 4/16-byte array.
      if (!argumentRange(c, 1, 2)) return INET;
      const addr = c.argTypes[c.call.args.length - 1];
      if (isInteger(addr) || addr.kind === 'none') return INET;
      // 0.17 takes a string as a char array.
      if (addr.kind === 'array' || addr.kind === 'string') {
        const size = sizeOf(addr);
        if (size !== 4 && size !== 16) c.error(messages.ntopSize(), c.call.range, 'early');
      } else {
        c.error(messages.ntopArgument(addr), c.call.range, 'early');
      }
      return INET;
    },
  },
  {
    kind: 'function',
    name: 'pton',
    check(c) {
      let length = 4;
      if (argumentRange(c, 1, 1)) {
        const text = c.literalString(c.call.args[0]);
        const family = text === undefined ? undefined : addressFamily(text);
        if (family === undefined) {
          c.error(messages.ptonAddress(text ?? ''), c.call.range, 'early');
          return NONE;
        }
        if (family === 6) length = 16;
      }
      return { kind: 'array', element: { kind: 'int', size: 1, signed: false }, length };
    },
  },
  {
    kind: 'function',
    name: 'macaddr',
    check(c) {
      if (argumentRange(c, 1, 1)) {
        const text = c.literalString(c.call.args[0]);
        if (text !== undefined) {
          if (text.length + 1 !== 6) c.error(messages.macaddrSize(), c.call.range, 'early');
          c.error(messages.macaddrLiteral(), c.call.range, 'early');
        }
      }
      return { kind: 'opaque', name: 'macaddr', size: 6 };
    },
  },
];
