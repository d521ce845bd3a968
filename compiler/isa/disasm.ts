// Disassembly in the text llvm-objdump-14 prints for BPF (`llvm-objdump-14 -d x.o`). It
// follows LLVM 14's decoder, including its gaps: instructions LLVM 14 does not know (jset,
// mod, st imm, movsx, sdiv/smod, bswap, memsx, ja32, 32-bit fetch atomics) print as
// `<unknown>`, and fields LLVM ignores (src of an immediate ALU op, imm of a register op,
// offset of ALU ops) do not change the text.

import type { Instruction } from './instruction';
import { AluOp, CLASS_MASK, Class, JmpOp, OP_MASK, SOURCE_MASK, Source } from './opcode';

const UNKNOWN = '<unknown>';

/** One raw 8-byte slot. */
interface Slot {
  opcode: number;
  dst: number;
  src: number;
  offset: number;
  imm: number;
}

function readSlot(view: DataView, at: number): Slot {
  const regs = view.getUint8(at + 1);
  return {
    opcode: view.getUint8(at),
    dst: regs & 0xf,
    src: regs >> 4,
    offset: view.getInt16(at + 2, true),
    imm: view.getInt32(at + 4, true),
  };
}

const ALU_SYMBOLS: Partial<Record<number, string>> = {
  [AluOp.ADD]: '+=',
  [AluOp.SUB]: '-=',
  [AluOp.MUL]: '*=',
  [AluOp.DIV]: '/=',
  [AluOp.OR]: '|=',
  [AluOp.AND]: '&=',
  [AluOp.LSH]: '<<=',
  [AluOp.RSH]: '>>=',
  [AluOp.XOR]: '^=',
  [AluOp.MOV]: '=',
  [AluOp.ARSH]: 's>>=',
};

const JMP_SYMBOLS: Partial<Record<number, string>> = {
  [JmpOp.JEQ]: '==',
  [JmpOp.JGT]: '>',
  [JmpOp.JGE]: '>=',
  [JmpOp.JNE]: '!=',
  [JmpOp.JSGT]: 's>',
  [JmpOp.JSGE]: 's>=',
  [JmpOp.JLT]: '<',
  [JmpOp.JLE]: '<=',
  [JmpOp.JSLT]: 's<',
  [JmpOp.JSLE]: 's<=',
};

const SIZE_NAMES = ['u32', 'u16', 'u8', 'u64'];

/** LLVM's BPF register class has r0-r11; other numbers do not decode. */
class Unknown extends Error {}

function reg(n: number, prefix: 'r' | 'w' = 'r'): string {
  if (n > 11) throw new Unknown();
  return `${prefix}${n}`;
}

function memOperand(base: number, offset: number): string {
  return `${reg(base)} ${offset < 0 ? '-' : '+'} ${Math.abs(offset)}`;
}

function jumpOffset(offset: number): string {
  return offset < 0 ? `${offset}` : `+${offset}`;
}

/** The text llvm-objdump-14 prints for one instruction (no address, bytes or jump annotation). */
export function instructionText(insn: Instruction): string {
  const slot = (opcode: number, dst: number, src: number, offset: number, imm: number): Slot => ({
    opcode,
    dst,
    src,
    offset,
    imm,
  });
  const first = slot(insn.opcode, insn.dst, insn.src, insn.offset, insn.imm);
  const high = insn.imm64 === undefined ? 0 : Number(BigInt.asIntN(32, insn.imm64 >> 32n));
  return decodeText(first, insn.opcode === 0x18 ? slot(0, 0, 0, 0, high) : undefined);
}

function decodeText(i: Slot, next: Slot | undefined): string {
  try {
    return decodeOrThrow(i, next);
  } catch (e) {
    if (e instanceof Unknown) return UNKNOWN;
    throw e;
  }
}

