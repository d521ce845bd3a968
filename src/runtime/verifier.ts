// The verifier: refuses unsafe programs before they run, like the kernel's. It walks every
// path with abstract register and stack states (types, pointer offsets, scalar ranges),
// prunes a path when an already fully explored state at the same instruction covers it,
// reports a loop whose state repeats exactly on the current path, and stops at a complexity
// limit. Instruction indexes in messages are slot indexes (an lddw takes two), as the
// kernel and llvm-objdump count them.

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
import { invalidOpcodeReason, isValidAtomicOp } from '../../compiler/isa/encode';
import { aluName, jmpName } from '../../compiler/isa/names';
import { FRAME_SIZE, MAX_FRAMES } from './memory';
import {
  UNKNOWN,
  alu32Range,
  alu64Range,
  assume,
  assumeNot,
  constant,
  contains,
  isConst,
  sameScalar,
  signedRange,
  unsignedRange,
  type CmpOp,
  type Scalar,
} from './scalar';
import { evalAlu, evalJump } from './semantics';

export class VerifierError extends Error {
  /** Which probe's program was refused (set by Runtime). */
  probeIndex?: number;

  constructor(
    readonly insnIndex: number,
    message: string,
  ) {
    super(message);
    this.name = 'VerifierError';
  }

  /** `insn N: message`, the way the kernel log locates an error. */
  override toString(): string {
    return `insn ${this.insnIndex}: ${this.message}`;
  }
}

/** How a helper argument is checked. */
export type ArgKind =
  | 'anything' // any initialised value
  | 'ctx' // the context pointer
  | 'map' // a map pointer (lddw src=1)
  | 'mapKey' // pointer to initialised memory of the map's key size
  | 'mapValue' // pointer to initialised memory of the map's value size
  | 'mem' // pointer to initialised memory whose size is the next argument
  | 'uninitMem' // pointer to writable memory (need not be initialised) sized by the next argument
  | 'callback' // a subprogram address (lddw src=4), called as cb(map, key*, value*, ctx)
  | 'callbackCtx' // a stack pointer or 0, passed to the callback as its r4
  | 'size' // size of the previous memory argument, > 0
  | 'sizeOrZero'; // size of the previous memory argument, may be 0

export interface HelperSpec {
  name: string;
  args: ArgKind[];
  ret: 'integer' | 'mapValueOrNull';
  /** Map types the 'map' argument must have (bpf_map_type values); any when absent. */
  mapTypes?: number[];
}

export interface VerifierMap {
  id: number;
  bpfType: number;
  keySize: number;
  valueSize: number;
}

export interface VerifierOptions {
  /**
   * 'kernel' (default) checks like Linux for a tracing program. 'conformance' is the mode the
   * bpf_conformance vectors run in: r1 points to `memorySize` bytes of writable memory instead
   * of the context, shift immediates out of range and division by an immediate 0 are allowed,
   * unreachable instructions are allowed, and `callx` calls the helper whose id is a constant
   * in its register.
   */
  mode?: 'kernel' | 'conformance';
  /** Readable context bytes (kernel mode). Default: x86-64 pt_regs, 168. */
  ctxSize?: number;
  /** Size of the test memory r1 points to (conformance mode). */
  memorySize?: number;
  maps?: readonly VerifierMap[];
  helpers?: ReadonlyMap<number, HelperSpec>;
  /** Instructions processed before giving up, like the kernel's BPF_COMPLEXITY_LIMIT_INSNS. */
  complexityLimit?: number;
}

export const DEFAULT_COMPLEXITY_LIMIT = 1_000_000;
const MAX_VAR_OFFSET = 1 << 29;

// ---- abstract state -------------------------------------------------------------------

/** `func`: a subprogram address, its start slot in `mapId`; `map_key`: a read-only map key
 *  handed to a callback. */
type PtrType =
  'ctx' | 'stack' | 'map_value' | 'map_value_or_null' | 'map_ptr' | 'mem' | 'func' | 'map_key';

type RegState =
  | { readonly t: 'uninit' }
  | { readonly t: 'scalar'; readonly s: Scalar }
  | {
      readonly t: PtrType;
      /** Offset range from the start of the object (stack: from the frame pointer). */
      readonly lo: number;
      readonly hi: number;
      readonly mapId: number;
      readonly frame: number;
      /** Links copies of one map_value_or_null so a null check on one narrows all. */
      readonly id: number;
    };

type PtrState = Extract<RegState, { lo: number }>;

const UNINIT: RegState = { t: 'uninit' };
const scalarOf = (s: Scalar): RegState => ({ t: 'scalar', s });
const UNKNOWN_SCALAR = scalarOf(UNKNOWN);

/** Stack byte kinds. */
const S_UNINIT = 0;
const S_MISC = 1;
const S_SPILL = 2;

class Frame {
  constructor(
    public regs: RegState[],
    readonly bytes: Uint8Array,
    readonly spills: Map<number, RegState>,
    /** Slot of the call instruction that created this frame (-1 for the main program). */
    readonly callsite: number,
    /** Called by a helper (bpf_for_each_map_elem): its r0 goes to the helper, not the caller. */
    readonly callback = false,
  ) {}

  clone(): Frame {
    return new Frame(
      this.regs.slice(),
      this.bytes.slice(),
      new Map(this.spills),
      this.callsite,
      this.callback,
    );
  }
}

class State {
  constructor(public frames: Frame[]) {}
  get cur(): Frame {
    return this.frames[this.frames.length - 1]!;
  }
  clone(): State {
    return new State(this.frames.map((f) => f.clone()));
  }
}

function regEqual(a: RegState, b: RegState): boolean {
  if (a.t !== b.t) return false;
  if (a.t === 'uninit') return true;
  if (a.t === 'scalar') return sameScalar(a.s, (b as { s: Scalar }).s);
  const p = b as PtrState;
  return a.lo === p.lo && a.hi === p.hi && a.mapId === p.mapId && a.frame === p.frame;
}

