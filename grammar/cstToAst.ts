// CST → AST. Gives every node an id (per parse) and an exact range, applies C precedence
// to the flat binary chains, folds `-` before an integer literal into a negative literal
// (as 0.17 does), and reports the few errors the grammar cannot express (assignment to a
// non-lvalue, `$0`) as located diagnostics.

import type { CstNode, IToken } from 'chevrotain';
import type * as A from './ast';
import { error, type Diagnostic } from './diagnostics';
import type { ScannedToken } from './lexer';
import { wrapInt64 } from './literals';
import * as T from './tokens';

type Child = CstNode | IToken;
type NodeInit<N extends A.Node> = Omit<N, 'id' | 'range'>;

const binaryPrecedence: Record<A.BinaryOperator, number> = {
  '||': 1,
  '&&': 2,
  '|': 3,
  '^': 4,
  '&': 5,
  '==': 6,
  '!=': 6,
  '<': 7,
  '<=': 7,
  '>': 7,
  '>=': 7,
  '<<': 8,
  '>>': 8,
  '+': 9,
  '-': 9,
  '*': 10,
  '/': 10,
  '%': 10,
};

const MAX_PARAM = (1n << 63n) - 1n;

/** Thrown to stop building at the first error (the diagnostic is already recorded). */
class BuildError extends Error {}

export class AstBuilder {
  private nextId = 0;
  readonly diagnostics: Diagnostic[] = [];

  constructor(private readonly programRange: A.SourceRange) {}

  private make<N extends A.Node>(init: NodeInit<N>, range: A.SourceRange): N {
    return { id: this.nextId++, range, ...init } as N;
  }

  private fail(message: string, range: A.SourceRange): never {
    this.diagnostics.push(error(message, range));
    throw new BuildError(message);
  }

  /** Build the program; null (with diagnostics) on the first error. */
  build(cst: CstNode): A.Program | null {
    try {
      return this.program(cst);
    } catch (e) {
      if (e instanceof BuildError) return null;
      throw e;
    }
  }

  // Helpers ---------------------------------------------------------------------------------

  private static all(node: CstNode, key: string): Child[] {
    return node.children[key] ?? [];
  }
  private static token(node: CstNode, key: string, index = 0): ScannedToken | undefined {
    return AstBuilder.all(node, key)[index] as ScannedToken | undefined;
  }
  private static node(node: CstNode, key: string, index = 0): CstNode | undefined {
    return AstBuilder.all(node, key)[index] as CstNode | undefined;
  }
  private static span(a: { range: A.SourceRange }, b: { range: A.SourceRange }): A.SourceRange {
    return { start: a.range.start, end: b.range.end };
  }
  /** The first token (by offset) under a CST node, with its label. */
  private static tokensOf(node: CstNode): ScannedToken[] {
    const out: ScannedToken[] = [];
    const stack: Child[] = [node];
    while (stack.length) {
      const c = stack.pop()!;
      if ('tokenType' in c) out.push(c as ScannedToken);
      else for (const list of Object.values(c.children)) stack.push(...list);
    }
    return out.sort((x, y) => x.startOffset - y.startOffset);
  }
  /** First key (in `keys` order) present on the node. */
  private static firstKey(node: CstNode, keys: string[]): string | undefined {
    return keys.find((k) => node.children[k] !== undefined);
  }

  // Program ---------------------------------------------------------------------------------

