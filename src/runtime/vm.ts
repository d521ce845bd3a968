// The eBPF interpreter. Programs are pre-decoded into typed arrays indexed by slot; registers
// are kept as 32-bit halves (lo/hi Int32Arrays) so the hot path needs no BigInt. An
// `Executable` runs on a `Machine` (registers + address space + helpers); a JS-generating JIT
// can later provide another Executable for a verified program with the same Machine.

import { decode } from '../../compiler/isa/encode';
import type { Instruction } from '../../compiler/isa/instruction';
import {
  accessSize,
  AluOp,
  ATOMIC_FETCH,
  AtomicOp,
  CallSrc,
  CLASS_MASK,
  Class,
  JmpOp,
  LDDW,
  MODE_MASK,
  Mode,
  OP_MASK,
  PseudoSrc,
  SOURCE_MASK,
  Source,
} from '../../compiler/isa/opcode';
import {
  AddressSpace,
  CTX_REGION,
  FRAME_SIZE,
  MAX_FRAMES,
  REGION_HI_BASE,
  STACK_REGION,
  STACK_SIZE,
  regionAddress,
} from './memory';

/** A runtime fault: the program did something the verifier would have refused, or ran too long. */
export class VmError extends Error {
  constructor(
    readonly pc: number,
    message: string,
  ) {
    super(`VM error at instruction ${pc}: ${message}`);
    this.name = 'VmError';
  }
}

/**
 * A helper function: reads its arguments from m (r1-r5) and returns r0, or, on the hot path,
 * writes r0 into m.lo[0]/m.hi[0] itself and returns undefined (no BigInt per call).
 */
export type HelperFn = (m: Machine) => bigint | undefined;

export const DEFAULT_INSTRUCTION_BUDGET = 1_000_000;

const TWO32 = 4294967296;

/** Registers, memory and helpers that programs run on. */
export class Machine {
  readonly lo = new Int32Array(11);
  readonly hi = new Int32Array(11);
  readonly memory = new AddressSpace();
  /** Instructions executed by the last run. */
  executed = 0;
  /** Call frames below the current one (0 in the main program), their return slots and the
   *  r6-r9 they saved (lo, hi pairs from r9 down): shared by both executors, so that the
   *  JIT can hand a frame to the interpreter in the middle of a run. */
  depth = 0;
  readonly retPc: number[] = [];
  readonly saved: number[] = [];
  /** Set by the running program: calls its subprogram at `pc` with r1..r5 = args on a new
   *  stack frame and returns its r0, keeping the caller's r6-r10 (for callback helpers). */
  callSubprogram?: (pc: number, args: bigint[]) => bigint;

  constructor(
    readonly helpers: ReadonlyArray<HelperFn | undefined>,
    public budget = DEFAULT_INSTRUCTION_BUDGET,
  ) {
    this.memory.setFixed(STACK_REGION, new Uint8Array(STACK_SIZE), true);
    this.memory.setFixed(CTX_REGION, new Uint8Array(0), false);
  }

  reg(i: number): bigint {
    return (BigInt(this.hi[i]! >>> 0) << 32n) | BigInt(this.lo[i]! >>> 0);
  }

  setReg(i: number, value: bigint): void {
    const v = BigInt.asUintN(64, value);
    this.lo[i] = Number(v & 0xffffffffn) | 0;
    this.hi[i] = Number(v >> 32n) | 0;
  }

  /**
   * Clears registers, the top `stackBytes` of the stack (all of it by default; a program
   * without calls uses one frame) and dynamic regions, and points r10 at the top of the stack.
   */
  reset(stackBytes = STACK_SIZE): void {
    this.memory.bytes[STACK_REGION]!.fill(0, STACK_SIZE - stackBytes);
    this.lo.fill(0);
    this.hi.fill(0);
    this.memory.reset();
    this.lo[10] = STACK_SIZE;
    this.hi[10] = REGION_HI_BASE + STACK_REGION;
    this.clearFrames();
  }

  /** Forgets every call frame (the main program runs on frame 0). */
  clearFrames(): void {
    this.depth = 0;
    // Setting an array's length is a slow runtime call even when it is already 0.
    if (this.retPc.length > 0) this.retPc.length = 0;
    if (this.saved.length > 0) this.saved.length = 0;
  }

  /** The callback runner of `executor` for this Machine, made once per pair. */
  callbackRunner(
    executor: object,
    make: () => Machine['callSubprogram'],
  ): Machine['callSubprogram'] {
    if (this.runnerOwner !== executor) {
      this.runnerOwner = executor;
      this.runner = make();
    }
    return this.runner;
  }
  private runnerOwner: object | undefined;
  private runner: Machine['callSubprogram'];
}

