// Disassembly in the text llvm-objdump-14 prints for BPF (`llvm-objdump-14 -d x.o`). It
// follows LLVM 14's decoder, including its gaps: instructions LLVM 14 does not know (jset,
// mod, st imm, movsx, sdiv/smod, bswap, memsx, ja32, 32-bit fetch atomics) print as
// `<unknown>`, and fields LLVM ignores (src of an immediate ALU op, imm of a register op,
// offset of ALU ops) do not change the text.

import { readSlot } from './encode';
import type { Instruction } from './instruction';
import { aluName, atomicName, jmpName } from './names';
import {
  ATOMIC_FETCH,
  ATOMIC_FLAGS_MASK,
  AluOp,
  AtomicOp,
  CLASS_MASK,
  Class,
  JmpOp,
  LDDW,
  MODE_MASK,
  Mode,
  OP_MASK,
  SIZE_MASK,
  Size,
  SOURCE_MASK,
  Source,
  sizeInBytes,
} from './opcode';

const UNKNOWN = '<unknown>';

/** Operations LLVM 14's BPF decoder does not know, though they have an operator. */
const LLVM14_UNKNOWN_ALU: ReadonlySet<number> = new Set([AluOp.MOD]);
const LLVM14_UNKNOWN_JMP: ReadonlySet<number> = new Set([JmpOp.JSET]);

/** LLVM's BPF register class has r0-r11; other numbers do not decode. */
const LLVM_MAX_REG = 11;

/** One raw 8-byte slot (an lddw's second half is read separately). */
type Slot = Omit<Instruction, 'imm64'>;

/** Thrown for what LLVM 14 prints as `<unknown>`. */
class Unknown extends Error {}

function reg(n: number, prefix: 'r' | 'w' = 'r'): string {
  if (n > LLVM_MAX_REG) throw new Unknown();
  return `${prefix}${n}`;
}

function memOperand(base: number, offset: number): string {
  return `${reg(base)} ${offset < 0 ? '-' : '+'} ${Math.abs(offset)}`;
}

/** The pointee type of a load/store: `u8` … `u64`. */
function sizeType(opcode: number): string {
  return `u${sizeInBytes((opcode & SIZE_MASK) as Size) * 8}`;
}

function jumpOffset(offset: number): string {
  return offset < 0 ? `${offset}` : `+${offset}`;
}

/** The text llvm-objdump-14 prints for one instruction (no address, bytes or jump annotation). */
export function instructionText(insn: Instruction): string {
  const high = insn.imm64 === undefined ? 0 : Number(BigInt.asIntN(32, insn.imm64 >> 32n));
  const next = { opcode: 0, dst: 0, src: 0, offset: 0, imm: high };
  return decodeText(insn, insn.opcode === LDDW ? next : undefined);
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
  switch (i.opcode & CLASS_MASK) {
    case Class.ALU:
      return aluText(i, 'w');
    case Class.ALU64:
      return aluText(i, 'r');
    case Class.JMP:
      return jmpText(i, 'r');
    case Class.JMP32:
      return jmpText(i, 'w');
    case Class.LD:
      return ldText(i, next);
    case Class.LDX:
      if ((i.opcode & MODE_MASK) !== Mode.MEM) throw new Unknown();
      return `${reg(i.dst)} = *(${sizeType(i.opcode)} *)(${memOperand(i.src, i.offset)})`;
    case Class.ST:
      throw new Unknown();
    case Class.STX:
      switch (i.opcode & MODE_MASK) {
        case Mode.MEM:
          return `*(${sizeType(i.opcode)} *)(${memOperand(i.dst, i.offset)}) = ${reg(i.src)}`;
        case Mode.ATOMIC:
          return atomicText(i);
      }
  }
  throw new Unknown();
}

