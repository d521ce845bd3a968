// The checker's result: the AST plus side tables keyed by node id (STYLE.md §3). Codegen
// reads only this; it never re-derives a type.

import type { Program } from '../../grammar/ast';
import type { Diagnostic } from '../../grammar/diagnostics';
import type { CompileOptions, ResolvedAttachPoint } from '../host';
import type { ScriptMapInfo } from '../program';
import type { Type } from '../types';

export interface CheckedProbe {
  /** Every attach point of the block, resolved and wildcard-expanded. */
  points: ResolvedAttachPoint[];
  /** The attach points as written, positional parameters (`i:ms:$1`) replaced. */
  attachTexts: string[];
  /** Scratch variables of this probe and their final types (a string variable is sized for
   *  the longest string assigned to it anywhere in the probe). */
  variables: Map<string, Type>;
}

export interface CheckedProgram {
  ast: Program;
  options: CompileOptions;
  /** The type of every expression node (and of map/variable targets), by node id. */
  types: Map<number, Type>;
  /** Script maps by name (`@x`), key types and value kind fixed by first use. */
  maps: Map<string, ScriptMapInfo>;
  /** Same order as ast.probes. */
  probes: CheckedProbe[];
  /** Compile-time integer values: enum constants (Identifier nodes), numeric positional
   *  parameters, `$#`, sizeof/offsetof, by node id. */
  constants: Map<number, bigint>;
  diagnostics: Diagnostic[];
}
