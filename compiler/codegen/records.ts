// Output records: `[u64 kind][u64 id][args…]` built on the stack and sent with
// perf_event_output(ctx, .events, BPF_F_CURRENT_CPU, buf, size). Arguments start at 8-byte
// boundaries; integers (and other register values) take 8 bytes, sign- or zero-extended by
// their type; other values keep their own size. Padding is zero.

import { Helper } from '../isa/helpers';
import { mov32Imm } from '../isa/build';
import { Reg, Size } from '../isa/opcode';
import { RECORD_HEADER_SIZE, type RecordKind } from '../program';
import { sizeOf, type Type } from '../types';
import { isScalar } from './layout';
import { CTX } from './regs';
import type { ProbeGen } from './probe-gen';
import { writeValue } from './store';
import type { Value } from './value';

export interface RecordArg {
  value: Value;
  type: Type;
}

export interface RecordLayout {
  args: { type: Type; offset: number }[];
  size: number;
}

/** Where each argument goes; integer types are described as 8-byte integers. */
export function recordLayout(types: readonly Type[]): RecordLayout {
  let offset = RECORD_HEADER_SIZE;
  const args = types.map((type) => {
    const at = offset;
    const described: Type =
      type.kind === 'int'
        ? { kind: 'int', size: 8, signed: type.signed }
        : type.kind === 'bool'
          ? { kind: 'int', size: 8, signed: false }
          : type;
    offset += Math.ceil((isScalar(type) ? 8 : sizeOf(type)) / 8) * 8;
    return { type: described, offset: at };
  });
  return { args, size: offset };
}

/** Emits a record; the argument values are consumed. Returns its layout. */
export function emitRecord(
  g: ProbeGen,
  kind: RecordKind,
  id: number,
  args: readonly RecordArg[],
): RecordLayout {
  const layout = recordLayout(args.map((a) => a.type));
  const buffer = g.frame.alloc(layout.size);
  g.e.storeImm(Size.DW, Reg.R10, buffer, kind);
  g.e.storeImm(Size.DW, Reg.R10, buffer + 8, id);
  args.forEach((arg, i) => {
    const offset = buffer + layout.args[i].offset;
    const size = isScalar(arg.type) ? 8 : sizeOf(arg.type);
    // The value has the argument's own type, so it fills all `size` bytes: only the tail up
    // to the next 8-byte boundary needs zeroing.
    writeValue(g, arg.value, arg.type, { base: Reg.R10, offset, type: arg.type });
    if (size % 8 !== 0) g.zero(offset + size, 8 - (size % 8));
    g.release(arg.value);
  });
  g.e.mov(Reg.R1, CTX);
  g.e.loadMap(Reg.R2, g.state.events.id);
  g.e.emit(mov32Imm(Reg.R3, -1)); // BPF_F_CURRENT_CPU
  g.stackAddress(Reg.R4, buffer);
  g.e.movConst(Reg.R5, BigInt(layout.size));
  g.e.call(Helper.perf_event_output);
  return layout;
}
