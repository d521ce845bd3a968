// A JIT from verified eBPF to JavaScript: each program becomes one JS function whose
// registers are local int32 pairs (rNl/rNh) and whose basic blocks are `case`s of a
// `switch (pc)` in a loop. Frequent instructions are emitted inline; the rest call the
// interpreter's kernels (vm.ts) after writing the registers they touch back to the Machine,
// so both executors share one definition of every operation. Programs with bpf-to-bpf calls,
// callx or legacy packet loads are left to the interpreter.

import {
  accessSize,
  AluOp,
  CallSrc,
  CLASS_MASK,
  Class,
  JmpOp,
  LDDW,
  PseudoSrc,
  MODE_MASK,
  Mode,
  OP_MASK,
  SOURCE_MASK,
  Source,
} from '../../compiler/isa/opcode';
import {
  DecodedProgram,
  Interpreter,
  kernels,
  VmError,
  type Executable,
  type Machine,
  type PseudoResolver,
} from './vm';

type CompiledFn = (m: Machine, k: typeof kernels, VmErrorClass: typeof VmError) => bigint;

/** Whether the JIT handles every instruction of `p`. */
export function jitSupports(p: DecodedProgram): boolean {
  for (let pc = 0; pc < p.slots; pc++) {
    const op = p.op[pc]!;
    const cls = op & CLASS_MASK;
    if (cls === Class.LD && op !== LDDW) return false;
    // Subprogram addresses are for callback helpers, which need the interpreter's frames.
    if (op === LDDW && p.src[pc] === PseudoSrc.Func) return false;
    if ((cls === Class.JMP || cls === Class.JMP32) && (op & OP_MASK) === JmpOp.CALL) {
      if ((op & SOURCE_MASK) === Source.X || p.src[pc] !== CallSrc.Helper) return false;
    }
    if (op === LDDW) pc++;
  }
  return true;
}

export class JitProgram implements Executable {
  private readonly fn: CompiledFn;
  readonly source: string;

  constructor(program: DecodedProgram, resolvePseudo?: PseudoResolver) {
    // The interpreter resolves (and validates) lddw pseudo values; reuse its table.
    const pseudo = (
      new Interpreter(program, resolvePseudo) as unknown as { pseudo: (bigint | undefined)[] }
    ).pseudo;
    this.source = generate(program, pseudo);
    this.fn = new Function('m', 'k', 'VmError', this.source) as CompiledFn;
  }

  execute(m: Machine): bigint {
    return this.fn(m, kernels, VmError);
  }
}

/**
 * Largest program the JIT takes: V8 does not optimise much bigger generated functions, and
 * unoptimised generated code is slower than the interpreter.
 */
export const JIT_MAX_SLOTS = 512;

/** Whether `p` jumps backwards (has a loop), where compiled code pays off within one run. */
function hasLoop(p: DecodedProgram): boolean {
  for (let pc = 0; pc < p.slots; pc++) {
    const op = p.op[pc]!;
    const cls = op & CLASS_MASK;
    if (
      (cls === Class.JMP || cls === Class.JMP32) &&
      (op & OP_MASK) !== JmpOp.CALL &&
      (op & OP_MASK) !== JmpOp.EXIT
    ) {
      const off = (op & OP_MASK) === JmpOp.JA && cls === Class.JMP32 ? p.imm[pc]! : p.off[pc]!;
      if (off < 0) return true;
    }
    if (op === LDDW) pc++;
  }
  return false;
}

/**
 * The executor for a verified program: the JIT for small programs with loops that it
 * supports, else the interpreter (straight-line per-event programs run once per event, and
 * the interpreter is faster than not-yet-optimised generated code).
 */
export function compileProgram(
  program: DecodedProgram,
  resolvePseudo?: PseudoResolver,
): Executable {
  const useJit = program.slots <= JIT_MAX_SLOTS && hasLoop(program) && jitSupports(program);
  return useJit ? new JitProgram(program, resolvePseudo) : new Interpreter(program, resolvePseudo);
}

const L = (r: number) => `r${r}l`;
const H = (r: number) => `r${r}h`;

