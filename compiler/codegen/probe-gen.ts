// The state of generating one probe's program: emitter, stack frame, temporaries, scratch
// variables and loop targets, plus the small operations every generator module shares
// (moving integers between registers, temporaries and memory; zeroing and copying stack).

import type { Expression, Node, Statement } from '../../grammar/ast';
import type { CheckedProbe, CheckedProgram } from '../check/checked';
import type { ResolvedAttachPoint } from '../host';
import { AluOp, Reg, Size, sizeField } from '../isa/opcode';
import type { Type } from '../types';
import { Emitter, type Label, type Operand } from './emitter';
import { blockSize, Frame } from './frame';
import { Registers, type Temp } from './regs';
import type { ProgramState } from './state';
import { inTemp, type Value } from './value';
import { Variables } from './variables';

export interface Loop {
  breakTo: Label;
  continueTo: Label;
}

export class ProbeGen {
  readonly e = new Emitter();
  readonly frame = new Frame();
  readonly regs = new Registers(this.e, this.frame);
  readonly vars: Variables = new Variables(this);
  readonly loops: Loop[] = [];
  /** `r0 = 0; exit` — where return, exit and a false predicate go (in a callback: where
   *  the iteration stops). */
  readonly returnLabel = this.e.newLabel();
  /** Callback subprograms (for-loop bodies) of the whole program, shared by all of them;
   *  appended after the main program in this order. */
  readonly subprograms: ProbeGen[];

  /** Generates one statement (stmt.ts's, handed in so that expressions holding statements
   *  — block expressions — need not import it). */
  readonly statement: (g: ProbeGen, s: Statement) => void;

  constructor(
    statement: ((g: ProbeGen, s: Statement) => void) | undefined,
    readonly state: ProgramState,
    readonly checked: CheckedProgram,
    readonly probe: CheckedProbe,
    /** The attach points this program serves (one when the probe builtin needs to know). */
    readonly points: ResolvedAttachPoint[],
    /** Set for a callback subprogram: the program it belongs to. */
    readonly parent?: ProbeGen,
  ) {
    this.subprograms = parent?.subprograms ?? [];
    const generate = statement ?? parent?.statement;
    if (!generate) throw new Error('internal: a probe generator needs a statement generator');
    this.statement = generate;
  }

  /** A new callback subprogram of this program; returns it and its index. */
  subprogram(): { sub: ProbeGen; index: number } {
    const sub = new ProbeGen(undefined, this.state, this.checked, this.probe, this.points, this);
    this.subprograms.push(sub);
    return { sub, index: this.subprograms.length - 1 };
  }

  typeOf(node: Node): Type {
    const type = this.checked.types.get(node.id);
    if (!type) throw new Error(`internal: no type for ${node.kind} node ${node.id}`);
    return type;
  }

  constantOf(node: Expression): bigint | undefined {
    return this.checked.constants.get(node.id);
  }

  // --- integers ----------------------------------------------------------------------

  /** An owned temporary holding the value (the value's own when it already is one). */
  own(value: Value): Temp {
    if (value.kind === 'temp') return value.temp;
    if (value.kind !== 'const') throw new Error('internal: memory value used as an integer');
    const temp = this.regs.alloc();
    const target = this.regs.target(temp, Reg.R1);
    this.e.movConst(target, value.value);
    this.regs.write(temp, target);
    return temp;
  }

  /** A register holding the value; constants and spilled temporaries go to `scratch`. */
  reg(value: Value, scratch: Reg): Reg {
    if (value.kind === 'temp') return this.regs.read(value.temp, scratch);
    if (value.kind !== 'const') throw new Error('internal: memory value used as an integer');
    this.e.movConst(scratch, value.value);
    return scratch;
  }

  /** The value as an instruction operand: an imm32 when it fits, else a register. */
  operand(value: Value, scratch: Reg): Operand {
    if (value.kind === 'const' && fitsImm32(value.value)) return { imm: Number(value.value) };
    return { reg: this.reg(value, scratch) };
  }

