// eBPF opcode fields (RFC 9669 §3-5). An opcode byte is composed from small typed fields;
// the encoder, decoder, VM, verifier and disassembler all read these constants.

/** Instruction class: the low 3 bits. */
export const enum Class {
  LD = 0x00,
  LDX = 0x01,
  ST = 0x02,
  STX = 0x03,
  ALU = 0x04,
  JMP = 0x05,
  JMP32 = 0x06,
  ALU64 = 0x07,
}
export const CLASS_MASK = 0x07;

/** Operand source for ALU and JMP classes: bit 3. */
export const enum Source {
  K = 0x00,
  X = 0x08,
}
export const SOURCE_MASK = 0x08;

/** ALU operation: the high 4 bits of an ALU/ALU64 opcode. */
export const enum AluOp {
  ADD = 0x00,
  SUB = 0x10,
  MUL = 0x20,
  DIV = 0x30,
  OR = 0x40,
  AND = 0x50,
  LSH = 0x60,
  RSH = 0x70,
  NEG = 0x80,
  MOD = 0x90,
  XOR = 0xa0,
  MOV = 0xb0,
  ARSH = 0xc0,
  /** Byte swap: ALU class with source bit = to big-endian (BE) or little-endian (LE); ALU64 = bswap. */
  END = 0xd0,
}
export const OP_MASK = 0xf0;

/** Jump operation: the high 4 bits of a JMP/JMP32 opcode. */
export const enum JmpOp {
  JA = 0x00,
  JEQ = 0x10,
  JGT = 0x20,
  JGE = 0x30,
  JSET = 0x40,
  JNE = 0x50,
  JSGT = 0x60,
  JSGE = 0x70,
  CALL = 0x80,
  EXIT = 0x90,
  JLT = 0xa0,
  JLE = 0xb0,
  JSLT = 0xc0,
  JSLE = 0xd0,
}

/** Load/store mode: the high 3 bits of an LD/LDX/ST/STX opcode. */
export const enum Mode {
  IMM = 0x00,
  ABS = 0x20,
  IND = 0x40,
  MEM = 0x60,
  MEMSX = 0x80,
  ATOMIC = 0xc0,
}
export const MODE_MASK = 0xe0;

/** Load/store size: bits 3-4. */
export const enum Size {
  W = 0x00,
  H = 0x08,
  B = 0x10,
  DW = 0x18,
}
export const SIZE_MASK = 0x18;

export function sizeInBytes(size: Size): 1 | 2 | 4 | 8 {
  switch (size) {
    case Size.B:
      return 1;
    case Size.H:
      return 2;
    case Size.W:
      return 4;
    case Size.DW:
      return 8;
  }
}

/** How many bytes a load/store opcode moves: its size field in bytes. */
export function accessSize(opcode: number): 1 | 2 | 4 | 8 {
  return sizeInBytes((opcode & SIZE_MASK) as Size);
}

/** The size field of a load/store of `bytes` bytes (1, 2, 4 or 8). */
export function sizeField(bytes: number): Size {
  switch (bytes) {
    case 1:
      return Size.B;
    case 2:
      return Size.H;
    case 4:
      return Size.W;
    case 8:
      return Size.DW;
  }
  throw new Error(`internal: no load/store of ${bytes} bytes`);
}

/** Atomic operations, in the imm field of an ATOMIC store. */
export const enum AtomicOp {
  ADD = 0x00,
  OR = 0x40,
  AND = 0x50,
  XOR = 0xa0,
  XCHG = 0xe1,
  CMPXCHG = 0xf1,
}
export const ATOMIC_FETCH = 0x01;
/** The imm bits below the atomic operation: ATOMIC_FETCH and reserved ones. */
export const ATOMIC_FLAGS_MASK = 0x0f;

/** src_reg values of `lddw` (64-bit immediate) pseudo forms. */
export const enum PseudoSrc {
  Imm64 = 0,
  MapFd = 1,
  MapValue = 2,
  BtfId = 3,
  Func = 4,
  MapIdx = 5,
  MapIdxValue = 6,
}

/** src_reg of a CALL: helper by id, local function (pc-relative), or kfunc by BTF id. */
export const enum CallSrc {
  Helper = 0,
  Local = 1,
  Kfunc = 2,
}

/** The opcode of `lddw`: LD | IMM | DW. */
export const LDDW = Class.LD | Mode.IMM | Size.DW;

export const enum Reg {
  R0 = 0,
  R1,
  R2,
  R3,
  R4,
  R5,
  R6,
  R7,
  R8,
  R9,
  /** Read-only frame pointer. */
  R10,
}

export function aluOpcode(cls: Class.ALU | Class.ALU64, op: AluOp, source: Source): number {
  return cls | op | source;
}

export function jmpOpcode(cls: Class.JMP | Class.JMP32, op: JmpOp, source: Source): number {
  return cls | op | source;
}

export function memOpcode(cls: Class.LDX | Class.ST | Class.STX, mode: Mode, size: Size): number {
  return cls | mode | size;
}
