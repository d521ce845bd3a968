import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import {
  loadVectors,
  parseVector,
  runBpfConformanceSuite,
  runVector,
} from '../src/runtime/conformance';
import { verify, VerifierError } from '../src/runtime/verifier';
import { SHARED } from './shared';

const DIR = `${SHARED}/bpf-conformance/tests`;
const vectors = existsSync(DIR) ? loadVectors(DIR) : [];

describe.skipIf(vectors.length === 0)('bpf-conformance vectors', () => {
  for (const { name, text } of vectors) {
    it(name, () => {
      const outcome = runVector(parseVector(name, text));
      expect(outcome.message ?? 'ok').toBe('ok');
      expect(outcome.passed).toBe(true);
    });
  }

  it('the suite function reports every vector passing', () => {
    const result = runBpfConformanceSuite(DIR);
    expect(result.total).toBe(313);
    expect(result.failures).toEqual([]);
    expect(result.passed).toBe(313);
  });

  it('kernel mode rejects the out-of-range shift immediates that conformance mode allows', () => {
    const rejected: string[] = [];
    for (const { name, text } of vectors) {
      const v = parseVector(name, text);
      try {
        verify(v.insns, { mode: 'kernel', ctxSize: Math.max(v.memory.length, 8) });
      } catch (e) {
        if (e instanceof VerifierError && /invalid shift/.test(e.message)) rejected.push(name);
      }
    }
    expect(rejected.length).toBe(12);
    expect(rejected.every((n) => /(sh|arsh)\d+-imm-(high|neg)/.test(n))).toBe(true);
  });
});