/** Whether having explored `old` safely proves `cur` safe. */
function regCovers(old: RegState, cur: RegState): boolean {
  if (old.t === 'uninit') return true;
  if (old.t !== cur.t) return false;
  if (old.t === 'scalar') return contains(old.s, (cur as { s: Scalar }).s);
  const p = cur as PtrState;
  return (
    old.lo <= p.lo &&
    old.hi >= p.hi &&
    old.mapId === p.mapId &&
    old.frame === p.frame &&
    (old.lo === old.hi) === (p.lo === p.hi)
  );
}

function statesMatch(old: State, cur: State, exact: boolean): boolean {
  if (old.frames.length !== cur.frames.length) return false;
  const reg = exact ? regEqual : regCovers;
  for (let f = 0; f < old.frames.length; f++) {
    const a = old.frames[f]!;
    const b = cur.frames[f]!;
    if (a.callsite !== b.callsite) return false;
    for (let r = 0; r < 11; r++) if (!reg(a.regs[r]!, b.regs[r]!)) return false;
    for (let i = 0; i < FRAME_SIZE; i++) {
      const x = a.bytes[i]!;
      const y = b.bytes[i]!;
      if (exact ? x !== y : x !== S_UNINIT && x !== y && !(x === S_MISC && y === S_SPILL))
        return false;
    }
    for (const [slot, spilled] of a.spills) {
      const other = b.spills.get(slot);
      if (other === undefined) {
        if (exact) return false;
        continue; // old spill vs cur misc: checked byte-wise above (spill ≠ misc fails)
      }
      if (!reg(spilled, other)) return false;
    }
    if (exact && a.spills.size !== b.spills.size) return false;
  }
  return true;
}

/** A stored state at a prune point, with the number of unfinished paths below it. */
interface Checkpoint {
  pc: number;
  state: State;
  /** Exact identity of `state`, for the infinite-loop check. */
  key: string;
  branches: number;
  parent: Checkpoint | undefined;
  complete: boolean;
}

/** Checkpoints at one prune point. */
interface Explored {
  /** Fully explored states, newest last (only the newest MAX_COMPLETE are compared). */
  complete: Checkpoint[];
  /** Keys of states still being explored (all on the current path), with their counts. */
  active: Map<string, number>;
}

// A loop walked to its bound leaves one state per iteration at its head; keep enough that the
// states of two or three such loops (e.g. strcontains over 64-byte strings) stay comparable.
const MAX_COMPLETE = 256;
/** Instructions walked on a path before it stores another checkpoint (as the kernel does). */
const CHECKPOINT_SPACING = 8;

function stateKey(state: State): string {
  let key = '';
  for (const f of state.frames) {
    key += `|${f.callsite}`;
    for (const r of f.regs) key += `;${regKey(r)}`;
    key += '|' + String.fromCharCode(...f.bytes);
    for (const slot of [...f.spills.keys()].sort((a, b) => a - b))
      key += `;${slot}=${regKey(f.spills.get(slot)!)}`;
  }
  return key;
}

function regKey(r: RegState): string {
  if (r.t === 'uninit') return 'u';
  if (r.t === 'scalar') return `s${r.s.umin},${r.s.umax},${r.s.smin},${r.s.smax}`;
  return `${r.t}${r.lo},${r.hi},${r.mapId},${r.frame}`;
}

interface Path {
  pc: number;
  state: State;
  head: Checkpoint | undefined;
}

function describe(r: RegState): string {
  if (r.t === 'uninit') return 'uninit';
  if (r.t === 'scalar') return isConst(r.s) ? `scalar(${BigInt.asIntN(64, r.s.umin)})` : 'scalar';
  return r.t === 'stack' ? 'fp' : r.t;
}

// ---- the verifier ----------------------------------------------------------------------

/** Verifies `insns`; throws VerifierError naming the slot index and reason. */
export function verify(insns: readonly Instruction[], options: VerifierOptions = {}): void {
  new Verifier(insns, options).run();
}

class Verifier {
  private readonly conformance: boolean;
  /** Instruction at each slot (undefined for an lddw's second half). */
  private readonly at: (Instruction | undefined)[] = [];
  private readonly slots: number;
  private readonly prunePoints = new Set<number>();
  private readonly explored = new Map<number, Explored>();
  private readonly maps = new Map<number, VerifierMap>();
  private readonly limit: number;
  private nextId = 1;
  private processed = 0;

  constructor(
    insns: readonly Instruction[],
    private readonly options: VerifierOptions,
  ) {
    this.conformance = options.mode === 'conformance';
    this.limit = options.complexityLimit ?? DEFAULT_COMPLEXITY_LIMIT;
    for (const insn of insns) {
      this.at.push(insn);
      if (insn.opcode === LDDW) this.at.push(undefined);
    }
    this.slots = this.at.length;
    for (const m of options.maps ?? []) this.maps.set(m.id, m);
  }

  private fail(pc: number, message: string): never {
    throw new VerifierError(pc, message);
  }

  run(): void {
    if (this.slots === 0) this.fail(0, 'empty program');
    this.checkStatic();
    this.explore();
  }

