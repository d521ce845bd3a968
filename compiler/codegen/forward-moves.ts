// Register moves that only feed one later instruction: `rD = rS; ...; *(r10 + k) = rD`
// with rD dead afterwards becomes `*(r10 + k) = rS` (likewise a move `rX = rD`), and a move
// whose destination is never read is dropped. This removes the context copy of programs
// that read the context once, and the copies of helper results into temporaries that are
// stored straight away.

import type { Instruction } from '../isa/instruction';
import { Class, CLASS_MASK, LDDW, Mode, MODE_MASK } from '../isa/opcode';
import { defs, isCall, isJump, successors, uses, type FlowItem } from './flow';

const MOV64_REG = 0xbf;
const MOV64_IMM = 0xb7;

/** Items to drop and replacement instructions for the rewritten uses. */
export function forwardMoves(items: FlowItem[]): {
  drop: Set<number>;
  rewrite: Map<number, Instruction>;
} {
  const liveOut = liveness(items);
  const leaders = new Set(
    items.flatMap((item) => (item.target === undefined ? [] : [item.target])),
  );
  const drop = new Set<number>();
  const rewrite = new Map<number, Instruction>();
  const touched = new Set<number>();
  items.forEach((item, i) => {
    const { insn } = item;
    if (touched.has(i) || insn.offset !== 0) return;
    if (insn.opcode !== MOV64_REG && insn.opcode !== MOV64_IMM) return;
    if (!(liveOut[i] & bit(insn.dst))) {
      drop.add(i);
      touched.add(i);
      return;
    }
    if (insn.opcode !== MOV64_REG) return;
    const j = soleUse(items, i, leaders, touched);
    if (j === undefined || liveOut[j] & bit(insn.dst)) return;
    const use = items[j].insn;
    touched.add(i).add(j);
    drop.add(i);
    if (use.opcode === MOV64_REG && use.dst === insn.src) drop.add(j);
    else rewrite.set(j, { ...use, src: insn.src });
  });
  return { drop, rewrite };
}

/** The next instruction after the move at `i` reading its destination, when it is in the
 *  same straight-line run, reads it only as the value stored or moved, and neither register
 *  changes before it. */
function soleUse(
  items: FlowItem[],
  i: number,
  leaders: Set<number>,
  touched: Set<number>,
): number | undefined {
  const { dst: d, src: s } = items[i].insn;
  for (let j = i + 1; j < items.length; j++) {
    if (leaders.has(j) || touched.has(j)) return undefined;
    const insn = items[j].insn;
    if (uses(insn).includes(d)) {
      const cls = insn.opcode & CLASS_MASK;
      const isStore = cls === Class.STX && (insn.opcode & MODE_MASK) === Mode.MEM;
      const isMove = insn.opcode === MOV64_REG && insn.offset === 0;
      if ((isStore && insn.dst !== d) || isMove) return insn.src === d ? j : undefined;
      return undefined;
    }
    if (isJump(insn) || isCall(insn)) return undefined;
    const written = defs(insn);
    if (written.includes(d) || written.includes(s)) return undefined;
  }
  return undefined;
}

/**
 * A move `rB = rA` where rA dies, with rA computed earlier in the same straight-line run
 * (from a definition that does not read it, through any operations on it) while rB is
 * untouched: that computation is done in rB instead and the move goes. Returns the move
 * items to drop and the renamed instructions.
 */
export function coalesceMoves(items: FlowItem[]): {
  drop: Set<number>;
  rewrite: Map<number, Instruction>;
} {
  const liveOut = liveness(items);
  const leaders = new Set(
    items.flatMap((item) => (item.target === undefined ? [] : [item.target])),
  );
  const drop = new Set<number>();
  const rewrite = new Map<number, Instruction>();
  const touched = new Set<number>();
  items.forEach((item, j) => {
    const move = item.insn;
    if (move.opcode !== MOV64_REG || move.offset !== 0 || move.dst === move.src) return;
    if (touched.has(j) || leaders.has(j) || liveOut[j] & bit(move.src)) return;
    const range = computation(items, j, leaders, touched);
    if (!range) return;
    const { dst: b, src: a } = move;
    const rename = (r: number) => (r === a ? b : r);
    for (const k of range) {
      const insn = items[k].insn;
      rewrite.set(k, { ...insn, dst: rename(insn.dst), src: rename(insn.src) });
      touched.add(k);
    }
    drop.add(j);
    touched.add(j);
  });
  return { drop, rewrite };
}

/** The items computing the source of the move at `j`, back to the definition that starts
 *  it; undefined when that computation cannot move to the move's destination. */
function computation(
  items: FlowItem[],
  j: number,
  leaders: Set<number>,
  touched: Set<number>,
): number[] | undefined {
  const { dst: b, src: a } = items[j].insn;
  const range: number[] = [];
  for (let k = j - 1; k >= 0; k--) {
    if (touched.has(k)) return undefined;
    const insn = items[k].insn;
    if (isJump(insn) || isCall(insn)) return undefined;
    const read = uses(insn);
    const written = defs(insn);
    if (read.includes(b) || written.includes(b)) return undefined;
    if (read.includes(a) || written.includes(a)) {
      if (written.length > 1) return undefined;
      range.push(k);
      if (written.includes(a) && !read.includes(a) && isPlainDefinition(insn)) return range;
    }
    if (leaders.has(k)) return undefined;
  }
  return undefined;
}

/** Writes its destination without reading it. */
function isPlainDefinition(insn: Instruction): boolean {
  const cls = insn.opcode & CLASS_MASK;
  if (cls === Class.LDX) return (insn.opcode & MODE_MASK) === Mode.MEM;
  return insn.opcode === MOV64_REG || insn.opcode === MOV64_IMM || insn.opcode === LDDW;
}

const bit = (reg: number) => 1 << reg;
const mask = (regs: number[]) => regs.reduce((m, r) => m | bit(r), 0);

/** Registers live after each item (a bit per register). */
function liveness(items: FlowItem[]): number[] {
  const use = items.map((item) => mask(uses(item.insn)));
  const def = items.map((item) => mask(defs(item.insn)));
  const liveIn = new Array<number>(items.length).fill(0);
  const liveOut = new Array<number>(items.length).fill(0);
  for (let changed = true; changed;) {
    changed = false;
    for (let i = items.length - 1; i >= 0; i--) {
      let out = 0;
      for (const next of successors(items[i], i)) if (next < items.length) out |= liveIn[next];
      const into = use[i] | (out & ~def[i]);
      if (out !== liveOut[i] || into !== liveIn[i]) changed = true;
      liveOut[i] = out;
      liveIn[i] = into;
    }
  }
  return liveOut;
}
