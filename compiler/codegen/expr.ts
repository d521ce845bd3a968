// Expressions: integers in temporaries (or folded constants), everything else as bytes on
// the stack (see value.ts).

import type { Expression, Ternary, Tuple, TupleAccess } from '../../grammar/ast';
import { Reg } from '../isa/opcode';
import { sameType, sizeOf, tupleLayout } from '../types';
import { bothSigned, compareValues, genArithmetic, genCast, genUnary, isComparison } from './arith';
import { genFieldAccess, genIndex } from './access';
import { genBuiltinVariable, genCall } from './builtin_call';
import { branch } from './cond';
import { fail } from './errors';
import { isScalar } from './layout';
import { readMap } from './maps';
import type { ProbeGen } from './probe-gen';
import { genIncDec } from './assign';
import { latin1, stringConstant, stringSide, stringsEqual } from './strings';
import { tupleElement, writeValue } from './store';
import { constant, inMemory, inTemp, knownBytes, resized, type Value } from './value';
import { assignedIn } from './variables';
import { foldConstant } from './fold';

export function genExpr(g: ProbeGen, node: Expression): Value {
  const gen = (e: Expression) => genExpr(g, e);
  const folded = foldConstant(g, node);
  if (folded !== undefined) return constant(folded);
  switch (node.kind) {
    case 'IntegerLiteral':
      return constant(node.value);
    case 'BooleanLiteral':
      return constant(node.value ? 1n : 0n);
    case 'StringLiteral':
      return stringConstant(latin1(node.value), sizeOf(g.typeOf(node)));
    case 'PositionalParameter': {
      const known = g.constantOf(node);
      if (known !== undefined) return constant(known);
      const text = g.checked.options.params[node.index - 1] ?? '';
      return stringConstant(latin1(text), sizeOf(g.typeOf(node)));
    }
    case 'Sizeof':
      // A variable's storage is sized for its final (largest) type in the probe.
      if (node.operand.kind === 'Variable' && g.vars.has(node.operand.name))
        return constant(BigInt(sizeOf(g.vars.type(node.operand.name))));
      return compileTimeConstant(g, node);
    case 'PositionalCount':
    case 'Identifier':
    case 'Offsetof':
      return compileTimeConstant(g, node);
    case 'Builtin':
      return genBuiltinVariable(g, node);
    case 'Variable': {
      if (!g.vars.has(node.name))
        return fail(`Undefined or undeclared variable: ${node.name}`, node.range);
      return g.vars.read(node.name);
    }
    case 'MapAccess':
      return readMap(g, node, gen);
    case 'Call':
      return genCall(g, node, gen);
    case 'Binary':
      return genBinary(g, node, gen);
    case 'Unary':
      if (node.operator === '*' || node.operator === '&') return genFieldAccess(g, node, gen);
      return genUnary(g, node, gen);
    case 'Cast':
      return genCast(g, node, gen);
    case 'IncDec':
      return genIncDec(g, node, gen);
    case 'Ternary':
      return g.vars.pinned(assignedIn(node), () => genTernary(g, node, gen));
    case 'Tuple':
      return genTuple(g, node, gen);
    case 'TupleAccess':
      return genTupleAccess(g, node, gen);
    case 'FieldAccess':
      return genFieldAccess(g, node, gen);
    case 'Index':
      return genIndex(g, node, gen);
    case 'BlockExpression':
      for (const s of node.statements) g.statement(g, s);
      return node.value ? gen(node.value) : constant(0n);
    case 'RecordLiteral':
      return fail('records are not implemented yet', node.range);
  }
}

function compileTimeConstant(g: ProbeGen, node: Expression): Value {
  const known = g.constantOf(node);
  if (known === undefined) return fail(`cannot evaluate ${node.kind} at compile time`, node.range);
  return constant(known);
}

function genBinary(
  g: ProbeGen,
  node: Extract<Expression, { kind: 'Binary' }>,
  gen: (e: Expression) => Value,
): Value {
  const op = node.operator;
  if (op === '&&' || op === '||')
    return g.vars.pinned(assignedIn(node), () => genLogical(g, node, gen));
  return genOperator(g, node, gen);
}

function genLogical(
  g: ProbeGen,
  node: Extract<Expression, { kind: 'Binary' }>,
  gen: (e: Expression) => Value,
): Value {
  const temp = g.regs.alloc();
  // `||` is decided (true) by the first true side, `&&` (false) by the first false one.
  const shortCircuit = node.operator === '||';
  const decided = g.e.newLabel();
  branch(g, node.left, decided, shortCircuit, gen);
  branch(g, node.right, decided, shortCircuit, gen);
  return g.truthValue(temp, !shortCircuit, decided);
}

