// String and byte builtins: str, strncmp, strcontains, buf, strerror, ntop.

import type { Expression } from '../../grammar/ast';
import { Helper } from '../../compiler/isa/helpers';
import { AluOp, JmpOp, Reg, Size } from '../../compiler/isa/opcode';
import { sizeOf } from '../../compiler/types';
import { userAddressSpace } from '../../compiler/codegen/access';
import { fail, unsupported } from '../../compiler/codegen/errors';
import type { ProbeGen } from '../../compiler/codegen/probe-gen';
import { latin1, stringConstant, stringSide, stringsEqual } from '../../compiler/codegen/strings';
import { writeValue } from '../../compiler/codegen/store';
import { compareValues } from '../../compiler/codegen/arith';
import { constant, inMemory, knownBytes } from '../../compiler/codegen/value';
import type { FunctionGen } from '../../compiler/codegen/generator';

function literalInteger(g: ProbeGen, arg: Expression): bigint | undefined {
  return g.constantOf(arg) ?? (arg.kind === 'IntegerLiteral' ? arg.value : undefined);
}

/** `str($N)`, `str($N + k)`: the parameter's text, known at compile time. */
function positionalText(g: ProbeGen, arg: Expression): string | undefined {
  if (arg.kind === 'PositionalParameter') return g.checked.options.params[arg.index - 1] ?? '';
  if (arg.kind === 'Binary' && arg.operator === '+' && arg.left.kind === 'PositionalParameter') {
    const skip = literalInteger(g, arg.right);
    if (skip === undefined) return undefined;
    return (g.checked.options.params[arg.left.index - 1] ?? '').slice(Number(skip));
  }
  return undefined;
}

const str: FunctionGen = (g, node, gen) => {
  const size = sizeOf(g.typeOf(node));
  const [source, length] = node.args;
  const text = positionalText(g, source);
  const limit = length ? literalInteger(g, length) : undefined;
  if (text !== undefined) {
    const chars = Math.min(
      text.length,
      size - 1,
      limit === undefined ? Infinity : Math.max(0, Number(limit)),
    );
    return stringConstant(latin1(text.slice(0, chars)), size);
  }
  const address = gen(source);
  const lengthValue = length && limit === undefined ? gen(length) : undefined;
  const buffer = g.allocZeroed(size);
  const addressTemp = g.own(address);
  if (lengthValue) {
    // size = min(n + 1, strlen), bounded for the verifier
    g.loadInto(lengthValue, Reg.R2);
    g.release(lengthValue);
    g.e.alu(AluOp.ADD, Reg.R2, { imm: 1 });
    const ok = g.e.newLabel();
    g.e.jump(JmpOp.JLE, Reg.R2, { imm: size }, ok);
    g.e.movConst(Reg.R2, BigInt(size));
    g.e.bind(ok);
  } else {
    const bytes = limit === undefined ? size : Math.max(1, Math.min(size, Number(limit) + 1));
    g.e.movConst(Reg.R2, BigInt(bytes));
  }
  g.e.mov(Reg.R3, g.regs.read(addressTemp, Reg.R3));
  g.regs.release(addressTemp);
  g.stackAddress(Reg.R1, buffer);
  g.e.call(userAddressSpace(g) ? Helper.probe_read_user_str : Helper.probe_read_kernel_str);
  return inMemory(buffer);
};

const strncmp: FunctionGen = (g, node, gen) => {
  const [a, b, n] = node.args;
  const limit = literalInteger(g, n);
  if (limit === undefined) return fail('strncmp expects a integer literal', n.range);
  const sizes = [g.typeOf(a), g.typeOf(b)].map((t) => (t.kind === 'string' ? t.size : Infinity));
  const count = Math.max(0, Math.min(Number(limit), ...sizes));
  const equal = stringsEqual(g, stringSide(a, gen), stringSide(b, gen), count);
  return compareValues(g, '==', equal, constant(0n), false);
};

/** strcontains(haystack, needle): 1 when the needle (up to its NUL) occurs in the haystack
 *  (up to its NUL); an empty needle is always found. Two bounded loops over the stack copies:
 *  cursors advance one byte at a time, so every access has a known offset. */
