// Codegen's located errors: a construct the checker accepted but codegen cannot (yet) turn
// into instructions. Thrown out of the generators and turned into diagnostics by generate().

import type { SourceRange } from '../../grammar/ast';
import { error, type Diagnostic } from '../../grammar/diagnostics';

export class CodegenError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => d.message).join('; '));
    this.name = 'CodegenError';
  }
}

export function unsupported(what: string, range: SourceRange | null): never {
  throw new CodegenError([error(`${what} is not implemented yet`, range)]);
}

export function fail(message: string, range: SourceRange | null): never {
  throw new CodegenError([error(message, range)]);
}
