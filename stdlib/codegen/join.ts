// join(argv [, sep]): reads up to JOIN_MAX_ELEMENTS strings from a NULL-terminated array of
// string pointers into a per-CPU scratch record (too big for the 512-byte stack) and sends
// `[kind][joinId][u64 count][count strings of BPFTRACE_STRLEN bytes]`.

import { Helper } from '../../compiler/isa/helpers';
import { mov32Imm } from '../../compiler/isa/build';
import { AluOp, JmpOp, Reg, Size } from '../../compiler/isa/opcode';
import { BpfMapType, RecordKind, RECORD_HEADER_SIZE } from '../../compiler/program';
import { userAddressSpace } from '../../compiler/codegen/access';
import { fail } from '../../compiler/codegen/errors';
import { lookup } from '../../compiler/codegen/maps';
import { CTX } from '../../compiler/codegen/regs';
import { NOTHING, type FunctionGen } from '../../compiler/codegen/generator';

export const JOIN_MAX_ELEMENTS = 16;
export const JOIN_BUFFER_MAP = '.join';
const DEFAULT_SEPARATOR = ' ';

export const join: FunctionGen = (g, node, gen) => {
  const separatorNode = node.args[1];
  if (separatorNode && separatorNode.kind !== 'StringLiteral')
    return fail('join expects a string literal separator', separatorNode.range);
  const elementSize = g.checked.options.strlen;
  const descriptor = {
    separator: separatorNode?.value ?? DEFAULT_SEPARATOR,
    elementSize,
    maxElements: JOIN_MAX_ELEMENTS,
  };
  const id = g.state.intern(g.state.joins, descriptor);
  const countOffset = RECORD_HEADER_SIZE;
  const stringsOffset = RECORD_HEADER_SIZE + 8;
  const size = stringsOffset + JOIN_MAX_ELEMENTS * elementSize;
  const map = g.state.internal(JOIN_BUFFER_MAP, BpfMapType.PercpuArray, 4, size, 1);
  const readString = userAddressSpace(g)
    ? Helper.probe_read_user_str
    : Helper.probe_read_kernel_str;
  const readPointer = userAddressSpace(g) ? Helper.probe_read_user : Helper.probe_read_kernel;

  const array = g.own(gen(node.args[0]));
  const key = g.frame.alloc(8);
  g.e.storeImm(Size.W, Reg.R10, key, 0);
  lookup(g, map, key);
  const done = g.e.newLabel();
  g.e.jump(JmpOp.JEQ, Reg.R0, { imm: 0 }, done);
  const buffer = g.regs.alloc();
  g.regs.write(buffer, Reg.R0);
  g.e.storeImm(Size.DW, Reg.R0, 0, RecordKind.Join);
  g.e.storeImm(Size.DW, Reg.R0, 8, id);
  g.e.storeImm(Size.DW, Reg.R0, countOffset, 0);
  const pointer = key; // reuse the key slot for each element pointer
  const send = g.e.newLabel();
  for (let i = 0; i < JOIN_MAX_ELEMENTS; i++) {
    g.stackAddress(Reg.R1, pointer);
    g.e.movConst(Reg.R2, 8n);
    g.e.mov(Reg.R3, g.regs.read(array, Reg.R3));
    g.e.alu(AluOp.ADD, Reg.R3, { imm: i * 8 });
    g.e.call(readPointer);
    g.e.load(Size.DW, Reg.R3, Reg.R10, pointer);
    g.e.jump(JmpOp.JEQ, Reg.R3, { imm: 0 }, send);
    g.e.mov(Reg.R1, g.regs.read(buffer, Reg.R1));
    g.e.alu(AluOp.ADD, Reg.R1, { imm: stringsOffset + i * elementSize });
    g.e.movConst(Reg.R2, BigInt(elementSize));
    g.e.call(readString);
    g.e.mov(Reg.R1, g.regs.read(buffer, Reg.R1));
    g.e.storeImm(Size.DW, Reg.R1, countOffset, i + 1);
  }
  g.e.bind(send);
  g.e.mov(Reg.R4, g.regs.read(buffer, Reg.R4));
  g.e.mov(Reg.R1, CTX);
  g.e.loadMap(Reg.R2, g.state.events.id);
  g.e.emit(mov32Imm(Reg.R3, -1)); // BPF_F_CURRENT_CPU
  g.e.movConst(Reg.R5, BigInt(size));
  g.e.call(Helper.perf_event_output);
  g.e.bind(done);
  g.regs.release(buffer);
  g.regs.release(array);
  return NOTHING;
};