/** `p` is the register prefix: `w` for the 32-bit class, `r` for the 64-bit one. */
function aluText(i: Slot, p: 'r' | 'w'): string {
  const op = i.opcode & OP_MASK;
  const isX = (i.opcode & SOURCE_MASK) === Source.X;
  if (op === AluOp.NEG) {
    if (isX) throw new Unknown();
    return `${reg(i.dst, p)} = -${reg(i.dst, p)}`;
  }
  if (op === AluOp.END) {
    if (p === 'r' || (i.imm !== 16 && i.imm !== 32 && i.imm !== 64)) throw new Unknown();
    return `${reg(i.dst)} = ${isX ? 'be' : 'le'}${i.imm} ${reg(i.dst)}`;
  }
  const operator = LLVM14_UNKNOWN_ALU.has(op) ? undefined : aluName(op)?.operator;
  if (!operator) throw new Unknown();
  return `${reg(i.dst, p)} ${operator} ${isX ? reg(i.src, p) : i.imm}`;
}

function jmpText(i: Slot, p: 'r' | 'w'): string {
  const op = i.opcode & OP_MASK;
  const isX = (i.opcode & SOURCE_MASK) === Source.X;
  if (p === 'r') {
    if (op === JmpOp.JA) {
      if (isX) throw new Unknown();
      return `goto ${jumpOffset(i.offset)}`;
    }
    if (op === JmpOp.CALL) {
      if (!isX) return `call ${i.imm}`;
      if (i.imm < 0 || i.imm > LLVM_MAX_REG) throw new Unknown();
      return `callx ${reg(i.imm)}`;
    }
    if (op === JmpOp.EXIT) {
      if (isX || i.imm !== 0) throw new Unknown();
      return 'exit';
    }
  }
  const operator = LLVM14_UNKNOWN_JMP.has(op) ? undefined : jmpName(op)?.operator;
  if (!operator) throw new Unknown();
  return `if ${reg(i.dst, p)} ${operator} ${isX ? reg(i.src, p) : i.imm} goto ${jumpOffset(i.offset)}`;
}

function ldText(i: Slot, next: Slot | undefined): string {
  if (i.opcode === LDDW) {
    if (i.offset !== 0 || !next) throw new Unknown();
    if (i.src === 0) {
      const value = (BigInt(next.imm) << 32n) | BigInt(i.imm >>> 0);
      return `${reg(i.dst)} = ${BigInt.asIntN(64, value)} ll`;
    }
    return `ld_pseudo\t${reg(i.dst)}, ${i.src}, ${i.imm >>> 0}`;
  }
  if ((i.opcode & SIZE_MASK) === Size.DW) throw new Unknown();
  switch (i.opcode & MODE_MASK) {
    case Mode.ABS:
      return `r0 = *(${sizeType(i.opcode)} *)skb[${i.imm}]`;
    case Mode.IND:
      return `r0 = *(${sizeType(i.opcode)} *)skb[${reg(i.src)}]`;
  }
  throw new Unknown();
}

/**
 * LLVM 14 decodes atomics by the operation bits alone, ignoring the imm's higher bits: a
 * 32-bit one is always `lock +=`, and a 64-bit one without exactly ATOMIC_FETCH in its flag
 * bits prints as the non-fetching form.
 */
function atomicText(i: Slot): string {
  const size = i.opcode & SIZE_MASK;
  const op = i.imm & OP_MASK;
  const fetch = (i.imm & ATOMIC_FLAGS_MASK) === ATOMIC_FETCH;
  const operand = memOperand(i.dst, i.offset);
  const lock = (type: string, operator: string | undefined): string => {
    if (!operator) throw new Unknown();
    return `lock *(${type} *)(${operand}) ${operator} ${reg(i.src)}`;
  };
  // Atomic operations share the ALU ops' encoding, and so their operators.
  if (size === Size.W) return lock('u32', op === AtomicOp.ADD ? aluName(op)?.operator : undefined);
  if (size !== Size.DW) throw new Unknown();
  const name = atomicName(op)?.mnemonic;
  if (fetch) {
    if (name) return `${reg(i.src)} = atomic_fetch_${name}((u64 *)(${operand}), ${reg(i.src)})`;
    if ((op | ATOMIC_FETCH) === AtomicOp.XCHG)
      return `${reg(i.src)} = xchg_64(${operand}, ${reg(i.src)})`;
    if ((op | ATOMIC_FETCH) === AtomicOp.CMPXCHG)
      return `r0 = cmpxchg_64(${operand}, r0, ${reg(i.src)})`;
  }
  return lock('u64', name ? aluName(op)?.operator : undefined);
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
    const wide = insn.opcode === LDDW && slot + 1 < slots;
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
