// What can be attached on this machine, for the compiler's ProbeHost and for `-l --live`:
// the live tracefs, real binaries' ELF symbols (read on demand), kernel symbols, and the
// kernel features that decide whether kprobes and kfuncs can attach at all.

import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { AttachResult, ProbeHost } from '../../compiler/host';
import { globToRegExp, hasWildcard, LIBRARY_PATHS, splitAttachPoint } from '../../probes/attach';
import { expandTarget, hostPath } from './user_probes';
import { createProbeHost, type ProbeListing } from '../../probes/host';
import type { ProbeCatalog } from '../../probes/source';
import { DEFAULT_TRACEFS, liveTracepoints } from '../../probes/tracepoints';
import { readElf } from './elf_symbols';
import { LiveSymbols } from './symbols';
import { usdtProbes } from './usdt';
import { LiveError } from './errors';

/** Binaries read on demand: `has` is true for a readable ELF file, `get` lists its functions. */
class LiveBinaries implements ReadonlyMap<string, readonly string[]> {
  constructor(private readonly list: (path: string) => readonly string[] | undefined) {}
  private readonly seen = new Map<string, readonly string[]>();

  private load(path: string): readonly string[] | undefined {
    if (!path.includes('/')) return undefined;
    const cached = this.seen.get(path);
    if (cached) return cached;
    const funcs = this.list(path);
    if (funcs) this.seen.set(path, funcs);
    return funcs;
  }
  get size(): number {
    return this.seen.size;
  }
  has(path: string): boolean {
    return this.load(path) !== undefined;
  }
  get(path: string): readonly string[] | undefined {
    return this.load(path);
  }
  forEach(
    fn: (
      value: readonly string[],
      key: string,
      map: ReadonlyMap<string, readonly string[]>,
    ) => void,
  ): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }
  *entries(): MapIterator<[string, readonly string[]]> {
    for (const path of this.keys()) {
      const funcs = this.load(path);
      if (funcs) yield [path, funcs];
    }
  }
  *keys(): MapIterator<string> {
    const known = new Set([...this.seen.keys(), ...Object.values(LIBRARY_PATHS)]);
    for (const k of known) if (this.load(k)) yield k;
  }
  *values(): MapIterator<readonly string[]> {
    for (const [, v] of this.entries()) yield v;
  }
  [Symbol.iterator](): MapIterator<[string, readonly string[]]> {
    return this.entries();
  }
}

export interface KernelFeatures {
  kprobes: boolean;
  /** fentry/fexit through BPF trampolines (kfunc/kretfunc). */
  trampolines: boolean;
}

export function kernelFeatures(tracefs = DEFAULT_TRACEFS): KernelFeatures {
  const readable = (p: string) => {
    try {
      accessSync(p, constants.R_OK);
      readFileSync(p, { encoding: 'utf8', flag: 'r' }).slice(0, 1);
      return true;
    } catch {
      return false;
    }
  };
  return {
    kprobes: existsSync(join(tracefs, 'kprobe_events')),
    trampolines: readable(join(tracefs, 'available_filter_functions')),
  };
}

/** `bash` → `/usr/bin/bash` through PATH, as bpftrace resolves a uprobe target without a slash. */
export function whichBinary(name: string, path = process.env.PATH ?? ''): string | undefined {
  if (name.includes('/')) return undefined;
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // next
    }
  }
  return undefined;
}

export interface LiveHost extends ProbeListing {
  readonly catalog: ProbeCatalog;
  readonly symbols: LiveSymbols;
  readonly tracefs: string;
}

export class LiveUnsupportedError extends LiveError {}

const USER_KINDS = ['uprobe', 'uretprobe', 'usdt'] as const;

