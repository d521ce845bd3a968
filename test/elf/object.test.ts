// writeObject/readObject without the kernel: round trip, determinism, the ELF structure
// libbpf relies on, and failures on bad input (including fuzzing).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ObjectFileError, readObject, writeObject } from '../../compiler/elf';
import { EM_BPF } from '../../compiler/elf/elfFormat';
import { LDDW } from '../../compiler/isa/opcode';
import type { Program } from '../../compiler/program';
import { sampleProgram } from './fixture';

const object = writeObject(sampleProgram());

/** Minimal independent ELF walk for assertions: section names, headers and data. */
function sections(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shoff = Number(view.getBigUint64(40, true));
  const shnum = view.getUint16(60, true);
  const shstrndx = view.getUint16(62, true);
  const header = (i: number) => {
    const at = shoff + i * 64;
    return {
      nameOffset: view.getUint32(at, true),
      type: view.getUint32(at + 4, true),
      offset: Number(view.getBigUint64(at + 24, true)),
      size: Number(view.getBigUint64(at + 32, true)),
      link: view.getUint32(at + 40, true),
      info: view.getUint32(at + 44, true),
    };
  };
  const names = header(shstrndx);
  const nameAt = (offset: number) => {
    const start = names.offset + offset;
    return new TextDecoder().decode(bytes.subarray(start, bytes.indexOf(0, start)));
  };
  return Array.from({ length: shnum }, (_, i) => {
    const h = header(i);
    return {
      ...h,
      index: i,
      name: nameAt(h.nameOffset),
      data: bytes.subarray(h.offset, h.offset + h.size),
    };
  });
}

function expectObjectFileError(run: () => unknown, pattern?: RegExp): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ObjectFileError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    if (pattern) expect(message).toMatch(pattern);
    return;
  }
  throw new Error('expected an ObjectFileError');
}

describe('writeObject', () => {
  it('round-trips through readObject to the same Program', () => {
    expect(readObject(object, 'sample.o')).toEqual(sampleProgram());
  });

  it('is deterministic, also after a round trip', () => {
    expect(writeObject(sampleProgram())).toEqual(object);
    expect(writeObject(readObject(object, 'sample.o'))).toEqual(object);
  });

  it('writes an ELF64 little-endian relocatable for EM_BPF', () => {
    expect([...object.subarray(0, 6)]).toEqual([0x7f, 0x45, 0x4c, 0x46, 2, 1]);
    const view = new DataView(object.buffer);
    expect(view.getUint16(16, true)).toBe(1);
    expect(view.getUint16(18, true)).toBe(EM_BPF);
  });

  it('names program sections by libbpf conventions, one per distinct name', () => {
    const names = sections(object).map((s) => s.name);
    expect(names).toEqual([
      '',
      '.strtab',
      'tracepoint/syscalls/sys_enter_openat',
      '.reltracepoint/syscalls/sys_enter_openat',
      'uprobe',
      '.reluprobe',
      'perf_event',
      '.relperf_event',
      'kprobe/vfs_read',
      'license',
      '.maps',
      '.bpfscope',
      '.BTF',
      '.BTF.ext',
      '.symtab',
    ]);
    const license = sections(object).find((s) => s.name === 'license')!;
    expect(new TextDecoder().decode(license.data)).toBe('GPL\0');
  });

  it('writes map references as `r = 0 ll` with an R_BPF_64_64 relocation to the map symbol', () => {
    const all = sections(object);
    const program = sampleProgram();
    const symtab = all.find((s) => s.name === '.symtab')!;
    const symView = new DataView(
      symtab.data.buffer,
      symtab.data.byteOffset,
      symtab.data.byteLength,
    );
    const strtab = all[symtab.link];
    const symbolName = (i: number) => {
      const start = strtab.offset + symView.getUint32(i * 24, true);
      return new TextDecoder().decode(object.subarray(start, object.indexOf(0, start)));
    };
    let count = 0;
    for (const rel of all.filter((s) => s.name.startsWith('.rel'))) {
      const target = all[rel.info];
      const view = new DataView(rel.data.buffer, rel.data.byteOffset, rel.data.byteLength);
      for (let at = 0; at < rel.data.length; at += 16) {
        const offset = Number(view.getBigUint64(at, true));
        expect(view.getUint32(at + 8, true)).toBe(1);
        const insn = target.data.subarray(offset, offset + 16);
        expect(insn[0]).toBe(LDDW);
        expect(insn[1] >> 4).toBe(0);
        expect([...insn.subarray(4, 8)]).toEqual([0, 0, 0, 0]);
        expect(symbolName(view.getUint32(at + 12, true))).toMatch(/^(AT_opens|AT_|events)$/);
        count++;
      }
    }
    const references = program.probes.flatMap((p) =>
      [...p.bytecode].filter(
        (byte, i) => i % 8 === 0 && byte === LDDW && p.bytecode[i + 1] >> 4 === 1,
      ),
    ).length;
    expect(count).toBe(references);
  });

  it('keeps the script map names and the whole program in .bpfscope', () => {
    const metadata = sections(object).find((s) => s.name === '.bpfscope')!;
    const json = JSON.parse(new TextDecoder().decode(metadata.data));
    expect(json.mapSymbols).toEqual([
      'AT_opens',
      'events',
      'AT_',
      'AT_lat',
      'AT_lin',
      'AT_least',
      'AT_pair',
      'kstack',
    ]);
    expect(json.program.maps.map((m: { name: string }) => m.name)).toContain('@opens');
    expect(json.program.maps[4].script.value.aggregation.max).toEqual({ $bigint: '100' });
  });

  it('writes a program with no maps and a program with a single probe', () => {
    const program: Program = {
      ...sampleProgram(),
      maps: [],
      probes: [sampleProgram().probes[3]],
      mapNames: [],
    };
    expect(readObject(writeObject(program), 'x.o')).toEqual(program);
  });

  it('refuses bytecode it cannot express', () => {
    const program = sampleProgram();
    const bad = program.probes[0].bytecode.slice();
    bad[32 + 4] = 99; // the first map reference now names map 99
    expect(() =>
      writeObject({ ...program, probes: [{ ...program.probes[0], bytecode: bad }] }),
    ).toThrow(/unknown map 99/);
  });
});

