// Test helper: compile a script and run its probes in the runtime with synthetic events,
// decoding printf records through their descriptors and map entries through program.ts's
// layouts.

import { Runtime } from '../../src/runtime/index';
import type { Event } from '../../probes/event';
import { RecordKind } from '../../compiler/program';
import type { GeneratedProgram } from '../../compiler/codegen/index';
import type { Type } from '../../compiler/types';
import type { CompileOptions } from '../../compiler/host';
import { compile } from './compile';

export interface Decoded {
  kind: RecordKind;
  id: bigint;
  /** printf/cat/system arguments decoded by their descriptor; other records' raw u64s. */
  args: (bigint | string)[];
  bytes: Uint8Array;
}

export function event(probe: string, overrides: Partial<Event> = {}): Event {
  return {
    probe,
    ts: 1_000_000n,
    cpu: 0,
    pid: 42,
    tid: 43,
    uid: 1000,
    gid: 100,
    comm: 'tester',
    ctx: new Uint8Array(168),
    memory: [],
    ...overrides,
  };
}

export function u64(bytes: Uint8Array, offset: number): bigint {
  return new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(offset, true);
}
export function i64(bytes: Uint8Array, offset: number): bigint {
  return new DataView(bytes.buffer, bytes.byteOffset).getBigInt64(offset, true);
}

export function decodeValue(bytes: Uint8Array, offset: number, type: Type): bigint | string {
  if (type.kind === 'string') {
    let s = '';
    for (let i = offset; i < offset + type.size && bytes[i] !== 0; i++)
      s += String.fromCharCode(bytes[i]);
    return s;
  }
  if (type.kind === 'int' && type.size === 8)
    return type.signed ? i64(bytes, offset) : u64(bytes, offset);
  return u64(bytes, offset);
}

export function decodeRecord(program: GeneratedProgram, bytes: Uint8Array): Decoded {
  const kind = Number(u64(bytes, 0)) as RecordKind;
  const id = u64(bytes, 8);
  let args: (bigint | string)[] = [];
  if (kind === RecordKind.Printf) {
    args = program.printfs[Number(id)].args.map((a) => decodeValue(bytes, a.offset, a.type));
  } else if (kind === RecordKind.PrintValue) {
    const d = program.printValues[Number(id)];
    args = [decodeValue(bytes, d.offset, d.type)];
  } else {
    for (let at = 16; at + 8 <= bytes.length; at += 8) args.push(u64(bytes, at));
  }
  return { kind, id, args, bytes };
}

export interface Run {
  program: GeneratedProgram;
  runtime: Runtime;
  records: Decoded[];
  /** printf records' arguments, one array per call. */
  printed: (bigint | string)[][];
  /** Runs another probe (by attach point name) and appends its records. */
  fire(probe: string, overrides?: Partial<Event>): bigint;
  /** Values of a script map: key bytes (hex) → per-CPU value bytes of CPU 0. */
  map(name: string): Map<string, Uint8Array>;
}

/** Compiles `source` and fires BEGIN (when the script has it). */
export function run(source: string, options: Partial<CompileOptions> = {}): Run {
  const program = compile(source, options);
  const runtime = new Runtime(program);
  const records: Decoded[] = [];
  const result: Run = {
    program,
    runtime,
    records,
    get printed() {
      return records.filter((r) => r.kind === RecordKind.Printf).map((r) => r.args);
    },
    fire(probe, overrides = {}) {
      let r0 = 0n;
      program.probes.forEach((p, i) => {
        if (p.attachPoints.includes(probe)) r0 = runtime.run(i, event(probe, overrides));
      });
      for (const bytes of runtime.takeRecords()) records.push(decodeRecord(program, bytes));
      return r0;
    },
    map(name) {
      const def = program.maps.find((m) => m.name === name);
      if (!def) throw new Error(`no map ${name}`);
      const out = new Map<string, Uint8Array>();
      for (const entry of runtime.mapEntries(def.id))
        out.set(Buffer.from(entry.key).toString('hex'), entry.values[0]);
      return out;
    },
  };
  if (program.probes.some((p) => p.attachPoints.includes('BEGIN'))) result.fire('BEGIN');
  return result;
}

/** The u64 little-endian hex of a key part. */
export function keyHex(...parts: bigint[]): string {
  const bytes = new Uint8Array(parts.length * 8);
  const view = new DataView(bytes.buffer);
  parts.forEach((p, i) => view.setBigUint64(i * 8, BigInt.asUintN(64, p), true));
  return Buffer.from(bytes).toString('hex');
}
