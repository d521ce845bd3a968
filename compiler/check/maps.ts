// Map typing rules: value kinds and key types fixed by first use, compatibility of later uses.

import type { MapValueKind } from '../program';
import type { Type } from '../types';

/** Key part type as stored: integers become 8 bytes (literals unsigned, as 0.17 reports). */
export function keyPartType(type: Type, isLiteral: boolean): Type {
  if (type.kind === 'int' || type.kind === 'bool') {
    return { kind: 'int', size: 8, signed: isLiteral ? false : type.kind === 'int' && type.signed };
  }
  return type;
}

/** Value as stored in a map: integers are 8 bytes wide and keep their sign. */
export function storedValueType(type: Type): Type {
  if (type.kind === 'int') return { kind: 'int', size: 8, signed: type.signed };
  if (type.kind === 'bool') return { kind: 'int', size: 8, signed: false };
  return type;
}

export function valueKindType(value: MapValueKind): Type {
  return value.kind === 'aggregation'
    ? { kind: 'aggregation', aggregation: value.aggregation }
    : value.type;
}

/**
 * Merges a newly assigned type into an existing one: integers of any width match, strings
 * grow to the longest, tuples merge element-wise. Returns undefined on a mismatch.
 */
export function mergeTypes(existing: Type, incoming: Type): Type | undefined {
  if (existing.kind === 'int' && (incoming.kind === 'int' || incoming.kind === 'bool'))
    return existing;
  if (existing.kind === 'string' && incoming.kind === 'string') {
    return { kind: 'string', size: Math.max(existing.size, incoming.size) };
  }
  if (existing.kind === 'buffer' && incoming.kind === 'buffer') {
    return { kind: 'buffer', size: Math.max(existing.size, incoming.size) };
  }
  if (existing.kind === 'tuple' && incoming.kind === 'tuple') {
    if (existing.elements.length !== incoming.elements.length) return undefined;
    const elements: Type[] = [];
    for (let i = 0; i < existing.elements.length; i++) {
      const a = existing.elements[i];
      const b = incoming.elements[i];
      // Inside a tuple, integers must agree in width and sign (their layout is fixed).
      if (a.kind === 'int' && b.kind === 'int' && (a.size !== b.size || a.signed !== b.signed))
        return undefined;
      const merged = mergeTypes(a, b);
      if (!merged) return undefined;
      elements.push(merged);
    }
    return { kind: 'tuple', elements };
  }
  if (existing.kind === 'aggregation' && incoming.kind === 'aggregation') {
    return existing.aggregation.kind === incoming.aggregation.kind ? existing : undefined;
  }
  if (existing.kind === 'opaque' && incoming.kind === 'opaque') {
    return existing.name === incoming.name ? existing : undefined;
  }
  if (existing.kind === 'pointer' && incoming.kind === 'pointer') return existing;
  if (existing.kind === 'record' && incoming.kind === 'record') {
    return existing.name === incoming.name ? existing : undefined;
  }
  if (existing.kind === 'array' && incoming.kind === 'array') {
    return existing.length === incoming.length ? existing : undefined;
  }
  if (existing.kind === 'none') return incoming;
  return undefined;
}
