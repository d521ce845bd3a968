// What can be attached on this machine, for the compiler's ProbeHost and for `-l --live`:
// the live tracefs, real binaries' ELF symbols (read on demand), kernel symbols, and the
// kernel features that decide whether kprobes and kfuncs can attach at all.

import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import type { AttachResult, ProbeHost } from '../../compiler/host';
import { LIBRARY_PATHS, splitAttachPoint } from '../../probes/attach';
import { createProbeHost, type ProbeListing } from '../../probes/host';
import type { ProbeCatalog } from '../../probes/source';
import { DEFAULT_TRACEFS, liveTracepoints } from '../../probes/tracepoints';
import { readElf } from './elf_symbols';
import { LiveSymbols } from './symbols';
import { usdtProbes } from './usdt';
import { LiveError } from './errors';

/** Binaries read on demand: `has` is true for a readable ELF file, `get` lists its functions. */
class LiveBinaries implements ReadonlyMap<string, readonly string[]> {
  constructor(
    private readonly cwd: string,
    private readonly list: (path: string) => readonly string[] | undefined,
  ) {}
  private readonly seen = new Map<string, readonly string[]>();

  private load(path: string): readonly string[] | undefined {
    if (!path.includes('/')) return undefined;
    const cached = this.seen.get(path);
    if (cached) return cached;
    const funcs = this.list(resolve(this.cwd, path));
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

export function createLiveHost(cwd: string, tracefs = DEFAULT_TRACEFS): LiveHost {
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
    binaries: new LiveBinaries(cwd, (p) => {
      const image = readElf(p);
      return image ? [...image.functions.keys()].sort() : undefined;
    }),
    usdt: new LiveBinaries(cwd, (p) => usdtProbes(p)?.map((u) => `${u.provider}:${u.name}`)),
  };
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
    if (split && ['uprobe', 'uretprobe', 'usdt'].includes(split.provider) && split.args[0]) {
      const parts = raw.trim().split(':');
      // A name without a slash is looked up in PATH (bpftrace then names the probe by the
      // full path); a relative path stays as written and is read relative to the cwd.
      const target = split.args[0];
      const found =
        !target.includes('/') && !LIBRARY_PATHS[target] ? whichBinary(target) : undefined;
      if (found) parts[1] = found;
      // "func" may be quoted.
      const last = parts.length - 1;
      parts[last] = parts[last]!.replace(/^"(.*)"((?:\+\w+)?)$/, '$1$2');
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
  const host: ProbeHost = { ...base, resolveAttachPoint };
  return { ...base, ...host, catalog, symbols, tracefs } as LiveHost;
}
