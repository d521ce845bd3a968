// Compile-time evaluation of integer expressions without side effects: literals, checker
// constants, variables holding known constants, and operators over those (with the same
// rules as the generated instructions). An expression that folds emits no code at all.

import type { Expression } from '../../grammar/ast';
import { sizeOf, type IntSize } from '../types';
import {
  bothSigned,
  canonicalConst,
  foldArithmetic,
  foldComparison,
  intWidth,
  isComparison,
} from './arith';
import { isScalar } from './layout';
import type { ProbeGen } from './probe-gen';

export function foldConstant(g: ProbeGen, node: Expression): bigint | undefined {
  switch (node.kind) {
    case 'IntegerLiteral':
      return node.value;
    case 'BooleanLiteral':
      return node.value ? 1n : 0n;
    case 'Sizeof':
      if (node.operand.kind === 'Variable' && g.vars.has(node.operand.name))
        return BigInt(sizeOf(g.vars.type(node.operand.name)));
      return g.constantOf(node);
    case 'PositionalParameter':
    case 'PositionalCount':
    case 'Identifier':
    case 'Offsetof':
      return g.constantOf(node);
    case 'Variable':
      return g.vars.has(node.name) ? g.vars.peek(node.name) : undefined;
    case 'Binary': {
      const lt = g.typeOf(node.left);
      const rt = g.typeOf(node.right);
      if (!isScalar(lt) || !isScalar(rt) || lt.kind === 'pointer' || rt.kind === 'pointer')
        return undefined;
      const left = foldConstant(g, node.left);
      if (node.operator === '&&' || node.operator === '||') {
        if (left === undefined) return undefined;
        if ((left !== 0n) === (node.operator === '||')) return node.operator === '||' ? 1n : 0n;
        const right = foldConstant(g, node.right);
        return right === undefined ? undefined : right !== 0n ? 1n : 0n;
      }
      if (left === undefined) return undefined;
      const right = foldConstant(g, node.right);
      if (right === undefined) return undefined;
      if (isComparison(node.operator))
        return foldComparison(node.operator, left, right, bothSigned(lt, rt)) ? 1n : 0n;
      return foldArithmetic(node.operator, left, right);
    }
    case 'Unary': {
      if (node.operator !== '-' && node.operator !== '~' && node.operator !== '!') return undefined;
      const operandType = g.typeOf(node.operand);
      if (!isScalar(operandType)) return undefined;
      const value = foldConstant(g, node.operand);
      if (value === undefined) return undefined;
      if (node.operator === '!') return value === 0n ? 1n : 0n;
      const raw = node.operator === '-' ? -value : ~value;
      return canonicalConst(
        raw,
        intWidth(operandType),
        operandType.kind === 'int' && operandType.signed,
      );
    }
    case 'Cast': {
      const target = g.typeOf(node);
      if (target.kind !== 'int' || !isScalar(g.typeOf(node.operand))) return undefined;
      const value = foldConstant(g, node.operand);
      if (value === undefined) return undefined;
      const width = Math.min(intWidth(g.typeOf(node.operand)), target.size) as IntSize;
      return canonicalConst(value, width, target.signed);
    }
    case 'Ternary': {
      if (!isScalar(g.typeOf(node))) return undefined;
      const condition = foldConstant(g, node.condition);
      if (condition === undefined) return undefined;
      return foldConstant(g, condition !== 0n ? node.then : node.else);
    }
    default:
      return undefined;
  }
}
