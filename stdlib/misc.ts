// Miscellaneous functions: bswap strerror signal override reg cgroupid cgroup_path.

import { NONE, UINT64, type Type } from '../compiler/types';
import { messages } from '../compiler/check/messages';
import { argumentRange, integerArgument, notAsValue, stringLiteral } from './arguments';
import type { BuiltinFunction } from '../compiler/builtin';
import { PT_REGS_FIELDS } from '../compiler/ptregs';

/** Register names reg() accepts: the fields of x86-64 pt_regs. */
export const REGISTERS: readonly string[] = PT_REGS_FIELDS;

const SIGNALS = [
  'HUP',
  'INT',
  'QUIT',
  'ILL',
  'TRAP',
  'ABRT',
  'BUS',
  'FPE',
  'KILL',
  'USR1',
  'SEGV',
  'USR2',
  'PIPE',
  'ALRM',
  'TERM',
  'STKFLT',
  'CHLD',
  'CONT',
  'STOP',
  'TSTP',
  'TTIN',
  'TTOU',
  'URG',
  'XCPU',
  'XFSZ',
  'VTALRM',
  'PROF',
  'WINCH',
  'IO',
  'PWR',
  'SYS',
];

/** Linux x86-64 signal number of `SIGNAME` or `NAME`, as signal() accepts them. */
export function signalNumber(name: string): number | undefined {
  const bare = name.startsWith('SIG') ? name.slice(3) : name;
  const index = SIGNALS.indexOf(bare);
  return index >= 0 ? index + 1 : undefined;
}

export const miscFunctions: BuiltinFunction[] = [
  {
    kind: 'function',
    name: 'bswap',
    check(c): Type {
      if (!argumentRange(c, 1, 1)) return NONE;
      const type = c.argTypes[0];
      if (type.kind !== 'int') {
        c.error(messages.bswapInteger(type), c.call.range, 'early');
        return NONE;
      }
      return { kind: 'int', size: type.size, signed: false };
    },
  },
  {
    kind: 'function',
    name: 'strerror',
    check(c) {
      if (argumentRange(c, 1, 1)) integerArgument(c, 0);
      return { kind: 'opaque', name: 'strerror', size: 8 };
    },
  },
  {
    kind: 'function',
    name: 'cgroupid',
    check(c) {
      if (argumentRange(c, 1, 1)) stringLiteral(c, 0);
      return UINT64;
    },
  },
  {
    kind: 'function',
    name: 'cgroup_path',
    check(c) {
      if (argumentRange(c, 1, 2)) {
        integerArgument(c, 0);
        if (c.call.args.length === 2) stringLiteral(c, 1, 'final');
      }
      return { kind: 'opaque', name: 'cgroup_path', size: 16 };
    },
  },
  {
    kind: 'function',
    name: 'signal',
    unsafe: true,
    statementOnly: true,
    check(c) {
      const bad = c.probe.providers.find((p) => p === 'BEGIN' || p === 'END' || p === 'interval');
      if (bad) c.error(messages.notWithProbe('signal', bad), c.call.range, 'early');
      notAsValue(c);
      if (argumentRange(c, 1, 1)) {
        const name = c.literalString(c.call.args[0]);
        const number = c.literalInteger(c.call.args[0]);
        if (name !== undefined && signalNumber(name) === undefined) {
          c.error(messages.signalUnknown(name), c.call.range, 'early');
        } else if (number !== undefined && (number < 1n || number > 64n)) {
          c.error(messages.signalRange(number), c.call.range, 'early');
        }
      }
      return NONE;
    },
  },
  {
    kind: 'function',
    name: 'override',
    unsafe: true,
    statementOnly: true,
    check(c) {
      notAsValue(c);
      const bad = c.probe.providers.find((p) => p !== 'kprobe');
      if (bad) c.error(messages.overrideKprobe(), c.call.range, 'early');
      if (argumentRange(c, 1, 1)) integerArgument(c, 0);
      return NONE;
    },
  },
  {
    kind: 'function',
    name: 'reg',
    check(c) {
      const bad = c.probe.providers.find((p) => p === 'BEGIN' || p === 'END' || p === 'tracepoint');
      if (bad) c.error(messages.notWithProbe('reg', bad), c.call.range, 'early');
      if (argumentRange(c, 1, 1)) {
        const name = stringLiteral(c, 0);
        if (name !== undefined && !REGISTERS.includes(name)) {
          c.error(messages.regUnknown(name), c.call.range, 'early');
        }
      }
      return UINT64;
    },
  },
];