describe('readObject on bad input', () => {
  it('rejects a file that is not ELF', () => {
    expectObjectFileError(
      () => readObject(new TextEncoder().encode('BEGIN { exit(); }\n'.repeat(8)), 'x.o'),
      /^x\.o: not an ELF file/,
    );
    expectObjectFileError(() => readObject(new Uint8Array(0), 'x.o'), /only 0 bytes/);
  });

  it('rejects an ELF file for another machine', () => {
    const other = object.slice();
    other[18] = 62; // EM_X86_64
    expectObjectFileError(() => readObject(other, 'x.o'), /not an eBPF object \(e_machine 62/);
  });

  it('rejects an object without the bpfscope section', () => {
    const renamed = object.slice();
    const at = Buffer.from(renamed).indexOf('.bpfscope\0');
    renamed[at + 1] = 'x'.charCodeAt(0);
    expectObjectFileError(() => readObject(renamed, 'x.o'), /no \.bpfscope section/);
  });

  it('rejects section headers past the end of the file', () => {
    const bad = object.slice();
    new DataView(bad.buffer).setBigUint64(40, BigInt(object.length), true);
    expectObjectFileError(() => readObject(bad, 'x.o'), /section headers .* past the end/);
  });

  it('rejects a truncated file', () => {
    expectObjectFileError(() => readObject(object.subarray(0, object.length - 100), 'x.o'));
  });

  it('rejects a program symbol that points outside its section', () => {
    const bad = object.slice();
    const symtab = sections(bad).find((s) => s.name === '.symtab')!;
    new DataView(bad.buffer).setBigUint64(symtab.offset + 24 + 16, 1n << 20n, true); // size of symbol 1
    expectObjectFileError(() => readObject(bad, 'x.o'), /run past its section/);
  });

  it('rejects damaged metadata', () => {
    const bad = object.slice();
    const metadata = sections(bad).find((s) => s.name === '.bpfscope')!;
    bad[metadata.offset] = '['.charCodeAt(0);
    expectObjectFileError(() => readObject(bad, 'x.o'), /\.bpfscope section: is not valid JSON/);
  });

  it('never fails any other way on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), (bytes) => {
        expectObjectFileError(() => readObject(bytes, 'r.o'));
      }),
      { numRuns: 300 },
    );
  });

  it('never fails any other way on random bytes behind a valid ELF header', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 64, maxLength: 4096 }), (bytes) => {
        const file = bytes.slice();
        file.set(object.subarray(0, 40));
        expectObjectFileError(() => readObject(file, 'r.o'));
      }),
      { numRuns: 300 },
    );
  });

  it('never fails any other way on truncations of a valid object', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: object.length - 1 }), (length) => {
        expectObjectFileError(() => readObject(object.subarray(0, length), 't.o'));
      }),
      { numRuns: 300 },
    );
  });

  it('either reads or rejects a valid object with corrupted bytes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(object.length - 1), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        (edits) => {
          const file = object.slice();
          for (const [at, value] of edits) file[at] = value;
          try {
            readObject(file, 'c.o');
          } catch (error) {
            expect(error).toBeInstanceOf(ObjectFileError);
            expect((error as Error).message).not.toContain('\n');
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
