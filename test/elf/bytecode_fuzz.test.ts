// Bytecode mutations of .o files: whatever bytes a program section holds, running the object is
// a one-line error (or a normal run) — never a stack trace or an internal error.

import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeObject } from '../../compiler/elf';
import { compileSource } from '../../src/compile';
import { runCli } from '../../src/cli/run_cli';
import { memoryIo } from '../../src/cli/io';
import { createProbeHost } from '../../probes/host';
import { createSimulatedSource } from '../../probes/sim/source';

const SCRIPT =
  'tracepoint:syscalls:sys_enter_openat { @[comm] = count(); @s[pid] = sum(args->flags); printf("%s\\n", str(args->filename)); }';

function objectBytes(): { object: Uint8Array; code: number; codeLength: number } {
  const host = createProbeHost(createSimulatedSource());
  const result = compileSource(SCRIPT, {
    sourceName: 'stdin',
    source: SCRIPT,
    strlen: 64,
    mapKeysMax: 4096,
    params: [],
    unsafe: false,
    host,
  });
  const object = writeObject(result.program!);
  const section = sectionNamed(object, 'tracepoint/syscalls/sys_enter_openat');
  return { object, code: section.offset, codeLength: section.size };
}

/** Where a section's bytes are in an ELF64 little-endian file. */
function sectionNamed(file: Uint8Array, name: string): { offset: number; size: number } {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const shoff = Number(view.getBigUint64(0x28, true));
  const entSize = view.getUint16(0x3a, true);
  const count = view.getUint16(0x3c, true);
  const strIndex = view.getUint16(0x3e, true);
  const header = (i: number) => shoff + i * entSize;
  const names = Number(view.getBigUint64(header(strIndex) + 0x18, true));
  for (let i = 0; i < count; i++) {
    const at = names + view.getUint32(header(i), true);
    const end = file.indexOf(0, at);
    if (Buffer.from(file.subarray(at, end)).toString('latin1') === name)
      return {
        offset: Number(view.getBigUint64(header(i) + 0x18, true)),
        size: Number(view.getBigUint64(header(i) + 0x20, true)),
      };
  }
  throw new Error(`no section ${name}`);
}

describe('damaged bytecode in a .o', () => {
  const { object, code, codeLength } = objectBytes();
  const dir = mkdtempSync(join(tmpdir(), 'bpfscope-bytecode-'));

  it('a register set to r11 is a located one-line error, exit 1', async () => {
    const file = object.slice();
    file[code + 8 + 1] = (file[code + 8 + 1]! & 0xf0) | 11;
    writeFileSync(join(dir, 'r11.o'), file);
    const io = memoryIo({ cwd: dir });
    expect(await runCli(['r11.o'], io)).toBe(1);
    expect(io.stderr()).toBe(
      'ERROR: r11.o: program 0 (tracepoint:syscalls:sys_enter_openat): instruction 1: invalid register r11\n',
    );
  });

  it('any mutation of the instructions runs or fails with one line, status 0 or 1', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(codeLength - 1), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 4,
        }),
        async (edits) => {
          const file = object.slice();
          for (const [at, value] of edits) file[code + at] = value;
          writeFileSync(join(dir, 'm.o'), file);
          const io = memoryIo({ cwd: dir });
          const status = await runCli(['--duration', '20ms', 'm.o'], io);
          expect([0, 1]).toContain(status);
          if (status === 1) expect(io.stderr()).toMatch(/^[^\n]*ERROR[^\n]*\n$/);
        },
      ),
      { numRuns: 150 },
    );
  });
});
