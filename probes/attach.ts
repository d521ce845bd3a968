// bpftrace 0.17 attach-point syntax: provider aliases, per-provider argument rules, units,
// and wildcard expansion against an event source's catalog. Messages follow bpftrace 0.17.

import type { AttachResult, ProbeProvider, ResolvedAttachPoint } from '../compiler/host';
import type { ProbeCatalog } from './source';

const ALIASES: Record<string, ProbeProvider> = {
  BEGIN: 'BEGIN',
  END: 'END',
  // Newer bpftrace's spellings (0.17 rejects them as invalid probe types).
  begin: 'BEGIN',
  end: 'END',
  tracepoint: 'tracepoint',
  t: 'tracepoint',
  kprobe: 'kprobe',
  k: 'kprobe',
  kretprobe: 'kretprobe',
  kr: 'kretprobe',
  uprobe: 'uprobe',
  u: 'uprobe',
  uretprobe: 'uretprobe',
  ur: 'uretprobe',
  usdt: 'usdt',
  U: 'usdt',
  kfunc: 'kfunc',
  f: 'kfunc',
  kretfunc: 'kretfunc',
  fr: 'kretfunc',
  interval: 'interval',
  i: 'interval',
  profile: 'profile',
  p: 'profile',
  software: 'software',
  s: 'software',
  hardware: 'hardware',
  h: 'hardware',
  watchpoint: 'watchpoint',
  w: 'watchpoint',
  asyncwatchpoint: 'asyncwatchpoint',
  aw: 'asyncwatchpoint',
  iter: 'iter',
  it: 'iter',
};

/** Nanoseconds per unit for interval/profile; `hz` is a frequency. */
const TIME_UNITS: Record<string, bigint> = { s: 1_000_000_000n, ms: 1_000_000n, us: 1_000n };

/** perf software events (name → alias) as bpftrace 0.17 knows them, with default periods. */
export const SOFTWARE_EVENTS: ReadonlyArray<{ name: string; alias: string; defaultCount: number }> =
  [
    { name: 'cpu-clock', alias: 'cpu', defaultCount: 1_000_000 },
    { name: 'task-clock', alias: '', defaultCount: 1_000_000 },
    { name: 'page-faults', alias: 'faults', defaultCount: 100 },
    { name: 'context-switches', alias: 'cs', defaultCount: 1000 },
    { name: 'cpu-migrations', alias: '', defaultCount: 1 },
    { name: 'minor-faults', alias: '', defaultCount: 100 },
    { name: 'major-faults', alias: '', defaultCount: 1 },
    { name: 'alignment-faults', alias: '', defaultCount: 1 },
    { name: 'emulation-faults', alias: '', defaultCount: 1 },
    { name: 'dummy', alias: '', defaultCount: 1 },
    { name: 'bpf-output', alias: '', defaultCount: 1 },
  ];

export const HARDWARE_EVENTS: ReadonlyArray<{ name: string; alias: string; defaultCount: number }> =
  [
    { name: 'cpu-cycles', alias: 'cycles', defaultCount: 1_000_000 },
    { name: 'instructions', alias: '', defaultCount: 1_000_000 },
    { name: 'cache-references', alias: '', defaultCount: 1_000_000 },
    { name: 'cache-misses', alias: '', defaultCount: 1_000_000 },
    { name: 'branch-instructions', alias: 'branches', defaultCount: 100_000 },
    { name: 'branch-misses', alias: '', defaultCount: 100_000 },
    { name: 'bus-cycles', alias: '', defaultCount: 100_000 },
    { name: 'frontend-stalls', alias: '', defaultCount: 1_000_000 },
    { name: 'backend-stalls', alias: '', defaultCount: 1_000_000 },
    { name: 'ref-cycles', alias: '', defaultCount: 1_000_000 },
  ];

/** Short library names accepted as uprobe targets (`uprobe:libc:malloc`). */
export const LIBRARY_PATHS: Record<string, string> = {
  libc: '/lib/x86_64-linux-gnu/libc.so.6',
  libpthread: '/lib/x86_64-linux-gnu/libpthread.so.0',
  libm: '/lib/x86_64-linux-gnu/libm.so.6',
  libssl: '/lib/x86_64-linux-gnu/libssl.so.3',
  libcrypto: '/lib/x86_64-linux-gnu/libcrypto.so.3',
  libz: '/lib/x86_64-linux-gnu/libz.so.1',
};