function decodeOrThrow(i: Slot, next: Slot | undefined): string {
  const cls = i.opcode & CLASS_MASK;
  const op = i.opcode & OP_MASK;
  const isX = (i.opcode & SOURCE_MASK) === Source.X;
  switch (cls) {
    case Class.ALU:
    case Class.ALU64: {
      const p = cls === Class.ALU ? 'w' : 'r';
      if (op === AluOp.NEG) {
        if (isX) throw new Unknown();
        return `${reg(i.dst, p)} = -${reg(i.dst, p)}`;
      }
      if (op === AluOp.END) {
        if (cls === Class.ALU64 || (i.imm !== 16 && i.imm !== 32 && i.imm !== 64))
          throw new Unknown();
        return `${reg(i.dst)} = ${isX ? 'be' : 'le'}${i.imm} ${reg(i.dst)}`;
      }
      const sym = ALU_SYMBOLS[op];
      if (!sym) throw new Unknown();
      return `${reg(i.dst, p)} ${sym} ${isX ? reg(i.src, p) : i.imm}`;
    }
    case Class.JMP:
    case Class.JMP32: {
      const p = cls === Class.JMP32 ? 'w' : 'r';
      if (cls === Class.JMP) {
        if (op === JmpOp.JA) {
          if (isX) throw new Unknown();
          return `goto ${jumpOffset(i.offset)}`;
        }
        if (op === JmpOp.CALL) {
          if (!isX) return `call ${i.imm}`;
          if (i.imm < 0 || i.imm > 11) throw new Unknown();
          return `callx ${reg(i.imm)}`;
        }
        if (op === JmpOp.EXIT) {
          if (isX || i.imm !== 0) throw new Unknown();
          return 'exit';
        }
      }
      const sym = JMP_SYMBOLS[op];
      if (!sym) throw new Unknown();
      return `if ${reg(i.dst, p)} ${sym} ${isX ? reg(i.src, p) : i.imm} goto ${jumpOffset(i.offset)}`;
    }
    case Class.LD: {
      const mode = i.opcode & 0xe0;
      const size = (i.opcode >> 3) & 3;
      if (i.opcode === 0x18) {
        if (i.offset !== 0 || !next) throw new Unknown();
        if (i.src === 0) {
          const value = (BigInt(next.imm) << 32n) | BigInt(i.imm >>> 0);
          return `${reg(i.dst)} = ${BigInt.asIntN(64, value)} ll`;
        }
        return `ld_pseudo\t${reg(i.dst)}, ${i.src}, ${i.imm >>> 0}`;
      }
      if (size === 3) throw new Unknown();
      if (mode === 0x20) return `r0 = *(${SIZE_NAMES[size]} *)skb[${i.imm}]`;
      if (mode === 0x40) return `r0 = *(${SIZE_NAMES[size]} *)skb[${reg(i.src)}]`;
      throw new Unknown();
    }
    case Class.LDX: {
      if ((i.opcode & 0xe0) !== 0x60) throw new Unknown();
      return `${reg(i.dst)} = *(${SIZE_NAMES[(i.opcode >> 3) & 3]} *)(${memOperand(i.src, i.offset)})`;
    }
    case Class.ST:
      throw new Unknown();
    case Class.STX: {
      const mode = i.opcode & 0xe0;
      const size = (i.opcode >> 3) & 3;
      if (mode === 0x60)
        return `*(${SIZE_NAMES[size]} *)(${memOperand(i.dst, i.offset)}) = ${reg(i.src)}`;
      if (mode !== 0xc0) throw new Unknown();
      return atomicText(i, size);
    }
  }
  throw new Unknown();
}

