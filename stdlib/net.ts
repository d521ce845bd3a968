// Network address functions: ntop pton macaddr.

import { sizeOf, type Type } from '../compiler/types';
import { messages } from '../compiler/check/messages';
import { argumentRange, isInteger, stringLiteral } from './arguments';
import type { BuiltinFunction } from './signature';

const INET: Type = { kind: 'opaque', name: 'inet', size: 24 };

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
        const text = stringLiteral(c, 0);
        if (text?.includes(':')) length = 16;
      }
      return { kind: 'array', element: { kind: 'int', size: 1, signed: false }, length };
    },
  },
  {
    kind: 'function',
    name: 'macaddr',
    check(c) {
      argumentRange(c, 1, 1);
      return { kind: 'opaque', name: 'macaddr', size: 6 };
    },
  },
];
