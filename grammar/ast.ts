// The AST: plain data. Every node has a numeric `id` (unique within one parse, used to key
// side tables such as the checker's types) and a source `range`. Behaviour lives in free
// functions (printer, checker, codegen), never on the nodes.

export interface SourcePosition {
  /** 0-based character offset into the source text. */
  offset: number;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
}

/** A half-open range [start, end) in one source file. */
export interface SourceRange {
  start: SourcePosition;
  end: SourcePosition;
}

interface NodeBase {
  id: number;
  range: SourceRange;
}

// ---------------------------------------------------------------------------------------
// Program structure

export interface Program extends NodeBase {
  kind: 'Program';
  /** `#include`, `#define`, `struct`/`union`/`enum` definitions, in source order. */
  preamble: PreambleItem[];
  /** `config = { name = value; … }` (newer bpftrace), before everything but the preamble. */
  config: ConfigBlock | null;
  /** `let @m = hash(N);` (newer bpftrace). */
  mapDeclarations: MapDeclaration[];
  /** `macro name(params) { … }` (newer bpftrace); expanded away before checking. */
  macros: Macro[];
  probes: Probe[];
}

export interface ConfigBlock extends NodeBase {
  kind: 'ConfigBlock';
  settings: ConfigSetting[];
}

/** `name = value`: an integer, a string, `true`/`false`, or a bare word (`perf`). */
export interface ConfigSetting extends NodeBase {
  kind: 'ConfigSetting';
  name: string;
  nameRange: SourceRange;
  value: Expression;
}

/** `let @name = kind(maxEntries);` */
export interface MapDeclaration extends NodeBase {
  kind: 'MapDeclaration';
  map: string;
  mapRange: SourceRange;
  /** `hash`, `lruhash`, `percpuhash`, `percpulruhash`, … as written. */
  mapKind: string;
  kindRange: SourceRange;
  args: Expression[];
}

export interface Macro extends NodeBase {
  kind: 'Macro';
  name: string;
  nameRange: SourceRange;
  params: MacroParameter[];
  body: BlockExpression;
}

/** `$x` (a scratch variable, by reference), `@x` (a map) or `x` (an expression). */
export interface MacroParameter extends NodeBase {
  kind: 'MacroParameter';
  /** As written, with its sigil. */
  name: string;
}

export type PreambleItem = Include | Define | RecordDefinition | EnumDefinition;

export interface Include extends NodeBase {
  kind: 'Include';
  /** As written between the quotes or angle brackets. */
  path: string;
  system: boolean;
}

/** An object-like macro: `#define NAME replacement-text`. */
export interface Define extends NodeBase {
  kind: 'Define';
  name: string;
  /** The replacement text, trimmed. Expanded by the parser where NAME is used. */
  body: string;
}

/** `struct NAME { fields }` or `union NAME { fields }`; the trailing `;` is optional. */
export interface RecordDefinition extends NodeBase {
  kind: 'RecordDefinition';
  union: boolean;
  name: string;
  fields: RecordField[];
}

export interface RecordField extends NodeBase {
  kind: 'RecordField';
  name: string;
  type: TypeName;
  /** `char name[16]` → 16; nested arrays keep the outermost first. */
  arrayLengths: number[];
}

export interface EnumDefinition extends NodeBase {
  kind: 'EnumDefinition';
  /** Empty for an anonymous enum. */
  name: string;
  enumerators: Enumerator[];
}

export interface Enumerator extends NodeBase {
  kind: 'Enumerator';
  name: string;
  /** The explicit value, if written; otherwise the previous value + 1 (the first is 0). */
  value: bigint;
}

/** A C type as written in a cast, sizeof, or a struct field: `uint8`, `struct task_struct *`. */
export interface TypeName extends NodeBase {
  kind: 'TypeName';
  /** `int8`…`uint64`, a C base type (`int`, `unsigned long`, `char`… in struct fields),
   *  or the record/enum name when `record` is set. */
  name: string;
  record?: 'struct' | 'union' | 'enum';
  pointerDepth: number;
}

export interface Probe extends NodeBase {
  kind: 'Probe';
  attachPoints: AttachPoint[];
  predicate: Expression | null;
  body: Block;
}

