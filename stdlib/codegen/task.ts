// Builtins read from the current task and time through helpers: pid tid uid gid username
// nsecs elapsed cpu comm rand cgroup curtask.

import { Helper } from '../../compiler/isa/helpers';
import { mov32Reg } from '../../compiler/isa/build';
import { AluOp, Reg, Size } from '../../compiler/isa/opcode';
import { BpfMapType, ELAPSED_MAP_NAME } from '../../compiler/program';
import { UINT64 } from '../../compiler/types';
import { readValueAt } from '../../compiler/codegen/maps';
import type { ProbeGen } from '../../compiler/codegen/probe-gen';
import { inMemory, inTemp, type Value } from '../../compiler/codegen/value';
import type { VariableGen } from '../../compiler/codegen/generator';

/** Calls a helper with no arguments and takes r0 (optionally transformed) into a temp. */
function helperValue(helper: Helper, transform?: (g: ProbeGen) => void): VariableGen {
  return (g) => {
    g.e.call(helper);
    transform?.(g);
    const temp = g.regs.alloc();
    g.regs.write(temp, Reg.R0);
    return inTemp(temp);
  };
}

const high32 = (g: ProbeGen) => g.e.alu(AluOp.RSH, Reg.R0, { imm: 32 });
const low32 = (g: ProbeGen) => g.e.emit(mov32Reg(Reg.R0, Reg.R0));

function elapsed(g: ProbeGen): Value {
  const def = g.state.internal(ELAPSED_MAP_NAME, BpfMapType.Array, 4, 8, 1);
  const key = g.frame.alloc(4);
  g.e.storeImm(Size.W, Reg.R10, key, 0);
  const base = g.own(readValueAt(g, def, key, UINT64));
  g.e.call(Helper.ktime_get_ns);
  g.e.alu(AluOp.SUB, Reg.R0, { reg: g.regs.read(base, Reg.R1) });
  g.regs.write(base, Reg.R0);
  return inTemp(base);
}

function comm(g: ProbeGen): Value {
  const offset = g.allocZeroed(16);
  g.stackAddress(Reg.R1, offset);
  g.e.movConst(Reg.R2, 16n);
  g.e.call(Helper.get_current_comm);
  return inMemory(offset);
}

export const taskVariables: Record<string, VariableGen> = {
  pid: helperValue(Helper.get_current_pid_tgid, high32),
  tid: helperValue(Helper.get_current_pid_tgid, low32),
  uid: helperValue(Helper.get_current_uid_gid, low32),
  username: helperValue(Helper.get_current_uid_gid, low32),
  gid: helperValue(Helper.get_current_uid_gid, high32),
  nsecs: helperValue(Helper.ktime_get_ns),
  cpu: helperValue(Helper.get_smp_processor_id),
  numaid: helperValue(Helper.get_numa_node_id),
  rand: helperValue(Helper.get_prandom_u32),
  cgroup: helperValue(Helper.get_current_cgroup_id),
  curtask: helperValue(Helper.get_current_task),
  elapsed,
  comm,
};
