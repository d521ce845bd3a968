// Every accepted script of the conformance corpus, compiled by the real pipeline
// (parse → check → generate), written as an object, read back, and loaded into the kernel
// with `bpftool prog loadall`. Object-level problems (libbpf rejecting the file or its BTF)
// fail the test; verifier rejections are codegen's and are counted and logged to
// $TMPDIR/bpfscope-elf-load-report.txt (set BPFSCOPE_ELF_STRICT=1 to fail on them too).

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readObject, writeObject } from '../../compiler/elf';
import type { Program } from '../../compiler/program';
import { kernelLoadUnavailable, run } from './tools';
import { SHARED } from '../shared';

const CORPUS = `${SHARED}/conformance`;

type Compile = (
  source: string,
  name: string,
  args: string[],
  env: Record<string, string>,
) => Program | undefined;

/** The pipeline, if its modules exist yet (they are written in parallel with this one). */
async function loadPipeline(): Promise<{ compile: Compile } | { missing: string }> {
  try {
    const { compileSource } = await import('../../src/compile');
    const { createProbeHost } = await import('../../probes/host');
    const { bundledTracepoints } = await import('../../probes/tracepoints');
    const { KERNEL_FUNCTIONS, USDT_PROBES } = await import('../../probes/machine');
    const host = createProbeHost({
      catalog: {
        tracepoints: bundledTracepoints(),
        kernelFunctions: KERNEL_FUNCTIONS,
        binaries: new Map(),
        usdt: USDT_PROBES,
      },
    });
    const compile: Compile = (source, name, args, env) =>
      compileSource(source, {
        sourceName: `${name}.bt`,
        source,
        strlen: Number(env.BPFTRACE_STRLEN ?? 64),
        mapKeysMax: Number(env.BPFTRACE_MAP_KEYS_MAX ?? 4096),
        params: args,
        unsafe: false,
        host,
      }).program;
    return { compile };
  } catch (error) {
    return { missing: (error as Error).message.split('\n')[0] };
  }
}

const pipeline = await loadPipeline();
const corpusMissing = existsSync(join(CORPUS, 'cases')) ? undefined : `no corpus at ${CORPUS}`;
const { loadConformanceCases } = await import('../../src/conformance/cases');
const skip =
  corpusMissing ??
  ('missing' in pipeline ? `pipeline not available: ${pipeline.missing}` : undefined);

const work = mkdtempSync(join(tmpdir(), 'bpfscope-elf-corpus-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.skipIf(skip)(`conformance corpus as objects${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const cases = skip ? [] : loadConformanceCases(CORPUS).filter((c) => c.expectedStatus === 0);
  const compile = 'compile' in pipeline ? pipeline.compile : undefined;
  const programs = new Map<string, Program>();
  const notCompiled: string[] = [];

  it('round-trips every compiled program', () => {
    for (const c of cases) {
      let program: Program | undefined;
      try {
        program = compile!(
          readFileSync(join(c.dir, `${c.name}.bt`), 'utf8'),
          c.name,
          c.args,
          c.env,
        );
      } catch (error) {
        notCompiled.push(`${c.name}: ${(error as Error).message.split('\n')[0]}`);
        continue;
      }
      if (!program) {
        notCompiled.push(`${c.name}: compile errors`);
        continue;
      }
      programs.set(c.name, program);
      expect(readObject(writeObject(program), `${c.name}.o`), c.name).toEqual(program);
    }
    console.log(
      `objects: ${programs.size} of ${cases.length} accepted cases compiled` +
        (notCompiled.length ? `; not compiled: ${notCompiled.join('; ')}` : ''),
    );
  });

  const noKernel = kernelLoadUnavailable();
  it.skipIf(noKernel)(
    `loads every object into the kernel${noKernel ? ` (skipped: ${noKernel})` : ''}`,
    () => {
      const rejected: string[] = [];
      const report: string[] = [];
      for (const [name, program] of programs) {
        const path = join(work, `${name}.o`);
        writeFileSync(path, writeObject(program));
        const pinDir = `/sys/fs/bpf/bpfscope_corpus_${process.pid}_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
        const load = run('bpftool', ['-d', 'prog', 'loadall', path, pinDir]);
        rmSync(pinDir, { recursive: true, force: true });
        expect(load.stderr, `${name}: libbpf rejected the object or its BTF`).not.toMatch(
          /BTF is optional, ignoring|BTF loading error|invalid relo|failed to find|elf: .*(corrupted|invalid)|unknown field/,
        );
        if (load.status === 0) continue;
        rejected.push(name);
        const log = load.stderr.split('\n').filter((line) => !line.startsWith('libbpf: elf:'));
        report.push(`=== ${name}\n${program.source}\n--- verifier\n${log.slice(-40).join('\n')}\n`);
      }
      const reportPath = join(tmpdir(), 'bpfscope-elf-load-report.txt');
      writeFileSync(reportPath, report.join('\n'));
      console.log(
        `kernel load: ${programs.size - rejected.length} of ${programs.size} objects loaded` +
          (rejected.length
            ? `; rejected: ${rejected.join(', ')} (verifier logs in ${reportPath})`
            : ''),
      );
      if (process.env.BPFSCOPE_ELF_STRICT === '1') expect(rejected).toEqual([]);
    },
  );
});
