// AST → bpftrace source. For any AST the parser produced, parse(printProgram(ast)) gives
// the same AST again (ids and ranges aside). Parentheses are added only where precedence
// or 0.17's lexing rules need them (`-(5)` stays a negation, not the literal -5).

import type * as A from './ast';
import { quoteString } from './literals';
import { binaryPrecedence } from './precedence';

const INDENT = '  ';

const TERNARY = 0;
const PREFIX = 11;
const POSTFIX = 12;
const PRIMARY = 13;

export function printProgram(ast: A.Program): string {
  const parts: string[] = ast.preamble.map(printPreambleItem);
  if (ast.config) parts.push(printConfig(ast.config));
  for (const d of ast.mapDeclarations) {
    parts.push(`let ${d.map} = ${d.mapKind}(${d.args.map((a) => printExpression(a)).join(', ')});`);
  }
  for (const macro of ast.macros) parts.push(printMacro(macro));
  for (const probe of ast.probes) parts.push(printProbe(probe));
  return parts.join('\n') + '\n';
}

function printPreambleItem(item: A.PreambleItem): string {
  switch (item.kind) {
    case 'Include':
      return item.system ? `#include <${item.path}>` : `#include "${item.path}"`;
    case 'Define':
      return `#define ${item.name} ${item.body}`;
    case 'RecordDefinition': {
      const fields = item.fields.map(
        (f) =>
          `${INDENT}${printType(f.type)} ${f.name}${f.arrayLengths.map((n) => `[${n}]`).join('')};\n`,
      );
      return `${item.union ? 'union' : 'struct'} ${item.name} {\n${fields.join('')}};`;
    }
    case 'EnumDefinition': {
      const values = item.enumerators.map((e) => `${INDENT}${e.name} = ${e.value}`);
      return `enum ${item.name}${item.name ? ' ' : ''}{\n${values.join(',\n')}\n};`;
    }
  }
}

function printConfig(c: A.ConfigBlock): string {
  const settings = c.settings.map((x) => `${INDENT}${x.name} = ${printExpression(x.value)};\n`);
  return `config = {\n${settings.join('')}}`;
}

function printMacro(m: A.Macro): string {
  const params = m.params.map((p) => p.name).join(', ');
  return `macro ${m.name}(${params}) ${printBlockExpression(m.body, '')}\n`;
}

function printType(t: A.TypeName): string {
  const base = t.record ? `${t.record} ${t.name}` : t.name;
  return t.pointerDepth > 0 ? `${base} ${'*'.repeat(t.pointerDepth)}` : base;
}

function printProbe(p: A.Probe): string {
  const head = p.attachPoints.map((a) => a.raw).join(',\n');
  // Spaced so that a leading `*` does not open a comment.
  const predicate = p.predicate ? ` / ${printExpression(p.predicate)} /` : '';
  return `${head}${predicate}\n${printBlock(p.body, '')}\n`;
}

function printBlock(b: A.Block, indent: string): string {
  return printStatements(b.statements, null, indent);
}

function printBlockExpression(b: A.BlockExpression, indent: string): string {
  return printStatements(b.statements, b.value, indent);
}

/** `{ statements value }`: each statement ends with `;` unless it ends with a block; the
 *  value (if any) has none. */
function printStatements(
  statements: A.Statement[],
  value: A.Expression | null,
  indent: string,
): string {
  if (statements.length === 0 && !value) return '{\n' + indent + '}';
  const inner = indent + INDENT;
  const lines = statements.map((s) => {
    const text = printStatement(s, inner);
    return inner + text + (endsWithBlock(s) ? '' : ';') + '\n';
  });
  if (value) lines.push(`${inner}${printExpression(value)}\n`);
  return `{\n${lines.join('')}${indent}}`;
}

function endsWithBlock(s: A.Statement): boolean {
  return (
    s.kind === 'If' ||
    s.kind === 'Unroll' ||
    s.kind === 'While' ||
    s.kind === 'For' ||
    s.kind === 'ForRange' ||
    s.kind === 'Block' ||
    (s.kind === 'ExpressionStatement' && s.expression.kind === 'BlockExpression')
  );
}