  /** Per-instruction checks and the control-flow graph: ranges, lddw halves, reachability. */
  private checkStatic(): void {
    const reachable = new Uint8Array(this.slots);
    const subprogStarts = new Set<number>([0]);
    for (let pc = 0; pc < this.slots; pc++) {
      const insn = this.at[pc];
      if (!insn) continue;
      const reason = invalidOpcodeReason(insn.opcode);
      if (reason) this.fail(pc, `invalid BPF_${reason} (opcode 0x${insn.opcode.toString(16)})`);
      if (insn.dst > 10 || insn.src > 10)
        this.fail(pc, `R${Math.max(insn.dst, insn.src)} is invalid`);
      const cls = insn.opcode & CLASS_MASK;
      if (insn.opcode === LDDW && insn.src === PseudoSrc.Func) {
        const target = pc + insn.imm + 1;
        this.checkTarget(pc, target);
        subprogStarts.add(target);
        this.prunePoints.add(target);
      }
      if (cls === Class.JMP || cls === Class.JMP32) {
        const op = insn.opcode & OP_MASK;
        if (op === JmpOp.EXIT) continue;
        if (op === JmpOp.CALL) {
          if (insn.src === CallSrc.Local && (insn.opcode & SOURCE_MASK) === Source.K) {
            const target = pc + insn.imm + 1;
            this.checkTarget(pc, target);
            subprogStarts.add(target);
            this.prunePoints.add(pc + 1);
          }
          continue;
        }
        const off = op === JmpOp.JA && cls === Class.JMP32 ? insn.imm : insn.offset;
        const target = pc + off + 1;
        this.checkTarget(pc, target);
        this.prunePoints.add(target);
        if (op !== JmpOp.JA) this.prunePoints.add(pc + 1);
      }
    }
    // The last instruction of the program and of each subprogram must not fall through.
    const starts = [...subprogStarts].sort((a, b) => a - b);
    for (let i = 0; i < starts.length; i++) {
      const end = (i + 1 < starts.length ? starts[i + 1]! : this.slots) - 1;
      const lastPc = this.at[end] ? end : end - 1;
      const last = this.at[lastPc]!;
      const cls = last.opcode & CLASS_MASK;
      const op = last.opcode & OP_MASK;
      if (!((cls === Class.JMP || cls === Class.JMP32) && (op === JmpOp.EXIT || op === JmpOp.JA)))
        this.fail(lastPc, 'last insn is not an exit or jmp');
    }
    if (this.conformance) return;
    // Depth-first reachability from every subprogram start.
    const work = [...starts];
    while (work.length) {
      const pc = work.pop()!;
      if (pc >= this.slots || reachable[pc]) continue;
      reachable[pc] = 1;
      const insn = this.at[pc]!;
      const cls = insn.opcode & CLASS_MASK;
      const op = insn.opcode & OP_MASK;
      if (insn.opcode === LDDW) {
        work.push(pc + 2);
        continue;
      }
      if (cls !== Class.JMP && cls !== Class.JMP32) {
        work.push(pc + 1);
        continue;
      }
      if (op === JmpOp.EXIT) continue;
      if (op === JmpOp.CALL) {
        work.push(pc + 1);
        continue;
      }
      work.push(pc + (op === JmpOp.JA && cls === Class.JMP32 ? insn.imm : insn.offset) + 1);
      if (op !== JmpOp.JA) work.push(pc + 1);
    }
    for (let pc = 0; pc < this.slots; pc++)
      if (this.at[pc] && !reachable[pc]) this.fail(pc, `unreachable insn ${pc}`);
  }

  private checkTarget(pc: number, target: number): void {
    if (target < 0 || target >= this.slots)
      this.fail(pc, `jump out of range from insn ${pc} to ${target}`);
    if (!this.at[target]) this.fail(pc, `jump into the middle of ldimm64 insn ${target - 1}`);
  }

  private initialState(): State {
    const regs: RegState[] = new Array(11).fill(UNINIT);
    if (this.conformance) {
      const size = this.options.memorySize ?? 0;
      regs[1] = size > 0 ? this.ptr('mem', 0, 0, 0) : scalarOf(constant(0n));
      regs[2] = scalarOf(constant(BigInt(size)));
    } else regs[1] = this.ptr('ctx', 0, 0, 0);
    regs[10] = this.ptr('stack', 0, 0, 0);
    return new State([new Frame(regs, new Uint8Array(FRAME_SIZE), new Map(), -1)]);
  }

  private ptr(t: PtrType, off: number, mapId: number, frame: number, id = 0): RegState {
    return { t, lo: off, hi: off, mapId, frame, id };
  }

  private explore(): void {
    const pending: Path[] = [{ pc: 0, state: this.initialState(), head: undefined }];
    while (pending.length) {
      const path = pending.pop()!;
      this.walk(path, pending);
    }
  }

  private finishPath(head: Checkpoint | undefined): void {
    for (let cp = head; cp; cp = cp.parent) {
      if (--cp.branches > 0) return;
      cp.complete = true;
      const at = this.explored.get(cp.pc)!;
      const n = at.active.get(cp.key)! - 1;
      if (n === 0) at.active.delete(cp.key);
      else at.active.set(cp.key, n);
      at.complete.push(cp);
      if (at.complete.length > MAX_COMPLETE) at.complete.shift();
    }
  }

  /** Follows one path to its end, pushing the other side of each undecided branch. */
  private walk(path: Path, pending: Path[]): void {
    let { pc, state, head } = path;
    let sinceCheckpoint = CHECKPOINT_SPACING;
    for (;;) {
      if (++this.processed > this.limit)
        this.fail(
          pc,
          `BPF program is too large. Processed ${this.processed - 1} insn (complexity limit ${this.limit})`,
        );
      sinceCheckpoint++;
      if (this.prunePoints.has(pc)) {
        let at = this.explored.get(pc);
        if (!at) {
          at = { complete: [], active: new Map() };
          this.explored.set(pc, at);
        }
        for (let i = at.complete.length - 1; i >= 0; i--)
          if (statesMatch(at.complete[i]!.state, state, false)) {
            this.finishPath(head);
            return;
          }
        if (sinceCheckpoint >= CHECKPOINT_SPACING) {
          const key = stateKey(state);
          if (at.active.has(key)) this.fail(pc, `infinite loop detected at insn ${pc}`);
          at.active.set(key, 1);
          head = { pc, state: state.clone(), key, branches: 1, parent: head, complete: false };
          sinceCheckpoint = 0;
        }
      }
      const insn = this.at[pc]!;
      const next = this.step(pc, insn, state, (target, other) => {
        if (head) head.branches++;
        pending.push({ pc: target, state: other, head });
      });
      if (next < 0) {
        this.finishPath(head);
        return;
      }
      pc = next;
    }
  }

  // ---- register access ----

  private read(pc: number, state: State, r: number): RegState {
    const v = state.cur.regs[r]!;
    if (v.t === 'uninit') this.fail(pc, `R${r} !read_ok`);
    return v;
  }