/**
 * One attach point as written, e.g. `tracepoint:syscalls:sys_enter_*`, `kprobe:vfs_read`,
 * `interval:ms:100`, `BEGIN`. Splitting into provider/target/function, alias resolution and
 * wildcard expansion belong to probes/.
 */
export interface AttachPoint extends NodeBase {
  kind: 'AttachPoint';
  raw: string;
}

// ---------------------------------------------------------------------------------------
// Statements

export type Statement =
  | ExpressionStatement
  | AssignMap
  | AssignVariable
  | CompoundAssign
  | VariableDeclaration
  | If
  | Unroll
  | While
  | For
  | ForRange
  | Jump
  | Block;

export interface Block extends NodeBase {
  kind: 'Block';
  statements: Statement[];
}

export interface ExpressionStatement extends NodeBase {
  kind: 'ExpressionStatement';
  expression: Expression;
}

/** `@m[k] = e` */
export interface AssignMap extends NodeBase {
  kind: 'AssignMap';
  map: MapAccess;
  value: Expression;
}

/** `$x = e` */
export interface AssignVariable extends NodeBase {
  kind: 'AssignVariable';
  variable: Variable;
  value: Expression;
}

/** `@m[k] op= e` / `$x op= e` with op one of + - * / % & | ^ << >> */
export interface CompoundAssign extends NodeBase {
  kind: 'CompoundAssign';
  target: MapAccess | Variable;
  operator: ArithmeticOperator;
  value: Expression;
}

/** `let $x;`, `let $x = e;`, `let $x: uint8 = e;` (newer bpftrace). */
export interface VariableDeclaration extends NodeBase {
  kind: 'VariableDeclaration';
  variable: Variable;
  type: TypeName | null;
  value: Expression | null;
}

export interface If extends NodeBase {
  kind: 'If';
  condition: Expression;
  then: Block;
  /** `else if` is an If nested as the only statement of the else block. */
  else: Block | null;
}

export interface Unroll extends NodeBase {
  kind: 'Unroll';
  /** An Integer literal or a PositionalParameter. */
  count: Expression;
  body: Block;
}

export interface While extends NodeBase {
  kind: 'While';
  condition: Expression;
  body: Block;
}

/** `for ($kv : @map) { … }` (newer bpftrace). */
export interface For extends NodeBase {
  kind: 'For';
  variable: Variable;
  map: MapAccess;
  body: Block;
}

/** `for ($i : start..end) { … }` (newer bpftrace): start inclusive, end exclusive. */
export interface ForRange extends NodeBase {
  kind: 'ForRange';
  variable: Variable;
  start: Expression;
  end: Expression;
  body: Block;
}

export interface Jump extends NodeBase {
  kind: 'Jump';
  jump: 'break' | 'continue' | 'return';
}

// ---------------------------------------------------------------------------------------
// Expressions

export type Expression =
  | IntegerLiteral
  | StringLiteral
  | BooleanLiteral
  | PositionalParameter
  | PositionalCount
  | Builtin
  | Identifier
  | Variable
  | MapAccess
  | Call
  | Sizeof
  | Offsetof
  | Binary
  | Unary
  | IncDec
  | Ternary
  | FieldAccess
  | TupleAccess
  | Index
  | Cast
  | Tuple
  | RecordLiteral
  | BlockExpression;

export interface IntegerLiteral extends NodeBase {
  kind: 'IntegerLiteral';
  /** Always an int64 in bpftrace 0.17; literals ≥ 2^63 are stored already wrapped. */
  value: bigint;
}

export interface StringLiteral extends NodeBase {
  kind: 'StringLiteral';
  /** Escapes already decoded; may contain NUL bytes. One char per byte (latin1). */
  value: string;
}

export interface BooleanLiteral extends NodeBase {
  kind: 'BooleanLiteral';
  value: boolean;
}

/** `$1` … `$N` */
export interface PositionalParameter extends NodeBase {
  kind: 'PositionalParameter';
  index: number;
}

/** `$#` */
export interface PositionalCount extends NodeBase {
  kind: 'PositionalCount';
}