  private program(cst: CstNode): A.Program {
    const preamble: A.PreambleItem[] = [];
    const items: { offset: number; build: () => A.PreambleItem | null }[] = [];
    for (const t of AstBuilder.all(cst, 'Directive') as ScannedToken[]) {
      items.push({ offset: t.startOffset, build: () => this.directive(t) });
    }
    for (const n of AstBuilder.all(cst, 'recordDefinition') as CstNode[]) {
      items.push({
        offset: AstBuilder.tokensOf(n)[0]!.startOffset,
        build: () => this.recordDefinition(n),
      });
    }
    for (const n of AstBuilder.all(cst, 'enumDefinition') as CstNode[]) {
      items.push({
        offset: AstBuilder.tokensOf(n)[0]!.startOffset,
        build: () => this.enumDefinition(n),
      });
    }
    items.sort((a, b) => a.offset - b.offset);
    for (const item of items) {
      const built = item.build();
      if (built) preamble.push(built);
    }
    const probes = (AstBuilder.all(cst, 'probe') as CstNode[]).map((p) => this.probe(p));
    return this.make<A.Program>({ kind: 'Program', preamble, probes }, this.programRange);
  }

  private directive(t: ScannedToken): A.PreambleItem | null {
    const text = t.image.replace(/\\\n/g, ' ');
    const include = /^#\s*include\s*(?:<([^>]*)>|"([^"]*)")\s*$/.exec(text);
    if (include) {
      const system = include[1] !== undefined;
      return this.make<A.Include>(
        { kind: 'Include', path: include[1] ?? include[2]!, system },
        t.range,
      );
    }
    const define = /^#\s*define\s+([A-Za-z_][A-Za-z0-9_]*)(\(?)(.*)$/.exec(text);
    if (define) {
      // Function-like macros are not expanded (0.17 leaves `SQ(7)` an unknown function).
      if (define[2] === '(') return null;
      return this.make<A.Define>(
        { kind: 'Define', name: define[1]!, body: define[3]!.trim() },
        t.range,
      );
    }
    return this.fail(`unsupported preprocessor directive: ${text.split(/\s/)[0]}`, t.range);
  }

  private recordDefinition(cst: CstNode): A.RecordDefinition {
    const tokens = AstBuilder.tokensOf(cst);
    const union = AstBuilder.token(cst, 'Union') !== undefined;
    const name = AstBuilder.token(cst, 'Word')!.image;
    const fields = (AstBuilder.all(cst, 'recordField') as CstNode[]).map((f) =>
      this.recordField(f),
    );
    return this.make<A.RecordDefinition>(
      { kind: 'RecordDefinition', union, name, fields },
      AstBuilder.span(tokens[0]!, tokens[tokens.length - 1]!),
    );
  }

  private recordField(cst: CstNode): A.RecordField {
    const tokens = AstBuilder.tokensOf(cst);
    const words = [...(AstBuilder.all(cst, 'Word') as ScannedToken[])];
    const fieldName = AstBuilder.token(cst, 'fieldName');
    if (fieldName) words.push(fieldName);
    const recordToken =
      AstBuilder.token(cst, 'Struct') ??
      AstBuilder.token(cst, 'Union') ??
      AstBuilder.token(cst, 'Enum');
    const nameToken = words.pop()!;
    const stars = AstBuilder.all(cst, 'Star') as ScannedToken[];
    if (words.length === 0 || (recordToken && words.length !== 1)) {
      this.fail('syntax error, unexpected ;', tokens[tokens.length - 1]!.range);
    }
    const typeStart = recordToken ?? words[0]!;
    const typeEnd = stars.length ? stars[stars.length - 1]! : words[words.length - 1]!;
    const type = this.make<A.TypeName>(
      {
        kind: 'TypeName',
        name: words.map((w) => w.image).join(' '),
        ...(recordToken ? { record: recordToken.image as 'struct' | 'union' | 'enum' } : {}),
        pointerDepth: stars.length,
      },
      AstBuilder.span(typeStart, typeEnd),
    );
    const arrayLengths = (AstBuilder.all(cst, 'Integer') as ScannedToken[]).map((t) =>
      Number(t.value),
    );
    return this.make<A.RecordField>(
      { kind: 'RecordField', name: nameToken.image, type, arrayLengths },
      AstBuilder.span(tokens[0]!, tokens[tokens.length - 1]!),
    );
  }