function printStatement(s: A.Statement, indent: string): string {
  switch (s.kind) {
    case 'ExpressionStatement':
      return printExpression(s.expression);
    case 'AssignMap':
      return `${printExpression(s.map)} = ${printExpression(s.value)}`;
    case 'AssignVariable':
      return `${printExpression(s.variable)} = ${printExpression(s.value)}`;
    case 'CompoundAssign':
      return `${printExpression(s.target)} ${s.operator}= ${printExpression(s.value)}`;
    case 'VariableDeclaration':
      return (
        `let ${s.variable.name}` +
        (s.type ? `: ${printType(s.type)}` : '') +
        (s.value ? ` = ${printExpression(s.value)}` : '')
      );
    case 'If': {
      let text = `if (${printExpression(s.condition)}) ${printBlock(s.then, indent)}`;
      if (s.else) {
        const only = s.else.statements.length === 1 ? s.else.statements[0]! : null;
        text +=
          only?.kind === 'If'
            ? ` else ${printStatement(only, indent)}`
            : ` else ${printBlock(s.else, indent)}`;
      }
      return text;
    }
    case 'Unroll':
      return `unroll(${printExpression(s.count)}) ${printBlock(s.body, indent)}`;
    case 'While':
      return `while (${printExpression(s.condition)}) ${printBlock(s.body, indent)}`;
    case 'For':
      return `for (${s.variable.name} : ${s.map.name}) ${printBlock(s.body, indent)}`;
    case 'ForRange':
      return (
        `for (${s.variable.name} : ${printExpression(s.start, PREFIX)}..` +
        `${printExpression(s.end, PREFIX)}) ${printBlock(s.body, indent)}`
      );
    case 'Jump':
      return s.jump;
    case 'Block':
      return printBlock(s, indent);
  }
}

export function printExpression(e: A.Expression, minPrecedence = TERNARY): string {
  const [text, precedence] = printBare(e);
  return precedence < minPrecedence ? `(${text})` : text;
}

/** Text of `e` without outer parentheses, and the precedence level of that text. */
function printBare(e: A.Expression): [string, number] {
  switch (e.kind) {
    case 'IntegerLiteral':
      return [e.value.toString(), e.value < 0n ? PREFIX : PRIMARY];
    case 'StringLiteral':
      return [quoteString(e.value), PRIMARY];
    case 'BooleanLiteral':
      return [String(e.value), PRIMARY];
    case 'PositionalParameter':
      return [`$${e.index}`, PRIMARY];
    case 'PositionalCount':
      return ['$#', PRIMARY];
    case 'Builtin':
    case 'Identifier':
    case 'Variable':
      return [e.name, PRIMARY];
    case 'MapAccess':
      return [
        e.indexed ? `${e.name}[${e.keys.map((k) => printExpression(k)).join(', ')}]` : e.name,
        PRIMARY,
      ];
    case 'Call':
      return [`${e.name}(${e.args.map((a) => printExpression(a)).join(', ')})`, PRIMARY];
    case 'Sizeof':
      return [
        `sizeof(${e.operand.kind === 'TypeName' ? printType(e.operand) : printExpression(e.operand)})`,
        PRIMARY,
      ];
    case 'Offsetof':
      return [`offsetof(${printType(e.record)}, ${e.fields.join('.')})`, PRIMARY];
    case 'Tuple':
      if (e.elements.length === 1) return [`(${printExpression(e.elements[0]!)},)`, PRIMARY];
      return [`(${e.elements.map((x) => printExpression(x)).join(', ')})`, PRIMARY];
    case 'RecordLiteral':
      return [
        `(${e.fields.map((f) => `${f.name} = ${printExpression(f.value)}`).join(', ')})`,
        PRIMARY,
      ];
    case 'BlockExpression':
      return [printBlockExpression(e, ''), PRIMARY];
    case 'Binary': {
      const p = binaryPrecedence[e.operator];
      return [`${printExpression(e.left, p)} ${e.operator} ${printExpression(e.right, p + 1)}`, p];
    }
    case 'Ternary':
      return [
        `${printExpression(e.condition, 1)} ? ${printExpression(e.then)} : ${printExpression(e.else)}`,
        TERNARY,
      ];
    case 'Unary': {
      // `-5` would lex back as one negative literal; keep the negation of a literal explicit.
      const operand =
        e.operator === '-' && e.operand.kind === 'IntegerLiteral'
          ? `(${printExpression(e.operand)})`
          : printExpression(e.operand, PREFIX);
      return [prefixed(e.operator, operand), PREFIX];
    }
    case 'IncDec':
      return e.prefix
        ? [prefixed(e.operator, printExpression(e.target, PRIMARY)), PREFIX]
        : // `$x++.f` does not parse: a postfix increment is parenthesized before accesses.
          [`${printExpression(e.target, PRIMARY)}${e.operator}`, PREFIX];
    case 'Cast':
      return [`(${printType(e.type)})${printExpression(e.operand, PREFIX)}`, PREFIX];
    case 'FieldAccess':
      return [`${printExpression(e.object, POSTFIX)}${e.arrow ? '->' : '.'}${e.field}`, POSTFIX];
    case 'TupleAccess':
      return [`${printExpression(e.tuple, POSTFIX)}.${e.index}`, POSTFIX];
    case 'Index': {
      // `@m[i]` would read back as a map key: parenthesize an unindexed map.
      const object =
        e.object.kind === 'MapAccess' && !e.object.indexed
          ? `(${e.object.name})`
          : printExpression(e.object, POSTFIX);
      return [`${object}[${printExpression(e.index)}]`, POSTFIX];
    }
  }
}

/** A prefix operator before its operand, spaced where the two would lex as one token. */
function prefixed(operator: string, operand: string): string {
  return /^[-+&*|<>=!~]/.test(operand) ? `${operator} ${operand}` : `${operator}${operand}`;
}
