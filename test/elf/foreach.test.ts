// Objects with for loops over maps: the callbacks are static functions in `.text` whose
// addresses (`lddw src=4`) are relocated against `.text`, with FUNC BTF and func_info of
// their own; the object reads back to the same program, and libbpf and the kernel load it.

import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readObject, writeObject } from '../../compiler/elf';
import { programSymbolName } from '../../compiler/elf/naming';
import { compile } from '../codegen/compile';
import { kernelLoadUnavailable, run, toolUnavailable } from './tools';

const source = [
  'kprobe:vfs_read { @a[pid] = 1; $t = 0; for ($kv : @a) { $t = $t + $kv.1; } @t = $t; }',
  'kprobe:do_sys_openat2 { @b[pid, comm] = 2; for ($x : @b) { for ($y : @a) { @n = len(@a); } } }',
].join('\n');
const program = compile(source);
const object = writeObject(program);
const symbols = program.probes.map((p) => programSymbolName(p.index, p.attachPoints));

const work = mkdtempSync(join(tmpdir(), 'bpfscope-elf-foreach-'));
const objectPath = join(work, 'foreach.o');
writeFileSync(objectPath, object);
const pinDir = `/sys/fs/bpf/bpfscope_elf_foreach_${process.pid}`;

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(pinDir, { recursive: true, force: true });
});

describe('for-loop callbacks in the object', () => {
  it('has subprograms to place', () => {
    expect(program.probes.map((p) => p.subprograms?.length ?? 0)).toEqual([1, 3]);
  });
  it('round-trips through readObject to the same Program, byte for byte', () => {
    const { warnings: _w, ...expected } = program;
    const read = readObject(object, 'foreach.o');
    expect(read.probes).toEqual(expected.probes);
    expect(writeObject(read)).toEqual(object);
  });
});

const noObjdump = toolUnavailable('llvm-objdump-14');
describe.skipIf(noObjdump)(`llvm-objdump${noObjdump ? ` (skipped: ${noObjdump})` : ''}`, () => {
  it('shows the callbacks as local functions in .text, addressed through relocations', () => {
    const result = run('llvm-objdump-14', ['-d', '-r', '-t', objectPath]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Disassembly of section .text:');
    expect(result.stdout).toMatch(new RegExp(`l\\s+F \\.text\\s+[0-9a-f]+ ${symbols[0]}__cb0`));
    expect(result.stdout).toMatch(/ld_pseudo\s+r2, 4, \d+\n\s+[0-9a-f]+:\s+R_BPF_64_64\s+\.text/);
  });
});

const noKernel = kernelLoadUnavailable();
describe.skipIf(noKernel)(`kernel load${noKernel ? ` (skipped: ${noKernel})` : ''}`, () => {
  it('bpftool prog loadall accepts programs with for loops and len()', () => {
    const load = run('bpftool', ['-d', 'prog', 'loadall', objectPath, pinDir]);
    expect(load.stderr).not.toMatch(/BTF is optional, ignoring|failed to load|BTF loading error/);
    expect(load.status, load.stderr.slice(-3000)).toBe(0);
    expect(readdirSync(pinDir).sort()).toEqual([...symbols].sort());
    expect(load.stderr).toContain('bpf_for_each_map_elem');
  });
});
