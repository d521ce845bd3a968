// `for ($kv : @m) { … }` and `len(@m)` through bpf_for_each_map_elem (helper 164), as newer
// bpftrace does. The loop body becomes a callback subprogram `long cb(map, key*, value*,
// ctx*)` appended after the program. It has its own stack frame, so the caller passes a
// pointer to a stack block holding the probe context; the scratch variables sit at fixed
// offsets from that block in the caller's frame. The callback declares the same variables
// (so they get the same offsets in its own frame), copies them in at entry and back out
// before each return.

import type { Block, Call, For, MapAccess } from '../../grammar/ast';
import { Helper } from '../isa/helpers';
import { Reg, Size } from '../isa/opcode';
import { sizeOf, tupleLayout, type Type } from '../types';
import { unsupported } from './errors';
import { isScalar, keyLayout } from './layout';
import { scriptMap } from './maps';
import type { ProbeGen } from './probe-gen';
import { CTX } from './regs';
import { writeValue } from './store';
import { inMemory, inTemp, type Value } from './value';
import { assignedIn } from './variables';

/** Values the callback returns to bpf_for_each_map_elem. */
const CONTINUE = 0n;
const STOP = 1n;

/** Generates a statement block; the caller (stmt.ts) hands it in, so this module does not
 *  import the statement generator that imports it. */
export type BlockGen = (g: ProbeGen, block: Block) => void;

export function genFor(g: ProbeGen, node: For, genBlock: BlockGen): void {
  const { def, info } = scriptMap(g, node.map.name);
  if (info.value.kind === 'aggregation')
    return unsupported(
      `for loops over ${info.value.aggregation.kind}() maps (per-CPU values)`,
      node.map.range,
    );
  // The callback reads every variable from the caller's slots and may assign them.
  g.vars.flush();
  const ctxBlock = g.frame.alloc(8);
  g.e.store(Size.DW, Reg.R10, ctxBlock, CTX);
  const { sub, index } = g.subprogram();
  genCallback(sub, node, genBlock, ctxBlock, def.keySize, def.valueSize, info.keyTypes);
  callForEach(g, node.map, index, ctxBlock);
  const assigned = assignedIn(node.body);
  assigned.add(node.variable.name);
  g.vars.merge(g.vars.snapshot(), assigned);
}

/** `len(@m)`: the number of entries, which bpf_for_each_map_elem returns when a callback
 *  that does nothing visits them all. */
export function genLen(g: ProbeGen, node: Call): Value {
  const map = node.args[0] as MapAccess;
  const { sub, index } = g.subprogram();
  sub.e.line = node.range.start.line;
  sub.e.movConst(Reg.R0, CONTINUE);
  sub.e.exit();
  callForEach(g, map, index, undefined);
  const temp = g.regs.alloc();
  g.regs.write(temp, Reg.R0);
  return inTemp(temp);
}

function callForEach(
  g: ProbeGen,
  map: MapAccess,
  subprogram: number,
  ctxBlock: number | undefined,
): void {
  g.e.loadMap(Reg.R1, g.state.map(map.name).id);
  g.e.loadFunc(Reg.R2, subprogram);
  if (ctxBlock === undefined) g.e.movConst(Reg.R3, 0n);
  else g.stackAddress(Reg.R3, ctxBlock);
  g.e.movConst(Reg.R4, 0n);
  g.e.call(Helper.for_each_map_elem);
}

function genCallback(
  sub: ProbeGen,
  node: For,
  genBlock: BlockGen,
  ctxBlock: number,
  keySize: number,
  valueSize: number,
  keyTypes: readonly Type[],
): void {
  const e = sub.e;
  e.line = node.range.start.line;
  for (const [name, type] of sub.probe.variables) sub.vars.declare(name, type);
  sub.vars.assumeStored();
  const variables = sub.vars.layout();
  const savedCtx = sub.frame.alloc(8);
  e.store(Size.DW, Reg.R10, savedCtx, Reg.R4);
  e.load(Size.DW, CTX, Reg.R4, 0);
  for (const v of variables) sub.copy(Reg.R10, v.offset, Reg.R4, v.offset - ctxBlock, v.size);

  // $kv = (key, value), from copies of the map's key and value on this frame.
  const key = sub.frame.alloc(keySize);
  sub.copy(Reg.R10, key, Reg.R2, 0, keySize);
  const value = sub.frame.alloc(valueSize);
  sub.copy(Reg.R10, value, Reg.R3, 0, valueSize);
  const pair = sub.typeOf(node.variable);
  if (pair.kind !== 'tuple') throw new Error('internal: for variable is not a pair');
  const [keyType, valueType] = pair.elements;
  const kv = variables.find((v) => v.name === node.variable.name)!;
  sub.zero(kv.offset, kv.size);
  const at = tupleLayout(pair.elements).offsets;
  const parts = keyTypes.length === 0 ? [keyType] : keyTypes;
  const partOffsets = keyTypes.length === 0 ? [0] : keyLayout(keyTypes).offsets;
  const partPlaces =
    keyTypes.length > 1 ? tupleLayout([...keyTypes]).offsets.map((o) => at[0] + o) : [at[0]];
  parts.forEach((type, i) => {
    write(sub, stored(sub, key + partOffsets[i], type), type, kv.offset + partPlaces[i]);
  });
  write(sub, stored(sub, value, valueType), valueType, kv.offset + at[1]);

  const stop = sub.returnLabel;
  const next = e.newLabel();
  const out = e.newLabel();
  sub.loops.push({ breakTo: stop, continueTo: next });
  sub.vars.pinned(assignedIn(node.body), () => genBlock(sub, node.body));
  sub.loops.pop();
  e.bind(next);
  e.movConst(Reg.R0, CONTINUE);
  e.goto(out);
  e.bind(stop);
  e.movConst(Reg.R0, STOP);
  e.bind(out);
  e.load(Size.DW, Reg.R4, Reg.R10, savedCtx);
  for (const v of variables) sub.copy(Reg.R4, v.offset - ctxBlock, Reg.R10, v.offset, v.size);
  e.exit();
}

/** A value of `type` stored (as a map key part or value lays it out) at r10+offset. */
function stored(g: ProbeGen, offset: number, type: Type): Value {
  return isScalar(type) ? g.loadInt(Reg.R10, offset, 8, false) : inMemory(offset);
}

function write(g: ProbeGen, value: Value, type: Type, offset: number): void {
  writeValue(g, value, type, {
    base: Reg.R10,
    offset,
    type,
    width: sizeOf(type),
    zeroed: true,
  });
  g.release(value);
}
