// C precedence of bpftrace's binary operators, higher binds tighter. The parser folds its flat
// binary chains with it and the printer adds parentheses by it, so both must read this one table.

import type { BinaryOperator } from './ast';

export const binaryPrecedence: Record<BinaryOperator, number> = {
  '||': 1,
  '&&': 2,
  '|': 3,
  '^': 4,
  '&': 5,
  '==': 6,
  '!=': 6,
  '<': 7,
  '<=': 7,
  '>': 7,
  '>=': 7,
  '<<': 8,
  '>>': 8,
  '+': 9,
  '-': 9,
  '*': 10,
  '/': 10,
  '%': 10,
};
