// Statements. Temporaries (registers and stack) live for one statement; scratch variables
// for the whole invocation.

import type { Block, Statement } from '../../grammar/ast';
import { genAssignMap, genAssignVariable, genCompoundAssign } from './assign';
import { branch } from './cond';
import { fail, unsupported } from './errors';
import { genExpr } from './expr';
import type { ProbeGen } from './probe-gen';
import { assignedIn } from './variables';
import { foldConstant } from './fold';
import { genFor } from './foreach';

export function genBlock(g: ProbeGen, block: Block): void {
  for (const statement of block.statements) genStatement(g, statement);
}

export function genStatement(g: ProbeGen, node: Statement): void {
  const gen = (e: Parameters<typeof genExpr>[1]) => genExpr(g, e);
  const previousLine = g.e.line;
  g.e.line = node.range.start.line;
  const mark = g.frame.mark();
  switch (node.kind) {
    case 'ExpressionStatement': {
      // A discarded `x++` needs no copy of the old value.
      const e = node.expression;
      g.release(gen(e.kind === 'IncDec' && !e.prefix ? { ...e, prefix: true } : e));
      break;
    }
    case 'AssignMap':
      genAssignMap(g, node, gen);
      break;
    case 'AssignVariable':
      genAssignVariable(g, node, gen);
      break;
    case 'VariableDeclaration':
      if (node.value) genAssignVariable(g, { variable: node.variable, value: node.value }, gen);
      break;
    case 'CompoundAssign':
      genCompoundAssign(g, node, gen);
      break;
    case 'Block':
      genBlock(g, node);
      break;
    case 'If': {
      const folded = foldConstant(g, node.condition);
      if (folded !== undefined) {
        const taken = folded !== 0n ? node.then : node.else;
        if (taken) genBlock(g, taken);
        break;
      }
      // Variables either branch assigns are in their slots at the merge point.
      const assigned = assignedIn(node);
      g.vars.flush(assigned);
      const otherwise = g.e.newLabel();
      branch(g, node.condition, otherwise, false, gen);
      const before = g.vars.snapshot();
      genBlock(g, node.then);
      g.vars.flush(assigned);
      if (node.else) {
        const done = g.e.newLabel();
        g.e.goto(done);
        g.e.bind(otherwise);
        g.vars.merge(before, new Set());
        genBlock(g, node.else);
        g.vars.flush(assigned);
        g.e.bind(done);
      } else g.e.bind(otherwise);
      g.vars.merge(before, assigned);
      break;
    }
    case 'Unroll': {
      const count =
        g.constantOf(node.count) ??
        (node.count.kind === 'IntegerLiteral' ? node.count.value : undefined);
      if (count === undefined)
        return fail('unroll count must be a literal or a positional parameter', node.count.range);
      for (let i = 0n; i < count; i++) genBlock(g, node.body);
      break;
    }
    case 'While':
      g.vars.pinned(assignedIn(node), () => {
        const top = g.e.newLabel();
        const done = g.e.newLabel();
        g.e.bind(top);
        branch(g, node.condition, done, false, gen);
        g.loops.push({ breakTo: done, continueTo: top });
        genBlock(g, node.body);
        g.loops.pop();
        g.e.goto(top);
        g.e.bind(done);
      });
      break;
    case 'For':
      genFor(g, node, genBlock);
      break;
    case 'ForRange':
      return fail('for loops over ranges are not implemented yet', node.range);
    case 'Jump': {
      if (node.jump === 'return') {
        if (g.parent) return unsupported('return inside a for loop over a map', node.range);
        g.e.goto(g.returnLabel);
        break;
      }
      const loop = g.loops[g.loops.length - 1];
      if (!loop) return fail(`${node.jump} used outside of a loop`, node.range);
      g.e.goto(node.jump === 'break' ? loop.breakTo : loop.continueTo);
      break;
    }
  }
  g.frame.release(mark);
  g.regs.resetSlots();
  g.e.line = previousLine;
}
