// The two executors side by side: every corpus script (../shared/conformance, compiled through
// the real pipeline) runs over the simulated workload on the interpreter and on the JIT in
// lock step, and each invocation must give the same return value, the same records and the
// same error; at the end every map must hold the same entries.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProbeHost } from '../../probes/host';
import { createSimulatedSource } from '../../probes/sim/source';
import type { Event } from '../../probes/event';
import { compileSource } from '../../src/compile';
import { attachProbes, selfEvent } from '../../src/run';
import { Runtime, type Executor } from '../../src/runtime/index';
import { SHARED } from '../shared';

const CORPUS = `${SHARED}/conformance`;
/** Events per script: enough for every probe of a short script to fire many times. */
const MAX_EVENTS = 1500;

function corpusScripts(): { name: string; source: string; params: string[] }[] {
  const cases = join(CORPUS, 'cases');
  return readdirSync(cases)
    .filter((f) => f.endsWith('.bt'))
    .map((f) => f.slice(0, -3))
    .filter(
      (name) => readFileSync(join(CORPUS, 'expected', `${name}.status`), 'utf8').trim() === '0',
    )
    .map((name) => {
      const argsFile = join(cases, `${name}.args`);
      const params = existsSync(argsFile)
        ? readFileSync(argsFile, 'utf8')
            .trim()
            .split(/\s+/)
            .filter((a) => a !== '--')
        : [];
      return { name, source: readFileSync(join(cases, `${name}.bt`), 'utf8'), params };
    });
}

type Outcome =
  { r0: bigint; records: string[]; printk: number } | { error: string; records: string[] };

function invoke(rt: Runtime, probeIndex: number, event: Event): Outcome {
  try {
    const r0 = rt.run(probeIndex, event);
    const records = rt.takeRecords().map((r) => Buffer.from(r).toString('hex'));
    return { r0, records, printk: rt.printk.length };
  } catch (e) {
    return {
      error: String(e),
      records: rt.takeRecords().map((r) => Buffer.from(r).toString('hex')),
    };
  }
}

/** Runs `source` on both executors in lock step; returns how many invocations compared. */
function lockstep(source: string, params: string[]): number {
  const sim = createSimulatedSource({ durationNs: 300_000_000n });
  const host = createProbeHost(sim);
  const compiled = compileSource(source, {
    sourceName: 'case.bt',
    source,
    strlen: 64,
    mapKeysMax: 4096,
    params,
    unsafe: true,
    host,
  });
  if (!compiled.program) throw new Error(compiled.diagnostics.map((d) => d.message).join('\n'));
  const program = compiled.program;
  const attached = attachProbes(program, host);
  const executors: Executor[] = ['interpreter', 'jit'];
  const [reference, jit] = executors.map(
    (executor) => new Runtime(program, { ncpus: sim.ncpus, executor }),
  ) as [Runtime, Runtime];
  let compared = 0;
  const step = (probeIndex: number, event: Event) => {
    const expected = invoke(reference, probeIndex, event);
    const actual = invoke(jit, probeIndex, event);
    expect(actual, `probe ${probeIndex} on ${event.probe}`).toEqual(expected);
    if ('r0' in expected) expect(jit.lastInstructionCount).toBe(reference.lastInstructionCount);
    compared++;
  };
  const special = (provider: 'BEGIN' | 'END', ts: bigint) => {
    for (const a of attached)
      if (a.point.provider === provider) step(a.probeIndex, selfEvent(provider, ts));
  };
  special('BEGIN', sim.startNs);
  const byName = new Map<string, number[]>();
  for (const a of attached) {
    if (a.point.provider === 'BEGIN' || a.point.provider === 'END') continue;
    byName.set(a.point.name, [...(byName.get(a.point.name) ?? []), a.probeIndex]);
  }
  if (byName.size > 0) {
    let events = 0;
    for (const event of sim.events({ probes: attached.map((a) => a.point) })) {
      for (const probeIndex of byName.get(event.probe) ?? []) step(probeIndex, event);
      if (++events >= MAX_EVENTS) break;
    }
  }
  special('END', sim.endNs);
  for (const map of program.maps) {
    const entries = (rt: Runtime) =>
      rt.mapEntries(map.id).map((e) => ({
        key: Buffer.from(e.key).toString('hex'),
        values: e.values.map((v) => Buffer.from(v).toString('hex')),
      }));
    expect(entries(jit), `map ${map.name}`).toEqual(entries(reference));
  }
  expect(jit.printk).toEqual(reference.printk);
  return compared;
}

describe.skipIf(!existsSync(CORPUS))(
  'interpreter and JIT agree on the corpus (skipped when ../shared/conformance is missing)',
  () => {
    for (const c of existsSync(CORPUS) ? corpusScripts() : []) {
      it(c.name, () => {
        expect(lockstep(c.source, c.params)).toBeGreaterThan(0);
      });
    }
  },
);