const strcontains: FunctionGen = (g, node, gen) => {
  const [hayNode, needleNode] = node.args;
  const haySize = sizeOf(g.typeOf(hayNode));
  const needleSize = sizeOf(g.typeOf(needleNode));
  const hay = gen(hayNode);
  const needle = gen(needleNode);
  if (hay.kind === 'bytes' && needle.kind === 'bytes') {
    const text = (b: Uint8Array) =>
      String.fromCharCode(...b.subarray(0, b.indexOf(0) < 0 ? b.length : b.indexOf(0)));
    return constant(text(hay.bytes).includes(text(needle.bytes)) ? 1n : 0n);
  }
  const hayAt = g.materialize(hay);
  const needleAt = g.materialize(needle);
  const left = g.frame.alloc(8); // haystack bytes from the current start on
  const { e } = g;
  const [outer, inner, next, found, missing] = [0, 0, 0, 0, 0].map(() => e.newLabel());
  e.storeImm(Size.DW, Reg.R10, left, haySize);
  g.stackAddress(Reg.R1, hayAt);
  e.bind(outer);
  g.stackAddress(Reg.R2, needleAt);
  e.mov(Reg.R4, Reg.R1);
  e.load(Size.DW, Reg.R5, Reg.R10, left);
  const bounded = e.newLabel();
  e.jump(JmpOp.JLE, Reg.R5, { imm: needleSize }, bounded);
  e.movConst(Reg.R5, BigInt(needleSize));
  e.bind(bounded);
  e.bind(inner);
  e.load(Size.B, Reg.R3, Reg.R2, 0);
  e.jump(JmpOp.JEQ, Reg.R3, { imm: 0 }, found);
  e.load(Size.B, Reg.R0, Reg.R4, 0);
  e.jump(JmpOp.JNE, Reg.R0, { reg: Reg.R3 }, next);
  e.alu(AluOp.ADD, Reg.R2, { imm: 1 });
  e.alu(AluOp.ADD, Reg.R4, { imm: 1 });
  e.alu(AluOp.SUB, Reg.R5, { imm: 1 });
  e.jump(JmpOp.JNE, Reg.R5, { imm: 0 }, inner);
  e.goto(found); // the whole needle buffer matched
  e.bind(next);
  // Forget the inner cursors: then the states reaching `outer` from every mismatch are the
  // same, and a verifier without liveness analysis does not explore each one.
  e.movConst(Reg.R2, 0n);
  e.movConst(Reg.R4, 0n);
  e.load(Size.B, Reg.R0, Reg.R1, 0);
  e.jump(JmpOp.JEQ, Reg.R0, { imm: 0 }, missing); // the haystack ended
  e.alu(AluOp.ADD, Reg.R1, { imm: 1 });
  e.load(Size.DW, Reg.R5, Reg.R10, left);
  e.alu(AluOp.SUB, Reg.R5, { imm: 1 });
  e.store(Size.DW, Reg.R10, left, Reg.R5);
  e.jump(JmpOp.JNE, Reg.R5, { imm: 0 }, outer);
  e.bind(missing);
  const result = g.truthValue(g.regs.alloc(), false, found);
  // Forget the cursors and the count as well: states after the search then differ only in
  // the result, and the verifier explores the rest of the program twice, not once per
  // place the search ended.
  for (const r of [Reg.R0, Reg.R1, Reg.R2, Reg.R3, Reg.R4, Reg.R5]) e.movConst(r, 0n);
  e.storeImm(Size.DW, Reg.R10, left, 0);
  return result;
};

/** buf(data, n): `[u8 length][bytes…]` of at most the type's size. */
const buf: FunctionGen = (g, node, gen) => {
  const type = g.typeOf(node);
  if (type.kind !== 'buffer') return fail('buf() without a buffer type', node.range);
  const [source, length] = node.args;
  const sourceType = g.typeOf(source);
  const n = length ? literalInteger(g, length) : undefined;
  if (length && n === undefined)
    return unsupported('buf() with a length that is not a literal', length.range);
  const count = Math.min(type.size, n === undefined ? type.size : Number(n));
  const value = gen(source);
  if (value.kind === 'bytes') {
    const known = new Uint8Array(sizeOf(type));
    known[0] = count;
    known.set(value.bytes.subarray(0, Math.min(count, sizeOf(sourceType))), 1);
    return knownBytes(known);
  }
  const buffer = g.allocZeroed(sizeOf(type));
  g.e.storeImm(Size.B, Reg.R10, buffer, count);
  if (value.kind === 'mem') {
    g.copy(Reg.R10, buffer + 1, Reg.R10, g.materialize(value), Math.min(count, sizeOf(sourceType)));
  } else {
    g.loadInto(value, Reg.R3);
    g.release(value);
    g.stackAddress(Reg.R1, buffer + 1);
    g.e.movConst(Reg.R2, BigInt(count));
    g.e.call(userAddressSpace(g) ? Helper.probe_read_user : Helper.probe_read_kernel);
  }
  return inMemory(buffer);
};

/** ntop([af,] addr): `{u64 af; u8 addr[16]}` — AF_INET (2) for 4-byte addresses, AF_INET6 (10) for 16. */
const ntop: FunctionGen = (g, node, gen) => {
  const addrNode = node.args[node.args.length - 1];
  const addrType = g.typeOf(addrNode);
  const v6 = addrType.kind === 'array' && sizeOf(addrType) === 16;
  const buffer = g.allocZeroed(24);
  if (node.args.length === 2) {
    const af = gen(node.args[0]);
    g.storeInt(af, Reg.R10, buffer, 8);
    g.release(af);
  } else g.e.storeImm(Size.DW, Reg.R10, buffer, v6 ? 10 : 2);
  const addr = gen(addrNode);
  writeValue(g, addr, addrType, {
    base: Reg.R10,
    offset: buffer + 8,
    type: addrType,
    width: addrType.kind === 'array' ? undefined : 4,
    zeroed: true,
  });
  g.release(addr);
  return inMemory(buffer);
};

export const textFunctions: Record<string, FunctionGen> = {
  str,
  strncmp,
  strcontains,
  buf,
  ntop,
  strerror: (_g, node, gen) => gen(node.args[0]),
};
