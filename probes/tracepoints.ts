// The tracepoints an event source knows: the live tracefs when it is readable, else the
// bundled catalog (probes/catalog/tracepoints.json, made by scripts/gen-tracepoints.mjs).

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import bundle from './catalog/tracepoints.json';
import {
  formatFromRawFields,
  parseTracepointFormat,
  type ProbeTracepointFormat,
  type RawField,
} from './tracepoint_format';

export interface TracepointCatalog {
  /** `category:name` of every tracepoint, sorted. */
  names(): readonly string[];
  format(category: string, name: string): ProbeTracepointFormat | undefined;
  /** Where the formats come from: `tracefs:/sys/kernel/tracing` or `bundled`. */
  readonly origin: string;
}

interface Bundle {
  common: RawField[];
  events: Record<string, Record<string, [number, RawField[]]>>;
}

export const DEFAULT_TRACEFS = '/sys/kernel/tracing';

class BundledTracepoints implements TracepointCatalog {
  readonly origin = 'bundled';
  private readonly cache = new Map<string, ProbeTracepointFormat>();
  private sorted?: string[];
  constructor(private readonly data: Bundle) {}

  names(): readonly string[] {
    this.sorted ??= Object.entries(this.data.events)
      .flatMap(([cat, events]) => Object.keys(events).map((name) => `${cat}:${name}`))
      .sort();
    return this.sorted;
  }

  format(category: string, name: string): ProbeTracepointFormat | undefined {
    const key = `${category}:${name}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const entry = this.data.events[category]?.[name];
    if (!entry) return undefined;
    const format = formatFromRawFields(category, name, entry[0], [
      ...this.data.common,
      ...entry[1],
    ]);
    this.cache.set(key, format);
    return format;
  }
}

class LiveTracepoints implements TracepointCatalog {
  readonly origin: string;
  private readonly cache = new Map<string, ProbeTracepointFormat | null>();
  private sorted?: string[];
  constructor(private readonly root: string) {
    this.origin = `tracefs:${root}`;
  }

  names(): readonly string[] {
    if (this.sorted) return this.sorted;
    const events = join(this.root, 'events');
    const names: string[] = [];
    for (const cat of readdirSync(events, { withFileTypes: true })) {
      if (!cat.isDirectory()) continue;
      for (const ev of readdirSync(join(events, cat.name), { withFileTypes: true })) {
        if (ev.isDirectory()) names.push(`${cat.name}:${ev.name}`);
      }
    }
    this.sorted = names.sort();
    return this.sorted;
  }

  format(category: string, name: string): ProbeTracepointFormat | undefined {
    const key = `${category}:${name}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached ?? undefined;
    let format: ProbeTracepointFormat | null = null;
    if (!/[/\\]|\.\./.test(key)) {
      try {
        const text = readFileSync(join(this.root, 'events', category, name, 'format'), 'utf8');
        format = parseTracepointFormat(text, category, name);
      } catch {
        format = null;
      }
    }
    this.cache.set(key, format);
    return format ?? undefined;
  }
}

let bundled: TracepointCatalog | undefined;
export function bundledTracepoints(): TracepointCatalog {
  bundled ??= new BundledTracepoints(bundle as unknown as Bundle);
  return bundled;
}

export function liveTracepoints(root = DEFAULT_TRACEFS): TracepointCatalog | undefined {
  try {
    const probe = join(root, 'events', 'sched', 'sched_switch', 'format');
    if (!existsSync(probe)) return undefined;
    readFileSync(probe, 'utf8');
    return new LiveTracepoints(root);
  } catch {
    return undefined;
  }
}

/** Formats from the live tracefs when readable, so that a recorded live trace decodes the same;
 *  otherwise the bundle. Tracepoints missing from the live tree fall back to the bundle. */
export function defaultTracepoints(
  options: { live?: boolean; root?: string } = {},
): TracepointCatalog {
  const live = options.live === false ? undefined : liveTracepoints(options.root);
  if (!live) return bundledTracepoints();
  const fallback = bundledTracepoints();
  return {
    origin: live.origin,
    names: () => live.names(),
    format: (c, n) => live.format(c, n) ?? fallback.format(c, n),
  };
}

/** A catalog from format texts (e.g. carried in a trace header), falling back to `base`. */
export function tracepointsFromTexts(
  texts: Record<string, string>,
  base: TracepointCatalog,
): TracepointCatalog {
  const formats = new Map<string, ProbeTracepointFormat>();
  for (const [key, text] of Object.entries(texts)) {
    const [cat, name] = key.split(':');
    if (cat && name) formats.set(key, parseTracepointFormat(text, cat, name));
  }
  let sorted: string[] | undefined;
  return {
    origin: `${base.origin}+trace`,
    names: () => (sorted ??= [...new Set([...base.names(), ...formats.keys()])].sort()),
    format: (c, n) => formats.get(`${c}:${n}`) ?? base.format(c, n),
  };
}