function generate(p: DecodedProgram, pseudo: (bigint | undefined)[]): string {
  const leaders = new Set<number>([0]);
  const next = (pc: number) => pc + (p.op[pc] === LDDW ? 2 : 1);
  for (let pc = 0; pc < p.slots; pc = next(pc)) {
    const op = p.op[pc]!;
    const cls = op & CLASS_MASK;
    if (cls !== Class.JMP && cls !== Class.JMP32) continue;
    const jop = op & OP_MASK;
    if (jop === JmpOp.CALL || jop === JmpOp.EXIT) {
      leaders.add(pc + 1);
      continue;
    }
    const off = jop === JmpOp.JA && cls === Class.JMP32 ? p.imm[pc]! : p.off[pc]!;
    leaders.add(pc + 1 + off);
    leaders.add(pc + 1);
  }
  const out: string[] = [];
  const regs = Array.from({ length: 11 }, (_, r) => r);
  out.push('const lo = m.lo, hi = m.hi, mem = m.memory, helpers = m.helpers;');
  out.push('const access = k.access, scratch = k.scratch;');
  out.push('const budget = Math.min(m.budget, 0x3fffffff);');
  out.push(`let ${regs.map((r) => `${L(r)} = lo[${r}], ${H(r)} = hi[${r}]`).join(', ')};`);
  out.push('let pc = 0, executed = 0, view, at, t;');
  const flush = (rs: number[]) =>
    rs.map((r) => `lo[${r}] = ${L(r)}; hi[${r}] = ${H(r)};`).join(' ');
  const reload = (rs: number[]) =>
    rs.map((r) => `${L(r)} = lo[${r}]; ${H(r)} = hi[${r}];`).join(' ');
  const budgetFail = `{ m.executed = executed; throw new VmError(pc, 'instruction budget of ' + budget + ' exhausted'); }`;
  out.push('for (;;) {');
  out.push('switch (pc) {');
  // Instructions until the next leader are one block.
  let pc = 0;
  while (pc < p.slots) {
    let end = next(pc);
    let count = 1;
    while (end < p.slots && !leaders.has(end)) {
      end = next(end);
      count++;
    }
    out.push(`case ${pc}: pc = ${pc}; if ((executed += ${count}) > budget) ${budgetFail}`);
    for (let at = pc; at < end; at = next(at)) out.push(emit(p, at, pseudo, flush, reload));
    pc = end;
  }
  out.push(`default: throw new VmError(pc, 'jump out of the program');`);
  out.push('}');
  out.push('}');
  return out.join('\n');
}

function signExt(v: number): number {
  return v >> 31;
}

function emit(
  p: DecodedProgram,
  pc: number,
  pseudo: (bigint | undefined)[],
  flush: (rs: number[]) => string,
  reload: (rs: number[]) => string,
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
    `pc = ${pc}; ${flush(touched)} ${call}; ${reload(written)}`;
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
      if (jop === JmpOp.JA) return `pc = ${pc + 1 + (cls === Class.JMP32 ? imm : off)}; continue;`;
      if (jop === JmpOp.EXIT)
        return `m.executed = executed; lo[0] = r0l; hi[0] = r0h; return m.reg(0);`;
      if (jop === JmpOp.CALL) {
        const args = [1, 2, 3, 4, 5];
        return (
          `pc = ${pc}; ${flush(args)} t = helpers[${imm}]; if (!t) throw new VmError(${pc}, 'unknown helper ${imm}'); ` +
          `m.executed = executed; m.setReg(0, t(m)); r0l = lo[0]; r0h = hi[0]; ` +
          args.map((r) => `${L(r)} = 0; ${H(r)} = 0;`).join(' ')
        );
      }
      const target = pc + 1 + off;
      return `if (${condition(jop, cls === Class.JMP32, dl, dh, bl, bh)}) { pc = ${target}; continue; }`;
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
      return `view = access(mem, ${pc}, ${dl}, ${dh}, ${off}, ${size}, true); at = scratch[0]; ${store}`;
    }
    case Class.LD: {
      const value = pseudo[pc];
      if (value !== undefined) {
        const v = BigInt.asUintN(64, value);
        return `${dl} = ${Number(BigInt.asIntN(32, v))}; ${dh} = ${Number(BigInt.asIntN(32, v >> 32n))};`;
      }
      return `${dl} = ${imm}; ${dh} = ${p.immHi[pc]!};`;
    }
  }
  return `throw new VmError(${pc}, 'unsupported instruction');`;
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