export const ITERATORS = ['task', 'task_file', 'task_vma'] as const;

function fail(message: string, fatal?: boolean): AttachResult {
  return fatal ? { ok: false, message, fatal } : { ok: false, message };
}

/** Parses an unsigned integer the way bpftrace 0.17 does (C `stoull` with base 0 plus `NeM`). */
export function parseProbeNumber(
  text: string,
): { ok: true; value: bigint } | { ok: false; message: string } {
  const sci = /^(\d+)e(\d+)$/.exec(text);
  if (sci) return { ok: true, value: BigInt(sci[1]!) * 10n ** BigInt(sci[2]!) };
  const m = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)(.*)$/.exec(text);
  if (!m) return { ok: false, message: 'stoull' };
  if (m[2] !== '') return { ok: false, message: 'Found trailing non-numeric characters' };
  const digits = m[1]!;
  const value =
    digits.startsWith('0x') || digits.startsWith('0X')
      ? BigInt(digits)
      : digits.length > 1 && digits.startsWith('0')
        ? BigInt('0o' + digits.slice(1))
        : BigInt(digits);
  return { ok: true, value };
}

export function hasWildcard(text: string): boolean {
  return text.includes('*');
}

/** A bpftrace glob (`*` matches any run of characters) as an anchored RegExp. */
export function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`);
}

function expand(pattern: string, names: readonly string[]): string[] {
  if (!hasWildcard(pattern)) return names.includes(pattern) ? [pattern] : [];
  const re = globToRegExp(pattern);
  return names.filter((n) => re.test(n));
}

function requires(provider: string, count: string): AttachResult {
  return fail(`${provider} probe type requires ${count}`);
}

/** Splits `raw` at `:` and resolves the provider alias; an unknown type is bpftrace's abort. */
export function splitAttachPoint(
  raw: string,
): { provider: ProbeProvider; args: string[] } | undefined {
  const parts = raw.trim().split(':');
  const provider = ALIASES[parts[0]!];
  if (!provider) return undefined;
  return { provider, args: parts.slice(1) };
}

export function resolveAttachPoint(raw: string, catalog: ProbeCatalog): AttachResult {
  const split = splitAttachPoint(raw);
  if (!split) return fail('Invalid probe type made it to attachpoint parser', true);
  const { provider, args } = split;
  switch (provider) {
    case 'BEGIN':
    case 'END':
      if (args.length > 0) return fail(`${provider} probe type requires 0 arguments`);
      // `probe` reads the spelling used: `BEGIN` or `begin`.
      return { ok: true, points: [{ provider, name: raw.trim(), target: '', func: '' }] };
    case 'tracepoint':
      return resolveTracepoint(args, catalog);
    case 'kprobe':
    case 'kretprobe':
      return resolveKprobe(provider, args, catalog);
    case 'kfunc':
    case 'kretfunc':
      return resolveKfunc(provider, args, catalog);
    case 'uprobe':
    case 'uretprobe':
      return resolveUprobe(provider, args, catalog);
    case 'usdt':
      return resolveUsdt(args, catalog);
    case 'interval':
    case 'profile':
      return resolveTimer(provider, args);
    case 'software':
    case 'hardware':
      return resolvePerfEvent(provider, args);
    case 'watchpoint':
    case 'asyncwatchpoint':
      return resolveWatchpoint(provider, args);
    case 'iter':
      if (args.length !== 1) return requires('iter', '1 argument');
      if (!(ITERATORS as readonly string[]).includes(args[0]!))
        return fail(`iter ${args[0]} not available for your kernel version.`);
      return {
        ok: true,
        points: [{ provider, name: `iter:${args[0]}`, target: '', func: args[0]! }],
      };
  }
}

function resolveTracepoint(args: string[], catalog: ProbeCatalog): AttachResult {
  if (args.length !== 2) return requires('tracepoint', '2 arguments');
  const pattern = `${args[0]}:${args[1]}`;
  const matches = expand(pattern, catalog.tracepoints.names());
  if (matches.length === 0)
    return fail(
      hasWildcard(pattern)
        ? `tracepoints not found: ${pattern}`
        : `tracepoint not found: ${pattern}`,
    );
  return {
    ok: true,
    points: matches.map((m) => {
      const [target, func] = m.split(':') as [string, string];
      return { provider: 'tracepoint', name: `tracepoint:${m}`, target, func };
    }),
  };
}

function resolveKprobe(
  provider: 'kprobe' | 'kretprobe',
  args: string[],
  catalog: ProbeCatalog,
): AttachResult {
  if (args.length !== 1) return requires(provider, '1 argument');
  const [func, offsetText] = args[0]!.split('+') as [string, string | undefined];
  if (func === '') return fail('kprobes should be attached to a function');
  if (offsetText !== undefined) {
    if (provider === 'kretprobe') return fail('Offset not allowed');
    const offset = parseProbeNumber(offsetText);
    if (!offset.ok) return fail(offset.message);
    if (hasWildcard(func)) return fail('Offset not allowed with wildcards');
    if (!catalog.kernelFunctions.includes(func))
      return fail(`Error attaching probe: '${provider}:${args[0]}'`);
    return {
      ok: true,
      points: [{ provider, name: `${provider}:${func}+${offset.value}`, target: '', func }],
    };
  }
  const matches = expand(func, catalog.kernelFunctions);
  if (matches.length === 0)
    return fail(
      hasWildcard(func) ? 'No probes to attach' : `Error attaching probe: '${provider}:${func}'`,
    );
  return {
    ok: true,
    points: matches.map((m) => ({ provider, name: `${provider}:${m}`, target: '', func: m })),
  };
}

function resolveKfunc(
  provider: 'kfunc' | 'kretfunc',
  args: string[],
  catalog: ProbeCatalog,
): AttachResult {
  if (args.length !== 1) return requires(provider, '1 argument');
  const matches = expand(args[0]!, catalog.kernelFunctions);
  if (matches.length === 0)
    return fail(
      hasWildcard(args[0]!)
        ? 'No probes to attach'
        : 'kfunc/kretfunc not available for your kernel version.',
    );
  return {
    ok: true,
    points: matches.map((m) => ({ provider, name: `${provider}:${m}`, target: '', func: m })),
  };
}

/** `libc` → its path; an absolute or relative path is kept as written. */
export function resolveUprobeTarget(target: string, catalog: ProbeCatalog): string | undefined {
  if (catalog.binaries.has(target) || catalog.usdt.has(target)) return target;
  const lib = LIBRARY_PATHS[target];
  if (lib && (catalog.binaries.has(lib) || catalog.usdt.has(lib))) return lib;
  for (const path of [...catalog.binaries.keys(), ...catalog.usdt.keys()]) {
    const base = path.slice(path.lastIndexOf('/') + 1);
    if (!target.includes('/') && (base === target || base.startsWith(`${target}.so`))) return path;
  }
  return undefined;
}

function resolveUprobe(
  provider: 'uprobe' | 'uretprobe',
  args: string[],
  catalog: ProbeCatalog,
): AttachResult {
  if (args.length !== 2) return requires(provider, '2 arguments');
  const [target, spec] = args as [string, string];
  const [func, offsetText] = spec.split('+') as [string, string | undefined];
  let suffix = '';
  if (offsetText !== undefined) {
    if (provider === 'uretprobe') return fail('Offset not allowed');
    const offset = parseProbeNumber(offsetText);
    if (!offset.ok) return fail(offset.message);
    suffix = `+${offset.value}`;
  }
  const paths = hasWildcard(target)
    ? expand(target, [...catalog.binaries.keys()])
    : [resolveUprobeTarget(target, catalog)].filter((p): p is string => p !== undefined);
  if (paths.length === 0) {
    if (hasWildcard(target)) return fail('No probes to attach');
    return fail(`uprobe target file '${target}' does not exist or is not executable`);
  }
  const points: ResolvedAttachPoint[] = [];
  for (const path of paths) {
    const funcs = expand(func, catalog.binaries.get(path) ?? []);
    for (const f of funcs) {
      points.push({ provider, name: `${provider}:${path}:${f}${suffix}`, target: path, func: f });
    }
  }
  if (points.length === 0) return fail('No probes to attach');
  return { ok: true, points };
}

function resolveUsdt(args: string[], catalog: ProbeCatalog): AttachResult {
  if (args.length !== 2 && args.length !== 3) return requires('usdt', '2 or 3 arguments');
  const target = args[0]!;
  const pattern = args.length === 3 ? `${args[1]}:${args[2]}` : `*:${args[1]}`;
  const paths = hasWildcard(target)
    ? expand(target, [...catalog.usdt.keys()])
    : [resolveUprobeTarget(target, catalog)].filter((p): p is string => p !== undefined);
  if (paths.length === 0 && !hasWildcard(target))
    return fail(`usdt target file '${target}' does not exist or is not executable`);
  const points: ResolvedAttachPoint[] = [];
  for (const path of paths) {
    for (const probe of expand(pattern, catalog.usdt.get(path) ?? [])) {
      points.push({ provider: 'usdt', name: `usdt:${path}:${probe}`, target: path, func: probe });
    }
  }
  if (points.length === 0) return fail('No probes to attach');
  return { ok: true, points };
}

function resolveTimer(provider: 'interval' | 'profile', args: string[]): AttachResult {
  if (args.length !== 2) return requires(provider, '2 arguments');
  const [unit, countText] = args as [string, string];
  const count = parseProbeNumber(countText);
  if (unit !== 'hz' && TIME_UNITS[unit] === undefined)
    return fail(`${unit} is not an accepted unit of time`);
  if (!count.ok) return fail(count.message);
  if (unit === 'hz' && count.value === 0n)
    return fail(`${provider} frequency should be a positive integer`);
  if (count.value === 0n) return fail('Exactly one of sample_period / sample_freq should be set');
  const periodNs = unit === 'hz' ? 1_000_000_000n / count.value : TIME_UNITS[unit]! * count.value;
  if (periodNs === 0n) return fail(`${provider} frequency is too high`);
  return {
    ok: true,
    points: [
      {
        provider,
        name: `${provider}:${unit}:${count.value}`,
        target: unit,
        func: `${count.value}`,
        periodNs,
      },
    ],
  };
}

function resolvePerfEvent(provider: 'software' | 'hardware', args: string[]): AttachResult {
  if (args.length !== 1 && args.length !== 2) return requires(provider, '1 or 2 arguments');
  const table = provider === 'software' ? SOFTWARE_EVENTS : HARDWARE_EVENTS;
  const event = table.find((e) => e.name === args[0] || (e.alias !== '' && e.alias === args[0]));
  if (!event) return fail(`${args[0]} is not a ${provider} probe`);
  let countText = '';
  if (args.length === 2) {
    const count = parseProbeNumber(args[1]!);
    if (!count.ok) return fail(count.message);
    if (count.value === 0n) return fail(`${provider} count should be a positive integer`);
    countText = `:${count.value}`;
  }
  // bpftrace names the probe as written (`software:cpu:1000000`), not by the canonical event.
  return {
    ok: true,
    points: [
      {
        provider,
        name: `${provider}:${args[0]}${countText}`,
        target: event.name,
        func: countText.slice(1),
      },
    ],
  };
}

function resolveWatchpoint(
  provider: 'watchpoint' | 'asyncwatchpoint',
  args: string[],
): AttachResult {
  if (args.length !== 3 && args.length !== 4) return requires(provider, '3 or 4 arguments');
  const [addressText, lengthText, mode] = args.length === 4 ? args.slice(1) : args;
  const address = parseProbeNumber(addressText!);
  if (!address.ok) return fail(address.message);
  const length = parseProbeNumber(lengthText!);
  if (!length.ok) return fail(length.message);
  if (![1n, 2n, 4n, 8n].includes(length.value))
    return fail('watchpoint length must be one of (1,2,4,8)');
  if (!/^(r|w|x|rw|wr)$/.test(mode!)) return fail('watchpoint mode must be combination of (r,w,x)');
  const name = `${provider}:${args.join(':')}`;
  return { ok: true, points: [{ provider, name, target: addressText!, func: mode! }] };
}
