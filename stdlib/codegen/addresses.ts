// kaddr("sym") and uaddr("sym"): the symbol's address, a constant resolved at compile time
// through the probe host (the event source's symbol table).

import { error } from '../../grammar/diagnostics';
import { CodegenError } from '../../compiler/codegen/errors';
import { constant } from '../../compiler/codegen/value';
import type { FunctionGen } from '../../compiler/codegen/generator';

function address(kernel: boolean): FunctionGen {
  return (g, node) => {
    const arg = node.args[0];
    if (arg?.kind !== 'StringLiteral') throw new Error(`internal: ${node.name} of a non-literal`);
    const name = arg.value;
    const found = g.checked.options.host.symbolAddress?.(name, kernel);
    if (found !== undefined) return constant(found);
    // 0.17's wording: `Failed to resolve kernel symbol: x` (unlocated) for kaddr, and
    // `Could not resolve symbol: /path:x` at the call for uaddr.
    const message = kernel
      ? `Failed to resolve kernel symbol: ${name}`
      : `Could not resolve symbol: ${g.points[0]?.target ?? ''}:${name}`;
    throw new CodegenError([error(message, node.range)]);
  };
}

export const addressFunctions: Record<string, FunctionGen> = {
  kaddr: address(true),
  uaddr: address(false),
};
