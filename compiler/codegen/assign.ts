// Assignments to scratch variables and maps, compound assignments and ++/--. A map entry
// that does not exist yet reads as zero, so `@x++` and `@x += n` start from 0.

import type {
  ArithmeticOperator,
  AssignMap,
  AssignVariable,
  CompoundAssign,
  Expression,
  IncDec,
  MapAccess,
  Variable,
} from '../../grammar/ast';
import { Reg } from '../isa/opcode';
import type { Type } from '../types';
import { genAggregation } from './aggregations';
import { arithmetic } from './arith';
import { fail } from './errors';
import { isScalar } from './layout';
import { buildKey, readValueAt, scriptMap, storeValue } from './maps';
import type { ProbeGen } from './probe-gen';
import { constant, inTemp, type Value } from './value';

type Gen = (e: Expression) => Value;

export function genAssignVariable(
  g: ProbeGen,
  node: AssignVariable | { variable: Variable; value: Expression },
  gen: Gen,
): void {
  const value = gen(node.value);
  storeVariable(g, node.variable, value, g.typeOf(node.value));
  g.release(value);
}

function storeVariable(g: ProbeGen, variable: Variable, value: Value, from: Type): void {
  if (!g.vars.has(variable.name))
    return fail(`Undefined or undeclared variable: ${variable.name}`, variable.range);
  g.vars.assign(variable.name, value, from);
}

export function genAssignMap(g: ProbeGen, node: AssignMap, gen: Gen): void {
  const { def, info } = scriptMap(g, node.map.name);
  if (info.value.kind === 'aggregation') {
    if (node.value.kind !== 'Call')
      return fail(`${node.map.name} holds an aggregation`, node.value.range);
    return genAggregation(g, node.map, node.value, gen);
  }
  const value = gen(node.value);
  const key = buildKey(g, node.map, gen);
  storeValue(g, def, key, value, g.typeOf(node.value));
  g.release(value);
}

/** Reads, combines and writes back; returns [old, new] (each owned by the caller). */
function readModifyWrite(
  g: ProbeGen,
  target: MapAccess | Variable,
  combine: (old: Value) => Value,
  keepOld: boolean,
  gen: Gen,
): { old?: Value; result: Value } {
  if (target.kind === 'Variable') {
    if (!g.vars.has(target.name))
      return fail(`Undefined or undeclared variable: ${target.name}`, target.range);
    const type = g.vars.type(target.name);
    if (!isScalar(type)) return fail(`arithmetic on a non-integer variable`, target.range);
    const old = g.vars.read(target.name);
    const kept = keepOld ? copyOf(g, old) : undefined;
    const result = combine(old);
    g.vars.assign(target.name, result, type);
    return { old: kept, result };
  }
  const { def, info } = scriptMap(g, target.name);
  if (info.value.kind !== 'value' || !isScalar(info.value.type))
    return fail(`arithmetic on a non-integer map value`, target.range);
  const key = buildKey(g, target, gen);
  const old = readValueAt(g, def, key, info.value.type);
  const kept = keepOld ? copyOf(g, old) : undefined;
  const result = combine(old);
  storeValue(g, def, key, result, info.value.type);
  return { old: kept, result };
}

function copyOf(g: ProbeGen, value: Value): Value {
  if (value.kind !== 'temp') return value;
  const temp = g.regs.alloc();
  const out = g.regs.target(temp, Reg.R0);
  g.e.mov(out, g.regs.read(value.temp, out));
  g.regs.write(temp, out);
  return inTemp(temp);
}

export function genCompoundAssign(g: ProbeGen, node: CompoundAssign, gen: Gen): void {
  const { result } = readModifyWrite(
    g,
    node.target,
    (old) => arithmetic(g, node.operator as ArithmeticOperator, old, gen(node.value)),
    false,
    gen,
  );
  g.release(result);
}

export function genIncDec(g: ProbeGen, node: IncDec, gen: Gen): Value {
  const step = constant(node.operator === '++' ? 1n : -1n);
  const { old, result } = readModifyWrite(
    g,
    node.target,
    (value) => arithmetic(g, '+', value, step),
    !node.prefix,
    gen,
  );
  if (node.prefix) return result;
  g.release(result);
  return old!;
}
