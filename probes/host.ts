// The ProbeHost the compiler asks (compiler/host.ts), backed by an event source's catalog,
// plus the `-l` / `-lv` listings.

import type { AttachResult, ProbeHost } from '../compiler/host';
import {
  globToRegExp,
  HARDWARE_EVENTS,
  hasWildcard,
  ITERATORS,
  resolveAttachPoint,
  SOFTWARE_EVENTS,
  splitAttachPoint,
} from './attach';
import type { SymbolTable } from './event';
import type { ProbeCatalog } from './source';
import type { ProbeTracepointFormat } from './tracepoint_format';

export interface ProbeListing extends ProbeHost {
  tracepointFormat(category: string, name: string): ProbeTracepointFormat | undefined;
  /** Probe names for `bpftrace -l [pattern]`, one per entry, in listing order. */
  listProbes(pattern?: string): string[];
  /** `bpftrace -lv [pattern]` text lines: each tracepoint followed by its non-common fields. */
  listProbesVerbose(pattern?: string): string[];
}

export function createProbeHost(source: {
  catalog: ProbeCatalog;
  symbols?: SymbolTable;
}): ProbeListing {
  const catalog = source.catalog;
  const allNames = (): string[] => [
    ...catalog.tracepoints.names().map((n) => `tracepoint:${n}`),
    ...catalog.kernelFunctions.map((f) => `kprobe:${f}`),
    ...catalog.kernelFunctions.map((f) => `kfunc:${f}`),
    ...[...catalog.binaries].flatMap(([path, funcs]) => funcs.map((f) => `uprobe:${path}:${f}`)),
    ...[...catalog.usdt].flatMap(([path, probes]) => probes.map((p) => `usdt:${path}:${p}`)),
    ...SOFTWARE_EVENTS.map((e) => `software:${e.name}:`),
    ...HARDWARE_EVENTS.map((e) => `hardware:${e.name}:`),
    ...ITERATORS.map((i) => `iter:${i}`),
  ];

  const listProbes = (pattern?: string): string[] => {
    if (pattern === undefined || pattern === '') return allNames();
    if (!pattern.includes(':')) {
      // No provider: a wildcard pattern matches the name (last part) of kernel probes, as in
      // 0.17 (which also printed `hardware:PATTERN:` and `software:PATTERN:` lines — not here).
      if (!hasWildcard(pattern)) return [];
      const re = globToRegExp(pattern);
      return allNames().filter(
        (n) => /^(tracepoint|kprobe|kfunc):/.test(n) && re.test(n.slice(n.lastIndexOf(':') + 1)),
      );
    }
    const full = expandListPattern(pattern);
    const re = globToRegExp(full);
    return allNames().filter((n) => re.test(n));
  };

  const tracepointFormat = (category: string, name: string) =>
    catalog.tracepoints.format(category, name);

  return {
    resolveAttachPoint: (raw: string): AttachResult => resolveAttachPoint(raw, catalog),
    tracepointFormat,
    symbolAddress: (name, kernel) => source.symbols?.address?.(name, kernel),
    listProbes,
    listProbesVerbose(pattern?: string): string[] {
      const lines: string[] = [];
      for (const name of listProbes(pattern)) {
        lines.push(name);
        if (!name.startsWith('tracepoint:')) continue;
        const [, cat, tp] = name.split(':') as [string, string, string];
        for (const field of tracepointFormat(cat, tp)?.fields ?? []) {
          if (!field.name.startsWith('common_')) lines.push(`    ${field.declaration}`);
        }
      }
      return lines;
    },
  };
}

/** `-l` patterns may use an alias (`t:sched:*`) or leave out the provider (`sched:*` lists
 *  nothing in 0.17 either, so only aliases are rewritten). */
function expandListPattern(pattern: string): string {
  const split = splitAttachPoint(pattern);
  if (!split) return pattern;
  return [split.provider, ...split.args].join(':');
}