/** High half of a subprogram address (`lddw src=4`): (FUNC_PTR_HI << 32) | slot. */
export const FUNC_PTR_HI = 0xffff8000;

/** The slot a subprogram address points to, or undefined for another value. */
export function funcTarget(address: bigint): number | undefined {
  return address >> 32n === BigInt(FUNC_PTR_HI) ? Number(address & 0xffffffffn) : undefined;
}

/** Something that runs a program on a Machine whose registers are set up; returns r0. */
export interface Executable {
  execute(m: Machine): bigint;
  /** execute() without building r0 as a BigInt (it stays in m.lo[0]/m.hi[0]). */
  invoke(m: Machine): void;
}

/** A decoded program in typed arrays, indexed by slot (an lddw's second slot is unused). */
export class DecodedProgram {
  readonly op: Uint8Array;
  readonly dst: Uint8Array;
  readonly src: Uint8Array;
  readonly off: Int16Array;
  readonly imm: Int32Array;
  /** High 32 bits of an lddw constant, at the lddw's slot. */
  readonly immHi: Int32Array;
  readonly slots: number;

  constructor(readonly insns: readonly Instruction[]) {
    let slots = 0;
    for (const i of insns) slots += i.opcode === LDDW ? 2 : 1;
    this.slots = slots;
    this.op = new Uint8Array(slots);
    this.dst = new Uint8Array(slots);
    this.src = new Uint8Array(slots);
    this.off = new Int16Array(slots);
    this.imm = new Int32Array(slots);
    this.immHi = new Int32Array(slots);
    let s = 0;
    for (const i of insns) {
      this.op[s] = i.opcode;
      this.dst[s] = i.dst;
      this.src[s] = i.src;
      this.off[s] = i.offset;
      this.imm[s] = i.imm;
      if (i.opcode === LDDW) {
        const v = BigInt.asUintN(64, i.imm64 ?? BigInt(i.imm));
        this.imm[s] = Number(v & 0xffffffffn) | 0;
        this.immHi[s] = Number(v >> 32n) | 0;
        s += 2;
      } else s++;
    }
  }

  /** Stack bytes a run can touch: one frame, or every frame when it calls subprograms
   *  (bpf-to-bpf calls or callbacks). */
  get stackBytes(): number {
    for (let s = 0; s < this.slots; s++) {
      const op = this.op[s]!;
      if (op === LDDW && this.src[s] === PseudoSrc.Func) return STACK_SIZE;
      if (op === (Class.JMP | JmpOp.CALL) && this.src[s] === CallSrc.Local) return STACK_SIZE;
      if (op === LDDW) s++;
    }
    return FRAME_SIZE;
  }

  static fromBytes(bytes: Uint8Array): DecodedProgram {
    return new DecodedProgram(decode(bytes));
  }
}

/**
 * Resolves an lddw with a pseudo source (map fd, map value…) into the 64-bit value the
 * program sees; returns undefined for a plain constant.
 */
export type PseudoResolver = (src: number, imm: number, immHi: number) => bigint | undefined;

/** The interpreter. */
export class Interpreter implements Executable {
  /** Values of lddw pseudo forms, resolved once (undefined entries are plain constants). */
  readonly pseudo: (bigint | undefined)[];

  constructor(
    readonly program: DecodedProgram,
    resolvePseudo?: PseudoResolver,
  ) {
    this.pseudo = [];
    const p = program;
    for (let s = 0; s < p.slots; s++)
      if (p.op[s] === LDDW && p.src[s] !== 0) {
        const v =
          p.src[s] === PseudoSrc.Func
            ? (BigInt(FUNC_PTR_HI) << 32n) | BigInt((s + p.imm[s]! + 1) >>> 0)
            : resolvePseudo?.(p.src[s]!, p.imm[s]!, p.immHi[s]!);
        if (v === undefined) throw new VmError(s, `unsupported lddw pseudo source ${p.src[s]}`);
        this.pseudo[s] = v;
      }
  }

  execute(m: Machine): bigint {
    this.invoke(m);
    return m.reg(0);
  }

  invoke(m: Machine): void {
    m.executed = 0;
    m.clearFrames();
    this.run(m, 0, 0);
  }