export function createLiveHost(cwd: string, tracefs = DEFAULT_TRACEFS, pid?: number): LiveHost {
  const tracepoints = liveTracepoints(tracefs);
  if (!tracepoints)
    throw new LiveUnsupportedError(
      `--live needs tracefs at ${tracefs} (mount it: mount -t tracefs nodev ${tracefs})`,
    );
  const kernelFunctions: string[] = [];
  const symbols = new LiveSymbols();
  const catalog: ProbeCatalog = {
    tracepoints,
    kernelFunctions,
    binaries: new LiveBinaries((p) => functionsOf(p)),
    usdt: new LiveBinaries((p) => usdtNamesOf(p)),
  };
  function functionsOf(path: string): string[] | undefined {
    const image = readElf(hostPath(path, cwd, pid));
    return image ? [...image.functions.keys()].sort() : undefined;
  }
  function usdtNamesOf(path: string): string[] | undefined {
    return usdtProbes(hostPath(path, cwd, pid))?.map((u) => `${u.provider}:${u.name}`);
  }
  const features = kernelFeatures(tracefs);
  const base = createProbeHost({ catalog, symbols });
  const resolveAttachPoint = (raw: string): AttachResult => {
    const split = splitAttachPoint(raw);
    if (
      split &&
      (split.provider === 'kprobe' || split.provider === 'kretprobe') &&
      !features.kprobes
    )
      return {
        ok: false,
        message: `${split.provider} probes need kprobe support, which this kernel lacks (no ${tracefs}/kprobe_events: CONFIG_KPROBE_EVENTS)`,
      };
    if (
      split &&
      (split.provider === 'kfunc' || split.provider === 'kretfunc') &&
      !features.trampolines
    )
      return {
        ok: false,
        message: `${split.provider} probes need BPF trampolines (fentry/fexit), which this kernel lacks (no ftrace function tracing)`,
      };
    if (
      split &&
      ['uprobe', 'uretprobe', 'usdt'].includes(split.provider) &&
      split.args.length > 0
    ) {
      const parts = raw.trim().split(':');
      // A name without a slash is looked up in PATH (bpftrace then names the probe by the
      // full path); a relative path stays as written and is read relative to the cwd.
      const target = split.args[0]!;
      const found =
        target !== '' && !target.includes('/') && !LIBRARY_PATHS[target]
          ? whichBinary(target)
          : undefined;
      if (found) parts[1] = found;
      // "func" may be quoted.
      const last = parts.length - 1;
      parts[last] = parts[last]!.replace(
        /^"(.*)"((?:\+\w+)?)$/,
        (_, name: string, offset: string) => name.replace(/\\(.)/g, '$1') + offset,
      );
      if (pid !== undefined && (parts[1] === '' || hasWildcard(parts[1]!))) {
        // With -p, an empty or wildcard file means the files the process maps.
        const points = expandTarget(parts[1]!, cwd, pid).flatMap((file) => {
          const r = base.resolveAttachPoint([parts[0], file, ...parts.slice(2)].join(':'));
          return r.ok ? r.points : [];
        });
        return points.length > 0
          ? { ok: true, points }
          : { ok: false, message: 'No probes to attach' };
      }
      if (split.provider !== 'usdt' && /^(0x[0-9a-fA-F]+|\d+)$/.test(parts[last]!)) {
        // An address in the binary: checked when attaching, as bpftrace 0.17 does.
        const path = parts[1]!;
        if (!catalog.binaries.has(path))
          return {
            ok: false,
            message: `uprobe target file '${path}' does not exist or is not executable`,
          };
        const name = `${split.provider}:${path}:${parts[last]}`;
        return {
          ok: true,
          points: [{ provider: split.provider, name, target: path, func: parts[last]! }],
        };
      }
      return base.resolveAttachPoint(parts.join(':'));
    }
    return base.resolveAttachPoint(raw);
  };
  /** `-l` of user probes: the files the pattern (or -p) names, their functions and notes. */
  const listUserProbes = (pattern: string | undefined): string[] | undefined => {
    const parts = (pattern ?? '').split(':');
    const kindPattern = parts[0] ?? '';
    const alias = splitAttachPoint(`${kindPattern}:`)?.provider;
    const kinds = USER_KINDS.filter((k) =>
      alias !== undefined ? alias === k : globToRegExp(kindPattern || '*').test(k),
    );
    if (kinds.length === 0) return undefined;
    if (parts.length < 2 && pid === undefined) return undefined;
    const files = expandTarget(parts[1] ?? '*', cwd, pid);
    const rest = globToRegExp(parts.slice(2).join(':') || '*');
    const names: string[] = [];
    for (const kind of kinds)
      for (const file of files)
        for (const f of (kind === 'usdt' ? usdtNamesOf(file) : functionsOf(file)) ?? [])
          if (rest.test(f)) names.push(`${kind}:${file}:${f}`);
    return names;
  };
  const listProbes = (pattern?: string): string[] => {
    const user = listUserProbes(pattern);
    if (user === undefined) return base.listProbes(pattern);
    if (pattern === undefined || pattern === '' || pattern.startsWith('*'))
      return [
        ...base.listProbes(pattern).filter((n) => !/^(uprobe|uretprobe|usdt):/.test(n)),
        ...user,
      ];
    return user;
  };
  /** USDT points carry their sites' argument specification (codegen reads argN by it). */
  const withUsdtArguments = (result: AttachResult): AttachResult => {
    if (!result.ok) return result;
    const points = result.points.map((p) => {
      if (p.provider !== 'usdt') return p;
      const specs = new Set(
        (usdtProbes(hostPath(p.target, cwd, pid)) ?? [])
          .filter((u) => `${u.provider}:${u.name}` === p.func)
          .map((u) => u.args),
      );
      return specs.size === 1 ? { ...p, usdtArguments: [...specs][0]! } : p;
    });
    return { ok: true, points };
  };
  const host: ProbeHost = {
    ...base,
    resolveAttachPoint: (raw) => withUsdtArguments(resolveAttachPoint(raw)),
  };
  return { ...base, ...host, listProbes, catalog, symbols, tracefs } as LiveHost;
}
