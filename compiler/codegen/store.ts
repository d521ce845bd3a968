// Writing a value of one type into a place laid out for another (a variable, a map key or
// value, a tuple element, a record argument): integers at the place's width, strings
// truncated or zero-padded, tuples element by element when their layouts differ.

import { Reg } from '../isa/opcode';
import { sameType, sizeOf, tupleLayout, type Type } from '../types';
import { isScalar, slotSize } from './layout';
import type { ProbeGen } from './probe-gen';
import { constant, inMemory, knownBytes, resized, type Value } from './value';

export interface Place {
  base: Reg;
  offset: number;
  /** The place's type; scalars take `width` bytes (8 unless inside a tuple). */
  type: Type;
  width?: number;
  /** The place is already zeroed: no padding needs writing. */
  zeroed?: boolean;
}

/** Writes `value` (of type `from`) into `place`; does not release the value. */
export function writeValue(g: ProbeGen, value: Value, from: Type, place: Place): void {
  const { base, offset, type } = place;
  if (type.kind === 'tuple' && from.kind === 'tuple' && !sameType(type, from)) {
    const to = tupleLayout(type.elements).offsets;
    type.elements.forEach((element, i) => {
      const elementValue = tupleElement(g, value, from, i);
      writeValue(g, elementValue, from.elements[i], {
        base,
        offset: offset + to[i],
        type: element,
        width: sizeOf(element),
        zeroed: place.zeroed,
      });
      g.release(elementValue);
    });
    return;
  }
  if (value.kind === 'bytes') {
    if (base !== Reg.R10) throw new Error('internal: known bytes outside the stack');
    g.writeBytes(offset, resized(value.bytes, sizeOf(type)), sizeOf(type), place.zeroed);
    return;
  }
  if (isScalar(type) || value.kind !== 'mem') {
    g.storeInt(value, base, offset, place.width ?? slotSize(type));
    return;
  }
  const size = sizeOf(type);
  const copied = Math.min(size, sizeOf(from));
  g.copy(base, offset, Reg.R10, value.offset, copied);
  if (!place.zeroed && copied < size) {
    if (base !== Reg.R10) throw new Error('internal: padding outside the stack');
    g.zero(offset + copied, size - copied);
  }
}

/** Known bytes of type `from` laid out as type `to` (strings cut or zero-padded, tuple
 *  elements moved to `to`'s offsets, integers at `to`'s width), as writeValue would. */
export function relaidBytes(bytes: Uint8Array, from: Type, to: Type): Uint8Array {
  if (to.kind !== 'tuple' || from.kind !== 'tuple' || sameType(to, from))
    return resized(bytes, sizeOf(to));
  const out = new Uint8Array(sizeOf(to));
  const offsets = tupleLayout(to.elements).offsets;
  to.elements.forEach((element, i) => {
    const value = tupleElement(undefined, knownBytes(bytes), from, i);
    const at = offsets[i];
    if (value.kind === 'bytes') out.set(relaidBytes(value.bytes, from.elements[i], element), at);
    else if (value.kind === 'const')
      for (let k = 0; k < sizeOf(element); k++)
        out[at + k] = Number((BigInt.asUintN(64, value.value) >> BigInt(8 * k)) & 0xffn);
  });
  return out;
}

/** Element `index` of a tuple value in memory or known bytes (known elements stay known). */
export function tupleElement(
  g: ProbeGen | undefined,
  tuple: Value,
  type: Extract<Type, { kind: 'tuple' }>,
  index: number,
): Value {
  const element = type.elements[index];
  const at = tupleLayout(type.elements).offsets[index];
  const size = sizeOf(element);
  const signed = element.kind === 'int' && element.signed;
  if (tuple.kind === 'bytes') {
    const bytes = tuple.bytes.subarray(at, at + size);
    if (!isScalar(element)) return knownBytes(bytes);
    let v = 0n;
    for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]);
    return constant(signed ? BigInt.asIntN(size * 8, v) : v);
  }
  if (tuple.kind !== 'mem' || !g) throw new Error('internal: tuple is not a memory value');
  if (isScalar(element)) return g.loadInt(Reg.R10, tuple.offset + at, size, signed);
  return inMemory(tuple.offset + at);
}
