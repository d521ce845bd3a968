#!/usr/bin/env node
// Regenerates probes/catalog/tracepoints.json from this machine's tracefs. The bundle keeps
// each tracepoint's id and non-common fields (print fmt lines are dropped; the common fields
// are stored once) for the categories the simulator and the docs use.
//   node scripts/gen-tracepoints.mjs [/sys/kernel/tracing] [out.json]
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const CATEGORIES = [
  'syscalls',
  'raw_syscalls',
  'sched',
  'block',
  'irq',
  'timer',
  'signal',
  'task',
  'net',
  'sock',
  'tcp',
  'udp',
  'skb',
  'kmem',
  'filemap',
  'writeback',
  'workqueue',
  'power',
  'module',
  'ext4',
];
const tracefs = process.argv[2] ?? '/sys/kernel/tracing';
const out =
  process.argv[3] ?? new URL('../probes/catalog/tracepoints.json', import.meta.url).pathname;
const FIELD = /^\s*field:(.*);\s*offset:(\d+);\s*size:(\d+);\s*signed:(\d+);/;

function parseFields(text) {
  const fields = [];
  for (const line of text.split('\n')) {
    const m = FIELD.exec(line);
    if (m) fields.push([m[1].trim(), Number(m[2]), Number(m[3]), Number(m[4])]);
  }
  return fields;
}

const events = join(tracefs, 'events');
const catalog = { source: `generated from ${tracefs}`, common: null, events: {} };
for (const category of CATEGORIES) {
  const dir = join(events, category);
  if (!existsSync(dir)) continue;
  const entries = {};
  for (const name of readdirSync(dir).sort()) {
    const formatPath = join(dir, name, 'format');
    if (!existsSync(formatPath)) continue;
    const text = readFileSync(formatPath, 'utf8');
    const id = Number(/^ID:\s*(\d+)/m.exec(text)?.[1] ?? 0);
    const fields = parseFields(text);
    const common = fields.filter((f) => f[0].split(/\s+/).pop().startsWith('common_'));
    catalog.common ??= common;
    entries[name] = [id, fields.filter((f) => !common.includes(f))];
  }
  catalog.events[category] = entries;
}
writeFileSync(out, JSON.stringify(catalog) + '\n');
console.log(`wrote ${out}`);
