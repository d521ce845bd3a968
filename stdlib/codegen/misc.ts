// Integer, symbol, address, time and map builtins: bswap signal ksym usym kptr uptr delete
// has_key strftime pton macaddr cgroup_path.

import { endian } from '../../compiler/isa/build';
import { Helper } from '../../compiler/isa/helpers';
import { AluOp, JmpOp, Reg, Size } from '../../compiler/isa/opcode';
import type { MapDef } from '../../compiler/program';
import type { Aggregation, Type } from '../../compiler/types';
import { histIndex } from '../../compiler/codegen/aggregations';
import { bucketOffset, hasBucketKey, isKeylessCount } from '../../compiler/codegen/layout';
import type { ProbeGen } from '../../compiler/codegen/probe-gen';
import { intWidth, compareValues } from '../../compiler/codegen/arith';
import { fail } from '../../compiler/codegen/errors';
import { buildKey, deleteKey, lookup, scriptMap, update } from '../../compiler/codegen/maps';
import { constant, inMemory, inTemp, knownBytes } from '../../compiler/codegen/value';
import { readMemory } from '../../compiler/codegen/access';
import { userSymbol } from './context';
import { NOTHING, type FunctionGen } from '../../compiler/codegen/generator';

const bswap: FunctionGen = (g, node, gen) => {
  const width = intWidth(g.typeOf(node.args[0]));
  const value = gen(node.args[0]);
  if (width === 1) return value;
  if (value.kind === 'const') return constant(swapped(value.value, width, g.typeOf(node)));
  const temp = g.own(value);
  g.update(temp, (reg) => {
    g.e.emit(endian('be', reg, (width * 8) as 16 | 32 | 64));
    g.canonicalize(reg, g.typeOf(node));
  });
  return inTemp(temp);
};

/** The low `width` bytes of `value` in reverse order, canonical for `type`. */
function swapped(value: bigint, width: number, type: Type): bigint {
  let out = 0n;
  for (let i = 0; i < width; i++) out = (out << 8n) | ((value >> BigInt(8 * i)) & 0xffn);
  const signed = type.kind === 'int' && type.signed;
  return signed ? BigInt.asIntN(width * 8, out) : out;
}

const signal: FunctionGen = (g, node, gen) => {
  const value = gen(node.args[0]);
  g.loadInto(value, Reg.R1);
  g.release(value);
  g.e.call(Helper.send_signal);
  return NOTHING;
};

/** usym: `{u64 address; u64 pid}` so user space can find the process's symbols. */
const usym: FunctionGen = (g, node, gen) => userSymbol(g, gen(node.args[0]));

const identity: FunctionGen = (_g, node, gen) => gen(node.args[0]);

const deleteElement: FunctionGen = (g, node, gen) => {
  const map = node.args[0];
  if (map?.kind !== 'MapAccess') return fail('delete() expects a map element', node.range);
  const { def, info } = scriptMap(g, map.name);
  const key = buildKey(g, map, gen);
  if (isKeylessCount(info)) {
    // An array entry cannot be deleted: as in bpftrace 0.17, this CPU's count becomes 0.
    const zero = g.frame.alloc(8);
    g.e.storeImm(Size.DW, Reg.R10, zero, 0);
    update(g, def, key, zero);
  } else if (info.value.kind === 'aggregation' && hasBucketKey(info) && map.keys.length > 0) {
    deleteBuckets(g, def, key, bucketOffset(info), lastBucket(info.value.aggregation));
  } else {
    // A keyless hist/lhist deletes the key of 8 zero bytes, as any keyless map does; its key
    // being the bucket index, that is bucket 0 alone, exactly as in bpftrace 0.17.
    if (hasBucketKey(info)) g.storeInt(constant(0n), Reg.R10, key + bucketOffset(info), 8);
    deleteKey(g, def, key);
  }
  return NOTHING;
};

/** The highest bucket index of a hist/lhist (program.ts). */
function lastBucket(aggregation: Aggregation): number {
  if (aggregation.kind === 'lhist')
    return Number((aggregation.max - aggregation.min) / aggregation.step) + 1;
  return Number(histIndex((1n << 63n) - 1n));
}

/** Deletes a keyed hist/lhist entry: every bucket of its key, in a bounded loop (0.17 deletes
 *  one bucket, whichever its stack happened to hold). */
