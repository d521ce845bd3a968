import type * as A from '../../grammar/ast';
import { parse } from '../../grammar/index';

/** A copy of the AST without ids and source ranges, for structural comparison. */
export function strip(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strip);
  if (node && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === 'id' || k === 'range' || k === 'nameRange') continue;
      out[k] = strip(v);
    }
    return out;
  }
  return node;
}

/** Parse a program that must parse without diagnostics. */
export function parseOk(source: string): A.Program {
  const r = parse(source, 'test.bt');
  if (!r.ast || r.diagnostics.length > 0) {
    throw new Error(
      `expected ${JSON.stringify(source)} to parse: ${r.diagnostics.map((d) => d.message).join('; ')}`,
    );
  }
  return r.ast;
}

export function statements(body: string): A.Statement[] {
  return parseOk(`BEGIN { ${body} }`).probes[0]!.body.statements;
}

/** The value of `$x = <expression>` in a BEGIN block, stripped. */
export function expr(expression: string): unknown {
  const s = statements(`$x = ${expression}`)[0] as A.AssignVariable;
  return strip(s.value);
}

export function firstError(source: string): { at: string; message: string } | null {
  const d = parse(source, 'test.bt').diagnostics[0];
  if (!d) return null;
  return { at: d.range ? `${d.range.start.line}:${d.range.start.column}` : '', message: d.message };
}
