// Newer bpftrace's macros, expanded before checking: a call of a user macro becomes its body
// as a block expression, cloned with the arguments substituted.
//  - `$x` parameters take a scratch variable by reference (the body's `$x` is renamed to it);
//  - `@x` parameters take a map (renamed likewise); the body may use no other map;
//  - `x` parameters take any expression, inserted (cloned) wherever the body says `x`; a
//    variable or map passed this way is wrapped in a block so that the body cannot assign it.
// Every other variable of the body is renamed per expansion (`$$name_N_var`), so a macro
// never touches its caller's variables. A bare identifier calls a macro without parameters.
// Also here, as newer bpftrace's standard macros do it: `pid()` and `__builtin_pid` for a
// builtin variable `pid`.

import type * as A from './ast';
import { error, type Diagnostic } from './diagnostics';
import { isBuiltinVariableWord, isCallWord } from './words';

export interface ExpandResult {
  program: A.Program;
  diagnostics: Diagnostic[];
}

/** Expands in place (the probes of `program` are rewritten) and returns it. */
export function expandMacros(program: A.Program): ExpandResult {
  const expander = new Expander(program);
  for (const probe of program.probes) {
    if (probe.predicate) probe.predicate = expander.expression(probe.predicate, null);
    expander.children(probe.body, null);
  }
  return { program, diagnostics: expander.diagnostics };
}

/** What one expansion substitutes in the cloned body. */
interface Expansion {
  macro: A.Macro;
  /** `$param` → the caller's variable. */
  variables: Map<string, string>;
  /** `@param` → the caller's map. */
  maps: Map<string, string>;
  /** `param` → the caller's (already expanded) expression. */
  expressions: Map<string, A.Expression>;
  /** Distinguishes the variables of each expansion. */
  serial: number;
  /** The macros being expanded, outermost first (to refuse recursion). */
  stack: A.Macro[];
}

type AnyNode = A.Node & Record<string, unknown>;

function isNode(value: unknown): value is A.Node {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { kind?: unknown }).kind === 'string' &&
    typeof (value as { id?: unknown }).id === 'number'
  );
}

class Expander {
  readonly diagnostics: Diagnostic[] = [];
  private readonly macros = new Map<string, A.Macro[]>();
  private nextId: number;
  private serial = 0;

  constructor(program: A.Program) {
    this.nextId = maxId(program) + 1;
    for (const macro of program.macros) {
      const same = this.macros.get(macro.name) ?? [];
      if (same.some((m) => m.params.length === macro.params.length)) {
        this.fail(`Redefinition of macro: ${macro.name}`, macro.nameRange);
      }
      const seen = new Set<string>();
      for (const p of macro.params) {
        if (seen.has(p.name)) this.fail(`Duplicate macro parameter: ${p.name}`, p.range);
        seen.add(p.name);
      }
      same.push(macro);
      this.macros.set(macro.name, same);
    }
  }

  private fail(message: string, range: A.SourceRange): void {
    this.diagnostics.push(error(message, range));
  }