function deleteBuckets(
  g: ProbeGen,
  def: MapDef,
  key: number,
  bucketAt: number,
  last: number,
): void {
  const bucket = g.regs.alloc();
  const b = g.regs.target(bucket, Reg.R0);
  g.e.movConst(b, 0n);
  g.regs.write(bucket, b);
  const top = g.e.newLabel();
  g.e.bind(top);
  g.storeRegister(g.regs.read(bucket, Reg.R0), Reg.R10, key + bucketAt, 8);
  deleteKey(g, def, key);
  g.update(bucket, (reg) => {
    g.e.alu(AluOp.ADD, reg, { imm: 1 });
    g.e.jump(JmpOp.JLE, reg, { imm: last }, top);
  });
  g.regs.release(bucket);
}

/** cgroup_path(id [, filter]): `{u64 cgroup id; u64 0}`; user space finds the path. */
const cgroupPath: FunctionGen = (g, node, gen) => {
  const buffer = g.frame.alloc(16);
  const id = gen(node.args[0]);
  g.storeInt(id, Reg.R10, buffer, 8);
  g.release(id);
  g.e.storeImm(Size.DW, Reg.R10, buffer + 8, 0);
  return inMemory(buffer);
};

const hasKey: FunctionGen = (g, node, gen) => {
  const map = node.args[0];
  if (map?.kind !== 'MapAccess') return fail('has_key() expects a map', node.range);
  const { def } = scriptMap(g, map.name);
  const key = buildKey(g, { ...map, keys: node.args.slice(1) }, gen);
  lookup(g, def, key);
  const temp = g.regs.alloc();
  g.regs.write(temp, Reg.R0);
  return compareValues(g, '!=', inTemp(temp), constant(0n), false);
};

/** strftime(fmt, ns): `{u64 formatId (Program.timeFormats); u64 ns}`, formatted in user space. */
const strftime: FunctionGen = (g, node, gen) => {
  const format = node.args[0]?.kind === 'StringLiteral' ? node.args[0].value : undefined;
  if (format === undefined) return fail('strftime expects a string literal format', node.range);
  const buffer = g.frame.alloc(16);
  g.e.storeImm(Size.DW, Reg.R10, buffer, g.state.intern(g.state.timeFormats, format));
  const ns = gen(node.args[1]);
  g.storeInt(ns, Reg.R10, buffer + 8, 8);
  g.release(ns);
  return inMemory(buffer);
};

/** pton("addr"): the address bytes, known at compile time. */
const pton: FunctionGen = (_g, node) => {
  const text = node.args[0]?.kind === 'StringLiteral' ? node.args[0].value : undefined;
  const bytes = text === undefined ? undefined : parseAddress(text);
  if (!bytes) return fail(`pton: invalid address ${JSON.stringify(text ?? '')}`, node.range);
  return knownBytes(bytes);
};

function parseAddress(text: string): Uint8Array | undefined {
  if (!text.includes(':')) {
    const parts = text.split('.').map(Number);
    if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255))
      return undefined;
    return new Uint8Array(parts);
  }
  const [head, tail = ''] = text.split('::');
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const left = groups(head);
  const right = text.includes('::') ? groups(tail) : [];
  const missing = 8 - left.length - right.length;
  if (missing < 0 || (!text.includes('::') && missing !== 0)) return undefined;
  const all = [...left, ...Array<string>(missing).fill('0'), ...right];
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    const v = parseInt(all[i], 16);
    if (!/^[0-9a-fA-F]{1,4}$/.test(all[i]) || Number.isNaN(v)) return undefined;
    out[i * 2] = v >> 8;
    out[i * 2 + 1] = v & 0xff;
  }
  return out;
}

/** macaddr(p): the 6 bytes at a pointer or of an array. */
const macaddr: FunctionGen = (g, node, gen) => {
  const source = node.args[0];
  const type = g.typeOf(source);
  if (type.kind === 'array' || type.kind === 'string') {
    const buffer = g.allocZeroed(6);
    g.copy(Reg.R10, buffer, Reg.R10, g.materialize(gen(source)), 6);
    return inMemory(buffer);
  }
  return readMemory(g, gen(source), g.typeOf(node));
};

export const miscFunctions: Record<string, FunctionGen> = {
  bswap,
  signal,
  ksym: identity,
  usym,
  kptr: identity,
  uptr: identity,
  delete: deleteElement,
  has_key: hasKey,
  strftime,
  pton,
  macaddr,
  cgroup_path: cgroupPath,
};