  /** Puts the value in a specific register (for helper arguments). */
  loadInto(value: Value, dst: Reg): void {
    this.e.mov(dst, this.reg(value, dst));
  }

  release(value: Value): void {
    if (value.kind === 'temp') this.regs.release(value.temp);
  }

  /**
   * Ends a test compiled to jumps as a 0/1 value in `temp`: code that falls through to here
   * gives `fallthrough`, code that jumped to `jumped` gives the opposite.
   */
  truthValue(temp: Temp, fallthrough: boolean, jumped: Label): Value {
    const out = this.regs.target(temp, Reg.R0);
    const done = this.e.newLabel();
    this.e.movConst(out, fallthrough ? 1n : 0n);
    this.e.goto(done);
    this.e.bind(jumped);
    this.e.movConst(out, fallthrough ? 0n : 1n);
    this.e.bind(done);
    this.regs.write(temp, out);
    return inTemp(temp);
  }

  /** Runs `op` on the temp's register (loading/storing a spilled temp around it). */
  update(temp: Temp, op: (reg: Reg) => void, scratch: Reg = Reg.R0): void {
    const reg = this.regs.read(temp, scratch);
    op(reg);
    if (temp.reg === undefined) this.regs.write(temp, reg);
  }

  /** Brings a 64-bit register value into the canonical form of `type`: narrow integers
   *  zero- or sign-extended from their width by their signedness. */
  canonicalize(reg: Reg, type: Type): void {
    if (type.kind !== 'int' || type.size === 8) return;
    const bits = type.size * 8;
    if (type.signed) {
      this.e.alu(AluOp.LSH, reg, { imm: 64 - bits });
      this.e.alu(AluOp.ARSH, reg, { imm: 64 - bits });
    } else if (bits === 32) {
      this.e.alu(AluOp.LSH, reg, { imm: 32 });
      this.e.alu(AluOp.RSH, reg, { imm: 32 });
    } else {
      this.e.alu(AluOp.AND, reg, { imm: bits === 8 ? 0xff : 0xffff });
    }
  }

  /** Reads an integer of `size` bytes at base+offset into a fresh temp, canonical for
   *  `signed`. */
  loadInt(base: Reg, offset: number, size: number, signed: boolean): Value {
    const temp = this.regs.alloc();
    const reg = this.regs.target(temp, Reg.R5);
    this.e.load(sizeField(size), reg, base, offset);
    if (signed && size < 8) {
      this.e.alu(AluOp.LSH, reg, { imm: 64 - size * 8 });
      this.e.alu(AluOp.ARSH, reg, { imm: 64 - size * 8 });
    }
    this.regs.write(temp, reg);
    return inTemp(temp);
  }

  /** Stores the low `size` bytes of an integer value at base+offset. */
  storeInt(value: Value, base: Reg, offset: number, size: number): void {
    if (value.kind === 'mem' || value.kind === 'bytes')
      throw new Error('internal: memory value used as an integer');
    if (value.kind === 'const' && offset % size !== 0 && base === Reg.R10) {
      const bytes = new Uint8Array(size);
      new DataView(bytes.buffer).setBigUint64(0, BigInt.asUintN(64, value.value), true);
      this.writeBytes(offset, bytes, size);
      return;
    }
    if (value.kind === 'const' && offset % size === 0 && (size < 8 || fitsImm32(value.value))) {
      this.e.storeImm(sizeField(size), base, offset, Number(BigInt.asIntN(32, value.value)));
      return;
    }
    this.storeRegister(this.reg(value, Reg.R5), base, offset, size);
  }

  /** Stores the low `size` bytes of `reg`; a misaligned place (packed keys) is written in
   *  aligned pieces through r5, since the kernel refuses misaligned stack access. */
  storeRegister(reg: Reg, base: Reg, offset: number, size: number): void {
    if (offset % size === 0) {
      this.e.store(sizeField(size), base, offset, reg);
      return;
    }
    this.e.mov(Reg.R5, reg);
    let at = 0;
    while (at < size) {
      const chunk = alignedChunk(size - at, offset + at);
      this.e.store(sizeField(chunk), base, offset + at, Reg.R5);
      at += chunk;
      if (at < size) this.e.alu(AluOp.RSH, Reg.R5, { imm: chunk * 8 });
    }
  }