function atomicText(i: Slot, size: number): string {
  const high = (i.imm >> 4) & 0xf;
  const low = i.imm & 0xf;
  const operand = memOperand(i.dst, i.offset);
  const lockOps: Record<number, string> = { 0x0: '+=', 0x4: '|=', 0x5: '&=', 0xa: '^=' };
  if (size === 0) {
    if (high !== 0) throw new Unknown();
    return `lock *(u32 *)(${operand}) += ${reg(i.src)}`;
  }
  if (size !== 3) throw new Unknown();
  if (low === 1) {
    const fetch: Record<number, string> = { 0x0: 'add', 0x4: 'or', 0x5: 'and', 0xa: 'xor' };
    if (fetch[high])
      return `${reg(i.src)} = atomic_fetch_${fetch[high]}((u64 *)(${operand}), ${reg(i.src)})`;
    if (high === 0xe) return `${reg(i.src)} = xchg_64(${operand}, ${reg(i.src)})`;
    if (high === 0xf) return `r0 = cmpxchg_64(${operand}, r0, ${reg(i.src)})`;
  }
  const sym = lockOps[high];
  if (!sym) throw new Unknown();
  return `lock *(u64 *)(${operand}) ${sym} ${reg(i.src)}`;
}

/** A symbol in the disassembled section (function or `LBB…` label), at a byte offset. */
export interface DisasmSymbol {
  name: string;
  offset: number;
}

export interface DisasmOptions {
  /** Symbols of the section; jump targets are annotated relative to them. */
  symbols?: DisasmSymbol[];
}

function hexBytes(bytes: Uint8Array, start: number, count: number): string {
  const parts: string[] = [];
  for (let k = 0; k < count; k++) parts.push(bytes[start + k]!.toString(16).padStart(2, '0'));
  return parts.join(' ');
}

/**
 * The instruction lines of llvm-objdump-14 -d for one section's bytes: `%8d:\t<bytes>\t<text>`
 * per instruction, with `\n%016x <sym>:\n` before each symbol and jump targets annotated.
 */
export function disassemble(bytes: Uint8Array, options: DisasmOptions = {}): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const symbols = [...(options.symbols ?? [])].sort((a, b) => a.offset - b.offset);
  const slots = Math.floor(bytes.length / 8);
  let out = '';
  let first = true;
  for (let slot = 0; slot < slots;) {
    for (const s of symbols)
      if (s.offset === slot * 8) {
        out += `${first ? '' : '\n'}${s.offset.toString(16).padStart(16, '0')} <${s.name}>:\n`;
        first = false;
      }
    const insn = readSlot(view, slot * 8);
    const wide = insn.opcode === 0x18 && slot + 1 < slots;
    const next = wide ? readSlot(view, slot * 8 + 8) : undefined;
    let text = decodeText(insn, next);
    const width = wide && text !== UNKNOWN ? 2 : 1;
    if (text.includes(' goto ') || text.startsWith('goto ')) {
      const note = annotate((slot + 1 + insn.offset) * 8, symbols);
      if (note) text += ` <${note}>`;
    }
    out += `${String(slot).padStart(8, ' ')}:\t${hexBytes(bytes, slot * 8, width * 8)}\t${text}\n`;
    first = false;
    slot += width;
  }
  return out;
}

function annotate(address: number, symbols: DisasmSymbol[]): string | undefined {
  // llvm-objdump computes the target modulo 2^64: a jump before the section start lands
  // after every symbol and is shown relative to the last one.
  const target = BigInt.asUintN(64, BigInt(address));
  let best: DisasmSymbol | undefined;
  for (const s of symbols)
    if (BigInt(s.offset) <= target && (!best || s.offset >= best.offset)) best = s;
  if (!best) return undefined;
  const delta = target - BigInt(best.offset);
  return delta === 0n ? best.name : `${best.name}+0x${delta.toString(16)}`;
}

export interface ObjdumpListingOptions {
  /** The object file name llvm-objdump prints in its header. */
  fileName: string;
  sectionName: string;
  /** At least the function symbol at offset 0. */
  symbols: DisasmSymbol[];
}

/** The whole `llvm-objdump-14 -d FILE.o` output for an object with one code section. */
export function objdumpListing(bytes: Uint8Array, options: ObjdumpListingOptions): string {
  return `\n${options.fileName}:\tfile format elf64-bpf\n\nDisassembly of section ${options.sectionName}:\n\n${disassemble(bytes, { symbols: options.symbols })}`;
}
