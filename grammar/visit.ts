// Child traversal: one entry per node kind, typed so that a kind added to the AST without
// an entry here fails to compile.

import type { Node, NodeKind } from './ast';

type ChildVisitor<K extends NodeKind> = (
  node: Extract<Node, { kind: K }>,
  visit: (child: Node) => void,
) => void;

const none = (): void => {};

const forEachChildTable: { [K in NodeKind]: ChildVisitor<K> } = {
  Program: (n, v) => {
    n.preamble.forEach(v);
    if (n.config) v(n.config);
    n.mapDeclarations.forEach(v);
    n.macros.forEach(v);
    n.probes.forEach(v);
  },
  ConfigBlock: (n, v) => n.settings.forEach(v),
  ConfigSetting: (n, v) => v(n.value),
  MapDeclaration: (n, v) => n.args.forEach(v),
  Macro: (n, v) => {
    n.params.forEach(v);
    v(n.body);
  },
  MacroParameter: none,
  Include: none,
  Define: none,
  RecordDefinition: (n, v) => n.fields.forEach(v),
  RecordField: (n, v) => v(n.type),
  EnumDefinition: (n, v) => n.enumerators.forEach(v),
  Enumerator: none,
  TypeName: none,
  Probe: (n, v) => {
    n.attachPoints.forEach(v);
    if (n.predicate) v(n.predicate);
    v(n.body);
  },
  AttachPoint: none,
  Block: (n, v) => n.statements.forEach(v),
  ExpressionStatement: (n, v) => v(n.expression),
  AssignMap: (n, v) => {
    v(n.map);
    v(n.value);
  },
  AssignVariable: (n, v) => {
    v(n.variable);
    v(n.value);
  },
  CompoundAssign: (n, v) => {
    v(n.target);
    v(n.value);
  },
  VariableDeclaration: (n, v) => {
    v(n.variable);
    if (n.type) v(n.type);
    if (n.value) v(n.value);
  },
  If: (n, v) => {
    v(n.condition);
    v(n.then);
    if (n.else) v(n.else);
  },
  Unroll: (n, v) => {
    v(n.count);
    v(n.body);
  },
  While: (n, v) => {
    v(n.condition);
    v(n.body);
  },
  For: (n, v) => {
    v(n.variable);
    v(n.map);
    v(n.body);
  },
  ForRange: (n, v) => {
    v(n.variable);
    v(n.start);
    v(n.end);
    v(n.body);
  },
  Jump: none,
  IntegerLiteral: none,
  StringLiteral: none,
  BooleanLiteral: none,
  PositionalParameter: none,
  PositionalCount: none,
  Builtin: none,
  Identifier: none,
  Variable: none,
  MapAccess: (n, v) => n.keys.forEach(v),
  Call: (n, v) => n.args.forEach(v),
  Sizeof: (n, v) => v(n.operand),
  Offsetof: (n, v) => v(n.record),
  Binary: (n, v) => {
    v(n.left);
    v(n.right);
  },
  Unary: (n, v) => v(n.operand),
  IncDec: (n, v) => v(n.target),
  Ternary: (n, v) => {
    v(n.condition);
    v(n.then);
    v(n.else);
  },
  FieldAccess: (n, v) => v(n.object),
  TupleAccess: (n, v) => v(n.tuple),
  Index: (n, v) => {
    v(n.object);
    v(n.index);
  },
  Cast: (n, v) => {
    v(n.type);
    v(n.operand);
  },
  Tuple: (n, v) => n.elements.forEach(v),
  RecordLiteral: (n, v) => n.fields.forEach(v),
  RecordLiteralField: (n, v) => v(n.value),
  BlockExpression: (n, v) => {
    n.statements.forEach(v);
    if (n.value) v(n.value);
  },
};

/** Call `visit` on each direct child of `node`, in source order. */
export function forEachChild(node: Node, visit: (child: Node) => void): void {
  (forEachChildTable[node.kind] as ChildVisitor<NodeKind>)(node as never, visit);
}
