// Value ranges of scalars for the verifier: unsigned and signed 64-bit bounds, kept
// consistent with each other (the kernel also tracks known bits; ranges are enough here).

const U64_MAX = (1n << 64n) - 1n;
const S64_MAX = (1n << 63n) - 1n;
const S64_MIN = -(1n << 63n);
const U32_MAX = 0xffffffffn;

export interface Scalar {
  readonly umin: bigint;
  readonly umax: bigint;
  readonly smin: bigint;
  readonly smax: bigint;
}

export const UNKNOWN: Scalar = { umin: 0n, umax: U64_MAX, smin: S64_MIN, smax: S64_MAX };

export function constant(v: bigint): Scalar {
  const u = BigInt.asUintN(64, v);
  const s = BigInt.asIntN(64, v);
  return { umin: u, umax: u, smin: s, smax: s };
}

export function isConst(s: Scalar): boolean {
  return s.umin === s.umax;
}

/** A range given by unsigned bounds, with the signed bounds derived. */
export function unsignedRange(umin: bigint, umax: bigint): Scalar {
  return normalize({ umin, umax, smin: S64_MIN, smax: S64_MAX });
}

/** A range given by signed bounds, with the unsigned bounds derived. */
export function signedRange(smin: bigint, smax: bigint): Scalar {
  return normalize({ umin: 0n, umax: U64_MAX, smin, smax });
}

/** Tightens each pair of bounds from the other; returns undefined when the range is empty. */
export function tighten(s: Scalar): Scalar | undefined {
  let { umin, umax, smin, smax } = s;
  if (umin > umax || smin > smax) return undefined;
  // Signed bounds that do not cross zero describe an unsigned interval too, and vice versa.
  if (smin >= 0n || smax < 0n) {
    const lo = BigInt.asUintN(64, smin);
    const hi = BigInt.asUintN(64, smax);
    if (lo > umin) umin = lo;
    if (hi < umax) umax = hi;
  }
  if (umax <= S64_MAX || umin > S64_MAX) {
    const lo = BigInt.asIntN(64, umin);
    const hi = BigInt.asIntN(64, umax);
    if (lo > smin) smin = lo;
    if (hi < smax) smax = hi;
  }
  if (umin > umax || smin > smax) return undefined;
  return { umin, umax, smin, smax };
}

function normalize(s: Scalar): Scalar {
  return tighten(s) ?? UNKNOWN;
}

export function contains(outer: Scalar, inner: Scalar): boolean {
  return (
    outer.umin <= inner.umin &&
    outer.umax >= inner.umax &&
    outer.smin <= inner.smin &&
    outer.smax >= inner.smax
  );
}

export function sameScalar(a: Scalar, b: Scalar): boolean {
  return a.umin === b.umin && a.umax === b.umax && a.smin === b.smin && a.smax === b.smax;
}

/** The low 32 bits as a zero-extended range. */
export function low32(s: Scalar): Scalar {
  if (s.umax <= U32_MAX) return s;
  if (isConst(s)) return constant(s.umin & U32_MAX);
  return unsignedRange(0n, U32_MAX);
}

/** Smallest 2^k - 1 that is >= v. */
function fillBits(v: bigint): bigint {
  let m = 0n;
  while (m < v) m = (m << 1n) | 1n;
  return m;
}

/** A 64-bit ALU result range for scalars a op b (non-constant case; constants fold exactly). */
export function alu64Range(op: string, a: Scalar, b: Scalar): Scalar {
  switch (op) {
    case 'add': {
      const u =
        a.umax + b.umax <= U64_MAX
          ? { umin: a.umin + b.umin, umax: a.umax + b.umax }
          : { umin: 0n, umax: U64_MAX };
      const smin = a.smin + b.smin;
      const smax = a.smax + b.smax;
      const sOk = smin >= S64_MIN && smax <= S64_MAX;
      return normalize({ ...u, smin: sOk ? smin : S64_MIN, smax: sOk ? smax : S64_MAX });
    }
    case 'sub': {
      const u =
        a.umin >= b.umax
          ? { umin: a.umin - b.umax, umax: a.umax - b.umin }
          : { umin: 0n, umax: U64_MAX };
      const smin = a.smin - b.smax;
      const smax = a.smax - b.smin;
      const sOk = smin >= S64_MIN && smax <= S64_MAX;
      return normalize({ ...u, smin: sOk ? smin : S64_MIN, smax: sOk ? smax : S64_MAX });
    }
    case 'mul':
      if (a.umax * b.umax <= U64_MAX && a.umax <= S64_MAX && b.umax <= S64_MAX)
        return unsignedRange(a.umin * b.umin, a.umax * b.umax);
      return UNKNOWN;
    case 'div':
      if (b.umin > 0n) return unsignedRange(a.umin / b.umax, a.umax / b.umin);
      return unsignedRange(0n, a.umax);
    case 'mod':
      if (b.umin > 0n) return unsignedRange(0n, a.umax < b.umax - 1n ? a.umax : b.umax - 1n);
      return unsignedRange(0n, a.umax);
    case 'and':
      return unsignedRange(0n, a.umax < b.umax ? a.umax : b.umax);
    case 'or':
      return unsignedRange(
        a.umin > b.umin ? a.umin : b.umin,
        fillBits(a.umax > b.umax ? a.umax : b.umax),
      );
    case 'xor':
      return unsignedRange(0n, fillBits(a.umax > b.umax ? a.umax : b.umax));
    case 'lsh':
      if (isConst(b) && b.umin < 64n && a.umax << b.umin <= U64_MAX)
        return unsignedRange(a.umin << b.umin, a.umax << b.umin);
      return UNKNOWN;
    case 'rsh':
      if (isConst(b)) return unsignedRange(a.umin >> (b.umin & 63n), a.umax >> (b.umin & 63n));
      return unsignedRange(0n, a.umax);
    case 'arsh':
      if (isConst(b)) return signedRange(a.smin >> (b.umin & 63n), a.smax >> (b.umin & 63n));
      return signedRange(a.smin < 0n ? a.smin : 0n, a.smax > 0n ? a.smax : 0n);
  }
  return UNKNOWN;
}