  private enumDefinition(cst: CstNode): A.EnumDefinition {
    const tokens = AstBuilder.tokensOf(cst);
    const name = AstBuilder.token(cst, 'Word')?.image ?? '';
    let next = 0n;
    const enumerators = (AstBuilder.all(cst, 'enumerator') as CstNode[]).map((e) => {
      const nameToken = AstBuilder.token(e, 'Word')!;
      const valueToken = AstBuilder.token(e, 'Integer');
      let value = next;
      if (valueToken)
        value = AstBuilder.token(e, 'Minus')
          ? wrapInt64(-(valueToken.value as bigint))
          : (valueToken.value as bigint);
      next = value + 1n;
      const last = valueToken ?? nameToken;
      return this.make<A.Enumerator>(
        { kind: 'Enumerator', name: nameToken.image, value },
        AstBuilder.span(nameToken, last),
      );
    });
    return this.make<A.EnumDefinition>(
      { kind: 'EnumDefinition', name, enumerators },
      AstBuilder.span(tokens[0]!, tokens[tokens.length - 1]!),
    );
  }

  private probe(cst: CstNode): A.Probe {
    const attachPoints = (AstBuilder.all(cst, 'AttachPointText') as ScannedToken[]).map((t) =>
      this.make<A.AttachPoint>({ kind: 'AttachPoint', raw: t.value as string }, t.range),
    );
    if (attachPoints.length === 0) {
      // 0.17 reports this at the default location 1:1.
      const origin = { offset: 0, line: 1, column: 1 };
      this.fail('No attach points for probe', { start: origin, end: origin });
    }
    const predicateNode = AstBuilder.node(cst, 'expression');
    const predicate = predicateNode ? this.expression(predicateNode) : null;
    const body = this.block(AstBuilder.node(cst, 'block')!);
    return this.make<A.Probe>(
      { kind: 'Probe', attachPoints, predicate, body },
      AstBuilder.span(attachPoints[0]!, body),
    );
  }

  // Statements ------------------------------------------------------------------------------

  private block(cst: CstNode): A.Block {
    const list = AstBuilder.node(cst, 'statementList')!;
    const statements = (AstBuilder.all(list, 'statement') as CstNode[])
      .map((s) => this.statement(s))
      .sort((a, b) => a.range.start.offset - b.range.start.offset);
    const open = AstBuilder.token(cst, 'LBrace')!;
    const close = AstBuilder.token(cst, 'RBrace')!;
    return this.make<A.Block>({ kind: 'Block', statements }, AstBuilder.span(open, close));
  }

  private statement(cst: CstNode): A.Statement {
    const [key, inner] = Object.entries(cst.children)[0]! as [string, CstNode[]];
    const node = inner[0]!;
    switch (key) {
      case 'ifStatement':
        return this.ifStatement(node);
      case 'unrollStatement': {
        const countToken = (AstBuilder.token(node, 'Integer') ??
          AstBuilder.token(node, 'Param') ??
          AstBuilder.token(node, 'ParamCount'))!;
        const minus = AstBuilder.token(node, 'Minus');
        const count = minus
          ? this.make<A.IntegerLiteral>(
              { kind: 'IntegerLiteral', value: wrapInt64(-(countToken.value as bigint)) },
              AstBuilder.span(minus, countToken),
            )
          : this.literalToken(countToken);
        const body = this.block(AstBuilder.node(node, 'block')!);
        return this.make<A.Unroll>(
          { kind: 'Unroll', count, body },
          AstBuilder.span(AstBuilder.token(node, 'Unroll')!, body),
        );
      }
      case 'whileStatement': {
        const condition = this.expression(AstBuilder.node(node, 'expression')!);
        const body = this.block(AstBuilder.node(node, 'block')!);
        return this.make<A.While>(
          { kind: 'While', condition, body },
          AstBuilder.span(AstBuilder.token(node, 'While')!, body),
        );
      }
      case 'forStatement': {
        const v = AstBuilder.token(node, 'VariableName')!;
        const m = AstBuilder.token(node, 'MapName')!;
        const variable = this.make<A.Variable>({ kind: 'Variable', name: v.image }, v.range);
        const map = this.make<A.MapAccess>(
          { kind: 'MapAccess', name: m.image, keys: [], indexed: false },
          m.range,
        );
        const body = this.block(AstBuilder.node(node, 'block')!);
        return this.make<A.For>(
          { kind: 'For', variable, map, body },
          AstBuilder.span(AstBuilder.token(node, 'For')!, body),
        );
      }
      case 'jumpStatement': {
        const t = AstBuilder.tokensOf(node)[0]!;
        return this.make<A.Jump>({ kind: 'Jump', jump: t.image as A.Jump['jump'] }, t.range);
      }
      case 'letStatement':
        return this.letStatement(node);
      default:
        return this.expressionStatement(node);
    }
  }

