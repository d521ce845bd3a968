// Whether a program can stop itself: then, without --duration, the run goes on until exit()
// (within a cap), as bpftrace does, instead of stopping at the default duration.

import type { Program } from '../../compiler/program';
import type { Node, Program as Ast } from '../../grammar/ast';
import { forEachChild, parse } from '../../grammar/index';

/** `ast` is the script's, when the caller has it; a compiled object's source is parsed. */
export function programCallsExit(program: Program, ast?: Ast | null): boolean {
  ast ??= parse(program.source, program.sourceName).ast;
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