  /**
   * Runs from `start` (with the Machine's registers, frames and instruction count) until
   * frame `base` exits; returns r0.
   */
  run(m: Machine, start: number, base: number): void {
    const { op: OP, dst: DST, src: SRC, off: OFF, imm: IMM, immHi: IMMHI, slots } = this.program;
    const lo = m.lo;
    const hi = m.hi;
    const mem = m.memory;
    // Kept below 2^30 so the counter stays a small integer in the hot loop.
    const budget = Math.min(m.budget, 0x3fffffff);
    const pseudo = this.pseudo;
    let pc = start;
    let executed = m.executed;
    const retPc = m.retPc;
    const saved = m.saved;
    let depth = m.depth;
    const outer = m.callSubprogram;
    m.callSubprogram = m.callbackRunner(
      this,
      () => (target, args) =>
        callSubprogram(m, target, args, () => {
          this.run(m, target, m.depth);
          return m.reg(0);
        }),
    );
    for (;;) {
      if (pc >= slots || pc < 0) throw new VmError(pc, 'jump out of the program');
      if (++executed > budget) {
        m.executed = executed;
        throw new VmError(pc, `instruction budget of ${budget} exhausted`);
      }
      const opcode = OP[pc]!;
      const d = DST[pc]!;
      // The most frequent instructions are handled inline; the rest by class below.
      switch (opcode) {
        case 0xb7: // r = imm
          lo[d] = IMM[pc]!;
          hi[d] = IMM[pc]! >> 31;
          pc++;
          continue;
        case 0xbf: // r = r
          if (OFF[pc] !== 0) break;
          lo[d] = lo[SRC[pc]!]!;
          hi[d] = hi[SRC[pc]!]!;
          pc++;
          continue;
        case 0x07: {
          // r += imm
          const b = IMM[pc]!;
          const l = (lo[d]! >>> 0) + (b >>> 0);
          lo[d] = l | 0;
          hi[d] = (hi[d]! + (b >> 31) + (l >= TWO32 ? 1 : 0)) | 0;
          pc++;
          continue;
        }
        case 0x0f: {
          // r += r
          const s = SRC[pc]!;
          const l = (lo[d]! >>> 0) + (lo[s]! >>> 0);
          lo[d] = l | 0;
          hi[d] = (hi[d]! + hi[s]! + (l >= TWO32 ? 1 : 0)) | 0;
          pc++;
          continue;
        }
        case 0x57: // r &= imm
          lo[d] = lo[d]! & IMM[pc]!;
          hi[d] = hi[d]! & (IMM[pc]! >> 31);
          pc++;
          continue;
        case 0xaf: // r ^= r
          lo[d] = lo[d]! ^ lo[SRC[pc]!]!;
          hi[d] = hi[d]! ^ hi[SRC[pc]!]!;
          pc++;
          continue;
        case 0xb4: // w = imm
          lo[d] = IMM[pc]!;
          hi[d] = 0;
          pc++;
          continue;
        case 0xbc: // w = w
          if (OFF[pc] !== 0) break;
          lo[d] = lo[SRC[pc]!]!;
          hi[d] = 0;
          pc++;
          continue;
        case 0x27: // r *= imm
        case 0x2f: {
          const isX = opcode === 0x2f;
          const s = SRC[pc]!;
          const bl = isX ? lo[s]! : IMM[pc]!;
          mul64(lo, hi, d, bl, isX ? hi[s]! : bl >> 31);
          pc++;
          continue;
        }
        case 0x7a: // *(u64 *)(r + off) = imm
        case 0x62: {
          const view = access(mem, pc, lo[d]!, hi[d]!, OFF[pc]!, opcode === 0x7a ? 8 : 4, true);
          const at = scratch[0]!;
          view.setInt32(at, IMM[pc]!, true);
          if (opcode === 0x7a) view.setInt32(at + 4, IMM[pc]! >> 31, true);
          pc++;
          continue;
        }
        case 0xa5: {
          // if r < imm (unsigned)
          const bh = (IMM[pc]! >> 31) >>> 0;
          const ah = hi[d]! >>> 0;
          pc += ah < bh || (ah === bh && lo[d]! >>> 0 < IMM[pc]! >>> 0) ? OFF[pc]! + 1 : 1;
          continue;
        }
        case 0x25: {
          // if r > imm (unsigned)
          const bh = (IMM[pc]! >> 31) >>> 0;
          const ah = hi[d]! >>> 0;
          pc += ah > bh || (ah === bh && lo[d]! >>> 0 > IMM[pc]! >>> 0) ? OFF[pc]! + 1 : 1;
          continue;
        }
        case 0x05: // goto
          pc += OFF[pc]! + 1;
          continue;
        case 0x15: // if r == imm
          pc += lo[d] === IMM[pc] && hi[d] === IMM[pc]! >> 31 ? OFF[pc]! + 1 : 1;
          continue;
        case 0x55: // if r != imm
          pc += lo[d] !== IMM[pc] || hi[d] !== IMM[pc]! >> 31 ? OFF[pc]! + 1 : 1;
          continue;
        case 0x1d: {
          const s = SRC[pc]!;
          pc += lo[d] === lo[s] && hi[d] === hi[s] ? OFF[pc]! + 1 : 1;
          continue;
        }
        case 0x5d: {
          const s = SRC[pc]!;
          pc += lo[d] !== lo[s] || hi[d] !== hi[s] ? OFF[pc]! + 1 : 1;
          continue;
        }
        case 0x79: // r = *(u64 *)(r + off)
        case 0x61: {
          const view = access(
            mem,
            pc,
            lo[SRC[pc]!]!,
            hi[SRC[pc]!]!,
            OFF[pc]!,
            opcode === 0x79 ? 8 : 4,
            false,
          );
          const at = scratch[0]!;
          lo[d] = view.getInt32(at, true);
          hi[d] = opcode === 0x79 ? view.getInt32(at + 4, true) : 0;
          pc++;
          continue;
        }
        case 0x7b: // *(u64 *)(r + off) = r
        case 0x63: {
          const s = SRC[pc]!;
          const view = access(mem, pc, lo[d]!, hi[d]!, OFF[pc]!, opcode === 0x7b ? 8 : 4, true);
          const at = scratch[0]!;
          view.setInt32(at, lo[s]!, true);
          if (opcode === 0x7b) view.setInt32(at + 4, hi[s]!, true);
          pc++;
          continue;
        }
      }
      switch (opcode & CLASS_MASK) {
        case Class.ALU64: {
          let bl: number, bh: number;
          if ((opcode & SOURCE_MASK) === Source.X) {
            const s = SRC[pc]!;
            bl = lo[s]!;
            bh = hi[s]!;
          } else {
            bl = IMM[pc]!;
            bh = bl >> 31;
          }
          alu64(m, pc, opcode & OP_MASK, d, bl, bh, OFF[pc]!, IMM[pc]!);
          pc++;
          break;
        }
        case Class.ALU: {
          const isX = (opcode & SOURCE_MASK) === Source.X;
          alu32(
            m,
            pc,
            opcode & OP_MASK,
            isX,
            d,
            isX ? lo[SRC[pc]!]! : IMM[pc]!,
            OFF[pc]!,
            IMM[pc]!,
          );
          pc++;
          break;
        }
        case Class.JMP:
        case Class.JMP32: {
          const jop = opcode & OP_MASK;
          if (jop === JmpOp.JA) {
            pc += (opcode & CLASS_MASK) === Class.JMP32 ? IMM[pc]! + 1 : OFF[pc]! + 1;
            break;
          }
          if (jop === JmpOp.EXIT) {
            if (depth === base) {
              m.executed = executed;
              m.callSubprogram = outer;
              return;
            }
            m.depth = --depth;
            for (let r = 6; r <= 9; r++) {
              hi[r] = saved.pop()!;
              lo[r] = saved.pop()!;
            }
            m.setReg(10, regionAddress(STACK_REGION, STACK_SIZE - FRAME_SIZE * depth));
            pc = retPc.pop()!;
            break;
          }
          if (jop === JmpOp.CALL) {
            const srcKind = SRC[pc]!;
            if ((opcode & SOURCE_MASK) === Source.K && srcKind === CallSrc.Local) {
              if (depth + 1 >= MAX_FRAMES) throw new VmError(pc, 'too many nested calls');
              retPc.push(pc + 1);
              for (let r = 9; r >= 6; r--) {
                saved.push(lo[r]!);
                saved.push(hi[r]!);
              }
              m.depth = ++depth;
              m.setReg(10, regionAddress(STACK_REGION, STACK_SIZE - FRAME_SIZE * depth));
              pc += IMM[pc]! + 1;
              break;
            }
            let id: number;
            if ((opcode & SOURCE_MASK) === Source.X) {
              // callx: the helper id is in dst_reg.
              if (hi[d] !== 0) throw new VmError(pc, 'callx target out of range');
              id = lo[d]! >>> 0;
            } else if (srcKind === CallSrc.Helper) id = IMM[pc]!;
            else throw new VmError(pc, 'kfunc calls are not supported');
            const helper = m.helpers[id];
            if (!helper) throw new VmError(pc, `unknown helper ${id}`);
            m.executed = executed;
            const r0 = helper(m);
            if (r0 !== undefined) m.setReg(0, r0);
            executed = m.executed;
            for (let r = 1; r <= 5; r++) {
              lo[r] = 0;
              hi[r] = 0;
            }
            pc++;
            break;
          }
          const al = lo[d]!;
          let ah = hi[d]!;
          let bl: number, bh: number;
          if ((opcode & SOURCE_MASK) === Source.X) {
            const s = SRC[pc]!;
            bl = lo[s]!;
            bh = hi[s]!;
          } else {
            bl = IMM[pc]!;
            bh = bl >> 31;
          }
          if ((opcode & CLASS_MASK) === Class.JMP32) {
            const signed = isSignedJump(jop);
            ah = signed ? al >> 31 : 0;
            bh = signed ? bl >> 31 : 0;
          }
          pc += compare(jop, al, ah, bl, bh) ? OFF[pc]! + 1 : 1;
          break;
        }
        case Class.LDX: {
          const size = accessSize(opcode);
          const view = access(mem, pc, lo[SRC[pc]!]!, hi[SRC[pc]!]!, OFF[pc]!, size, false);
          const at = scratch[0]!;
          const signed = (opcode & MODE_MASK) === Mode.MEMSX;
          switch (size) {
            case 1:
              lo[d] = signed ? view.getInt8(at) : view.getUint8(at);
              hi[d] = signed ? lo[d]! >> 31 : 0;
              break;
            case 2:
              lo[d] = signed ? view.getInt16(at, true) : view.getUint16(at, true);
              hi[d] = signed ? lo[d]! >> 31 : 0;
              break;
            case 4:
              lo[d] = view.getInt32(at, true);
              hi[d] = signed ? lo[d]! >> 31 : 0;
              break;
            default:
              lo[d] = view.getInt32(at, true);
              hi[d] = view.getInt32(at + 4, true);
          }
          pc++;
          break;
        }
        case Class.ST:
        case Class.STX: {
          const size = accessSize(opcode);
          const isStx = (opcode & CLASS_MASK) === Class.STX;
          if (isStx && (opcode & MODE_MASK) === Mode.ATOMIC) {
            atomic(m, pc, d, SRC[pc]!, OFF[pc]!, size, IMM[pc]!);
            pc++;
            break;
          }
          const view = access(mem, pc, lo[d]!, hi[d]!, OFF[pc]!, size, true);
          const at = scratch[0]!;
          let vl: number, vh: number;
          if (isStx) {
            vl = lo[SRC[pc]!]!;
            vh = hi[SRC[pc]!]!;
          } else {
            vl = IMM[pc]!;
            vh = vl >> 31;
          }
          switch (size) {
            case 1:
              view.setUint8(at, vl & 0xff);
              break;
            case 2:
              view.setUint16(at, vl & 0xffff, true);
              break;
            case 4:
              view.setInt32(at, vl, true);
              break;
            default:
              view.setInt32(at, vl, true);
              view.setInt32(at + 4, vh, true);
          }
          pc++;
          break;
        }
        case Class.LD: {
          if (opcode !== LDDW) throw new VmError(pc, 'legacy packet access is not supported');
          const value = pseudo[pc];
          if (value !== undefined) m.setReg(d, value);
          else {
            lo[d] = IMM[pc]!;
            hi[d] = IMMHI[pc]!;
          }
          pc += 2;
          break;
        }
      }
    }
  }
}