function genOperator(
  g: ProbeGen,
  node: Extract<Expression, { kind: 'Binary' }>,
  gen: (e: Expression) => Value,
): Value {
  const op = node.operator;
  const lt = g.typeOf(node.left);
  const rt = g.typeOf(node.right);
  if (isComparison(op)) {
    if (!isScalar(lt) || !isScalar(rt)) {
      if ((op !== '==' && op !== '!=') || lt.kind !== 'string' || rt.kind !== 'string')
        return fail(`comparison of ${lt.kind} values is not implemented yet`, node.range);
      const a = stringSide(node.left, gen);
      const b = stringSide(node.right, gen);
      const equal = stringsEqual(g, a, b, Math.min(lt.size, rt.size));
      return op === '==' ? equal : compareValues(g, '==', equal, constant(0n), false);
    }
    return compareValues(g, op, gen(node.left), gen(node.right), bothSigned(lt, rt));
  }
  return genArithmetic(g, node, gen);
}

function genTernary(g: ProbeGen, node: Ternary, gen: (e: Expression) => Value): Value {
  const type = g.typeOf(node);
  const known = foldConstant(g, node.condition);
  if (known !== undefined && !isScalar(type)) {
    // Only the taken arm is generated; strings are widened to the ternary's size.
    const arm = known !== 0n ? node.then : node.else;
    const value = gen(arm);
    if (value.kind === 'bytes') return knownBytes(resized(value.bytes, sizeOf(type)));
    if (sizeOf(g.typeOf(arm)) === sizeOf(type) && sameType(g.typeOf(arm), type)) return value;
    const offset = g.frame.alloc(sizeOf(type));
    writeValue(g, value, g.typeOf(arm), { base: Reg.R10, offset, type });
    return inMemory(offset);
  }
  const otherwise = g.e.newLabel();
  const done = g.e.newLabel();
  if (isScalar(type)) {
    const temp = g.regs.alloc();
    branch(g, node.condition, otherwise, false, gen);
    for (const [arm, last] of [
      [node.then, false],
      [node.else, true],
    ] as const) {
      const value = gen(arm);
      const out = g.regs.target(temp, Reg.R0);
      g.e.mov(out, g.reg(value, out));
      g.regs.write(temp, out);
      g.release(value);
      if (!last) {
        g.e.goto(done);
        g.e.bind(otherwise);
      }
    }
    g.e.bind(done);
    return inTemp(temp);
  }
  const offset = g.allocZeroed(sizeOf(type));
  branch(g, node.condition, otherwise, false, gen);
  for (const [arm, last] of [
    [node.then, false],
    [node.else, true],
  ] as const) {
    writeValue(g, gen(arm), g.typeOf(arm), { base: Reg.R10, offset, type, zeroed: true });
    if (!last) {
      g.e.goto(done);
      g.e.bind(otherwise);
    }
  }
  g.e.bind(done);
  return inMemory(offset);
}

function genTuple(g: ProbeGen, node: Tuple, gen: (e: Expression) => Value): Value {
  const type = g.typeOf(node);
  if (type.kind !== 'tuple') throw new Error('internal: tuple without tuple type');
  const layout = tupleLayout(type.elements);
  const values = node.elements.map((element) => gen(element));
  if (values.every((v) => v.kind === 'const' || v.kind === 'bytes')) {
    // Every element is known: so is the whole tuple.
    const bytes = new Uint8Array(layout.size);
    values.forEach((v, i) => {
      const size = sizeOf(type.elements[i]);
      if (v.kind === 'bytes') bytes.set(resized(v.bytes, size), layout.offsets[i]);
      else if (v.kind === 'const') {
        for (let b = 0; b < size; b++)
          bytes[layout.offsets[i] + b] = Number(
            (BigInt.asUintN(64, v.value) >> BigInt(8 * b)) & 0xffn,
          );
      }
    });
    return knownBytes(bytes);
  }
  const offset = g.allocZeroed(layout.size);
  node.elements.forEach((element, i) => {
    const value = values[i];
    const elementType = type.elements[i];
    writeValue(g, value, g.typeOf(element), {
      base: Reg.R10,
      offset: offset + layout.offsets[i],
      type: elementType,
      width: sizeOf(elementType),
      zeroed: true,
    });
    g.release(value);
  });
  return inMemory(offset);
}

function genTupleAccess(g: ProbeGen, node: TupleAccess, gen: (e: Expression) => Value): Value {
  const type = g.typeOf(node.tuple);
  if (type.kind !== 'tuple') return fail('tuple access on a non-tuple', node.range);
  return tupleElement(g, gen(node.tuple), type, node.index);
}
