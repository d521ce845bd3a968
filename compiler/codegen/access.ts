// Reading through the context and through pointers: tracepoint `args->field` (the raw record
// in r1), struct fields, dereferences and array indexing (probe_read into the stack).

import type { Expression, FieldAccess, Index, Unary } from '../../grammar/ast';
import { Helper } from '../isa/helpers';
import { AluOp, Reg, Size } from '../isa/opcode';
import { sizeOf, type Type } from '../types';
import { arithmetic } from './arith';
import { fail, unsupported } from './errors';
import { isScalar } from './layout';
import type { ProbeGen } from './probe-gen';
import { CTX } from './regs';
import { constant, inMemory, inTemp, type Value } from './value';

type Gen = (e: Expression) => Value;

/** Whether pointers this probe sees point into user memory. */
export function userAddressSpace(g: ProbeGen): boolean {
  const point = g.points[0];
  if (!point) return false;
  if (point.provider === 'uprobe' || point.provider === 'uretprobe' || point.provider === 'usdt')
    return true;
  return point.provider === 'tracepoint' && point.target === 'syscalls';
}

/** probe_read_{user,kernel}(buf, size, address) into a fresh block; the address is consumed. */
export function readMemory(g: ProbeGen, address: Value, type: Type): Value {
  const size = Math.max(1, isScalar(type) ? scalarSize(type) : sizeOf(type));
  const buffer = g.frame.alloc(size);
  g.loadInto(address, Reg.R3);
  g.release(address);
  g.stackAddress(Reg.R1, buffer);
  g.e.movConst(Reg.R2, BigInt(size));
  g.e.call(userAddressSpace(g) ? Helper.probe_read_user : Helper.probe_read_kernel);
  if (isScalar(type)) return g.loadInt(Reg.R10, buffer, size, type.kind === 'int' && type.signed);
  return inMemory(buffer);
}

function scalarSize(type: Type): number {
  return type.kind === 'int' ? type.size : type.kind === 'bool' ? 1 : 8;
}

/** A value of `type` found at byte `offset` of memory value `base`. */
function fromMemory(g: ProbeGen, base: number, type: Type): Value {
  if (isScalar(type))
    return g.loadInt(Reg.R10, base, scalarSize(type), type.kind === 'int' && type.signed);
  return inMemory(base);
}

export function genFieldAccess(g: ProbeGen, node: FieldAccess | Unary, gen: Gen): Value {
  const type = g.typeOf(node);
  if (node.kind === 'Unary') {
    if (node.operator === '&') return unsupported('The address-of operator', node.range);
    return readMemory(g, gen(node.operand), type);
  }
  if (node.object.kind === 'Builtin' && node.object.name === 'args')
    return tracepointField(g, node, type);
  const objectType = g.typeOf(node.object);
  if (objectType.kind === 'pointer' && objectType.to.kind === 'record') {
    const field = objectType.to.fields.find((f) => f.name === node.field);
    if (!field)
      return fail(
        `Struct/union of type '${objectType.to.name}' does not contain a field named '${node.field}'`,
        node.range,
      );
    return readMemory(
      g,
      arithmetic(g, '+', gen(node.object), constant(BigInt(field.offset))),
      field.type,
    );
  }
  if (objectType.kind === 'record') {
    const field = objectType.fields.find((f) => f.name === node.field);
    if (!field) return fail(`cannot access field '${node.field}'`, node.range);
    return fromMemory(g, g.materialize(gen(node.object)) + field.offset, field.type);
  }
  return unsupported(`Field access on ${objectType.kind} values`, node.range);
}

function tracepointField(g: ProbeGen, node: FieldAccess, type: Type): Value {
  const point = g.points[0];
  if (!point || point.provider !== 'tracepoint')
    return unsupported(`args in ${point?.provider ?? 'this'} probes`, node.range);
  const format = g.checked.options.host.tracepointFormat(point.target, point.func);
  const field = format?.fields.find((f) => f.name === node.field);
  if (!field)
    return fail(`Can not access field '${node.field}' on tracepoint ${point.name}`, node.range);
  if (field.dataLoc) return dataLocAddress(g, field.offset);
  if (isScalar(type)) {
    const size = [1, 2, 4, 8].includes(field.size) ? field.size : 8;
    const value = g.loadInt(CTX, field.offset, size, field.signed);
    return value;
  }
  const buffer = g.frame.alloc(sizeOf(type));
  g.copy(Reg.R10, buffer, CTX, field.offset, Math.min(field.size, sizeOf(type)));
  return inMemory(buffer);
}

/** A `__data_loc` field reads, as in bpftrace 0.17, as the address of its data:
 *  ctx + (field & 0xffff), a 64-bit value (`str()` of it gives the string). */
function dataLocAddress(g: ProbeGen, offset: number): Value {
  const temp = g.regs.alloc();
  const reg = g.regs.target(temp, Reg.R5);
  g.e.load(Size.W, reg, CTX, offset);
  g.e.alu(AluOp.AND, reg, { imm: 0xffff });
  g.e.alu(AluOp.ADD, reg, { reg: CTX });
  g.regs.write(temp, reg);
  return inTemp(temp);
}

export function genIndex(g: ProbeGen, node: Index, gen: Gen): Value {
  const objectType = g.typeOf(node.object);
  const type = g.typeOf(node);
  if (objectType.kind === 'pointer') {
    const elementSize = BigInt(Math.max(1, sizeOf(objectType.to)));
    const address = arithmetic(
      g,
      '+',
      gen(node.object),
      arithmetic(g, '*', gen(node.index), constant(elementSize)),
    );
    return readMemory(g, address, type);
  }
  if (objectType.kind === 'array') {
    const index =
      g.constantOf(node.index) ??
      (node.index.kind === 'IntegerLiteral' ? node.index.value : undefined);
    if (index === undefined)
      return unsupported('Indexing an array with a non-constant index', node.index.range);
    if (index < 0n || index >= BigInt(objectType.length))
      return fail(
        `the index ${index} is out of bounds for array of size ${objectType.length}`,
        node.range,
      );
    return fromMemory(
      g,
      g.materialize(gen(node.object)) + Number(index) * sizeOf(objectType.element),
      objectType.element,
    );
  }
  return unsupported(`Indexing ${objectType.kind} values`, node.range);
}