/**
 * A callback helper's call of the subprogram at `target`: r1..r5 = args on a new stack frame,
 * `run` runs it until it exits; the caller's r6-r10 and frame depth are kept.
 */
export function callSubprogram(
  m: Machine,
  target: number,
  args: readonly bigint[],
  run: () => bigint,
): bigint {
  const depth = m.depth;
  if (depth + 1 >= MAX_FRAMES) throw new VmError(target, 'too many nested calls');
  const keep = [6, 7, 8, 9, 10].map((r) => m.reg(r));
  args.forEach((v, i) => m.setReg(i + 1, v));
  m.setReg(10, regionAddress(STACK_REGION, STACK_SIZE - FRAME_SIZE * (depth + 1)));
  m.depth = depth + 1;
  try {
    return run();
  } finally {
    m.depth = depth;
    keep.forEach((v, i) => m.setReg(i + 6, v));
  }
}

function vmFault(pc: number, message: string): never {
  throw new VmError(pc, message);
}

/** Offset of the last successful `access`, kept outside closures so the hot loop stays fast. */
const scratch = new Int32Array(1);

/** Checks an access of `size` bytes at register value hi:lo + off; returns the region's view. */
function access(
  mem: AddressSpace,
  pc: number,
  rlo: number,
  rhi: number,
  off: number,
  size: number,
  write: boolean,
): DataView {
  let aLo = (rlo >>> 0) + off;
  let aHi = rhi >>> 0;
  if (aLo < 0) {
    aLo += TWO32;
    aHi = (aHi - 1) >>> 0;
  } else if (aLo >= TWO32) {
    aLo -= TWO32;
    aHi = (aHi + 1) >>> 0;
  }
  const region = aHi - REGION_HI_BASE;
  if (region < 0 || region >= mem.count)
    throw new VmError(
      pc,
      `invalid memory access at 0x${aHi.toString(16)}${aLo.toString(16).padStart(8, '0')}`,
    );
  if (aLo + size > mem.bytes[region]!.length)
    throw new VmError(
      pc,
      `out of bounds access: offset ${aLo} size ${size} in a region of ${mem.bytes[region]!.length} bytes`,
    );
  if (write && !mem.writable[region]) throw new VmError(pc, 'write to read-only memory');
  scratch[0] = aLo;
  return mem.views[region]!;
}