/** A builtin variable: pid, tid, comm, nsecs, arg0, args, retval, probe, … */
export interface Builtin extends NodeBase {
  kind: 'Builtin';
  name: string;
}

/** A bare identifier that is not a builtin: an enum constant, or unknown (checker error). */
export interface Identifier extends NodeBase {
  kind: 'Identifier';
  name: string;
}

/** `$name` */
export interface Variable extends NodeBase {
  kind: 'Variable';
  name: string;
}

/** `@name`, `@name[k1, k2]`, or `@` / `@[k]` (name is then '@'). `name` includes the `@`. */
export interface MapAccess extends NodeBase {
  kind: 'MapAccess';
  name: string;
  keys: Expression[];
  /** True when written with brackets, even `@m[]`-less forms have `keys.length === 0`. */
  indexed: boolean;
}

export interface Call extends NodeBase {
  kind: 'Call';
  name: string;
  /** Range of the function name alone. */
  nameRange: SourceRange;
  args: Expression[];
}

export interface Sizeof extends NodeBase {
  kind: 'Sizeof';
  operand: TypeName | Expression;
}

export interface Offsetof extends NodeBase {
  kind: 'Offsetof';
  record: TypeName;
  fields: string[];
}

export type ArithmeticOperator = '+' | '-' | '*' | '/' | '%' | '&' | '|' | '^' | '<<' | '>>';
export type ComparisonOperator = '==' | '!=' | '<' | '<=' | '>' | '>=';
export type LogicalOperator = '&&' | '||';
export type BinaryOperator = ArithmeticOperator | ComparisonOperator | LogicalOperator;

export interface Binary extends NodeBase {
  kind: 'Binary';
  operator: BinaryOperator;
  left: Expression;
  right: Expression;
}

export interface Unary extends NodeBase {
  kind: 'Unary';
  /** `-x`, `~x`, `!x`, `*p` (dereference), `&x` (address-of, newer bpftrace). */
  operator: '-' | '~' | '!' | '*' | '&';
  operand: Expression;
}

/** `x++`, `++x`, `x--`, `--x` on a map or variable. */
export interface IncDec extends NodeBase {
  kind: 'IncDec';
  operator: '++' | '--';
  prefix: boolean;
  target: MapAccess | Variable;
}

export interface Ternary extends NodeBase {
  kind: 'Ternary';
  condition: Expression;
  then: Expression;
  else: Expression;
}

/** `e.field` or `e->field`. */
export interface FieldAccess extends NodeBase {
  kind: 'FieldAccess';
  object: Expression;
  field: string;
  arrow: boolean;
}

/** `t.0` */
export interface TupleAccess extends NodeBase {
  kind: 'TupleAccess';
  tuple: Expression;
  index: number;
}

/** `e[i]` on an array or pointer (maps use MapAccess). */
export interface Index extends NodeBase {
  kind: 'Index';
  object: Expression;
  index: Expression;
}

export interface Cast extends NodeBase {
  kind: 'Cast';
  type: TypeName;
  operand: Expression;
}

export interface Tuple extends NodeBase {
  kind: 'Tuple';
  elements: Expression[];
}

/** `(name = e, …)` (newer bpftrace): an immutable record. */
export interface RecordLiteral extends NodeBase {
  kind: 'RecordLiteral';
  fields: RecordLiteralField[];
}

export interface RecordLiteralField extends NodeBase {
  kind: 'RecordLiteralField';
  name: string;
  value: Expression;
}

/** `{ statements; value }` used as an expression (newer bpftrace); `value` is null when
 *  the last statement ends with `;` (the block then has no value). Macro calls expand to
 *  these. */
export interface BlockExpression extends NodeBase {
  kind: 'BlockExpression';
  statements: Statement[];
  value: Expression | null;
}

export type Node =
  | Program
  | ConfigBlock
  | ConfigSetting
  | MapDeclaration
  | Macro
  | MacroParameter
  | RecordLiteralField
  | PreambleItem
  | RecordField
  | Enumerator
  | TypeName
  | Probe
  | AttachPoint
  | Statement
  | Expression;

export type NodeKind = Node['kind'];
