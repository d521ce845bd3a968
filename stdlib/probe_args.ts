// Probe-context builtins: arg0…argN, sarg0…sargN, args, retval, func, probe, ctx. Each states
// which probe types allow it, with 0.17's message otherwise.

import type { ProbeProvider } from '../compiler/host';
import { UINT64, type Type } from '../compiler/types';
import { messages } from '../compiler/check/messages';
import type { BuiltinVariable, ProbeContext } from '../compiler/builtin';

/** How 0.17 names a probe type in "can not be used with '…' probes". */
export function probeTypeLabel(provider: ProbeProvider): string {
  return provider;
}

/** The first provider of the probe that is not in `allowed`, if any. */
function firstDisallowed(probe: ProbeContext, allowed: ProbeProvider[]): ProbeProvider | undefined {
  return probe.providers.find((p) => !allowed.includes(p));
}

const ARG_PATTERN = /^arg([0-9]+)$/;
const SARG_PATTERN = /^sarg([0-9]+)$/;

export function argumentIndex(name: string): number | undefined {
  const m = ARG_PATTERN.exec(name) ?? SARG_PATTERN.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** Arguments x86-64 passes in registers (arg0…arg5). */
const REGISTER_ARGUMENTS = 6;

function argVariable(name: string): BuiltinVariable {
  return {
    kind: 'variable',
    name,
    type: (c) => {
      if ((argumentIndex(name) ?? 0) >= REGISTER_ARGUMENTS)
        c.error(messages.argRegister(name), c.range);
      return UINT64;
    },
    restrict(probe) {
      const bad = firstDisallowed(probe, ['kprobe', 'uprobe', 'usdt']);
      return bad ? { message: messages.builtinOnlyArgs(name), keepsType: true } : null;
    },
  };
}

function sargVariable(name: string): BuiltinVariable {
  return {
    kind: 'variable',
    name,
    type: () => UINT64,
    restrict(probe) {
      const bad = firstDisallowed(probe, ['kprobe', 'uprobe']);
      return bad ? { message: messages.builtinOnlySargs(name), keepsType: true } : null;
    },
  };
}

/** `arg0`…`argN` and `sarg0`…`sargN` records (N as 0.17's x86-64 register arguments allow). */
export function positionalArgumentVariable(name: string): BuiltinVariable | undefined {
  const arg = ARG_PATTERN.exec(name);
  if (arg) return argVariable(name);
  const sarg = SARG_PATTERN.exec(name);
  if (sarg) return sargVariable(name);
  return undefined;
}

export const ARGS_TYPE_NAME = 'args';

function isUserProvider(provider: string): boolean {
  return provider === 'uprobe' || provider === 'uretprobe' || provider === 'usdt';
}

export const probeArgumentVariables: BuiltinVariable[] = [
  {
    kind: 'variable',
    name: 'retval',
    type: () => UINT64,
    restrict(probe) {
      const bad = firstDisallowed(probe, ['kretprobe', 'uretprobe', 'kretfunc']);
      return bad ? { message: messages.builtinRetval(bad === 'tracepoint') } : null;
    },
  },
  {
    kind: 'variable',
    name: 'func',
    // In user probes func is a user symbol, resolved through the process's mappings.
    type: (c): Type =>
      c.probe.providers.some(isUserProvider)
        ? { kind: 'opaque', name: 'usym', size: 16 }
        : { kind: 'opaque', name: 'ksym', size: 8 },
    restrict(probe) {
      const bad = firstDisallowed(probe, [
        'kprobe',
        'kretprobe',
        'uprobe',
        'uretprobe',
        'usdt',
        'kfunc',
        'kretfunc',
      ]);
      return bad ? { message: messages.builtinFuncNot(probeTypeLabel(bad)) } : null;
    },
  },
  {
    kind: 'variable',
    name: 'args',
    type: (c): Type => c.probe.argsType ?? { kind: 'none' },
    restrict(probe) {
      const bad = firstDisallowed(probe, ['tracepoint', 'kfunc', 'kretfunc', 'uprobe']);
      if (!bad) return null;
      // A probe block over several probe types has no single type: 0.17 calls it invalid.
      const label =
        probe.providers.length > 1
          ? 'invalid'
          : bad === 'BEGIN' || bad === 'END'
            ? 'special'
            : probeTypeLabel(bad);
      return { message: messages.builtinArgs(label) };
    },
  },
  { kind: 'variable', name: 'probe', type: () => ({ kind: 'opaque', name: 'probe', size: 8 }) },
  {
    kind: 'variable',
    name: 'ctx',
    type: () => ({ kind: 'pointer', to: { kind: 'opaque', name: 'ctx', size: 8 } }),
    restrict(probe) {
      const bad = probe.providers.find((p) => p === 'BEGIN' || p === 'END');
      if (bad) return { message: messages.builtinCtxInvalid() };
      if (probe.providers.includes('tracepoint')) return { message: messages.ctxInTracepoint() };
      return null;
    },
  },
];