  private ifStatement(cst: CstNode): A.If {
    const condition = this.expression(AstBuilder.node(cst, 'expression')!);
    const then = this.block(AstBuilder.node(cst, 'block')!);
    let elseBlock: A.Block | null = null;
    const elseIf = AstBuilder.node(cst, 'elseIf');
    const elseNode = AstBuilder.node(cst, 'elseBlock');
    if (elseIf) {
      const nested = this.ifStatement(elseIf);
      elseBlock = this.make<A.Block>({ kind: 'Block', statements: [nested] }, nested.range);
    } else if (elseNode) {
      elseBlock = this.block(elseNode);
    }
    const end = elseBlock ?? then;
    return this.make<A.If>(
      { kind: 'If', condition, then, else: elseBlock },
      AstBuilder.span(AstBuilder.token(cst, 'If')!, end),
    );
  }

  private letStatement(cst: CstNode): A.VariableDeclaration {
    const letToken = AstBuilder.token(cst, 'Let')!;
    const v = AstBuilder.token(cst, 'VariableName')!;
    const variable = this.make<A.Variable>({ kind: 'Variable', name: v.image }, v.range);
    const typeNode = AstBuilder.node(cst, 'typeName');
    const type = typeNode ? this.typeName(typeNode) : null;
    const valueNode = AstBuilder.node(cst, 'expression');
    const value = valueNode ? this.expression(valueNode) : null;
    const last = value ?? type ?? variable;
    return this.make<A.VariableDeclaration>(
      { kind: 'VariableDeclaration', variable, type, value },
      AstBuilder.span(letToken, last),
    );
  }

  private expressionStatement(cst: CstNode): A.Statement {
    const target = this.expression(AstBuilder.node(cst, 'target')!);
    const valueNode = AstBuilder.node(cst, 'value');
    if (!valueNode) {
      return this.make<A.ExpressionStatement>(
        { kind: 'ExpressionStatement', expression: target },
        target.range,
      );
    }
    const opToken = (AstBuilder.token(cst, 'Assign') ??
      AstBuilder.token(cst, 'CompoundAssignOperator'))!;
    if (target.kind === 'TupleAccess') {
      const valueTokens = AstBuilder.tokensOf(valueNode);
      this.fail(
        'Tuples are immutable once created. Consider creating a new tuple and assigning it instead.',
        { start: target.range.start, end: valueTokens[valueTokens.length - 1]!.range.end },
      );
    }
    if (target.kind !== 'MapAccess' && target.kind !== 'Variable') {
      this.fail(`syntax error, unexpected ${opToken.image}, expecting }`, errorRange(opToken));
    }
    const value = this.expression(valueNode);
    const range = AstBuilder.span(target, value);
    if (opToken.image === '=') {
      return target.kind === 'MapAccess'
        ? this.make<A.AssignMap>({ kind: 'AssignMap', map: target, value }, range)
        : this.make<A.AssignVariable>({ kind: 'AssignVariable', variable: target, value }, range);
    }
    const operator = opToken.image.slice(0, -1) as A.ArithmeticOperator;
    return this.make<A.CompoundAssign>({ kind: 'CompoundAssign', target, operator, value }, range);
  }

