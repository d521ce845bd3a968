// The JIT: a verified program becomes JavaScript. Its basic blocks are grouped, in slot order,
// into segments of at most SEGMENT_SLOTS slots; each segment is one JS function whose
// registers are local int32 pairs (rNl/rNh) and whose blocks are `case`s of a `switch (pc)`
// in a loop, so V8 optimises every segment whatever the program's size. A jump to another
// segment writes the registers back to the Machine and returns the target slot to the driver
// loop (JitProgram.run). Frequent instructions are emitted inline; the rest call the
// interpreter's kernels (vm.ts), so both executors share one definition of every operation.
//
// The verifier's guarantees hold in the translation: every memory access goes through the
// same bounds-checked `access` as the interpreter's, jumps leave a segment only to the driver
// (which runs only known slots), and each block adds its instruction count to the budget on
// entry. A block that would exceed the budget is handed to the interpreter, which continues
// from the block's first instruction on the same Machine, so a program that runs out of
// budget (or faults in that block) fails with exactly the interpreter's error and count.

import {
  accessSize,
  AluOp,
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
import { FRAME_SIZE, MAX_FRAMES, REGION_HI_BASE, STACK_REGION, STACK_SIZE } from './memory';
import {
  callSubprogram,
  DecodedProgram,
  Interpreter,
  kernels,
  VmError,
  type Executable,
  type Machine,
  type PseudoResolver,
} from './vm';

/** One segment: runs from `pc` until it leaves the segment (returns the next slot) or frame
 *  `base` exits (returns -1, r0 in the Machine). */
type SegmentFn = (
  m: Machine,
  pc: number,
  base: number,
  jit: JitProgram,
  k: typeof kernels,
  VmErrorClass: typeof VmError,
) => number;

/** Slots per generated function: well below V8's limit for optimising a function. */
export const SEGMENT_SLOTS = 256;

export class JitProgram implements Executable {
  /** The generated source of each segment (for tests and debugging). */
  readonly sources: string[];
  private readonly segments: SegmentFn[];
  /** Segment index by slot. */
  private readonly segmentOf: Int32Array;
  /** The reference executor, for blocks that would exceed the budget. */
  private readonly interpreter: Interpreter;

  constructor(program: DecodedProgram, resolvePseudo?: PseudoResolver) {
    // The interpreter resolves (and validates) lddw pseudo values; the JIT reuses its table.
    this.interpreter = new Interpreter(program, resolvePseudo);
    const { sources, segmentOf } = generate(program, this.interpreter.pseudo);
    this.sources = sources;
    this.segmentOf = segmentOf;
    this.segments = sources.map(
      (source) => new Function('m', 'pc', 'base', 'jit', 'k', 'VmError', source) as SegmentFn,
    );
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

  /** Runs from `start` until frame `base` exits (r0 in the Machine). */
  run(m: Machine, start: number, base: number): void {
    const outer = m.callSubprogram;
    m.callSubprogram = m.callbackRunner(
      this,
      () => (target, args) =>
        callSubprogram(m, target, args, () => {
          this.run(m, target, m.depth);
          return m.reg(0);
        }),
    );
    const segments = this.segments;
    const segmentOf = this.segmentOf;
    let pc = start;
    while (pc >= 0) {
      const segment = segments[segmentOf[pc]!];
      // Not a block start (outside the program, inside an lddw): only an unverified program
      // gets here, and the interpreter fails on it the way it always does.
      pc =
        segment === undefined
          ? this.interpretFrom(m, pc, base)
          : segment(m, pc, base, this, kernels, VmError);
    }
    m.callSubprogram = outer;
  }

  /** Called by generated code when a block would exceed the budget: the interpreter finishes
   *  frame `base` from `pc` (registers, frames and count are in the Machine). */
  interpretFrom(m: Machine, pc: number, base: number): number {
    this.interpreter.run(m, pc, base);
    return -1;
  }
}

const L = (r: number) => `r${r}l`;
const H = (r: number) => `r${r}h`;
const ALL_REGS = Array.from({ length: 11 }, (_, r) => r);

function flush(rs: readonly number[]): string {
  return rs.map((r) => `lo[${r}] = ${L(r)}; hi[${r}] = ${H(r)};`).join(' ');
}

function reload(rs: readonly number[]): string {
  return rs.map((r) => `${L(r)} = lo[${r}]; ${H(r)} = hi[${r}];`).join(' ');
}

function slotsOf(p: DecodedProgram, pc: number): number {
  return p.op[pc] === LDDW ? 2 : 1;
}

/** Jump target of the jump at `pc` (a JMP32 `ja` has its offset in imm). */
function jumpTarget(p: DecodedProgram, pc: number): number {
  const op = p.op[pc]!;
  const long = (op & OP_MASK) === JmpOp.JA && (op & CLASS_MASK) === Class.JMP32;
  return pc + 1 + (long ? p.imm[pc]! : p.off[pc]!);
}

function isJumpClass(op: number): boolean {
  const cls = op & CLASS_MASK;
  return cls === Class.JMP || cls === Class.JMP32;
}

/** First slots of basic blocks: 0, jump targets, and the slot after a jump, call or exit. */
function blockLeaders(p: DecodedProgram): Set<number> {
  const leaders = new Set<number>([0]);
  for (let pc = 0; pc < p.slots; pc += slotsOf(p, pc)) {
    const op = p.op[pc]!;
    if (!isJumpClass(op)) continue;
    const jop = op & OP_MASK;
    leaders.add(pc + 1);
    if (jop === JmpOp.CALL) {
      if ((op & SOURCE_MASK) === Source.K && p.src[pc] === CallSrc.Local)
        leaders.add(pc + 1 + p.imm[pc]!);
      continue;
    }
    if (jop !== JmpOp.EXIT) leaders.add(jumpTarget(p, pc));
  }
  // Subprogram addresses (callbacks) start blocks too.
  for (let pc = 0; pc < p.slots; pc += slotsOf(p, pc))
    if (p.op[pc] === LDDW && p.src[pc] === PseudoSrc.Func) leaders.add(pc + 1 + p.imm[pc]!);
  return leaders;
}

interface Block {
  start: number;
  /** Slots of its instructions, in order. */
  insns: number[];
}

function generate(
  p: DecodedProgram,
  pseudo: readonly (bigint | undefined)[],
): { sources: string[]; segmentOf: Int32Array } {
  const leaders = blockLeaders(p);
  const blocks: Block[] = [];
  for (let pc = 0; pc < p.slots;) {
    const block: Block = { start: pc, insns: [] };
    // Long straight-line code is cut into blocks that fit a segment.
    do {
      block.insns.push(pc);
      pc += slotsOf(p, pc);
    } while (pc < p.slots && !leaders.has(pc) && block.insns.length < SEGMENT_SLOTS / 2);
    blocks.push(block);
  }
  const segmentOf = new Int32Array(p.slots).fill(-1);
  const segments: Block[][] = [];
  let current: Block[] = [];
  let size = 0;
  for (const block of blocks) {
    const slots = block.insns.length;
    if (current.length > 0 && size + slots > SEGMENT_SLOTS) {
      segments.push(current);
      current = [];
      size = 0;
    }
    current.push(block);
    size += slots;
  }
  if (current.length > 0) segments.push(current);
  segments.forEach((seg, i) => {
    for (const block of seg) segmentOf[block.start] = i;
  });
  const facts: ProgramFacts = {
    straight: isStraight(p),
    instructions: blocks.reduce((n, b) => n + b.insns.length, 0),
    fixedFramePointer: !writesFramePointer(p),
  };
  const sources = segments.map((seg, i) => generateSegment(p, pseudo, seg, i, segmentOf, facts));
  return { sources, segmentOf };
}

/** What the translation may rely on, each checked on the instructions themselves. */
interface ProgramFacts {
  /** No backward jump, subprogram call or callback: a run executes each instruction at most
   *  once, so one budget check at entry covers it. */
  straight: boolean;
  instructions: number;
  /** No instruction writes r10: it always holds the current frame's top, which lies in the
   *  stack region at an offset in [FRAME_SIZE, STACK_SIZE]. */
  fixedFramePointer: boolean;
}

function isStraight(p: DecodedProgram): boolean {
  for (let pc = 0; pc < p.slots; pc += slotsOf(p, pc)) {
    const op = p.op[pc]!;
    if (op === LDDW && p.src[pc] === PseudoSrc.Func) return false;
    if (!isJumpClass(op)) continue;
    const jop = op & OP_MASK;
    if (jop === JmpOp.EXIT) continue;
    if (jop === JmpOp.CALL) {
      if ((op & SOURCE_MASK) === Source.K && p.src[pc] === CallSrc.Local) return false;
      continue;
    }
    if (jumpTarget(p, pc) <= pc) return false;
  }
  return true;
}

function writesFramePointer(p: DecodedProgram): boolean {
  for (let pc = 0; pc < p.slots; pc += slotsOf(p, pc)) {
    const op = p.op[pc]!;
    const cls = op & CLASS_MASK;
    if (
      (cls === Class.ALU || cls === Class.ALU64 || cls === Class.LD || cls === Class.LDX) &&
      p.dst[pc] === 10
    )
      return true;
    // Atomic fetch and cmpxchg write a register too (src, or r0).
    if (cls === Class.STX && (op & MODE_MASK) === Mode.ATOMIC && p.src[pc] === 10) return true;
  }
  return false;
}

function generateSegment(
  p: DecodedProgram,
  pseudo: readonly (bigint | undefined)[],
  blocks: Block[],
  index: number,
  segmentOf: Int32Array,
  facts: ProgramFacts,
): string {
  const out: string[] = [];
  out.push('const lo = m.lo, hi = m.hi, mem = m.memory, helpers = m.helpers;');
  out.push(`const stack = mem.views[${STACK_REGION}];`);
  out.push('const access = k.access, scratch = k.scratch;');
  out.push('const budget = Math.min(m.budget, 0x3fffffff);');
  out.push(`let ${ALL_REGS.map((r) => `${L(r)} = lo[${r}], ${H(r)} = hi[${r}]`).join(', ')};`);
  out.push('let executed = m.executed, view, at, t, helper, ret;');
  const leave = (target: string) =>
    `{ ${flush(ALL_REGS)} m.executed = executed; return ${target}; }`;
  const goto = (target: number) => {
    if (target < 0 || target >= p.slots) return leave(`jit.interpretFrom(m, ${target}, base)`);
    return segmentOf[target] === index ? `{ pc = ${target}; continue; }` : leave(`${target}`);
  };
  out.push('for (;;) {');
  out.push('switch (pc) {');
  blocks.forEach((block, i) => {
    const n = block.insns.length;
    // A straight program checks once, at its start, for all it can execute.
    const check = facts.straight ? (block.start === 0 ? facts.instructions : 0) : n;
    out.push(
      `case ${block.start}: ` +
        (check > 0
          ? `if (executed + ${check} > budget) ` +
            `{ ${flush(ALL_REGS)} m.executed = executed; return jit.interpretFrom(m, ${block.start}, base); } `
          : '') +
        `executed += ${n};`,
    );
    for (const at of block.insns) out.push(emit(p, at, pseudo, goto, leave, facts));
    const last = block.insns[n - 1]!;
    const next = last + slotsOf(p, last);
    const isLastOfSegment = i === blocks.length - 1;
    if (isLastOfSegment && !endsFlow(p, last)) out.push(goto(next));
  });
  out.push(`default: ${leave('pc')}`);
  out.push('}');
  out.push('}');
  return out.join('\n');
}

/** True when control never falls through past the instruction at `pc`. */
function endsFlow(p: DecodedProgram, pc: number): boolean {
  const op = p.op[pc]!;
  if (!isJumpClass(op)) return false;
  const jop = op & OP_MASK;
  return jop === JmpOp.JA || jop === JmpOp.EXIT;
}

function signExt(v: number): number {
  return v >> 31;
}

function emit(
  p: DecodedProgram,
  pc: number,
  pseudo: readonly (bigint | undefined)[],
  goto: (target: number) => string,
  leave: (target: string) => string,
  facts: ProgramFacts,
): string {
  const op = p.op[pc]!;
  const d = p.dst[pc]!;
  const s = p.src[pc]!;
  const off = p.off[pc]!;
  const imm = p.imm[pc]!;
  const cls = op & CLASS_MASK;
  const isX = (op & SOURCE_MASK) === Source.X;
  const dl = L(d);
  const dh = H(d);
  const bl = isX ? L(s) : `${imm}`;
  const bh = isX ? H(s) : `${signExt(imm)}`;
  const generic = (call: string, touched: number[], written: number[]) =>
    `${flush(touched)} ${call}; ${reload(written)}`;
  switch (cls) {
    case Class.ALU64: {
      const aop = op & OP_MASK;
      if (off === 0)
        switch (aop) {
          case AluOp.MOV:
            return `${dl} = ${bl}; ${dh} = ${bh};`;
          case AluOp.ADD:
            return `t = (${dl} >>> 0) + (${bl} >>> 0); ${dl} = t | 0; ${dh} = (${dh} + ${bh} + (t >= 4294967296 ? 1 : 0)) | 0;`;
          case AluOp.SUB:
            return `t = (${dl} >>> 0) - (${bl} >>> 0); ${dl} = t | 0; ${dh} = (${dh} - ${bh} - (t < 0 ? 1 : 0)) | 0;`;
          case AluOp.AND:
            return `${dl} &= ${bl}; ${dh} &= ${bh};`;
          case AluOp.OR:
            return `${dl} |= ${bl}; ${dh} |= ${bh};`;
          case AluOp.XOR:
            return `${dl} ^= ${bl}; ${dh} ^= ${bh};`;
          case AluOp.LSH:
          case AluOp.RSH:
          case AluOp.ARSH:
            if (!isX) return shift64(aop, dl, dh, imm & 63);
        }
      return generic(`k.alu64(m, ${pc}, ${aop}, ${d}, ${bl}, ${bh}, ${off}, ${imm})`, [d], [d]);
    }
    case Class.ALU: {
      const aop = op & OP_MASK;
      const b = isX ? L(s) : `${imm}`;
      if (off === 0)
        switch (aop) {
          case AluOp.MOV:
            return `${dl} = ${b}; ${dh} = 0;`;
          case AluOp.ADD:
            return `${dl} = (${dl} + ${b}) | 0; ${dh} = 0;`;
          case AluOp.SUB:
            return `${dl} = (${dl} - ${b}) | 0; ${dh} = 0;`;
          case AluOp.MUL:
            return `${dl} = Math.imul(${dl}, ${b}); ${dh} = 0;`;
          case AluOp.AND:
            return `${dl} &= ${b}; ${dh} = 0;`;
          case AluOp.OR:
            return `${dl} |= ${b}; ${dh} = 0;`;
          case AluOp.XOR:
            return `${dl} ^= ${b}; ${dh} = 0;`;
          case AluOp.LSH:
            return `${dl} = ${dl} << (${b} & 31); ${dh} = 0;`;
          case AluOp.RSH:
            return `${dl} = ${dl} >>> (${b} & 31); ${dh} = 0;`;
          case AluOp.ARSH:
            return `${dl} = ${dl} >> (${b} & 31); ${dh} = 0;`;
        }
      return generic(`k.alu32(m, ${pc}, ${aop}, ${isX}, ${d}, ${b}, ${off}, ${imm})`, [d], [d]);
    }
    case Class.JMP:
    case Class.JMP32: {
      const jop = op & OP_MASK;
      if (jop === JmpOp.JA) return goto(jumpTarget(p, pc));
      if (jop === JmpOp.EXIT)
        return (
          `if (m.depth === base) { lo[0] = r0l; hi[0] = r0h; m.executed = executed; return -1; } ` +
          `t = --m.depth; ` +
          [6, 7, 8, 9].map((r) => `${H(r)} = m.saved.pop(); ${L(r)} = m.saved.pop();`).join(' ') +
          ` r10l = ${STACK_SIZE} - ${FRAME_SIZE} * t; r10h = ${(REGION_HI_BASE + STACK_REGION) | 0}; ` +
          leave('m.retPc.pop()')
        );
      if (jop === JmpOp.CALL) return emitCall(p, pc, goto);
      return `if (${condition(jop, cls === Class.JMP32, dl, dh, bl, bh)}) ${goto(jumpTarget(p, pc))}`;
    }
    case Class.LDX: {
      const size = accessSize(op);
      const signed = (op & MODE_MASK) === Mode.MEMSX;
      let load: string;
      switch (size) {
        case 1:
          load = signed
            ? `${dl} = view.getInt8(at); ${dh} = ${dl} >> 31;`
            : `${dl} = view.getUint8(at); ${dh} = 0;`;
          break;
        case 2:
          load = signed
            ? `${dl} = view.getInt16(at, true); ${dh} = ${dl} >> 31;`
            : `${dl} = view.getUint16(at, true); ${dh} = 0;`;
          break;
        case 4:
          load = `${dl} = view.getInt32(at, true); ${dh} = ${signed ? `${dl} >> 31` : '0'};`;
          break;
        default:
          load = `${dl} = view.getInt32(at, true); ${dh} = view.getInt32(at + 4, true);`;
      }
      if (s === 10 && stackSlotInBounds(facts, off, size))
        return `view = stack; at = r10l + ${off}; ${load}`;
      return `view = access(mem, ${pc}, ${L(s)}, ${H(s)}, ${off}, ${size}, false); at = scratch[0]; ${load}`;
    }
    case Class.ST:
    case Class.STX: {
      const size = accessSize(op);
      if (cls === Class.STX && (op & MODE_MASK) === Mode.ATOMIC)
        return generic(
          `k.atomic(m, ${pc}, ${d}, ${s}, ${off}, ${size}, ${imm})`,
          [0, d, s],
          [0, s],
        );
      const vl = cls === Class.STX ? L(s) : `${imm}`;
      const vh = cls === Class.STX ? H(s) : `${signExt(imm)}`;
      let store: string;
      switch (size) {
        case 1:
          store = `view.setUint8(at, ${vl} & 0xff);`;
          break;
        case 2:
          store = `view.setUint16(at, ${vl} & 0xffff, true);`;
          break;
        case 4:
          store = `view.setInt32(at, ${vl}, true);`;
          break;
        default:
          store = `view.setInt32(at, ${vl}, true); view.setInt32(at + 4, ${vh}, true);`;
      }
      if (d === 10 && stackSlotInBounds(facts, off, size))
        return `view = stack; at = r10l + ${off}; ${store}`;
      return `view = access(mem, ${pc}, ${dl}, ${dh}, ${off}, ${size}, true); at = scratch[0]; ${store}`;
    }
    case Class.LD: {
      if (op !== LDDW) return `throw new VmError(${pc}, 'legacy packet access is not supported');`;
      const value = pseudo[pc];
      if (value !== undefined) {
        const v = BigInt.asUintN(64, value);
        return `${dl} = ${Number(BigInt.asIntN(32, v))}; ${dh} = ${Number(BigInt.asIntN(32, v >> 32n))};`;
      }
      return `${dl} = ${imm}; ${dh} = ${p.immHi[pc]!};`;
    }
  }
  return `throw new VmError(${pc}, 'unknown instruction class');`;
}

/**
 * Whether [r10 + off, r10 + off + size) lies in the stack whatever frame runs: then the
 * access needs no check (r10 is the frame's top, FRAME_SIZE..STACK_SIZE into the stack).
 */
function stackSlotInBounds(facts: ProgramFacts, off: number, size: number): boolean {
  return facts.fixedFramePointer && off >= -FRAME_SIZE && off + size <= 0;
}

/** A helper call (r1-r5 handed over in the Machine, r0 back), callx, or a bpf-to-bpf call. */
function emitCall(p: DecodedProgram, pc: number, goto: (target: number) => string): string {
  const op = p.op[pc]!;
  const d = p.dst[pc]!;
  const src = p.src[pc]!;
  const imm = p.imm[pc]!;
  const isX = (op & SOURCE_MASK) === Source.X;
  if (!isX && src === CallSrc.Local) {
    // Save r6-r9 as the interpreter does (lo, hi from r9 down) and enter a new frame.
    return (
      `if (m.depth + 1 >= ${MAX_FRAMES}) throw new VmError(${pc}, 'too many nested calls'); ` +
      `m.retPc.push(${pc + 1}); ` +
      [9, 8, 7, 6].map((r) => `m.saved.push(${L(r)}); m.saved.push(${H(r)});`).join(' ') +
      ` t = ++m.depth; r10l = ${STACK_SIZE} - ${FRAME_SIZE} * t; r10h = ${(REGION_HI_BASE + STACK_REGION) | 0}; ` +
      goto(pc + 1 + imm)
    );
  }
  let lookup: string;
  if (isX)
    lookup =
      `if (${H(d)} !== 0) throw new VmError(${pc}, 'callx target out of range'); ` +
      `helper = helpers[${L(d)} >>> 0]; if (!helper) throw new VmError(${pc}, 'unknown helper ' + (${L(d)} >>> 0));`;
  else if (src === CallSrc.Helper)
    lookup = `helper = helpers[${imm}]; if (!helper) throw new VmError(${pc}, 'unknown helper ${imm}');`;
  else return `throw new VmError(${pc}, 'kfunc calls are not supported');`;
  const args = [1, 2, 3, 4, 5];
  return (
    `${lookup} ${flush(args)} m.executed = executed; ret = helper(m); if (ret !== undefined) m.setReg(0, ret); executed = m.executed; ` +
    `r0l = lo[0]; r0h = hi[0]; ` +
    args.map((r) => `${L(r)} = 0; ${H(r)} = 0;`).join(' ')
  );
}

function shift64(op: number, dl: string, dh: string, n: number): string {
  if (n === 0) return '';
  if (op === AluOp.LSH)
    return n < 32
      ? `${dh} = (${dh} << ${n}) | (${dl} >>> ${32 - n}); ${dl} = ${dl} << ${n};`
      : `${dh} = ${dl} << ${n - 32}; ${dl} = 0;`;
  if (op === AluOp.RSH)
    return n < 32
      ? `${dl} = (${dl} >>> ${n}) | (${dh} << ${32 - n}); ${dh} = ${dh} >>> ${n} | 0;`
      : `${dl} = ${dh} >>> ${n - 32} | 0; ${dh} = 0;`;
  return n < 32
    ? `${dl} = (${dl} >>> ${n}) | (${dh} << ${32 - n}); ${dh} = ${dh} >> ${n};`
    : `${dl} = ${dh} >> ${n - 32}; ${dh} = ${dh} >> 31;`;
}

/** A JS condition for a conditional jump, with the interpreter's comparison semantics. */
function condition(
  op: number,
  is32: boolean,
  al: string,
  ah: string,
  bl: string,
  bh: string,
): string {
  const signed = op === JmpOp.JSGT || op === JmpOp.JSGE || op === JmpOp.JSLT || op === JmpOp.JSLE;
  if (is32) {
    if (op === JmpOp.JEQ) return `${al} === (${bl} | 0)`;
    if (op === JmpOp.JNE) return `${al} !== (${bl} | 0)`;
    if (op === JmpOp.JSET) return `(${al} & ${bl}) !== 0`;
    const a = signed ? `(${al} | 0)` : `(${al} >>> 0)`;
    const b = signed ? `(${bl} | 0)` : `(${bl} >>> 0)`;
    return `${a} ${relation(op)} ${b}`;
  }
  if (op === JmpOp.JEQ) return `${al} === (${bl} | 0) && ${ah} === (${bh} | 0)`;
  if (op === JmpOp.JNE) return `(${al} !== (${bl} | 0) || ${ah} !== (${bh} | 0))`;
  if (op === JmpOp.JSET) return `((${al} & ${bl}) !== 0 || (${ah} & ${bh}) !== 0)`;
  const rel = relation(op);
  const strict = rel.replace('=', '');
  const ha = signed ? `(${ah} | 0)` : `(${ah} >>> 0)`;
  const hb = signed ? `(${bh} | 0)` : `(${bh} >>> 0)`;
  return `(${ha} ${strict} ${hb} || (${ah} === (${bh} | 0) && (${al} >>> 0) ${rel} (${bl} >>> 0)))`;
}

function relation(op: number): string {
  switch (op) {
    case JmpOp.JGT:
    case JmpOp.JSGT:
      return '>';
    case JmpOp.JGE:
    case JmpOp.JSGE:
      return '>=';
    case JmpOp.JLT:
    case JmpOp.JSLT:
      return '<';
    default:
      return '<=';
  }
}