  private write(pc: number, state: State, r: number, v: RegState): void {
    if (r === 10) this.fail(pc, 'frame pointer is read only');
    state.cur.regs[r] = v;
  }

  /**
   * Executes one instruction abstractly; returns the next pc, or -1 when the path ends.
   * `fork(pc, state)` queues the other side of a branch.
   */
  private step(
    pc: number,
    insn: Instruction,
    state: State,
    fork: (pc: number, state: State) => void,
  ): number {
    const cls = insn.opcode & CLASS_MASK;
    switch (cls) {
      case Class.ALU:
      case Class.ALU64:
        this.alu(pc, insn, state, cls === Class.ALU64);
        return pc + 1;
      case Class.LD:
        return this.ld(pc, insn, state);
      case Class.LDX:
        this.ldx(pc, insn, state);
        return pc + 1;
      case Class.ST:
      case Class.STX:
        this.store(pc, insn, state);
        return pc + 1;
      default:
        return this.jump(pc, insn, state, fork);
    }
  }

  private alu(pc: number, insn: Instruction, state: State, is64: boolean): void {
    const op = insn.opcode & OP_MASK;
    const name = aluName(op)!.mnemonic;
    const isX = (insn.opcode & SOURCE_MASK) === Source.X;
    const d = insn.dst;
    const bits = is64 ? 64 : 32;
    if (!isX && insn.src !== 0) this.fail(pc, `BPF_ALU uses reserved fields`);
    if (op === AluOp.DIV || op === AluOp.MOD) {
      if (insn.offset !== 0 && insn.offset !== 1) this.fail(pc, 'BPF_ALU uses reserved fields');
      if (!isX && insn.imm === 0 && !this.conformance) this.fail(pc, 'division by zero');
    } else if (op === AluOp.MOV) {
      const ok =
        insn.offset === 0 ||
        (isX && (insn.offset === 8 || insn.offset === 16 || (is64 && insn.offset === 32)));
      if (!ok) this.fail(pc, 'invalid movsx offset');
    } else if (insn.offset !== 0) this.fail(pc, 'BPF_ALU uses reserved fields');
    if ((op === AluOp.LSH || op === AluOp.RSH || op === AluOp.ARSH) && !isX && !this.conformance)
      if (insn.imm < 0 || insn.imm >= bits) this.fail(pc, `invalid shift ${insn.imm}`);
    if (op === AluOp.END && ![16, 32, 64].includes(insn.imm))
      this.fail(pc, `invalid BPF_END imm ${insn.imm}`);

    if (op === AluOp.MOV) {
      const src = isX
        ? this.read(pc, state, insn.src)
        : scalarOf(constant(BigInt(is64 ? insn.imm : insn.imm >>> 0)));
      if (insn.offset !== 0) {
        if (src.t !== 'scalar')
          this.fail(pc, `R${insn.src} sign-extension of a pointer prohibited`);
        const s = src.s;
        const w = insn.offset;
        let r: Scalar;
        if (isConst(s)) r = constant(evalAlu(is64, AluOp.MOV, s.umin, s.umin, w, 0, true));
        else if (is64) r = signedRange(-(1n << BigInt(w - 1)), (1n << BigInt(w - 1)) - 1n);
        else r = unsignedRange(0n, 0xffffffffn);
        this.write(pc, state, d, scalarOf(r));
        return;
      }
      if (is64) this.write(pc, state, d, src);
      else if (src.t === 'scalar')
        this.write(
          pc,
          state,
          d,
          scalarOf(isConst(src.s) ? constant(src.s.umin & 0xffffffffn) : lowRange(src.s)),
        );
      else this.write(pc, state, d, scalarOf(unsignedRange(0n, 0xffffffffn)));
      return;
    }
    const dst = this.read(pc, state, d);
    if (op === AluOp.NEG || op === AluOp.END) {
      if (dst.t !== 'scalar') this.fail(pc, `R${d} pointer arithmetic prohibited`);
      const s = dst.s;
      let r: Scalar;
      if (isConst(s)) r = constant(evalAlu(is64, op, s.umin, 0n, 0, insn.imm, isX));
      else if (op === AluOp.END && insn.imm < 64)
        r = unsignedRange(0n, (1n << BigInt(insn.imm)) - 1n);
      else r = is64 ? UNKNOWN : unsignedRange(0n, 0xffffffffn);
      this.write(pc, state, d, scalarOf(r));
      return;
    }
    const src = isX
      ? this.read(pc, state, insn.src)
      : scalarOf(constant(BigInt(is64 ? insn.imm : insn.imm >>> 0)));
    if (dst.t !== 'scalar' || src.t !== 'scalar') {
      this.write(pc, state, d, this.pointerArithmetic(pc, insn, dst, src, is64));
      return;
    }
    const a = dst.s;
    const b = src.s;
    if ((op === AluOp.DIV || op === AluOp.MOD) && insn.offset === 1) {
      const r =
        isConst(a) && isConst(b)
          ? constant(evalAlu(is64, op, a.umin, b.umin, 1, 0, isX))
          : is64
            ? UNKNOWN
            : unsignedRange(0n, 0xffffffffn);
      this.write(pc, state, d, scalarOf(r));
      return;
    }
    let r: Scalar;
    if (isConst(a) && isConst(b)) r = constant(evalAlu(is64, op, a.umin, b.umin, 0, insn.imm, isX));
    else r = is64 ? alu64Range(name, a, b) : alu32Range(name, a, b);
    this.write(pc, state, d, scalarOf(r));
  }

