// Structural check over the conformance corpus: every script that bpftrace ran successfully
// compiles, and every generated program passes the runtime's (kernel-like) verifier.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decode } from '../../compiler/isa/encode';
import { HELPER_SPECS } from '../../src/runtime/helpers';
import { contextSize } from '../../src/runtime/index';
import { verify } from '../../src/runtime/verifier';
import { compile } from './compile';
import { SHARED } from '../shared';

const CORPUS = `${SHARED}/conformance`;

function successfulCases(): { name: string; source: string; params: string[] }[] {
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

describe.skipIf(!existsSync(CORPUS))(
  'conformance corpus (skipped when ../shared/conformance is missing)',
  () => {
    for (const c of existsSync(CORPUS) ? successfulCases() : []) {
      it(`${c.name} compiles and verifies`, () => {
        const program = compile(c.source, { params: c.params });
        expect(program.probes.length).toBeGreaterThan(0);
        for (const probe of program.probes) {
          verify(decode(probe.bytecode), {
            ctxSize: contextSize(probe),
            maps: program.maps,
            helpers: HELPER_SPECS,
          });
          expect(probe.lines).toHaveLength(probe.bytecode.length / 8);
          expect(probe.stackSize).toBeLessThanOrEqual(512);
        }
      });
    }
  },
);
