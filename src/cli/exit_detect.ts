// Whether a program can stop itself: then, without --duration, the run goes on until exit()
// (within a cap), as bpftrace does, instead of stopping at the default duration.

import type { Program } from '../../compiler/program';
import type { Node } from '../../grammar/ast';
import { forEachChild, parse } from '../../grammar/index';

export function programCallsExit(program: Program): boolean {
  const { ast } = parse(program.source, program.sourceName);
  if (!ast) return false;
  let found = false;
  const visit = (node: Node) => {
    if (found) return;
    if (node.kind === 'Call' && node.name === 'exit') found = true;
    else forEachChild(node, visit);
  };
  visit(ast);
  return found;
}