  private pointerArithmetic(
    pc: number,
    insn: Instruction,
    dst: RegState,
    src: RegState,
    is64: boolean,
  ): RegState {
    const d = insn.dst;
    const op = insn.opcode & OP_MASK;
    // The kernel's messages name the operation by its operator (`-=`), as its disassembler does.
    const operator = aluName(op)!.operator!;
    if (!is64) this.fail(pc, `R${d} 32-bit pointer arithmetic prohibited`);
    if (dst.t !== 'scalar' && src.t !== 'scalar') {
      if (op === AluOp.SUB && dst.t === src.t) return UNKNOWN_SCALAR;
      this.fail(pc, `R${d} pointer ${operator} pointer prohibited`);
    }
    const [p, s] = (dst.t === 'scalar' ? [src, dst] : [dst, src]) as [PtrState, { s: Scalar }];
    if (op === AluOp.AND || op === AluOp.OR || op === AluOp.XOR)
      this.fail(pc, `R${d} bitwise operator ${operator} on pointer prohibited`);
    if (op === AluOp.SUB && dst.t === 'scalar')
      this.fail(pc, `R${d} tried to subtract pointer from scalar`);
    if (op !== AluOp.ADD && op !== AluOp.SUB)
      this.fail(pc, `R${d} pointer arithmetic with ${operator} operator prohibited`);
    if (p.t === 'map_value_or_null')
      this.fail(
        pc,
        `R${d} pointer arithmetic on map_value_or_null prohibited, null-check it first`,
      );
    if (p.t === 'map_ptr') this.fail(pc, `R${d} pointer arithmetic on map_ptr prohibited`);
    const v = s.s;
    if (v.smin < -BigInt(MAX_VAR_OFFSET) || v.smax > BigInt(MAX_VAR_OFFSET))
      this.fail(
        pc,
        `math between ${p.t === 'stack' ? 'fp' : p.t} pointer and register with unbounded min value is not allowed`,
      );
    // As in the kernel, ctx plus a variable is allowed (bpftrace computes `__data_loc`
    // addresses so, for helpers' ARG_ANYTHING); accessing memory through it is not.
    const lo = Number(v.smin);
    const hi = Number(v.smax);
    const isSub = op === AluOp.SUB;
    return { ...p, lo: isSub ? p.lo - hi : p.lo + lo, hi: isSub ? p.hi - lo : p.hi + hi };
  }

  private ld(pc: number, insn: Instruction, state: State): number {
    if (insn.opcode !== LDDW)
      this.fail(pc, 'BPF_LD_[ABS|IND] instructions are not allowed in this program type');
    const value = BigInt.asUintN(64, insn.imm64 ?? BigInt(insn.imm));
    switch (insn.src) {
      case PseudoSrc.Imm64:
        this.write(pc, state, insn.dst, scalarOf(constant(value)));
        break;
      case PseudoSrc.MapFd: {
        const map = this.maps.get(insn.imm);
        if (!map) this.fail(pc, `fd ${insn.imm} is not pointing to valid bpf_map`);
        this.write(pc, state, insn.dst, this.ptr('map_ptr', 0, map.id, 0));
        break;
      }
      case PseudoSrc.MapValue: {
        const map = this.maps.get(insn.imm);
        if (!map) this.fail(pc, `fd ${insn.imm} is not pointing to valid bpf_map`);
        const off = Number(value >> 32n);
        if (off >= map.valueSize)
          this.fail(
            pc,
            `invalid access to map value pointer, value_size=${map.valueSize} off=${off}`,
          );
        this.write(pc, state, insn.dst, this.ptr('map_value', off, map.id, 0));
        break;
      }
      case PseudoSrc.Func:
        this.write(pc, state, insn.dst, this.ptr('func', 0, pc + insn.imm + 1, 0));
        break;
      default:
        this.fail(pc, `unsupported ldimm64 pseudo source ${insn.src}`);
    }
    return pc + 2;
  }

  /** Checks an access of `size` bytes at base register `r` + off; returns the base state. */
  private checkAccess(
    pc: number,
    state: State,
    r: number,
    off: number,
    size: number,
    write: boolean,
  ): PtrState {
    const v = this.read(pc, state, r);
    if (
      v.t === 'scalar' ||
      v.t === 'map_value_or_null' ||
      v.t === 'map_ptr' ||
      v.t === 'func' ||
      v.t === 'uninit'
    )
      this.fail(pc, `R${r} invalid mem access '${v.t}'`);
    const base = v;
    const lo = base.lo + off;
    const hi = base.hi + off + size;
    const region = (limit: number, what: string) => {
      if (lo < 0 || hi > limit)
        this.fail(
          pc,
          `invalid access to ${what}, size=${limit} off=${lo}${base.lo !== base.hi ? `..${hi - size}` : ''} access_size=${size}`,
        );
    };
    switch (base.t) {
      case 'ctx':
        if (base.lo !== base.hi) this.fail(pc, `variable ctx access prohibited`);
        if (write) this.fail(pc, `invalid bpf_context access off=${lo} size=${size}`);
        if (lo < 0 || hi > (this.options.ctxSize ?? 168) || lo % size !== 0)
          this.fail(pc, `invalid bpf_context access off=${lo} size=${size}`);
        break;
      case 'mem':
        region(this.options.memorySize ?? 0, 'memory');
        break;
      case 'map_value':
        region(this.maps.get(base.mapId)!.valueSize, 'map value');
        break;
      case 'map_key':
        if (write) this.fail(pc, `R${r} cannot write into map_key`);
        region(this.maps.get(base.mapId)!.keySize, 'map key');
        break;
      case 'stack':
        if (lo < -FRAME_SIZE || hi > 0)
          this.fail(
            pc,
            `invalid ${write ? 'write to' : 'read from'} stack R${r} off=${lo} size=${size}`,
          );
        break;
    }
    return base;
  }

  private frameOf(state: State, p: PtrState): Frame {
    return state.frames[p.frame]!;
  }

  /** Reads stack bytes [lo, hi) (offsets below the frame pointer); all must be initialised. */
  private checkStackInit(pc: number, frame: Frame, lo: number, hi: number, what: string): void {
    for (let i = lo; i < hi; i++)
      if (frame.bytes[FRAME_SIZE + i] === S_UNINIT)
        this.fail(pc, `invalid read from stack ${what} off ${lo} size ${hi - lo}`);
  }