  // --- stack memory ------------------------------------------------------------------

  /** A fresh zeroed block of `size` bytes; returns its offset. */
  allocZeroed(size: number): number {
    const offset = this.frame.alloc(size);
    this.zero(offset, size);
    return offset;
  }

  zero(offset: number, size: number): void {
    let at = 0;
    while (at < size) {
      const chunk = alignedChunk(size - at, offset + at);
      this.e.storeImm(sizeField(chunk), Reg.R10, offset + at, 0);
      at += chunk;
    }
  }

  /** Copies `size` bytes from src+srcOffset to dst+dstOffset through `scratch`. */
  copy(
    dst: Reg,
    dstOffset: number,
    src: Reg,
    srcOffset: number,
    size: number,
    scratch: Reg = Reg.R5,
  ): void {
    let at = 0;
    while (at < size) {
      const chunk = alignedChunk(size - at, dstOffset + at, srcOffset + at);
      this.e.load(sizeField(chunk), scratch, src, srcOffset + at);
      this.e.store(sizeField(chunk), dst, dstOffset + at, scratch);
      at += chunk;
    }
  }

  /** dst = r10 + offset */
  stackAddress(dst: Reg, offset: number): void {
    this.e.mov(dst, Reg.R10);
    this.e.alu(AluOp.ADD, dst, { imm: offset });
  }

  /** A memory value's stack offset, writing known bytes to a fresh block first. */
  materialize(value: Value): number {
    if (value.kind === 'mem') return value.offset;
    if (value.kind !== 'bytes') throw new Error('internal: integer used as a memory value');
    const offset = this.frame.alloc(value.bytes.length);
    this.writeBytes(offset, value.bytes, blockSize(value.bytes.length));
    return offset;
  }

  /** Writes literal bytes (zero-padded to `size`) at r10+offset; with `zeroed`, the block
   *  is already zero and zero words are skipped. */
  writeBytes(offset: number, bytes: Uint8Array, size: number, zeroed = false): void {
    const read = (at: number, n: number) => {
      let v = 0;
      for (let i = n - 1; i >= 0; i--) v = v * 256 + (bytes[at + i] ?? 0);
      return v;
    };
    let at = 0;
    while (at < size) {
      const chunk = alignedChunk(size - at, offset + at);
      if (chunk === 8) {
        const lo = read(at, 4) | 0;
        const hi = read(at + 4, 4) | 0;
        // A doubleword store sign-extends its imm32: one store when that gives the bytes.
        if (hi === (lo < 0 ? -1 : 0)) {
          if (lo !== 0 || hi !== 0 || !zeroed) this.e.storeImm(Size.DW, Reg.R10, offset + at, lo);
        } else {
          if (lo !== 0 || !zeroed) this.e.storeImm(Size.W, Reg.R10, offset + at, lo);
          if (hi !== 0 || !zeroed) this.e.storeImm(Size.W, Reg.R10, offset + at + 4, hi);
        }
      } else {
        const v = read(at, chunk);
        if (v !== 0 || !zeroed)
          this.e.storeImm(sizeField(chunk), Reg.R10, offset + at, chunk === 4 ? v | 0 : v);
      }
      at += chunk;
    }
  }
}

export function fitsImm32(value: bigint): boolean {
  return value >= -(1n << 31n) && value < 1n << 31n;
}

/** The widest access of at most `left` bytes that is aligned at every given offset. */
export function alignedChunk(left: number, ...offsets: number[]): 1 | 2 | 4 | 8 {
  for (const size of [8, 4, 2] as const) {
    if (size <= left && offsets.every((o) => ((o % size) + size) % size === 0)) return size;
  }
  return 1;
}