  /** Rewrites every child of `node` in place. */
  children(node: A.Node, expansion: Expansion | null): void {
    const record = node as AnyNode;
    for (const key of Object.keys(record)) {
      const value = record[key];
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          if (isNode(value[i])) value[i] = this.node(value[i] as A.Node, expansion);
        }
      } else if (isNode(value)) {
        record[key] = this.node(value, expansion);
      }
    }
  }

  private node(node: A.Node, expansion: Expansion | null): A.Node {
    return isExpression(node)
      ? this.expression(node, expansion)
      : (this.statementLike(node, expansion), node);
  }

  private statementLike(node: A.Node, expansion: Expansion | null): void {
    this.children(node, expansion);
  }

  expression(e: A.Expression, expansion: Expansion | null): A.Expression {
    switch (e.kind) {
      case 'Variable':
        if (expansion) e.name = this.variableName(e.name, expansion);
        return e;
      case 'MapAccess':
        if (expansion) this.renameMap(e, expansion);
        this.children(e, expansion);
        return e;
      case 'Identifier': {
        const passed = expansion?.expressions.get(e.name);
        if (passed) return this.clone(passed);
        const macro = this.lookup(e.name, 0);
        if (macro) return this.expand(macro, e, [], expansion);
        if (e.name.startsWith('__builtin_') && isBuiltinVariableWord(e.name.slice(10))) {
          return this.builtin(e.name.slice(10), e.range);
        }
        return e;
      }
      case 'Builtin': {
        // A user macro without parameters may take a builtin's name.
        const macro = this.lookup(e.name, 0);
        return macro ? this.expand(macro, e, [], expansion) : e;
      }
      case 'Call': {
        this.children(e, expansion);
        const macro = this.lookup(e.name, e.args.length);
        if (macro) return this.expand(macro, e, e.args, expansion);
        if (this.macros.has(e.name) && !isCallWord(e.name) && !isBuiltinVariableWord(e.name)) {
          const closest = this.macros.get(e.name)![0]!;
          this.fail(
            `Call to ${e.name}() has arguments that do not match any definition. ` +
              `The closest definition of ${e.name}() has a different number of arguments. ` +
              `Expected: ${closest.params.length} but got ${e.args.length}`,
            e.range,
          );
          return e;
        }
        if (e.args.length === 0 && isBuiltinVariableWord(e.name)) {
          return this.builtin(e.name, e.range);
        }
        return e;
      }
      default:
        this.children(e, expansion);
        return e;
    }
  }

  private lookup(name: string, arity: number): A.Macro | undefined {
    return this.macros.get(name)?.find((m) => m.params.length === arity);
  }

  private variableName(name: string, expansion: Expansion): string {
    return (
      expansion.variables.get(name) ??
      `$$${expansion.macro.name}_${expansion.serial}_${name.slice(1)}`
    );
  }

  private renameMap(map: A.MapAccess, expansion: Expansion): void {
    const renamed = expansion.maps.get(map.name);
    if (renamed) map.name = renamed;
    else {
      this.fail(
        `Unhygienic access to map: ${map.name}. Maps must be passed into the macro as arguments.`,
        map.range,
      );
    }
  }

  private builtin(name: string, range: A.SourceRange): A.Builtin {
    return { kind: 'Builtin', name, id: this.nextId++, range };
  }

  private expand(
    macro: A.Macro,
    call: A.Expression,
    args: A.Expression[],
    outer: Expansion | null,
  ): A.Expression {
    const stack = outer?.stack ?? [];
    if (stack.includes(macro)) {
      const chain = [...stack.slice(stack.indexOf(macro)), macro].map((m) => m.name);
      this.fail(`Recursive macro call detected. Call chain: ${chain.join(' > ')}`, call.range);
      return call;
    }
    const expansion: Expansion = {
      macro,
      variables: new Map(),
      maps: new Map(),
      expressions: new Map(),
      serial: this.serial++,
      stack: [...stack, macro],
    };
    let ok = true;
    macro.params.forEach((param, i) => {
      const arg = args[i]!;
      const mismatch = (wanted: string) => {
        const got =
          arg.kind === 'Variable'
            ? 'a variable'
            : arg.kind === 'MapAccess'
              ? 'a map'
              : 'an expression';
        this.fail(
          `Mismatched arg. ${macro.name}() expects ${wanted} for arg ${param.name} but got ${got}.`,
          arg.range,
        );
        ok = false;
      };
      if (param.name.startsWith('$')) {
        if (arg.kind === 'Variable') expansion.variables.set(param.name, arg.name);
        else mismatch('a variable');
      } else if (param.name.startsWith('@')) {
        if (arg.kind === 'MapAccess' && !arg.indexed) expansion.maps.set(param.name, arg.name);
        else mismatch('a map');
      } else if (arg.kind === 'Variable' || arg.kind === 'MapAccess') {
        const wrapped: A.BlockExpression = {
          kind: 'BlockExpression',
          statements: [],
          value: arg,
          id: this.nextId++,
          range: arg.range,
        };
        expansion.expressions.set(param.name, wrapped);
      } else {
        expansion.expressions.set(param.name, arg);
      }
    });
    if (!ok) return call;
    const body = this.clone(macro.body);
    this.children(body, expansion);
    body.range = call.range;
    return body;
  }

  /** A deep copy with fresh ids (ranges are shared: they are never changed). */
  private clone<N extends A.Node>(node: N): N {
    const copy = { ...(node as AnyNode) };
    for (const key of Object.keys(copy)) {
      const value = copy[key];
      if (Array.isArray(value)) {
        copy[key] = value.map((v: unknown) => (isNode(v) ? this.clone(v) : v));
      } else if (isNode(value)) {
        copy[key] = this.clone(value);
      }
    }
    copy.id = this.nextId++;
    return copy as unknown as N;
  }
}

const EXPRESSION_KINDS = new Set<string>([
  'IntegerLiteral',
  'StringLiteral',
  'BooleanLiteral',
  'PositionalParameter',
  'PositionalCount',
  'Builtin',
  'Identifier',
  'Variable',
  'MapAccess',
  'Call',
  'Sizeof',
  'Offsetof',
  'Binary',
  'Unary',
  'IncDec',
  'Ternary',
  'FieldAccess',
  'TupleAccess',
  'Index',
  'Cast',
  'Tuple',
  'RecordLiteral',
  'BlockExpression',
] satisfies A.Expression['kind'][]);

function isExpression(node: A.Node): node is A.Expression {
  return EXPRESSION_KINDS.has(node.kind);
}

function maxId(node: A.Node): number {
  let max = node.id;
  const visit = (n: A.Node): void => {
    if (n.id > max) max = n.id;
    for (const value of Object.values(n)) {
      if (Array.isArray(value)) value.forEach((v) => isNode(v) && visit(v));
      else if (isNode(value)) visit(value);
    }
  };
  visit(node);
  return max;
}
