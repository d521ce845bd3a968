// Drops stack loads and stores that cannot change anything: a load into a register that
// already holds that stack slot's value on every path reaching it, and a doubleword store of
// a register into a slot already equal to it. Pinned scratch variables are stored at every
// assignment and loaded at every read (variables.ts); this is what keeps them in registers
// between, as bpftrace's LLVM does. A forward dataflow analysis of "register = stack slot"
// facts, intersected where paths meet.

import type { Instruction } from '../isa/instruction';
import { Helper } from '../isa/helpers';
import { accessSize, Class, CLASS_MASK, JmpOp, Mode, MODE_MASK, OP_MASK, Reg } from '../isa/opcode';
import { successors, type FlowItem } from './flow';

/** A register equal to the `size`-byte (zero-extended) stack value at r10+offset. */
interface Fact {
  reg: number;
  offset: number;
  size: number;
}

type Facts = Fact[];

/** Helpers that write no memory the program can see (their pointer arguments are read
 *  only), so a call to them leaves the stack as it was. */
const NON_WRITING_HELPERS: ReadonlySet<number> = new Set([
  Helper.map_lookup_elem,
  Helper.map_update_elem,
  Helper.map_delete_elem,
  Helper.ktime_get_ns,
  Helper.trace_printk,
  Helper.get_prandom_u32,
  Helper.get_smp_processor_id,
  Helper.get_current_pid_tgid,
  Helper.get_current_uid_gid,
  Helper.perf_event_output,
  Helper.get_stackid,
  Helper.get_current_task,
  Helper.get_numa_node_id,
  Helper.send_signal,
  Helper.get_current_cgroup_id,
  Helper.ktime_get_boot_ns,
  Helper.ringbuf_output,
  Helper.get_func_ip,
]);

/** Indices of the items that can be removed. */
export function redundantStackAccesses(items: FlowItem[]): Set<number> {
  const before: (Facts | undefined)[] = new Array(items.length).fill(undefined);
  before[0] = [];
  const work = [0];
  while (work.length > 0) {
    const i = work.pop()!;
    if (i >= items.length) continue;
    const after = transfer(items[i].insn, before[i]!);
    for (const next of successors(items[i], i)) {
      if (next >= items.length) continue;
      const known = before[next];
      const merged = known === undefined ? after : after.filter((f) => has(known, f));
      if (known !== undefined && merged.length === known.length) continue;
      before[next] = merged;
      work.push(next);
    }
  }
  const drop = new Set<number>();
  items.forEach((item, i) => {
    const facts = before[i];
    if (facts && isRedundant(item.insn, facts)) drop.add(i);
  });
  return drop;
}

function has(facts: Facts, f: Fact): boolean {
  return facts.some((k) => k.reg === f.reg && k.offset === f.offset && k.size === f.size);
}

function stackAccess(insn: Instruction): { offset: number; size: number } | undefined {
  const cls = insn.opcode & CLASS_MASK;
  const base = cls === Class.LDX ? insn.src : insn.dst;
  if (base !== Reg.R10 || (insn.opcode & MODE_MASK) !== Mode.MEM) return undefined;
  return { offset: insn.offset, size: accessSize(insn.opcode) };
}

function isRedundant(insn: Instruction, facts: Facts): boolean {
  const cls = insn.opcode & CLASS_MASK;
  const at = stackAccess(insn);
  if (!at) return false;
  if (cls === Class.LDX) return has(facts, { reg: insn.dst, ...at });
  if (cls === Class.STX && at.size === 8) return has(facts, { reg: insn.src, ...at });
  return false;
}

function transfer(insn: Instruction, facts: Facts): Facts {
  const cls = insn.opcode & CLASS_MASK;
  const op = insn.opcode & OP_MASK;
  const without = (reg: number) => facts.filter((f) => f.reg !== reg);
  switch (cls) {
    case Class.ALU:
    case Class.ALU64: {
      const out = without(insn.dst);
      const isMovReg = cls === Class.ALU64 && op === 0xb0 && (insn.opcode & 0x08) !== 0;
      if (isMovReg && insn.offset === 0)
        for (const f of facts) if (f.reg === insn.src) out.push({ ...f, reg: insn.dst });
      return out;
    }
    case Class.LD:
      return without(insn.opcode === 0x18 ? insn.dst : Reg.R0);
    case Class.LDX: {
      const out = without(insn.dst);
      const at = stackAccess(insn);
      if (at && insn.dst !== Reg.R10) out.push({ reg: insn.dst, ...at });
      return out;
    }
    case Class.ST:
    case Class.STX: {
      const at = stackAccess(insn);
      // A store through any other pointer may reach the stack: forget everything.
      if (!at) return [];
      const out = facts.filter(
        (f) => f.offset + f.size <= at.offset || at.offset + at.size <= f.offset,
      );
      if (cls === Class.STX && at.size === 8) out.push({ reg: insn.src, ...at });
      return out;
    }
    default: {
      if (op !== JmpOp.CALL) return facts;
      const isHelper = insn.src === 0 && NON_WRITING_HELPERS.has(insn.imm);
      return isHelper ? facts.filter((f) => f.reg > Reg.R5) : [];
    }
  }
}
