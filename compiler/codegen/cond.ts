// Conditions compiled to jumps: comparisons become one conditional jump, `!`, `&&` and `||`
// become jump chains (short-circuit), anything else is compared with zero.

import type { Binary, Expression } from '../../grammar/ast';
import { JmpOp, Reg } from '../isa/opcode';
import { bothSigned, foldComparison, invertComparison, isComparison, jumpOp } from './arith';
import type { Label } from './emitter';
import { isScalar } from './layout';
import type { ProbeGen } from './probe-gen';
import type { Value } from './value';
import { assignedIn } from './variables';
import { foldConstant } from './fold';

export type ExprGen = (node: Expression) => Value;

/** Jumps to `target` when the condition's truth equals `when`; falls through otherwise. */
export function branch(
  g: ProbeGen,
  node: Expression,
  target: Label,
  when: boolean,
  gen: ExprGen,
): void {
  const folded = foldConstant(g, node);
  if (folded !== undefined) {
    if ((folded !== 0n) === when) g.e.goto(target);
    return;
  }
  if (node.kind === 'Unary' && node.operator === '!')
    return branch(g, node.operand, target, !when, gen);
  if (node.kind === 'Binary' && (node.operator === '&&' || node.operator === '||')) {
    const assigned = assignedIn(node.right);
    if (assigned.size > 0)
      return g.vars.pinned(assigned, () => branchLogical(g, node, target, when, gen));
    return branchLogical(g, node, target, when, gen);
  }
  if (node.kind === 'Binary' && isComparison(node.operator)) {
    const lt = g.typeOf(node.left);
    const rt = g.typeOf(node.right);
    if (isScalar(lt) && isScalar(rt)) {
      const left = gen(node.left);
      const right = gen(node.right);
      const op = when ? node.operator : invertComparison(node.operator);
      if (left.kind === 'const' && right.kind === 'const') {
        const truth = foldComparison(node.operator, left.value, right.value, bothSigned(lt, rt));
        if (truth === when) g.e.goto(target);
        return;
      }
      const a = g.own(left);
      g.e.jump(
        jumpOp(op, bothSigned(lt, rt)),
        g.regs.read(a, Reg.R0),
        g.operand(right, Reg.R1),
        target,
      );
      g.regs.release(a);
      g.release(right);
      return;
    }
  }
  if (!isScalar(g.typeOf(node))) {
    // 0.17 does not check a while condition's type: a string or tuple is always true.
    if (when) g.e.goto(target);
    return;
  }
  jumpOnValue(g, gen(node), target, when);
}

function jumpOnValue(g: ProbeGen, value: Value, target: Label, when: boolean): void {
  if (value.kind === 'const') {
    if ((value.value !== 0n) === when) g.e.goto(target);
    return;
  }
  g.e.jump(when ? JmpOp.JNE : JmpOp.JEQ, g.reg(value, Reg.R0), { imm: 0 }, target);
  g.release(value);
}

function branchLogical(
  g: ProbeGen,
  node: Binary,
  target: Label,
  when: boolean,
  gen: ExprGen,
): void {
  // `a && b` is true only if both are; `a || b` is false only if both are.
  const shortCircuitOn = node.operator === '&&' ? false : true;
  if (when === shortCircuitOn) {
    branch(g, node.left, target, when, gen);
    branch(g, node.right, target, when, gen);
  } else {
    const skip = g.e.newLabel();
    branch(g, node.left, skip, shortCircuitOn, gen);
    branch(g, node.right, target, when, gen);
    g.e.bind(skip);
  }
}