/** A 32-bit ALU result range (zero-extended) for the non-constant case. */
export function alu32Range(op: string, a: Scalar, b: Scalar): Scalar {
  const a32 = low32(a);
  const b32 = low32(b);
  switch (op) {
    case 'add':
    case 'mul':
    case 'div':
    case 'mod':
    case 'and':
    case 'or':
    case 'xor':
    case 'rsh':
    case 'lsh': {
      if (op === 'lsh' && !(isConst(b32) && b32.umin < 32n)) break;
      if (op === 'rsh' && !isConst(b32)) return unsignedRange(0n, a32.umax);
      const r = alu64Range(op, a32, op === 'lsh' || op === 'rsh' ? constant(b32.umin & 31n) : b32);
      if (r.umax <= U32_MAX) return r;
      break;
    }
  }
  return unsignedRange(0n, U32_MAX);
}

export type CmpOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le' | 'sgt' | 'sge' | 'slt' | 'sle' | 'set';

export function negateCmp(op: CmpOp): CmpOp | undefined {
  const table: Partial<Record<CmpOp, CmpOp>> = {
    eq: 'ne',
    ne: 'eq',
    gt: 'le',
    le: 'gt',
    ge: 'lt',
    lt: 'ge',
    sgt: 'sle',
    sle: 'sgt',
    sge: 'slt',
    slt: 'sge',
  };
  return table[op];
}

/**
 * Narrows a and b assuming `a op b` holds; undefined when it cannot hold. `set` (a & b != 0)
 * is only decided for constants.
 */
export function assume(op: CmpOp, a: Scalar, b: Scalar): [Scalar, Scalar] | undefined {
  const pair = (x: Scalar | undefined, y: Scalar | undefined): [Scalar, Scalar] | undefined =>
    x && y ? [x, y] : undefined;
  const max = (x: bigint, y: bigint) => (x > y ? x : y);
  const min = (x: bigint, y: bigint) => (x < y ? x : y);
  switch (op) {
    case 'eq': {
      const m = tighten({
        umin: max(a.umin, b.umin),
        umax: min(a.umax, b.umax),
        smin: max(a.smin, b.smin),
        smax: min(a.smax, b.smax),
      });
      return pair(m, m);
    }
    case 'ne':
      if (isConst(a) && isConst(b)) return a.umin !== b.umin ? [a, b] : undefined;
      if (isConst(b)) return pair(exclude(a, b.umin), b);
      if (isConst(a)) return pair(a, exclude(b, a.umin));
      return [a, b];
    case 'gt':
      if (b.umin === U64_MAX || a.umax === 0n) return undefined;
      return pair(
        tighten({ ...a, umin: max(a.umin, b.umin + 1n) }),
        tighten({ ...b, umax: min(b.umax, a.umax - 1n) }),
      );
    case 'ge':
      return pair(
        tighten({ ...a, umin: max(a.umin, b.umin) }),
        tighten({ ...b, umax: min(b.umax, a.umax) }),
      );
    case 'lt': {
      const r = assume('gt', b, a);
      return r && [r[1], r[0]];
    }
    case 'le': {
      const r = assume('ge', b, a);
      return r && [r[1], r[0]];
    }
    case 'sgt':
      if (b.smin === S64_MAX || a.smax === S64_MIN) return undefined;
      return pair(
        tighten({ ...a, smin: max(a.smin, b.smin + 1n) }),
        tighten({ ...b, smax: min(b.smax, a.smax - 1n) }),
      );
    case 'sge':
      return pair(
        tighten({ ...a, smin: max(a.smin, b.smin) }),
        tighten({ ...b, smax: min(b.smax, a.smax) }),
      );
    case 'slt': {
      const r = assume('sgt', b, a);
      return r && [r[1], r[0]];
    }
    case 'sle': {
      const r = assume('sge', b, a);
      return r && [r[1], r[0]];
    }
    case 'set':
      if (isConst(a) && isConst(b)) return (a.umin & b.umin) !== 0n ? [a, b] : undefined;
      if (a.umax === 0n || b.umax === 0n) return undefined;
      return [a, b];
  }
}

/** Narrows a and b assuming `a op b` does NOT hold. */
export function assumeNot(op: CmpOp, a: Scalar, b: Scalar): [Scalar, Scalar] | undefined {
  if (op === 'set') {
    if (isConst(a) && isConst(b)) return (a.umin & b.umin) === 0n ? [a, b] : undefined;
    return [a, b];
  }
  return assume(negateCmp(op)!, a, b);
}

function exclude(s: Scalar, v: bigint): Scalar | undefined {
  let r: Scalar | undefined = s;
  const sv = BigInt.asIntN(64, v);
  if (r.umin === v) r = tighten({ ...r, umin: r.umin + 1n });
  else if (r.umax === v) r = tighten({ ...r, umax: r.umax - 1n });
  if (!r) return undefined;
  if (r.smin === sv) r = tighten({ ...r, smin: r.smin + 1n });
  else if (r.smax === sv) r = tighten({ ...r, smax: r.smax - 1n });
  return r;
}