  /** Marks stack bytes written, destroying overlapped spills. */
  private markStack(frame: Frame, lo: number, hi: number): void {
    for (let slot = Math.floor((FRAME_SIZE + lo) / 8); slot * 8 < FRAME_SIZE + hi; slot++) {
      if (frame.spills.delete(slot)) for (let k = 0; k < 8; k++) frame.bytes[slot * 8 + k] = S_MISC;
    }
    for (let i = lo; i < hi; i++) frame.bytes[FRAME_SIZE + i] = S_MISC;
  }

  private loadedScalar(size: number, signed: boolean): RegState {
    if (size === 8) return UNKNOWN_SCALAR;
    const bits = BigInt(size * 8);
    return scalarOf(
      signed
        ? signedRange(-(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n)
        : unsignedRange(0n, (1n << bits) - 1n),
    );
  }

  private ldx(pc: number, insn: Instruction, state: State): void {
    const size = accessSize(insn.opcode);
    const signed = (insn.opcode & MODE_MASK) === Mode.MEMSX;
    if (insn.imm !== 0) this.fail(pc, 'BPF_LDX uses reserved fields');
    const base = this.checkAccess(pc, state, insn.src, insn.offset, size, false);
    let value = this.loadedScalar(size, signed);
    if (base.t === 'stack') {
      const frame = this.frameOf(state, base);
      const lo = base.lo + insn.offset;
      const hi = base.hi + insn.offset + size;
      this.checkStackInit(pc, frame, lo, hi, `R${insn.src}`);
      if (lo === hi - size && size === 8 && (FRAME_SIZE + lo) % 8 === 0) {
        const spilled = frame.spills.get((FRAME_SIZE + lo) / 8);
        if (spilled) value = spilled;
      } else if (lo === hi - size && (FRAME_SIZE + lo) % 8 === 0 && !signed) {
        const spilled = frame.spills.get((FRAME_SIZE + lo) / 8);
        if (spilled?.t === 'scalar' && isConst(spilled.s))
          value = scalarOf(constant(spilled.s.umin & ((1n << BigInt(size * 8)) - 1n)));
      }
    }
    this.write(pc, state, insn.dst, value);
  }

  private store(pc: number, insn: Instruction, state: State): void {
    const size = accessSize(insn.opcode);
    const isStx = (insn.opcode & CLASS_MASK) === Class.STX;
    const atomic = isStx && (insn.opcode & MODE_MASK) === Mode.ATOMIC;
    if (atomic) {
      this.atomic(pc, insn, state, size);
      return;
    }
    if (!isStx && insn.src !== 0) this.fail(pc, 'BPF_ST uses reserved fields');
    if (isStx && insn.imm !== 0) this.fail(pc, 'BPF_STX uses reserved fields');
    const value = isStx ? this.read(pc, state, insn.src) : scalarOf(constant(BigInt(insn.imm)));
    const base = this.checkAccess(pc, state, insn.dst, insn.offset, size, true);
    if (base.t !== 'stack') return;
    const frame = this.frameOf(state, base);
    const lo = base.lo + insn.offset;
    const hi = base.hi + insn.offset + size;
    this.markStack(frame, lo, hi);
    if (lo === hi - size && size === 8 && (FRAME_SIZE + lo) % 8 === 0) {
      const slot = (FRAME_SIZE + lo) / 8;
      frame.spills.set(slot, value);
      for (let k = 0; k < 8; k++) frame.bytes[slot * 8 + k] = S_SPILL;
    }
  }

  private atomic(pc: number, insn: Instruction, state: State, size: number): void {
    if (!isValidAtomicOp(insn.imm))
      this.fail(pc, `BPF_ATOMIC uses invalid atomic opcode 0x${(insn.imm >>> 0).toString(16)}`);
    const src = this.read(pc, state, insn.src);
    if (src.t !== 'scalar') this.fail(pc, `R${insn.src} leaks addr into mem`);
    const base = this.checkAccess(pc, state, insn.dst, insn.offset, size, true);
    if (base.t === 'ctx') this.fail(pc, `BPF_ATOMIC stores into R${insn.dst} ctx is not allowed`);
    if (base.t === 'stack') {
      const frame = this.frameOf(state, base);
      const lo = base.lo + insn.offset;
      const hi = base.hi + insn.offset + size;
      this.checkStackInit(pc, frame, lo, hi, `R${insn.dst}`);
      this.markStack(frame, lo, hi);
    }
    const result = size === 8 ? UNKNOWN_SCALAR : scalarOf(unsignedRange(0n, 0xffffffffn));
    if (insn.imm === AtomicOp.CMPXCHG) {
      this.read(pc, state, 0);
      this.write(pc, state, 0, result);
    } else if (insn.imm & ATOMIC_FETCH) this.write(pc, state, insn.src, result);
  }

  private jump(
    pc: number,
    insn: Instruction,
    state: State,
    fork: (pc: number, state: State) => void,
  ): number {
    const cls = insn.opcode & CLASS_MASK;
    const op = insn.opcode & OP_MASK;
    const isX = (insn.opcode & SOURCE_MASK) === Source.X;
    switch (op) {
      case JmpOp.JA:
        return pc + (cls === Class.JMP32 ? insn.imm : insn.offset) + 1;
      case JmpOp.EXIT:
        return this.exit(pc, state);
      case JmpOp.CALL:
        return this.call(pc, insn, state, fork);
    }
    const is32 = cls === Class.JMP32;
    const dst = this.read(pc, state, insn.dst);
    const src = isX
      ? this.read(pc, state, insn.src)
      : scalarOf(constant(is32 ? BigInt(insn.imm >>> 0) : BigInt(insn.imm)));
    const target = pc + insn.offset + 1;
    const cmp: CmpOp = jmpName(op)!.condition!;

    // Null check of a map value: `if rX == 0` / `if rX != 0`.
    const nullCheck = (p: RegState, other: RegState) =>
      p.t === 'map_value_or_null' &&
      other.t === 'scalar' &&
      isConst(other.s) &&
      other.s.umin === 0n &&
      (cmp === 'eq' || cmp === 'ne');
    if (nullCheck(dst, src) || nullCheck(src, dst)) {
      const p = (dst.t === 'map_value_or_null' ? dst : src) as PtrState;
      const isNull = state.clone();
      const nonNull = state;
      this.resolveNull(isNull, p.id, true);
      this.resolveNull(nonNull, p.id, false);
      if (cmp === 'eq') {
        fork(target, isNull);
        return pc + 1;
      }
      fork(target, nonNull);
      return this.continueWith(state, isNull, pc + 1);
    }
    if (dst.t !== 'scalar' || src.t !== 'scalar') {
      if (is32 && !this.conformance)
        this.fail(
          pc,
          `R${dst.t !== 'scalar' ? insn.dst : insn.src} 32-bit pointer comparison prohibited`,
        );
      fork(target, state.clone());
      return pc + 1;
    }
    const a = dst.s;
    const b = src.s;
    if (is32) {
      if (isConst(a) && isConst(b)) {
        return evalJump(true, op, a.umin, b.umin) ? target : pc + 1;
      }
      // Ranges narrow only when both values are small non-negative 32-bit numbers.
      const small = (s: Scalar) => s.umax < 0x80000000n;
      if (!small(a) || !small(b)) {
        fork(target, state.clone());
        return pc + 1;
      }
    }
    const taken = assume(cmp, a, b);
    const notTaken = assumeNot(cmp, a, b);
    const apply = (st: State, [x, y]: [Scalar, Scalar]) => {
      st.cur.regs[insn.dst] = scalarOf(x);
      if (isX) st.cur.regs[insn.src] = scalarOf(y);
    };
    if (taken && notTaken) {
      const other = state.clone();
      apply(other, taken);
      apply(state, notTaken);
      fork(target, other);
      return pc + 1;
    }
    if (taken) {
      apply(state, taken);
      return target;
    }
    if (notTaken) {
      apply(state, notTaken);
      return pc + 1;
    }
    return this.fail(pc, 'internal error: neither branch feasible');
  }

  /** Copies `from` into `into` (used when the fall-through state is a clone). */
  private continueWith(into: State, from: State, next: number): number {
    into.frames = from.frames;
    return next;
  }

  private resolveNull(state: State, id: number, isNull: boolean): void {
    for (const frame of state.frames) {
      const fix = (r: RegState): RegState =>
        r.t === 'map_value_or_null' && r.id === id
          ? isNull
            ? scalarOf(constant(0n))
            : { ...r, t: 'map_value' }
          : r;
      frame.regs = frame.regs.map(fix);
      for (const [slot, v] of frame.spills) frame.spills.set(slot, fix(v));
    }
  }

  private exit(pc: number, state: State): number {
    const r0 = this.read(pc, state, 0);
    if (state.frames.length === 1) {
      if (r0.t !== 'scalar' && !this.conformance) this.fail(pc, 'R0 leaks addr as return value');
      return -1;
    }
    const callee = state.frames.pop()!;
    if (r0.t === 'stack' && r0.frame === state.frames.length)
      this.fail(pc, 'cannot return stack pointer to the caller');
    const caller = state.cur;
    if (callee.callback) {
      if (r0.t !== 'scalar' || r0.s.umax > 1n)
        this.fail(pc, `At callback return the register R0 has ${describe(r0)}, expected 0 or 1`);
    }
    caller.regs[0] = callee.callback ? UNKNOWN_SCALAR : r0;
    for (let r = 1; r <= 5; r++) caller.regs[r] = UNINIT;
    return callee.callsite + 1;
  }

  private call(
    pc: number,
    insn: Instruction,
    state: State,
    fork: (pc: number, state: State) => void,
  ): number {
    const isX = (insn.opcode & SOURCE_MASK) === Source.X;
    if (!isX && insn.src === CallSrc.Local) {
      if (state.frames.length >= MAX_FRAMES)
        this.fail(pc, `the call stack of ${state.frames.length + 1} frames is too deep`);
      const caller = state.cur;
      const regs: RegState[] = new Array(11).fill(UNINIT);
      for (let r = 1; r <= 5; r++) regs[r] = caller.regs[r]!;
      regs[10] = this.ptr('stack', 0, 0, state.frames.length);
      state.frames.push(new Frame(regs, new Uint8Array(FRAME_SIZE), new Map(), pc));
      return pc + insn.imm + 1;
    }
    let id: number;
    if (isX) {
      const reg = this.conformance ? this.read(pc, state, insn.dst) : undefined;
      if (!reg || reg.t !== 'scalar' || !isConst(reg.s))
        this.fail(pc, 'BPF_CALL uses reserved fields');
      id = Number(reg.s.umin);
    } else if (insn.src === CallSrc.Kfunc) this.fail(pc, 'kernel function calls are not supported');
    else if (insn.src !== CallSrc.Helper || insn.dst !== 0 || insn.offset !== 0)
      this.fail(pc, 'BPF_CALL uses reserved fields');
    else id = insn.imm;
    const spec = this.options.helpers?.get(id!);
    if (!spec) this.fail(pc, `invalid func unknown#${id!}`);
    this.checkHelperArgs(pc, state, spec);
    const regs = state.cur.regs;
    const callbackArg = spec.args.indexOf('callback') + 1;
    if (callbackArg > 0) return this.callCallback(pc, state, fork, regs, callbackArg);
    if (spec.ret === 'mapValueOrNull') {
      const mapArg = spec.args.indexOf('map') + 1;
      const map = regs[mapArg] as PtrState;
      regs[0] = this.ptr('map_value_or_null', 0, map.mapId, 0, this.nextId++);
    } else regs[0] = UNKNOWN_SCALAR;
    for (let r = 1; r <= 5; r++) regs[r] = UNINIT;
    return pc + 1;
  }

  /**
   * A helper that calls a subprogram back (bpf_for_each_map_elem): explores the helper
   * returning without a call (an empty map) and the callback called once with the map's key
   * and value and the context argument, returning to the helper's next instruction.
   */
  private callCallback(
    pc: number,
    state: State,
    fork: (pc: number, state: State) => void,
    regs: RegState[],
    callbackArg: number,
  ): number {
    const map = regs[1] as PtrState;
    const func = regs[callbackArg] as PtrState;
    const ctx = regs[callbackArg + 1]!;
    if (state.frames.length >= MAX_FRAMES)
      this.fail(pc, `the call stack of ${state.frames.length + 1} frames is too deep`);
    const empty = state.clone();
    empty.cur.regs[0] = UNKNOWN_SCALAR;
    for (let r = 1; r <= 5; r++) empty.cur.regs[r] = UNINIT;
    fork(pc + 1, empty);
    const calleeRegs: RegState[] = new Array(11).fill(UNINIT);
    calleeRegs[1] = map;
    calleeRegs[2] = this.ptr('map_key', 0, map.mapId, 0);
    calleeRegs[3] = this.ptr('map_value', 0, map.mapId, 0);
    calleeRegs[4] = ctx;
    calleeRegs[10] = this.ptr('stack', 0, 0, state.frames.length);
    state.frames.push(new Frame(calleeRegs, new Uint8Array(FRAME_SIZE), new Map(), pc, true));
    return func.mapId;
  }

  private checkHelperArgs(pc: number, state: State, spec: HelperSpec): void {
    let map: VerifierMap | undefined;
    spec.args.forEach((kind, i) => {
      const r = i + 1;
      const v = this.read(pc, state, r);
      const expect = (ok: boolean, what: string) => {
        if (!ok)
          this.fail(pc, `R${r} type=${describe(v)} expected=${what} (${spec.name} argument ${r})`);
      };
      switch (kind) {
        case 'anything':
          return;
        case 'ctx':
          expect(v.t === 'ctx' && v.lo === 0 && v.hi === 0, 'ctx');
          return;
        case 'callback':
          expect(v.t === 'func', 'func');
          return;
        case 'callbackCtx':
          expect(
            v.t === 'stack' || (v.t === 'scalar' && isConst(v.s) && v.s.umin === 0n),
            'fp or 0',
          );
          return;
        case 'map':
          expect(v.t === 'map_ptr', 'map_ptr');
          map = this.maps.get((v as PtrState).mapId);
          if (spec.mapTypes && !spec.mapTypes.includes(map!.bpfType))
            this.fail(pc, `cannot pass map_type ${map!.bpfType} into func ${spec.name}#`);
          return;
        case 'mapKey':
        case 'mapValue': {
          if (!map) this.fail(pc, `R${r} map key/value argument without a map`);
          this.checkMemArg(pc, state, r, v, kind === 'mapKey' ? map.keySize : map.valueSize, true);
          return;
        }
        case 'mem':
        case 'uninitMem': {
          const sizeReg = this.read(pc, state, r + 1);
          const sizeKind = spec.args[i + 1];
          if (sizeReg.t !== 'scalar')
            this.fail(pc, `R${r + 1} type=${describe(sizeReg)} expected=scalar`);
          const s = sizeReg.s;
          if (s.smin < 0n)
            this.fail(pc, `R${r + 1} min value is negative, either use unsigned or 'var &= const'`);
          if (s.umax > BigInt(MAX_VAR_OFFSET))
            this.fail(
              pc,
              `R${r + 1} unbounded memory access, use 'var &= const' or 'if (var < const)'`,
            );
          if (s.umin === 0n && sizeKind === 'size')
            this.fail(pc, `R${r + 1} invalid zero-sized read`);
          if (s.umax === 0n && v.t === 'scalar' && isConst(v.s) && v.s.umin === 0n) return;
          this.checkMemArg(pc, state, r, v, Number(s.umax), kind === 'mem');
          return;
        }
        case 'size':
        case 'sizeOrZero':
          return; // checked with the memory argument before it
      }
    });
  }

  /** A helper reads (`initialised`) or writes `size` bytes through pointer register r. */
  private checkMemArg(
    pc: number,
    state: State,
    r: number,
    v: RegState,
    size: number,
    initialised: boolean,
  ): void {
    if (size === 0) return;
    if (v.t === 'map_key' && initialised) {
      const p = v as PtrState;
      if (p.lo < 0 || p.hi + size > this.maps.get(p.mapId)!.keySize)
        this.fail(pc, `invalid indirect access to map_key R${r} off=${p.lo} size=${size}`);
      return;
    }
    if (v.t !== 'stack' && v.t !== 'map_value' && v.t !== 'mem' && v.t !== 'ctx')
      this.fail(pc, `R${r} type=${describe(v)} expected=fp, map_value, mem`);
    if (v.t === 'ctx' && !initialised)
      this.fail(pc, `R${r} helper access to the context is read-only`);
    const p = v as PtrState;
    if (p.t === 'ctx' && p.lo !== p.hi) this.fail(pc, `variable ctx access prohibited`);
    const limit =
      p.t === 'stack'
        ? 0
        : p.t === 'map_value'
          ? this.maps.get(p.mapId)!.valueSize
          : p.t === 'ctx'
            ? (this.options.ctxSize ?? 168)
            : (this.options.memorySize ?? 0);
    const start = p.t === 'stack' ? -FRAME_SIZE : 0;
    if (p.lo < start || p.hi + size > limit)
      this.fail(
        pc,
        `invalid indirect access to ${p.t === 'stack' ? 'stack' : p.t} R${r} off=${p.lo} size=${size}`,
      );
    if (p.t !== 'stack') return;
    const frame = this.frameOf(state, p);
    if (initialised) {
      for (let i = p.lo; i < p.hi + size; i++)
        if (frame.bytes[FRAME_SIZE + i] === S_UNINIT)
          this.fail(
            pc,
            `invalid indirect read from stack R${r} off ${p.lo}+${i - p.lo} size ${size}`,
          );
    } else if (p.lo === p.hi) this.markStack(frame, p.lo, p.lo + size);
  }
}

function lowRange(s: Scalar): Scalar {
  return s.umax <= 0xffffffffn ? s : unsignedRange(0n, 0xffffffffn);
}
