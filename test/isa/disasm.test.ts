import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { disassemble, objdumpListing } from '../../compiler/isa/disasm';
import { encode } from '../../compiler/isa/encode';
import * as b from '../../compiler/isa/build';
import { AluOp, AtomicOp, ATOMIC_FETCH, JmpOp, Size } from '../../compiler/isa/opcode';
import { arbInstruction } from './arbitrary';

function hasTool(name: string): boolean {
  try {
    execFileSync(name, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const haveLlvm = hasTool('llvm-objdump-14') && hasTool('llvm-mc-14');
const haveClang = haveLlvm && hasTool('clang-14') && hasTool('llvm-objcopy-14');

/** Assembles raw bytes into x.o (one `.text` function `f`) and returns llvm-objdump-14 -d. */
function llvmListing(bytes: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'bpfscope-disasm-'));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let src = '\t.text\n\t.globl f\nf:\n';
  for (let i = 0; i < bytes.length; i += 8)
    src += `\t.quad 0x${view.getBigUint64(i, true).toString(16)}\n`;
  writeFileSync(join(dir, 'x.s'), src);
  execFileSync('llvm-mc-14', ['-triple', 'bpfel', '-filetype=obj', 'x.s', '-o', 'x.o'], {
    cwd: dir,
  });
  return execFileSync('llvm-objdump-14', ['-d', 'x.o'], { cwd: dir, encoding: 'utf8' });
}

const ours = (bytes: Uint8Array) =>
  objdumpListing(bytes, {
    fileName: 'x.o',
    sectionName: '.text',
    symbols: [{ name: 'f', offset: 0 }],
  });

describe('disassembler', () => {
  it('prints the golden listing', () => {
    const bytes = encode([
      b.mov64Imm(0, 0),
      b.ldxMem(Size.W, 2, 1, 0),
      b.jmpImm(JmpOp.JGT, 1, 2, 3),
      b.alu32Imm(AluOp.ADD, 1, -5),
      b.lddw(1, 0x1122334455667788n),
      b.ldMapFd(1, 3),
      b.atomic(Size.DW, AtomicOp.ADD | ATOMIC_FETCH, 10, 1, -8),
      b.endian('be', 3, 32),
      b.stxMem(Size.H, 10, 4, -2),
      b.call(14),
      b.ja(-2),
      b.exit(),
    ]);
    expect(disassemble(bytes, { symbols: [{ name: 'prog', offset: 0 }] })).toBe(
      [
        '0000000000000000 <prog>:',
        '       0:\tb7 00 00 00 00 00 00 00\tr0 = 0',
        '       1:\t61 12 00 00 00 00 00 00\tr2 = *(u32 *)(r1 + 0)',
        '       2:\t25 01 03 00 02 00 00 00\tif r1 > 2 goto +3 <prog+0x30>',
        '       3:\t04 01 00 00 fb ff ff ff\tw1 += -5',
        '       4:\t18 01 00 00 88 77 66 55 00 00 00 00 44 33 22 11\tr1 = 1234605616436508552 ll',
        '       6:\t18 11 00 00 03 00 00 00 00 00 00 00 00 00 00 00\tld_pseudo\tr1, 1, 3',
        '       8:\tdb 1a f8 ff 01 00 00 00\tr1 = atomic_fetch_add((u64 *)(r10 - 8), r1)',
        '       9:\tdc 03 00 00 20 00 00 00\tr3 = be32 r3',
        '      10:\t6b 4a fe ff 00 00 00 00\t*(u16 *)(r10 - 2) = r4',
        '      11:\t85 00 00 00 0e 00 00 00\tcall 14',
        '      12:\t05 00 fe ff 00 00 00 00\tgoto -2 <prog+0x58>',
        '      13:\t95 00 00 00 00 00 00 00\texit',
        '',
      ].join('\n'),
    );
  });

  it.skipIf(!haveLlvm)('matches llvm-objdump-14 on random valid instructions', () => {
    const insns = fc.sample(arbInstruction, { numRuns: 2000, seed: 42 });
    const bytes = encode(insns);
    expect(ours(bytes)).toBe(llvmListing(bytes));
  });

  it.skipIf(!haveLlvm)('matches llvm-objdump-14 on random bytes', () => {
    const bytes = fc.sample(fc.uint8Array({ minLength: 8, maxLength: 8 }), {
      numRuns: 3000,
      seed: 7,
    });
    const all = new Uint8Array(bytes.length * 8);
    bytes.forEach((s, i) => all.set(s, i * 8));
    expect(ours(all)).toBe(llvmListing(all));
  });

  it.skipIf(!haveLlvm)('matches llvm-objdump-14 on every opcode with typical fields', () => {
    const slots: number[][] = [];
    for (let op = 0; op < 256; op++)
      for (const [regs, off, imm] of [
        [0x21, 0, 0],
        [0x01, -8, 16],
        [0xa1, 3, 0x41],
        [0x1a, 0, 0xf1],
      ] as const)
        slots.push([op, regs, off & 0xff, (off >> 8) & 0xff, imm & 0xff, 0, 0, 0]);
    const bytes = new Uint8Array(slots.flat());
    expect(ours(bytes)).toBe(llvmListing(bytes));
  });

  it.skipIf(!haveClang)(
    'matches llvm-objdump-14 on a clang-compiled object with LBB labels',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'bpfscope-clang-'));
      writeFileSync(
        join(dir, 'c.c'),
        'int f(int *p){ int s=0; for(int i=0;i<*p;i++){ if (p[i] > 2) s+=p[i]*3; } return s; }\n',
      );
      execFileSync('clang-14', ['-O2', '-target', 'bpf', '-c', 'c.c', '-o', 'c.o'], { cwd: dir });
      execFileSync('llvm-objcopy-14', ['-O', 'binary', '--only-section=.text', 'c.o', 'c.bin'], {
        cwd: dir,
      });
      const symbols = execFileSync('llvm-objdump-14', ['-t', 'c.o'], { cwd: dir, encoding: 'utf8' })
        .split('\n')
        .map((l) => /^([0-9a-f]{16}) .*\.text\t[0-9a-f]+ (\S+)$/.exec(l))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => ({ name: m[2]!, offset: parseInt(m[1]!, 16) }));
      const bytes = new Uint8Array(readFileSync(join(dir, 'c.bin')));
      const expected = execFileSync('llvm-objdump-14', ['-d', 'c.o'], {
        cwd: dir,
        encoding: 'utf8',
      });
      expect(objdumpListing(bytes, { fileName: 'c.o', sectionName: '.text', symbols })).toBe(
        expected,
      );
    },
  );
});
