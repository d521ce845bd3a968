// Names in the object file: libbpf section names for probes (they choose the program type),
// C-identifier symbol names for programs and maps.
//
// Section names follow libbpf's SEC() conventions:
//   tracepoint:CAT:NAME          → tracepoint/CAT/NAME
//   kprobe:FN[+OFF]              → kprobe/FN[+OFF]         kretprobe:FN → kretprobe/FN
//   uprobe:PATH:FN               → uprobe/PATH:FN          uretprobe    → uretprobe/PATH:FN
//   usdt:PATH:[PROVIDER:]NAME    → usdt/PATH:[PROVIDER:]NAME
//   kfunc:FN / kretfunc:FN       → fentry/FN / fexit/FN
//   iter:NAME                    → iter/NAME
//   interval, profile, software, hardware, watchpoint → perf_event
//   BEGIN, END                   → uprobe
// BEGIN and END become plain `uprobe` programs (BPF_PROG_TYPE_KPROBE with a pt_regs context)
// because that is how bpftrace runs them: a uprobe on a trigger function in its own
// process. The bare `uprobe` section has no attach target, so libbpf and `bpftool prog
// loadall` load it without trying to attach it.
//
// libbpf matches .BTF.ext records to programs by section name, so section names must be
// unique: probes whose names coincide (two interval probes, BEGIN and END) share one section
// and are separate FUNC symbols in it, as clang does for several SEC("perf_event") functions.
// A probe block with several attach points is typed by its first one.

/** Short and long spellings of probe types as bpftrace 0.17 accepts them. */
const PROVIDER_ALIASES: Record<string, string> = {
  t: 'tracepoint',
  tracepoint: 'tracepoint',
  k: 'kprobe',
  kprobe: 'kprobe',
  kr: 'kretprobe',
  kretprobe: 'kretprobe',
  u: 'uprobe',
  uprobe: 'uprobe',
  ur: 'uretprobe',
  uretprobe: 'uretprobe',
  U: 'usdt',
  usdt: 'usdt',
  f: 'kfunc',
  kfunc: 'kfunc',
  fr: 'kretfunc',
  kretfunc: 'kretfunc',
  i: 'interval',
  interval: 'interval',
  p: 'profile',
  profile: 'profile',
  s: 'software',
  software: 'software',
  h: 'hardware',
  hardware: 'hardware',
  w: 'watchpoint',
  watchpoint: 'watchpoint',
  aw: 'asyncwatchpoint',
  asyncwatchpoint: 'asyncwatchpoint',
  it: 'iter',
  iter: 'iter',
};

const PERF_EVENT_PROVIDERS = new Set([
  'interval',
  'profile',
  'software',
  'hardware',
  'watchpoint',
  'asyncwatchpoint',
]);
const PATH_PROVIDERS: Record<string, string> = {
  uprobe: 'uprobe',
  uretprobe: 'uretprobe',
  usdt: 'usdt',
};
const FUNCTION_PROVIDERS: Record<string, string> = {
  kprobe: 'kprobe',
  kretprobe: 'kretprobe',
  kfunc: 'fentry',
  kretfunc: 'fexit',
  iter: 'iter',
};

/** The probe type of an attach point as written (`BEGIN`, `kprobe`, …), or undefined. */
export function providerOf(attachPoint: string): string | undefined {
  const text = attachPoint.trim();
  if (text === 'BEGIN' || text === 'END') return text;
  if (text === 'begin' || text === 'end') return text.toUpperCase();
  const colon = text.indexOf(':');
  return colon < 0 ? undefined : PROVIDER_ALIASES[text.slice(0, colon)];
}

/** The libbpf section name for a probe, from its first attach point. */
export function sectionNameFor(attachPoints: readonly string[]): string {
  const text = (attachPoints[0] ?? '').trim();
  const provider = providerOf(text);
  const rest = text.slice(text.indexOf(':') + 1);
  if (provider === undefined) throw new Error(`cannot name a section for attach point '${text}'`);
  if (provider === 'BEGIN' || provider === 'END') return 'uprobe';
  if (PERF_EVENT_PROVIDERS.has(provider)) return 'perf_event';
  if (provider === 'tracepoint') return `tracepoint/${rest.replace(':', '/')}`;
  const pathPrefix = PATH_PROVIDERS[provider];
  if (pathPrefix) return `${pathPrefix}/${rest}`;
  const functionPrefix = FUNCTION_PROVIDERS[provider];
  if (functionPrefix) {
    // bpftrace 0.17 also accepts `kprobe:MODULE:FN`; libbpf wants the function alone.
    return `${functionPrefix}/${rest.slice(rest.lastIndexOf(':') + 1)}`;
  }
  throw new Error(`cannot name a section for attach point '${text}'`);
}

function identifier(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[0-9]/.test(cleaned) ? `_${cleaned}` : cleaned;
}

/**
 * The program's FUNC symbol (libbpf's program name, also the pin name under `bpftool prog
 * loadall`): `p<index>_<what it traces>` — the function or tracepoint name, or the whole
 * spec of a timer or perf event (`p2_interval_s_1`). The index comes first because the
 * kernel keeps only 15 characters of a program name.
 */
export function programSymbolName(index: number, attachPoints: readonly string[]): string {
  const text = (attachPoints[0] ?? '').trim();
  const provider = providerOf(text);
  const rest = text.slice(text.indexOf(':') + 1);
  const what =
    provider === undefined || provider === 'BEGIN' || provider === 'END'
      ? text
      : PERF_EVENT_PROVIDERS.has(provider)
        ? `${provider}_${rest}`
        : rest.slice(rest.lastIndexOf(':') + 1);
  return `p${index}_${identifier(what || 'probe')}`;
}

/**
 * The C name of a map: `@name` → `AT_name`, `@` → `AT_`, an internal `.name` → `name`, any
 * other character that C does not allow → `_`. Names already taken get `_2`, `_3`, ….
 */
export function mapSymbolNames(
  names: readonly string[],
  reserved: Iterable<string> = [],
): string[] {
  const taken = new Set<string>(reserved);
  return names.map((name) => {
    const base = identifier(name.startsWith('@') ? `AT_${name.slice(1)}` : name.replace(/^\./, ''));
    let candidate = base || 'map';
    for (let n = 2; taken.has(candidate); n++) candidate = `${base}_${n}`;
    taken.add(candidate);
    return candidate;
  });
}

/** The local FUNC symbol of a program's `k`th callback subprogram (a for-loop body). */
export function subprogramSymbol(programSymbol: string, k: number): string {
  return `${programSymbol}__cb${k}`;
}
