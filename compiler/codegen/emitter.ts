// A straight-line instruction list with symbolic labels. Jumps name a label; offsets (in
// 8-byte slots, `lddw` counting two) are resolved once the whole program is known. Each
// instruction remembers the source line being compiled when it was emitted.

import type { Instruction } from '../isa/instruction';
import { slotCount } from '../isa/instruction';
import { AluOp, Class, JmpOp, PseudoSrc, Reg, Size } from '../isa/opcode';
import type { Helper } from '../isa/helpers';
import * as B from '../isa/build';
import type { FlowItem } from './flow';
import { coalesceMoves, forwardMoves } from './forward-moves';
import { redundantStackAccesses } from './redundant-loads';

export type Label = number & { readonly __label: unique symbol };

/** A register or a 32-bit signed immediate operand. */
export type Operand = { reg: Reg } | { imm: number };

interface Item {
  insn: Instruction;
  line: number;
  /** For jumps: the label whose slot the offset must reach. */
  target?: Label;
  /** For `lddw src=4`: the subprogram (index in ProbeGen.subprograms) whose address it loads. */
  func?: number;
}

/** An `lddw src=4` left for the caller to point at a subprogram once all are placed. */
export interface FuncRef {
  /** Slot of the lddw in this emitter's output. */
  slot: number;
  subprogram: number;
}

export class Emitter {
  private readonly items: Item[] = [];
  private readonly labelAt: (number | undefined)[] = [];
  /** Source line attributed to instructions emitted from now on (0 = none). */
  line = 0;

  newLabel(): Label {
    this.labelAt.push(undefined);
    return (this.labelAt.length - 1) as Label;
  }

  /** Places `label` before the next instruction. */
  bind(label: Label): void {
    this.labelAt[label] = this.items.length;
  }

  emit(insn: Instruction, target?: Label): void {
    this.items.push({ insn, line: this.line, target });
  }

  // --- convenience forms (all 64-bit ALU) ---------------------------------------------

  mov(dst: Reg, src: Reg): void {
    if (dst !== src) this.emit(B.mov64Reg(dst, src));
  }

  /** Loads any 64-bit constant (one `mov` when it fits a sign-extended imm32). */
  movConst(dst: Reg, value: bigint): void {
    const v = BigInt.asIntN(64, value);
    if (v >= -(1n << 31n) && v < 1n << 31n) this.emit(B.mov64Imm(dst, Number(v)));
    else this.emit(B.lddw(dst, v));
  }

  alu(op: AluOp, dst: Reg, src: Operand): void {
    this.emit('reg' in src ? B.alu64Reg(op, dst, src.reg) : B.alu64Imm(op, dst, src.imm));
  }

  neg(dst: Reg): void {
    this.emit(B.neg64(dst));
  }

  load(size: Size, dst: Reg, base: Reg, offset: number): void {
    this.emit(B.ldxMem(size, dst, base, offset));
  }

  store(size: Size, base: Reg, offset: number, src: Reg): void {
    this.emit(B.stxMem(size, base, src, offset));
  }

  storeImm(size: Size, base: Reg, offset: number, imm: number): void {
    this.emit(B.stMem(size, base, offset, imm));
  }

  jump(op: JmpOp, dst: Reg, src: Operand, target: Label): void {
    this.emit('reg' in src ? B.jmpReg(op, dst, src.reg, 0) : B.jmpImm(op, dst, src.imm, 0), target);
  }

  goto(target: Label): void {
    this.emit(B.ja(0), target);
  }

  call(helper: Helper): void {
    this.emit(B.call(helper));
  }

  loadMap(dst: Reg, mapId: number): void {
    this.emit(B.ldMapFd(dst, mapId));
  }

  exit(): void {
    this.emit(B.exit());
  }

  /** dst = address of subprogram `subprogram` (lddw src=4; the imm is set by patchFuncRef). */
  loadFunc(dst: Reg, subprogram: number): void {
    this.items.push({ insn: B.lddw(dst, 0n, PseudoSrc.Func), line: this.line, func: subprogram });
  }