function isSignedJump(op: number): boolean {
  return op === JmpOp.JSGT || op === JmpOp.JSGE || op === JmpOp.JSLT || op === JmpOp.JSLE;
}

/** Compares a = ah:al with b = bh:bl (hi halves already sign- or zero-extended for 32-bit). */
function compare(op: number, al: number, ah: number, bl: number, bh: number): boolean {
  switch (op) {
    case JmpOp.JEQ:
      return al === bl && ah === bh;
    case JmpOp.JNE:
      return al !== bl || ah !== bh;
    case JmpOp.JSET:
      return (al & bl) !== 0 || (ah & bh) !== 0;
    case JmpOp.JGT:
      return ah >>> 0 > bh >>> 0 || (ah === bh && al >>> 0 > bl >>> 0);
    case JmpOp.JGE:
      return ah >>> 0 > bh >>> 0 || (ah === bh && al >>> 0 >= bl >>> 0);
    case JmpOp.JLT:
      return ah >>> 0 < bh >>> 0 || (ah === bh && al >>> 0 < bl >>> 0);
    case JmpOp.JLE:
      return ah >>> 0 < bh >>> 0 || (ah === bh && al >>> 0 <= bl >>> 0);
    case JmpOp.JSGT:
      return (ah | 0) > (bh | 0) || (ah === bh && al >>> 0 > bl >>> 0);
    case JmpOp.JSGE:
      return (ah | 0) > (bh | 0) || (ah === bh && al >>> 0 >= bl >>> 0);
    case JmpOp.JSLT:
      return (ah | 0) < (bh | 0) || (ah === bh && al >>> 0 < bl >>> 0);
    case JmpOp.JSLE:
      return (ah | 0) < (bh | 0) || (ah === bh && al >>> 0 <= bl >>> 0);
  }
  return false;
}

