// Script map access: keys built on the stack as program.ts lays them out, lookups with a
// null check (a missing entry reads as zero), updates and deletes.

import type { Expression, MapAccess } from '../../grammar/ast';
import { Helper } from '../isa/helpers';
import { JmpOp, Reg, Size } from '../isa/opcode';
import type { MapDef, ScriptMapInfo } from '../program';
import { sameType, type Type } from '../types';
import { bucketOffset, hasBucketKey, isKeylessCount, isScalar, keyLayout } from './layout';
import type { ProbeGen } from './probe-gen';
import { writeValue } from './store';
import { inMemory, type Value } from './value';

export type ExprGen = (node: Expression) => Value;

export function scriptMap(g: ProbeGen, name: string): { def: MapDef; info: ScriptMapInfo } {
  const def = g.state.map(name);
  if (!def.script) throw new Error(`internal: ${name} is not a script map`);
  return { def, info: def.script };
}

/** Builds the key of `@m[keys]` on the stack and returns its offset. A hist/lhist key has
 *  room for the bucket index at bucketOffset (the MapDef's keySize). */
export function buildKey(g: ProbeGen, node: MapAccess, gen: ExprGen): number {
  const { def, info } = scriptMap(g, node.name);
  if (isKeylessCount(info)) {
    const offset = g.frame.alloc(4);
    g.zero(offset, 4);
    return offset;
  }
  const layout = keyLayout(info.keyTypes);
  if (node.keys.length === 1 && !hasBucketKey(info) && !isScalar(info.keyTypes[0])) {
    // A key that is one value already on the stack in the key's layout is used in place.
    const value = gen(node.keys[0]);
    if (value.kind === 'mem' && sameType(g.typeOf(node.keys[0]), info.keyTypes[0]))
      return value.offset;
    const from = g.typeOf(node.keys[0]);
    const offset = g.frame.alloc(def.keySize);
    // A tuple written element by element leaves its padding: zero it first.
    const relaid = info.keyTypes[0].kind === 'tuple' && !sameType(from, info.keyTypes[0]);
    if (relaid) g.zero(offset, def.keySize);
    writeValue(g, value, from, { base: Reg.R10, offset, type: info.keyTypes[0], zeroed: relaid });
    g.release(value);
    return offset;
  }
  const offset = g.frame.alloc(def.keySize);
  // A keyless key is zero, except a keyless hist's (the bucket, written by the caller).
  const partsSize = hasBucketKey(info) ? bucketOffset(info) : layout.size;
  const needsZero = info.keyTypes.length === 0 || info.keyTypes.some((t) => !isScalar(t));
  if (needsZero && partsSize > 0) g.zero(offset, partsSize);
  node.keys.forEach((key, i) => {
    const value = gen(key);
    writeValue(g, value, g.typeOf(key), {
      base: Reg.R10,
      offset: offset + layout.offsets[i],
      type: info.keyTypes[i],
      zeroed: true,
    });
    g.release(value);
  });
  return offset;
}

/** r0 = bpf_map_lookup_elem(map, r10+key). */
export function lookup(g: ProbeGen, def: MapDef, keyOffset: number): void {
  g.e.loadMap(Reg.R1, def.id);
  g.stackAddress(Reg.R2, keyOffset);
  g.e.call(Helper.map_lookup_elem);
}

/** bpf_map_update_elem(map, r10+key, r10+value, BPF_ANY). */
export function update(g: ProbeGen, def: MapDef, keyOffset: number, valueOffset: number): void {
  g.e.loadMap(Reg.R1, def.id);
  g.stackAddress(Reg.R2, keyOffset);
  g.stackAddress(Reg.R3, valueOffset);
  g.e.movConst(Reg.R4, 0n);
  g.e.call(Helper.map_update_elem);
}

/** The value of `@m[keys]`, or zero / an empty string when the key is missing. */
export function readMap(g: ProbeGen, node: MapAccess, gen: ExprGen): Value {
  const { def, info } = scriptMap(g, node.name);
  const type: Type =
    info.value.kind === 'value' ? info.value.type : { kind: 'int', size: 8, signed: true };
  const keyOffset = buildKey(g, node, gen);
  return readValueAt(g, def, keyOffset, type);
}

export function readValueAt(g: ProbeGen, def: MapDef, keyOffset: number, type: Type): Value {
  if (isScalar(type)) {
    const temp = g.regs.alloc();
    const out = g.regs.target(temp, Reg.R1);
    lookup(g, def, keyOffset);
    const done = g.e.newLabel();
    g.e.movConst(out, 0n);
    g.e.jump(JmpOp.JEQ, Reg.R0, { imm: 0 }, done);
    g.e.load(Size.DW, out, Reg.R0, 0);
    g.e.bind(done);
    g.regs.write(temp, out);
    return { kind: 'temp', temp };
  }
  const offset = g.allocZeroed(def.valueSize);
  lookup(g, def, keyOffset);
  const done = g.e.newLabel();
  g.e.jump(JmpOp.JEQ, Reg.R0, { imm: 0 }, done);
  g.copy(Reg.R10, offset, Reg.R0, 0, def.valueSize);
  g.e.bind(done);
  return inMemory(offset);
}

/** Stores `value` (of type `from`) as the value of the entry at r10+key. */
export function storeValue(
  g: ProbeGen,
  def: MapDef,
  keyOffset: number,
  value: Value,
  from: Type,
): void {
  const info = def.script!;
  const type: Type =
    info.value.kind === 'value' ? info.value.type : { kind: 'int', size: 8, signed: true };
  let valueOffset: number;
  if (value.kind === 'mem' && sameType(from, type)) {
    valueOffset = value.offset;
  } else {
    valueOffset = g.frame.alloc(def.valueSize);
    if (!isScalar(type)) g.zero(valueOffset, def.valueSize);
    writeValue(g, value, from, { base: Reg.R10, offset: valueOffset, type, zeroed: true });
  }
  update(g, def, keyOffset, valueOffset);
}

export function deleteKey(g: ProbeGen, def: MapDef, keyOffset: number): void {
  g.e.loadMap(Reg.R1, def.id);
  g.stackAddress(Reg.R2, keyOffset);
  g.e.call(Helper.map_delete_elem);
}
