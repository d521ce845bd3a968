// Assembler for the bpf_conformance test syntax: `mov32 %r0, 0`, `ldxw %r0, [%r1+4]`,
// `jeq %r1, 3, +2`, `lddw %r0, 0x…`, `lock fetch add32 [%r10-8], %r1`, `call local f`, labels
// (`name:`) and `#` comments. A jump to the undefined label `exit` goes to the next `exit`.

import type { Instruction } from './instruction';
import { AluOp, ATOMIC_FETCH, AtomicOp, Class, Size, Source } from './opcode';
import * as b from './build';
import { aluByName, atomicByName, jmpByName } from './names';

export class AsmError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'AsmError';
  }
}

const SIZES: Record<string, Size> = { b: Size.B, h: Size.H, w: Size.W, dw: Size.DW };

/** A jump or local call whose target is resolved after all labels are known. */
interface Fixup {
  index: number;
  label: string;
  line: number;
  field: 'offset' | 'imm';
}

/** Assembles conformance-syntax source into instructions; throws AsmError with the line number. */
export function assemble(source: string): Instruction[] {
  const insns: Instruction[] = [];
  const slotOf: number[] = [];
  const labels = new Map<string, number>();
  const fixups: Fixup[] = [];
  let slot = 0;
  const lines = source.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    let text = lines[i]!.replace(/(#|\/\/|;).*$/, '').trim();
    const labelMatch = /^([A-Za-z_.][\w.]*):\s*(.*)$/.exec(text);
    if (labelMatch) {
      if (labels.has(labelMatch[1]!))
        throw new AsmError(lineNo, `duplicate label '${labelMatch[1]}'`);
      labels.set(labelMatch[1]!, insns.length);
      text = labelMatch[2]!;
    }
    if (!text) continue;
    const parsed = parseInstruction(text, lineNo);
    if (parsed.target !== undefined)
      fixups.push({
        index: insns.length,
        label: parsed.target,
        line: lineNo,
        field: parsed.targetField,
      });
    slotOf.push(slot);
    insns.push(parsed.insn);
    slot += parsed.insn.opcode === b.lddw(0, 0n).opcode ? 2 : 1;
  }
  slotOf.push(slot);
  for (const fix of fixups) {
    let target = labels.get(fix.label);
    if (target === undefined && fix.label === 'exit') {
      target = insns.findIndex((insn, k) => k > fix.index && insn.opcode === b.exit().opcode);
      if (target < 0) target = undefined;
    }
    if (target === undefined) throw new AsmError(fix.line, `undefined label '${fix.label}'`);
    const rel = slotOf[target]! - (slotOf[fix.index]! + 1);
    const old = insns[fix.index]!;
    insns[fix.index] = fix.field === 'offset' ? { ...old, offset: rel } : { ...old, imm: rel };
  }
  return insns;
}

interface Parsed {
  insn: Instruction;
  target?: string;
  targetField: 'offset' | 'imm';
}

function parseInstruction(text: string, line: number): Parsed {
  const fail = (message: string): never => {
    throw new AsmError(line, `${message}: '${text}'`);
  };
  const space = text.search(/\s/);
  const mnemonic = (space < 0 ? text : text.slice(0, space)).toLowerCase();
  const rest = space < 0 ? '' : text.slice(space).trim();
  const operands = rest ? splitOperands(rest) : [];
  const reg = (s: string | undefined): number => {
    const m = /^%?r(\d+)$/i.exec(s ?? '');
    if (!m || Number(m[1]) > 10) return fail(`expected a register, got '${s ?? ''}'`);
    return Number(m[1]);
  };
  const isReg = (s: string | undefined) => s !== undefined && /^%?r\d+$/i.test(s);
  const imm = (s: string | undefined): number => {
    const v = parseInteger(s);
    if (v === undefined) return fail(`expected an integer, got '${s ?? ''}'`);
    if (v < -(2n ** 31n) || v >= 2n ** 32n) return fail(`immediate out of range '${s}'`);
    return Number(BigInt.asIntN(32, v));
  };
  const mem = (s: string | undefined): { reg: number; off: number } => {
    const m = /^\[\s*(%?r\d+)\s*(?:([+-])\s*(\w+))?\s*\]$/i.exec(s ?? '');
    if (!m) return fail(`expected a memory operand [%rN+off], got '${s ?? ''}'`);
    let off = 0;
    if (m[3] !== undefined) {
      const v = parseInteger(m[3]);
      if (v === undefined) return fail(`bad offset '${m[3]}'`);
      off = Number(m[2] === '-' ? -v : v);
      if (off < -32768 || off > 32767) return fail('offset out of range');
    }
    return { reg: reg(m[1]), off };
  };
  const count = (n: number) => {
    if (operands.length !== n) fail(`expected ${n} operand${n === 1 ? '' : 's'}`);
  };
  const jumpTarget = (s: string | undefined): { off: number; target?: string } => {
    if (s === undefined) return fail('missing jump target');
    if (/^[+-]/.test(s)) {
      const v = parseInteger(s);
      if (v === undefined) return fail(`bad jump offset '${s}'`);
      return { off: Number(v) };
    }
    if (/^[A-Za-z_.][\w.]*$/.test(s)) return { off: 0, target: s };
    return fail(`bad jump target '${s}'`);
  };

  if (mnemonic === 'exit') {
    count(0);
    return { insn: b.exit(), targetField: 'offset' };
  }
  if (mnemonic === 'lddw') {
    count(2);
    const v = parseInteger(operands[1]);
    if (v === undefined || v < -(2n ** 63n) || v >= 2n ** 64n)
      return fail('expected a 64-bit integer');
    return { insn: b.lddw(reg(operands[0]), v), targetField: 'offset' };
  }
  if (mnemonic === 'call') {
    if (operands.length === 1 && /^local\s+/.test(operands[0]!)) {
      const name = operands[0]!.replace(/^local\s+/, '');
      if (/^[+-]?\d+$/.test(name)) return { insn: b.callLocal(imm(name)), targetField: 'imm' };
      return { insn: b.callLocal(0), target: name, targetField: 'imm' };
    }
    count(1);
    if (isReg(operands[0])) return { insn: b.callx(reg(operands[0])), targetField: 'offset' };
    return { insn: b.call(imm(operands[0])), targetField: 'offset' };
  }
  if (mnemonic === 'ja' || mnemonic === 'ja32' || mnemonic === 'gotol') {
    count(1);
    const t = jumpTarget(operands[0]);
    if (mnemonic === 'ja') return { insn: b.ja(t.off), target: t.target, targetField: 'offset' };
    return { insn: b.ja32(t.off), target: t.target, targetField: 'imm' };
  }
  if (mnemonic === 'lock') {
    // lock [fetch] op[32] [dst+off], src
    const words = rest.split(/\s+/);
    let fetch = false;
    if (words[0] === 'fetch') {
      fetch = true;
      words.shift();
    }
    const opWord = (words.shift() ?? '').toLowerCase();
    const m = /^([a-z]+?)(32|64)?$/.exec(opWord);
    const op = m ? atomicByName(m[1]!)?.op : undefined;
    if (op === undefined) return fail('unknown atomic operation');
    const ops = splitOperands(words.join(' '));
    if (ops.length !== 2) return fail('expected 2 operands');
    const { reg: dst, off } = mem(ops[0]);
    const code = op === AtomicOp.XCHG || op === AtomicOp.CMPXCHG || !fetch ? op : op | ATOMIC_FETCH;
    return {
      insn: b.atomic(m![2] === '32' ? Size.W : Size.DW, code, dst, reg(ops[1]), off),
      targetField: 'offset',
    };
  }

  let m = /^(le|be|bswap|swap)(16|32|64)$/.exec(mnemonic);
  if (m) {
    count(1);
    const bits = Number(m[2]) as 16 | 32 | 64;
    if (m[1] === 'le' || m[1] === 'be')
      return { insn: b.endian(m[1], reg(operands[0]), bits), targetField: 'offset' };
    return { insn: b.bswap(reg(operands[0]), bits), targetField: 'offset' };
  }
  m = /^movsx(8|16|32)(32|64)$/.exec(mnemonic);
  if (m) {
    count(2);
    const from = Number(m[1]) as 8 | 16 | 32;
    if (m[2] === '64')
      return { insn: b.movsx64(reg(operands[0]), reg(operands[1]), from), targetField: 'offset' };
    if (from === 32) return fail('movsx32 to 32 bits is not an instruction');
    return { insn: b.movsx32(reg(operands[0]), reg(operands[1]), from), targetField: 'offset' };
  }
  m = /^neg(32|64)?$/.exec(mnemonic);
  if (m) {
    count(1);
    const cls = m[1] === '32' ? Class.ALU : Class.ALU64;
    return {
      insn: {
        opcode: cls | AluOp.NEG | Source.K,
        dst: reg(operands[0]),
        src: 0,
        offset: 0,
        imm: 0,
      },
      targetField: 'offset',
    };
  }
  m = /^([a-z]+?)(32|64)?$/.exec(mnemonic);
  const alu = m ? aluByName(m[1]!) : undefined;
  // neg and the byte swaps have their own syntax, above.
  if (m && alu && alu.op !== AluOp.NEG && alu.op !== AluOp.END) {
    count(2);
    const { op, offset: signed } = alu;
    const cls = m[2] === '32' ? Class.ALU : Class.ALU64;
    const dst = reg(operands[0]);
    if (isReg(operands[1]))
      return {
        insn: { opcode: cls | op | Source.X, dst, src: reg(operands[1]), offset: signed, imm: 0 },
        targetField: 'offset',
      };
    return {
      insn: { opcode: cls | op | Source.K, dst, src: 0, offset: signed, imm: imm(operands[1]) },
      targetField: 'offset',
    };
  }
  const jmp = m ? jmpByName(m[1]!) : undefined;
  if (m && jmp?.condition) {
    count(3);
    const { op } = jmp;
    const cls = m[2] === '32' ? Class.JMP32 : Class.JMP;
    const dst = reg(operands[0]);
    const t = jumpTarget(operands[2]);
    const insn = isReg(operands[1])
      ? { opcode: cls | op | Source.X, dst, src: reg(operands[1]), offset: t.off, imm: 0 }
      : { opcode: cls | op | Source.K, dst, src: 0, offset: t.off, imm: imm(operands[1]) };
    return { insn, target: t.target, targetField: 'offset' };
  }
  m = /^ldxs(b|h|w)$/.exec(mnemonic);
  if (m) {
    count(2);
    const { reg: src, off } = mem(operands[1]);
    return {
      insn: b.ldxMemSx(SIZES[m[1]!] as Size.B, reg(operands[0]), src, off),
      targetField: 'offset',
    };
  }
  m = /^(ldx|stx|st)(b|h|w|dw)$/.exec(mnemonic);
  if (m) {
    count(2);
    const size = SIZES[m[2]!]!;
    if (m[1] === 'ldx') {
      const { reg: src, off } = mem(operands[1]);
      return { insn: b.ldxMem(size, reg(operands[0]), src, off), targetField: 'offset' };
    }
    const { reg: dst, off } = mem(operands[0]);
    if (m[1] === 'stx')
      return { insn: b.stxMem(size, dst, reg(operands[1]), off), targetField: 'offset' };
    return { insn: b.stMem(size, dst, off, imm(operands[1])), targetField: 'offset' };
  }
  return fail(`unknown instruction '${mnemonic}'`);
}

function splitOperands(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function parseInteger(s: string | undefined): bigint | undefined {
  if (s === undefined) return undefined;
  const m = /^([+-]?)(0x[0-9a-f]+|\d+)$/i.exec(s.trim());
  if (!m) return undefined;
  const v = BigInt(m[2]!);
  return m[1] === '-' ? -v : v;
}