  // Expressions -----------------------------------------------------------------------------

  expression(cst: CstNode): A.Expression {
    const condition = this.binaryChain(AstBuilder.node(cst, 'condition')!);
    const thenNode = AstBuilder.node(cst, 'then');
    if (!thenNode) return condition;
    const then = this.expression(thenNode);
    const otherwise = this.expression(AstBuilder.node(cst, 'else')!);
    return this.make<A.Ternary>(
      { kind: 'Ternary', condition, then, else: otherwise },
      AstBuilder.span(condition, otherwise),
    );
  }

  /** Operator precedence over `unary (op unary)*`; all binary operators are left-associative. */
  private binaryChain(cst: CstNode): A.Expression {
    const operands = (AstBuilder.all(cst, 'unary') as CstNode[]).map((u) => this.unary(u));
    const operators = (AstBuilder.all(cst, 'BinaryOperator') as ScannedToken[]).map(
      (t) => t.image as A.BinaryOperator,
    );
    const values: A.Expression[] = [operands[0]!];
    const pending: A.BinaryOperator[] = [];
    const reduce = (): void => {
      const right = values.pop()!;
      const left = values.pop()!;
      const operator = pending.pop()!;
      values.push(
        this.make<A.Binary>(
          { kind: 'Binary', operator, left, right },
          AstBuilder.span(left, right),
        ),
      );
    };
    operators.forEach((op, i) => {
      while (
        pending.length &&
        binaryPrecedence[pending[pending.length - 1]!] >= binaryPrecedence[op]
      )
        reduce();
      pending.push(op);
      values.push(operands[i + 1]!);
    });
    while (pending.length) reduce();
    return values[0]!;
  }

  private unary(cst: CstNode): A.Expression {
    const operatorToken = AstBuilder.token(cst, 'operator');
    if (operatorToken) {
      const operandCst = AstBuilder.node(cst, 'unary')!;
      const folded =
        operatorToken.image === '-' ? this.negativeLiteral(operatorToken, operandCst) : null;
      if (folded) return folded;
      const operand = this.unary(operandCst);
      const range = AstBuilder.span(operatorToken, operand);
      if (operatorToken.image === '++' || operatorToken.image === '--') {
        if (operand.kind !== 'MapAccess' && operand.kind !== 'Variable') {
          // 0.17's grammar only has `++@map`/`++$var`: the operand is the unexpected token.
          const first = AstBuilder.tokensOf(operandCst)[0]!;
          this.fail(
            `syntax error, unexpected ${first.tokenType.LABEL ?? first.image}`,
            errorRange(first),
          );
        }
        return this.make<A.IncDec>(
          {
            kind: 'IncDec',
            operator: operatorToken.image as '++' | '--',
            prefix: true,
            target: operand,
          },
          range,
        );
      }
      return this.make<A.Unary>(
        { kind: 'Unary', operator: operatorToken.image as A.Unary['operator'], operand },
        range,
      );
    }
    const typeNode = AstBuilder.node(cst, 'typeName');
    if (typeNode) {
      const open = AstBuilder.token(cst, 'LParen')!;
      const type = this.typeName(typeNode);
      const operand = this.unary(AstBuilder.node(cst, 'unary')!);
      return this.make<A.Cast>({ kind: 'Cast', type, operand }, AstBuilder.span(open, operand));
    }
    return this.postfix(AstBuilder.node(cst, 'postfix')!);
  }

  /** `-` directly before an integer literal token is one negative literal in 0.17. */
  private negativeLiteral(minus: ScannedToken, operand: CstNode): A.IntegerLiteral | null {
    const postfix = AstBuilder.node(operand, 'postfix');
    if (!postfix || AstBuilder.all(postfix, 'access').length > 0) return null;
    const literal = AstBuilder.token(AstBuilder.node(postfix, 'primary')!, 'Integer');
    if (!literal) return null;
    return this.make<A.IntegerLiteral>(
      { kind: 'IntegerLiteral', value: wrapInt64(-(literal.value as bigint)) },
      AstBuilder.span(minus, literal),
    );
  }

