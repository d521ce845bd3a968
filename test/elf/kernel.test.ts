// The written object against the real tools: libbpf and the kernel verifier load it through
// `bpftool prog loadall`, line info reaches the kernel, llvm-objdump and readelf read it.

import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeObject } from '../../compiler/elf';
import { programSymbolName } from '../../compiler/elf/naming';
import { sampleProgram } from './fixture';
import { kernelLoadUnavailable, run, toolUnavailable } from './tools';

const work = mkdtempSync(join(tmpdir(), 'bpfscope-elf-'));
const objectPath = join(work, 'sample.o');
writeFileSync(objectPath, writeObject(sampleProgram()));
const symbols = sampleProgram().probes.map((p) => programSymbolName(p.index, p.attachPoints));
const pinDir = `/sys/fs/bpf/bpfscope_elf_test_${process.pid}`;

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(pinDir, { recursive: true, force: true });
});

const noKernel = kernelLoadUnavailable();
describe.skipIf(noKernel)(`kernel load${noKernel ? ` (skipped: ${noKernel})` : ''}`, () => {
  it('bpftool prog loadall accepts every program, with BTF and line info', () => {
    const load = run('bpftool', ['-d', 'prog', 'loadall', objectPath, pinDir]);
    expect(load.stderr).not.toMatch(/BTF is optional, ignoring|failed to load|BTF loading error/);
    expect(load.status, load.stderr.slice(-3000)).toBe(0);
    expect(readdirSync(pinDir).sort()).toEqual([...symbols].sort());

    const dump = run('bpftool', ['prog', 'dump', 'xlated', 'pinned', join(pinDir, symbols[0])]);
    expect(dump.status).toBe(0);
    expect(dump.stdout).toContain(`int ${symbols[0]}(void * ctx):`);
    expect(dump.stdout).toContain('; @opens[pid] = count();');
    expect(dump.stdout).toContain('; printf("%d\\n", pid);');
    expect(dump.stdout.indexOf('@opens[pid]')).toBeLessThan(dump.stdout.indexOf('printf('));

    // END is the second program in the `uprobe` section: its records are offset correctly.
    const end = run('bpftool', ['prog', 'dump', 'xlated', 'pinned', join(pinDir, symbols[4])]);
    expect(end.stdout).toContain(`int ${symbols[4]}(void * ctx):\n; END { }`);
  });
});

const noObjdump = toolUnavailable('llvm-objdump-14');
describe.skipIf(noObjdump)(`llvm-objdump${noObjdump ? ` (skipped: ${noObjdump})` : ''}`, () => {
  it('disassembles every program under its symbol, with the map relocations', () => {
    const result = run('llvm-objdump-14', ['-d', '-r', objectPath]);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    for (const symbol of symbols) expect(result.stdout).toContain(`<${symbol}>:`);
    expect(result.stdout).toContain('Disassembly of section perf_event:');
    expect(result.stdout).toMatch(/R_BPF_64_64\s+AT_opens/);
    expect(result.stdout).toMatch(/r2 = 0 ll\n\s+[0-9a-f]+:\s+R_BPF_64_64\s+events/);
  });
});

const noReadelf = toolUnavailable('llvm-readelf-14');
describe.skipIf(noReadelf)(`readelf${noReadelf ? ` (skipped: ${noReadelf})` : ''}`, () => {
  it('reads the headers, sections, symbols and relocations without warnings', () => {
    const result = run('llvm-readelf-14', ['-h', '-S', '-s', '-r', objectPath]);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/Type:\s+REL \(Relocatable file\)/);
    expect(result.stdout).toMatch(/Machine:\s+EM_BPF/);
    expect(result.stdout).toMatch(/OBJECT\s+GLOBAL\s+DEFAULT\s+\d+ AT_opens/);
    if (!toolUnavailable('readelf'))
      expect(run('readelf', ['-a', '-W', objectPath]).stderr).toBe('');
  });
});
