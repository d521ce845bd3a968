// Symbols, addresses and stacks: ksym usym kaddr uaddr kptr uptr kstack ustack.

import type { ProbeProvider } from '../compiler/host';
import {
  DEFAULT_STACK_LIMIT,
  NONE,
  STACK_MODES,
  UINT64,
  type StackMode,
  type Type,
} from '../compiler/types';
import { messages } from '../compiler/check/messages';
import { argumentRange, integerOrPointer, isInteger, stringLiteral } from './arguments';
import type { BuiltinFunction, BuiltinVariable, CallCheck } from '../compiler/builtin';

function stackType(
  name: 'kstack' | 'ustack',
  mode: StackMode = 'bpftrace',
  limit = DEFAULT_STACK_LIMIT,
): Type {
  if (mode === 'bpftrace' && limit === DEFAULT_STACK_LIMIT)
    return { kind: 'opaque', name, size: 8 };
  return { kind: 'opaque', name, size: 8, stack: { mode, limit } };
}

/** `kstack`, `kstack(limit)`, `kstack(mode)`, `kstack(mode, limit)`. */
function checkStack(name: 'kstack' | 'ustack') {
  return (c: CallCheck): Type => {
    if (!argumentRange(c, 0, 2)) return stackType(name);
    const [first, second] = c.call.args;
    let limitIndex = 0;
    let mode: StackMode = 'bpftrace';
    let limit = DEFAULT_STACK_LIMIT;
    if (first?.kind === 'Identifier') {
      limitIndex = 1;
      if ((STACK_MODES as readonly string[]).includes(first.name)) mode = first.name as StackMode;
      else {
        c.error(messages.unknownIdentifier(first.name), first.range, 'early');
        if (!second)
          c.error(messages.expectsIntegerLiteral(name, { kind: 'none' }), c.call.range, 'early');
      }
    }
    const limitArg = c.call.args[limitIndex];
    if (limitArg && limitArg.kind !== 'Identifier') {
      const given = c.literalInteger(limitArg);
      if (given === undefined) {
        c.error(
          messages.expectsIntegerLiteral(name, c.argTypes[limitIndex]),
          c.call.range,
          'early',
        );
      } else if (given < 0n || given > 1024n) {
        c.error(messages.stackLimitRange(name, given), c.call.range, 'early');
      } else limit = Number(given);
    }
    return stackType(name, mode, limit);
  };
}

const USER_PROBES: ProbeProvider[] = ['uprobe', 'uretprobe', 'usdt'];

/** kptr/uptr: an integer or a pointer to mark as kernel/user memory; the result type. */
function pointerLike(c: CallCheck): Type {
  const type = c.argTypes[0];
  if (isInteger(type) || type.kind === 'pointer' || type.kind === 'none') return type;
  c.error(messages.integerOrPointerArguments(c.call.name, type), c.call.range, 'early');
  return NONE;
}

export const symbolVariables: BuiltinVariable[] = [
  { kind: 'variable', name: 'kstack', type: () => stackType('kstack') },
  { kind: 'variable', name: 'ustack', type: () => stackType('ustack') },
];

export const symbolFunctions: BuiltinFunction[] = [
  { kind: 'function', name: 'kstack', identifierArguments: true, check: checkStack('kstack') },
  { kind: 'function', name: 'ustack', identifierArguments: true, check: checkStack('ustack') },
  {
    kind: 'function',
    name: 'ksym',
    check(c) {
      if (argumentRange(c, 1, 1)) integerOrPointer(c);
      return { kind: 'opaque', name: 'ksym', size: 8 };
    },
  },
  {
    kind: 'function',
    name: 'usym',
    check(c) {
      if (argumentRange(c, 1, 1)) integerOrPointer(c);
      return { kind: 'opaque', name: 'usym', size: 16 };
    },
  },
  {
    kind: 'function',
    name: 'kaddr',
    check(c) {
      if (argumentRange(c, 1, 1)) stringLiteral(c, 0);
      return UINT64;
    },
  },
  {
    kind: 'function',
    name: 'uaddr',
    check(c) {
      const bad = c.probe.providers.find((p) => !USER_PROBES.includes(p));
      if (bad) c.error(messages.notWithProbe('uaddr', bad), c.call.range, 'early');
      if (argumentRange(c, 1, 1)) stringLiteral(c, 0);
      return UINT64;
    },
  },
  {
    kind: 'function',
    name: 'kptr',
    check(c) {
      return argumentRange(c, 1, 1) ? pointerLike(c) : UINT64;
    },
  },
  {
    kind: 'function',
    name: 'uptr',
    check(c) {
      return argumentRange(c, 1, 1) ? pointerLike(c) : UINT64;
    },
  },
];