  /** The grammar only allows a postfix `++`/`--` right after a map or variable. */
  private postfixIncDec(token: ScannedToken, target: A.Expression): A.IncDec {
    if (target.kind !== 'MapAccess' && target.kind !== 'Variable') {
      throw new Error(`internal: postfix ${token.image} on ${target.kind}`);
    }
    return this.make<A.IncDec>(
      { kind: 'IncDec', operator: token.image as '++' | '--', prefix: false, target },
      AstBuilder.span(target, token),
    );
  }

  private typeName(cst: CstNode): A.TypeName {
    const tokens = AstBuilder.tokensOf(cst);
    const record = AstBuilder.token(cst, 'record');
    const name = AstBuilder.token(cst, 'name')!;
    return this.make<A.TypeName>(
      {
        kind: 'TypeName',
        name: name.image,
        ...(record ? { record: record.image as 'struct' | 'union' | 'enum' } : {}),
        pointerDepth: AstBuilder.all(cst, 'Star').length,
      },
      AstBuilder.span(tokens[0]!, tokens[tokens.length - 1]!),
    );
  }

  private postfix(cst: CstNode): A.Expression {
    let result = this.primary(AstBuilder.node(cst, 'primary')!);
    const accesses = AstBuilder.all(cst, 'access') as ScannedToken[];
    const members = AstBuilder.all(cst, 'member');
    let memberIndex = 0;
    const closers = AstBuilder.all(cst, 'RBracket') as ScannedToken[];
    let closerIndex = 0;
    for (const access of accesses) {
      switch (access.image) {
        case '++':
        case '--':
          result = this.postfixIncDec(access, result);
          break;
        case '[': {
          const index = this.expression(members[memberIndex++] as CstNode);
          const close = closers[closerIndex++]!;
          result = this.make<A.Index>(
            { kind: 'Index', object: result, index },
            AstBuilder.span(result, close),
          );
          break;
        }
        default: {
          const member = members[memberIndex++] as ScannedToken;
          if (member.tokenType === T.IntegerToken) {
            result = this.make<A.TupleAccess>(
              { kind: 'TupleAccess', tuple: result, index: Number(member.image) },
              AstBuilder.span(result, member),
            );
          } else {
            result = this.make<A.FieldAccess>(
              {
                kind: 'FieldAccess',
                object: result,
                field: member.image,
                arrow: access.image === '->',
              },
              AstBuilder.span(result, member),
            );
          }
        }
      }
    }
    return result;
  }

  private primary(cst: CstNode): A.Expression {
    const key = AstBuilder.firstKey(cst, Object.keys(cst.children))!;
    const child = AstBuilder.all(cst, key)[0]!;
    if (!('tokenType' in child)) {
      switch (key) {
        case 'mapAccess':
          return this.mapAccess(child);
        case 'call':
          return this.call(child);
        case 'sizeofExpression':
          return this.sizeof(child);
        case 'offsetofExpression':
          return this.offsetof(child);
        default:
          return this.parenthesized(child);
      }
    }
    return this.literalToken(child as ScannedToken);
  }