function toBig(l: number, h: number): bigint {
  return (BigInt(h >>> 0) << 32n) | BigInt(l >>> 0);
}

function setBig(m: Machine, r: number, v: bigint): void {
  m.setReg(r, v);
}

function bswap32(x: number): number {
  return ((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24);
}

/** hi:lo[d] *= bh:bl modulo 2^64, in 16-bit pieces so every partial product is exact. */
function mul64(lo: Int32Array, hi: Int32Array, d: number, bl: number, bh: number): void {
  const al = lo[d]!;
  const ah = hi[d]!;
  const a0 = al & 0xffff;
  const a1 = al >>> 16;
  const b0 = bl & 0xffff;
  const b1 = bl >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  const carry = a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + Math.floor(mid / 65536);
  lo[d] = ((mid & 0xffff) << 16) | (p00 & 0xffff);
  hi[d] = ((carry | 0) + Math.imul(ah, bl) + Math.imul(al, bh)) | 0;
}

function alu64(
  m: Machine,
  pc: number,
  op: number,
  d: number,
  bl: number,
  bh: number,
  off: number,
  imm: number,
): void {
  const lo = m.lo;
  const hi = m.hi;
  const al = lo[d]!;
  const ah = hi[d]!;
  switch (op) {
    case AluOp.ADD: {
      const l = (al >>> 0) + (bl >>> 0);
      lo[d] = l | 0;
      hi[d] = (ah + bh + (l >= TWO32 ? 1 : 0)) | 0;
      return;
    }
    case AluOp.SUB: {
      const l = (al >>> 0) - (bl >>> 0);
      lo[d] = l | 0;
      hi[d] = (ah - bh - (l < 0 ? 1 : 0)) | 0;
      return;
    }
    case AluOp.MUL:
      mul64(lo, hi, d, bl, bh);
      return;
    case AluOp.DIV:
    case AluOp.MOD: {
      const isDiv = op === AluOp.DIV;
      if (off === 1) {
        const a = BigInt.asIntN(64, toBig(al, ah));
        const b = BigInt.asIntN(64, toBig(bl, bh));
        if (b === 0n) {
          if (isDiv) lo[d] = hi[d] = 0;
          return;
        }
        // BigInt truncates like C; INT64_MIN / -1 wraps to INT64_MIN via asUintN in setReg.
        setBig(m, d, isDiv ? a / b : a % b);
        return;
      }
      if (off !== 0) vmFault(pc, `invalid offset ${off} for ${isDiv ? 'div' : 'mod'}`);
      if (bl === 0 && bh === 0) {
        if (isDiv) lo[d] = hi[d] = 0;
        return;
      }
      if (ah === 0 && bh === 0) {
        const a = al >>> 0;
        const b = bl >>> 0;
        lo[d] = (isDiv ? Math.floor(a / b) : a % b) | 0;
        return;
      }
      const a = toBig(al, ah);
      const b = toBig(bl, bh);
      setBig(m, d, isDiv ? a / b : a % b);
      return;
    }
    case AluOp.OR:
      lo[d] = al | bl;
      hi[d] = ah | bh;
      return;
    case AluOp.AND:
      lo[d] = al & bl;
      hi[d] = ah & bh;
      return;
    case AluOp.XOR:
      lo[d] = al ^ bl;
      hi[d] = ah ^ bh;
      return;
    case AluOp.LSH: {
      const n = bl & 63;
      if (n === 0) return;
      if (n < 32) {
        hi[d] = (ah << n) | (al >>> (32 - n));
        lo[d] = al << n;
      } else {
        hi[d] = al << (n - 32);
        lo[d] = 0;
      }
      return;
    }
    case AluOp.RSH: {
      const n = bl & 63;
      if (n === 0) return;
      if (n < 32) {
        lo[d] = (al >>> n) | (ah << (32 - n));
        hi[d] = ah >>> n;
      } else {
        lo[d] = ah >>> (n - 32);
        hi[d] = 0;
      }
      return;
    }
    case AluOp.ARSH: {
      const n = bl & 63;
      if (n === 0) return;
      if (n < 32) {
        lo[d] = (al >>> n) | (ah << (32 - n));
        hi[d] = ah >> n;
      } else {
        lo[d] = ah >> (n - 32);
        hi[d] = ah >> 31;
      }
      return;
    }
    case AluOp.NEG: {
      lo[d] = -al | 0;
      hi[d] = (~ah + (al === 0 ? 1 : 0)) | 0;
      return;
    }
    case AluOp.MOV:
      switch (off) {
        case 0:
          lo[d] = bl;
          hi[d] = bh;
          return;
        case 8:
          lo[d] = (bl << 24) >> 24;
          hi[d] = lo[d]! >> 31;
          return;
        case 16:
          lo[d] = (bl << 16) >> 16;
          hi[d] = lo[d]! >> 31;
          return;
        case 32:
          lo[d] = bl;
          hi[d] = bl >> 31;
          return;
      }
      return vmFault(pc, `invalid movsx offset ${off}`);
    case AluOp.END:
      // ALU64 | END = unconditional byte swap of the low imm bits.
      switch (imm) {
        case 16:
          lo[d] = ((al & 0xff) << 8) | ((al >>> 8) & 0xff);
          hi[d] = 0;
          return;
        case 32:
          lo[d] = bswap32(al);
          hi[d] = 0;
          return;
        case 64:
          lo[d] = bswap32(ah);
          hi[d] = bswap32(al);
          return;
      }
      return vmFault(pc, `invalid bswap width ${imm}`);
  }
  vmFault(pc, `unknown ALU64 operation 0x${op.toString(16)}`);
}

function alu32(
  m: Machine,
  pc: number,
  op: number,
  isX: boolean,
  d: number,
  b: number,
  off: number,
  imm: number,
): void {
  const lo = m.lo;
  const a = lo[d]!;
  let r: number;
  switch (op) {
    case AluOp.ADD:
      r = (a + b) | 0;
      break;
    case AluOp.SUB:
      r = (a - b) | 0;
      break;
    case AluOp.MUL:
      r = Math.imul(a, b);
      break;
    case AluOp.DIV:
      if (off === 1) r = b === 0 ? 0 : (a / b) | 0;
      else r = b === 0 ? 0 : Math.floor((a >>> 0) / (b >>> 0)) | 0;
      break;
    case AluOp.MOD:
      if (off === 1) r = b === 0 ? a : (a % b) | 0;
      else r = b === 0 ? a : ((a >>> 0) % (b >>> 0)) | 0;
      break;
    case AluOp.OR:
      r = a | b;
      break;
    case AluOp.AND:
      r = a & b;
      break;
    case AluOp.XOR:
      r = a ^ b;
      break;
    case AluOp.LSH:
      r = a << (b & 31);
      break;
    case AluOp.RSH:
      r = a >>> (b & 31);
      break;
    case AluOp.ARSH:
      r = a >> (b & 31);
      break;
    case AluOp.NEG:
      r = -a | 0;
      break;
    case AluOp.MOV:
      if (off === 8) r = (b << 24) >> 24;
      else if (off === 16) r = (b << 16) >> 16;
      else if (off === 0) r = b;
      else return vmFault(pc, `invalid movsx offset ${off}`);
      break;
    case AluOp.END: {
      // ALU | END: le = convert to little endian (a no-op here but truncates), be = byte swap.
      const hiHalf = m.hi[d]!;
      if (imm === 64) {
        if (isX) {
          lo[d] = bswap32(hiHalf);
          m.hi[d] = bswap32(a);
        }
        return;
      }
      if (imm === 16) r = isX ? ((a & 0xff) << 8) | ((a >>> 8) & 0xff) : a & 0xffff;
      else if (imm === 32) r = isX ? bswap32(a) : a;
      else return vmFault(pc, `invalid endian width ${imm}`);
      break;
    }
    default:
      return vmFault(pc, `unknown ALU operation 0x${op.toString(16)}`);
  }
  lo[d] = r;
  m.hi[d] = 0;
}

function atomic(
  m: Machine,
  pc: number,
  d: number,
  s: number,
  off: number,
  size: number,
  op: number,
): void {
  const view = access(m.memory, pc, m.lo[d]!, m.hi[d]!, off, size, true);
  const at = scratch[0]!;
  const lo = m.lo;
  const hi = m.hi;
  if (size === 4) {
    const old = view.getInt32(at, true);
    const v = lo[s]!;
    switch (op & ~ATOMIC_FETCH) {
      case AtomicOp.ADD:
        view.setInt32(at, (old + v) | 0, true);
        break;
      case AtomicOp.OR:
        view.setInt32(at, old | v, true);
        break;
      case AtomicOp.AND:
        view.setInt32(at, old & v, true);
        break;
      case AtomicOp.XOR:
        view.setInt32(at, old ^ v, true);
        break;
      case AtomicOp.XCHG & ~ATOMIC_FETCH:
        view.setInt32(at, v, true);
        break;
      case AtomicOp.CMPXCHG & ~ATOMIC_FETCH:
        if (old === lo[0]) view.setInt32(at, v, true);
        lo[0] = old;
        hi[0] = 0;
        return;
      default:
        vmFault(pc, `unknown atomic operation 0x${op.toString(16)}`);
    }
    if (op & ATOMIC_FETCH) {
      lo[s] = old;
      hi[s] = 0;
    }
    return;
  }
  const oldLo = view.getInt32(at, true);
  const oldHi = view.getInt32(at + 4, true);
  const vl = lo[s]!;
  const vh = hi[s]!;
  let nl: number, nh: number;
  switch (op & ~ATOMIC_FETCH) {
    case AtomicOp.ADD: {
      const l = (oldLo >>> 0) + (vl >>> 0);
      nl = l | 0;
      nh = (oldHi + vh + (l >= TWO32 ? 1 : 0)) | 0;
      break;
    }
    case AtomicOp.OR:
      nl = oldLo | vl;
      nh = oldHi | vh;
      break;
    case AtomicOp.AND:
      nl = oldLo & vl;
      nh = oldHi & vh;
      break;
    case AtomicOp.XOR:
      nl = oldLo ^ vl;
      nh = oldHi ^ vh;
      break;
    case AtomicOp.XCHG & ~ATOMIC_FETCH:
      nl = vl;
      nh = vh;
      break;
    case AtomicOp.CMPXCHG & ~ATOMIC_FETCH:
      if (oldLo === lo[0] && oldHi === hi[0]) {
        view.setInt32(at, vl, true);
        view.setInt32(at + 4, vh, true);
      }
      lo[0] = oldLo;
      hi[0] = oldHi;
      return;
    default:
      return vmFault(pc, `unknown atomic operation 0x${op.toString(16)}`);
  }
  view.setInt32(at, nl, true);
  view.setInt32(at + 4, nh, true);
  if (op & ATOMIC_FETCH) {
    lo[s] = oldLo;
    hi[s] = oldHi;
  }
}

/** The interpreter's instruction kernels, shared with the JIT (jit.ts) so both agree exactly. */
export const kernels = { access, scratch, alu64, alu32, atomic };