  /** Resolves labels and returns the final instructions and the line of each slot. */
  finish(): { instructions: Instruction[]; lines: number[]; funcRefs: FuncRef[] } {
    this.simplify();
    const items = this.withoutJumpsToNext(this.reachable());
    const slotOf: number[] = [];
    let slot = 0;
    for (const item of items) {
      slotOf.push(slot);
      slot += slotCount(item.insn);
    }
    slotOf.push(slot);
    const instructions: Instruction[] = [];
    const lines: number[] = [];
    const funcRefs: FuncRef[] = [];
    items.forEach((item, index) => {
      if (item.func !== undefined) funcRefs.push({ slot: slotOf[index], subprogram: item.func });
      let insn = item.insn;
      if (item.target !== undefined) {
        const at = this.newIndex[this.labelAt[item.target]!];
        const offset = slotOf[at] - (slotOf[index] + 1);
        if (offset < -32768 || offset > 32767) throw new Error('internal: jump out of range');
        insn = { ...insn, offset };
      }
      instructions.push(insn);
      for (let i = 0; i < slotCount(insn); i++) lines.push(item.line);
    });
    return { instructions, lines, funcRefs };
  }

  private newIndex: number[] = [];

  /** The clean-up passes over the whole list: redundant stack accesses, then moves that
   *  only feed one instruction, then moves of values that could have been computed in place. */
  private simplify(): void {
    this.remove(redundantStackAccesses(this.flow()));
    for (const pass of [forwardMoves, coalesceMoves]) {
      const { drop, rewrite } = pass(this.flow());
      for (const [index, insn] of rewrite) this.items[index] = { ...this.items[index], insn };
      this.remove(drop);
    }
  }

  private flow(): FlowItem[] {
    return this.items.map((item) => ({
      insn: item.insn,
      target: item.target === undefined ? undefined : this.labelAt[item.target],
    }));
  }

  /** Removes the items at `drop`, moving labels to the next item kept. */
  private remove(drop: Set<number>): void {
    if (drop.size === 0) return;
    const keptBefore: number[] = [];
    let kept = 0;
    for (let i = 0; i <= this.items.length; i++) {
      keptBefore.push(kept);
      if (i < this.items.length && !drop.has(i)) kept++;
    }
    const items = this.items.filter((_, i) => !drop.has(i));
    this.items.length = 0;
    this.items.push(...items);
    for (let l = 0; l < this.labelAt.length; l++) {
      const at = this.labelAt[l];
      if (at !== undefined) this.labelAt[l] = keptBefore[at];
    }
  }

  /** The instructions reachable from the entry (the kernel rejects unreachable code, which
   *  constant conditions, `exit` and `return` leave behind); fills newIndex, the kept index
   *  of every old index. */
  private reachable(): Item[] {
    const targetOf = (item: Item) => {
      const at = this.labelAt[item.target!];
      if (at === undefined) throw new Error(`internal: unbound label ${item.target}`);
      return at;
    };
    const seen = new Array<boolean>(this.items.length + 1).fill(false);
    const work = [0];
    while (work.length > 0) {
      const i = work.pop()!;
      if (i >= this.items.length || seen[i]) continue;
      seen[i] = true;
      const item = this.items[i];
      const { opcode } = item.insn;
      const jumpClass = (opcode & 0x07) === Class.JMP || (opcode & 0x07) === Class.JMP32;
      const op = opcode & 0xf0;
      if (jumpClass && op === JmpOp.EXIT) continue;
      if (item.target !== undefined) work.push(targetOf(item));
      if (!(jumpClass && op === JmpOp.JA)) work.push(i + 1);
    }
    const kept: Item[] = [];
    this.newIndex = [];
    for (let i = 0; i <= this.items.length; i++) {
      this.newIndex.push(kept.length);
      if (i < this.items.length && seen[i]) kept.push(this.items[i]);
    }
    return kept;
  }

  /** Drops `goto` instructions whose target is the next instruction (left behind by
   *  branches that were removed or folded). */
  private withoutJumpsToNext(items: Item[]): Item[] {
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      const isGoto = item.insn.opcode === (Class.JMP | JmpOp.JA) && item.target !== undefined;
      if (!isGoto || this.newIndex[this.labelAt[item.target!]!] !== i + 1) continue;
      items.splice(i, 1);
      this.newIndex = this.newIndex.map((k) => (k > i ? k - 1 : k));
      i = Math.max(-1, i - 2); // the goto before it may now jump to its next instruction
    }
    return items;
  }
}