  /** A single-token expression. */
  private literalToken(t: ScannedToken): A.Expression {
    switch (t.tokenType) {
      case T.IntegerToken:
        return this.make<A.IntegerLiteral>(
          { kind: 'IntegerLiteral', value: t.value as bigint },
          t.range,
        );
      case T.StringToken:
        return this.make<A.StringLiteral>(
          { kind: 'StringLiteral', value: t.value as string },
          t.range,
        );
      case T.True:
      case T.False:
        return this.make<A.BooleanLiteral>(
          { kind: 'BooleanLiteral', value: t.tokenType === T.True },
          t.range,
        );
      case T.Param: {
        const index = t.value as bigint;
        if (index < 1n || index > MAX_PARAM) {
          this.fail(`param ${t.image} is out of integer range [1, ${MAX_PARAM}]`, errorRange(t));
        }
        return this.make<A.PositionalParameter>(
          { kind: 'PositionalParameter', index: Number(index) },
          t.range,
        );
      }
      case T.ParamCount:
        return this.make<A.PositionalCount>({ kind: 'PositionalCount' }, t.range);
      case T.VariableName:
        return this.make<A.Variable>({ kind: 'Variable', name: t.image }, t.range);
      case T.BuiltinName:
      case T.CallBuiltinName:
        return this.make<A.Builtin>({ kind: 'Builtin', name: t.image }, t.range);
      default:
        return this.make<A.Identifier>({ kind: 'Identifier', name: t.image }, t.range);
    }
  }

  private mapAccess(cst: CstNode): A.MapAccess {
    const name = AstBuilder.token(cst, 'MapName')!;
    const list = AstBuilder.node(cst, 'expressionList');
    const keys = list ? this.expressionList(list) : [];
    const close = AstBuilder.token(cst, 'RBracket');
    return this.make<A.MapAccess>(
      { kind: 'MapAccess', name: name.image, keys, indexed: list !== undefined },
      close ? AstBuilder.span(name, close) : name.range,
    );
  }

  private expressionList(cst: CstNode): A.Expression[] {
    return (AstBuilder.all(cst, 'expression') as CstNode[]).map((e) => this.expression(e));
  }

  private call(cst: CstNode): A.Call {
    const name = AstBuilder.token(cst, 'name')!;
    const list = AstBuilder.node(cst, 'expressionList');
    const args = list ? this.expressionList(list) : [];
    const close = AstBuilder.token(cst, 'RParen')!;
    return this.make<A.Call>(
      { kind: 'Call', name: name.image, nameRange: name.range, args },
      AstBuilder.span(name, close),
    );
  }

  private sizeof(cst: CstNode): A.Sizeof | A.Call {
    const name = AstBuilder.token(cst, 'Sizeof')!;
    const range = AstBuilder.span(name, AstBuilder.token(cst, 'RParen')!);
    const typeNode = AstBuilder.node(cst, 'typeName');
    if (typeNode) {
      return this.make<A.Sizeof>({ kind: 'Sizeof', operand: this.typeName(typeNode) }, range);
    }
    const list = AstBuilder.node(cst, 'expressionList');
    const args = list ? this.expressionList(list) : [];
    if (args.length === 1) return this.make<A.Sizeof>({ kind: 'Sizeof', operand: args[0]! }, range);
    return this.make<A.Call>({ kind: 'Call', name: 'sizeof', nameRange: name.range, args }, range);
  }

  private offsetof(cst: CstNode): A.Offsetof {
    const record = this.typeName(AstBuilder.node(cst, 'typeName')!);
    const fields = (AstBuilder.all(cst, 'Word') as ScannedToken[]).map((t) => t.image);
    return this.make<A.Offsetof>(
      { kind: 'Offsetof', record, fields },
      AstBuilder.span(AstBuilder.token(cst, 'Offsetof')!, AstBuilder.token(cst, 'RParen')!),
    );
  }

  private parenthesized(cst: CstNode): A.Expression {
    const elements = this.expressionList(AstBuilder.node(cst, 'expressionList')!);
    if (elements.length === 1) return elements[0]!;
    return this.make<A.Tuple>(
      { kind: 'Tuple', elements },
      AstBuilder.span(AstBuilder.token(cst, 'LParen')!, AstBuilder.token(cst, 'RParen')!),
    );
  }
}

/** bison's location for a token: from the start of its whitespace-free run to its end. */
export function errorRange(t: ScannedToken): A.SourceRange {
  return { start: t.errorStart, end: t.range.end };
}
