// Writing a value of one type into a place laid out for another (a variable, a map key or
// value, a tuple element, a record argument): integers at the place's width, strings
// truncated or zero-padded, tuples element by element when their layouts differ.

import { Reg } from '../isa/opcode';
import { sizeOf, tupleLayout, type Type } from '../types';
import { isScalar, slotSize } from './layout';
import type { ProbeGen } from './probe-gen';
import { resized, type Value } from './value';

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
  if (value.kind === 'bytes') {
    if (base !== Reg.R10) throw new Error('internal: known bytes outside the stack');
    g.writeBytes(offset, resized(value.bytes, sizeOf(type)), sizeOf(type), place.zeroed);
    return;
  }
  if (isScalar(type) || value.kind !== 'mem') {
    g.storeInt(value, base, offset, place.width ?? slotSize(type));
    return;
  }
  if (type.kind === 'tuple' && from.kind === 'tuple' && sizeOf(type) !== sizeOf(from)) {
    const to = tupleLayout(type.elements).offsets;
    const src = tupleLayout(from.elements).offsets;
    type.elements.forEach((element, i) => {
      const fromElement = from.elements[i];
      const elementValue: Value = isScalar(fromElement)
        ? g.loadInt(Reg.R10, value.offset + src[i], sizeOf(fromElement), fromElement.kind === 'int' && fromElement.signed)
        : { kind: 'mem', offset: value.offset + src[i] };
      writeValue(g, elementValue, fromElement, {
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
  const size = sizeOf(type);
  const copied = Math.min(size, sizeOf(from));
  g.copy(base, offset, Reg.R10, value.offset, copied);
  if (!place.zeroed && copied < size) {
    if (base !== Reg.R10) throw new Error('internal: padding outside the stack');
    g.zero(offset + copied, size - copied);
  }
}
