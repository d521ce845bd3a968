// The Chevrotain grammar, building the AST as it parses (no CST). Gives every node an id
// and an exact range, applies C precedence to the flat binary chains, folds `-` before an
// integer literal into a negative literal (as 0.17 does), and reports the few errors the
// grammar cannot express (assignment to a non-lvalue, `$0`) as located diagnostics.
//
// Binary operators are parsed flat (`unary (op unary)*`), which keeps the rule nesting per
// parenthesis level small. Semantic actions are skipped while Chevrotain records the
// grammar (RECORDING_PHASE), and alternatives that capture no local state are built once.

import { EMPTY_ALT, EmbeddedActionsParser, EOF, type IOrAlt, type TokenType } from 'chevrotain';
import type * as A from './ast';
import type { Diagnostic } from './diagnostics';
import { errorRange, type ScannedToken } from './lexer';
import { wrapInt64 } from './literals';
import { GatedAlternationLookahead } from './lookahead';
import { NodeFactory, span } from './nodes';
import { binaryPrecedence } from './precedence';
import * as T from './tokens';

const intTypeName = /^u?int(8|16|32|64)$/;

const MAX_PARAM = (1n << 63n) - 1n;

/** What a rule returns while Chevrotain records the grammar (never seen by callers). */
const RECORDING = undefined as never;

export interface ParsedProgram {
  /** Null when the tokens do not parse (see `errors`) or building found an error. */
  ast: A.Program | null;
  /** Errors found while building the AST, the first one first. */
  diagnostics: Diagnostic[];
  /** The first node deeper than the limit given to `parseTokens`, if any. */
  deepest: A.Node | null;
}

export class BpftraceParser extends EmbeddedActionsParser {
  private readonly nodes = new NodeFactory();
  private programRange!: A.SourceRange;
  /** Operands and operators of the binary chains being parsed (nested chains stack up). */
  private readonly chainOperands: A.Expression[] = [];
  private readonly chainOperators: ScannedToken[] = [];
  /** The expression a postfix access applies to. */
  private postfixObject!: A.Expression;
  /** A postfix `++`/`--` may follow (set right before the OPTION that reads it). */
  private incDecAllowed = false;

  /**
   * Chevrotain's grammar validations take most of the construction time. The shared
   * parser skips them; the tests build a validated one.
   */
  constructor(
    options: {
      validate?: boolean;
      /** Chevrotain's own lookahead for gated alternations (to compare with ours in tests). */
      defaultLookahead?: boolean;
    } = {},
  ) {
    // LL(1) so that a syntax error is reported at the offending token, as bison does;
    // the few two-token decisions are gates.
    super(T.allTokens, {
      recoveryEnabled: false,
      maxLookahead: 1,
      ...(options.defaultLookahead
        ? {}
        : {
            lookaheadStrategy: new GatedAlternationLookahead([...T.allTokens, EOF], {
              maxLookahead: 1,
            }),
          }),
      skipValidations: !options.validate,
    });
    this.performSelfAnalysis();
  }

  /** Parse `tokens` into a Program; syntax errors are left in `this.errors`. */
  parseTokens(
    tokens: ScannedToken[],
    programRange: A.SourceRange,
    depthLimit: number,
  ): ParsedProgram {
    this.nodes.reset();
    this.chainOperands.length = 0;
    this.chainOperators.length = 0;
    this.programRange = programRange;
    this.input = tokens;
    const ast = this.program();
    const diagnostics = this.nodes.diagnostics;
    if (!ast || this.errors.length > 0 || diagnostics.length > 0) {
      return { ast: null, diagnostics, deepest: null };
    }
    return { ast, diagnostics, deepest: this.nodes.firstNodeDeeperThan(ast, depthLimit) };
  }

  private is(token: { tokenType: TokenType }, a: TokenType, b?: TokenType, c?: TokenType) {
    const type = token.tokenType;
    return type === a || (b !== undefined && type === b) || (c !== undefined && type === c);
  }

  /** After `(`: `struct X *…)`, `union X)`, `ident *…)` — a type in parentheses. */
  private parenthesizedTypeEnd(from: number): number {
    let k = from;
    if (this.is(this.LA(k), T.Struct, T.Union, T.Enum)) {
      k++;
      if (!this.LA(k).tokenType || !isWordToken(this.LA(k))) return -1;
      k++;
    } else if (this.is(this.LA(k), T.Identifier)) {
      k++;
    } else {
      return -1;
    }
    while (this.is(this.LA(k), T.Star)) k++;
    return this.is(this.LA(k), T.RParen) ? k : -1;
  }

  /** `(type) operand`: 0.17 reads any identifier in parentheses as a type, `(foo) + 1` too. */
  private isCast(): boolean {
    return this.is(this.LA(1), T.LParen) && this.parenthesizedTypeEnd(2) > 0;
  }

  /** `sizeof(` … `)` holds a type: a struct/union/enum, an intN type, or `ident *`. */
  private sizeofHoldsType(): boolean {
    const close = this.parenthesizedTypeEnd(1);
    if (close < 0) return false;
    if (!this.is(this.LA(1), T.Identifier)) return true;
    return close > 2 || intTypeName.test(this.LA(1).image);
  }

  /** The last token consumed. */
  private previous(): ScannedToken {
    return this.LA(0) as ScannedToken;
  }

  // Program structure ---------------------------------------------------------------------

  program = this.RULE('program', (): A.Program | null => {
    const preamble: A.PreambleItem[] = [];
    this.MANY(() => {
      const item = this.OR([
        { ALT: () => this.directive(this.CONSUME(T.Directive) as ScannedToken) },
        { ALT: () => this.SUBRULE(this.recordDefinition) },
        { ALT: () => this.SUBRULE(this.enumDefinition) },
      ]);
      if (item) preamble.push(item);
    });
    const probes: A.Probe[] = [];
    const macros: A.Macro[] = [];
    const mapDeclarations: A.MapDeclaration[] = [];
    let config: A.ConfigBlock | null = null;
    this.MANY2(() =>
      this.OR2([
        {
          ALT: () => {
            const block = this.SUBRULE(this.configBlock);
            if (this.RECORDING_PHASE) return;
            // Newer bpftrace allows one config block, before the probes.
            if (config) this.nodes.fail('Only one config block is allowed', block.range);
            else if (probes.length || macros.length || mapDeclarations.length)
              this.nodes.fail(
                'config block must come before probes, macros and map declarations',
                block.range,
              );
            config = block;
          },
        },
        { ALT: () => mapDeclarations.push(this.SUBRULE(this.mapDeclaration)) },
        { ALT: () => macros.push(this.SUBRULE(this.macro)) },
        { ALT: () => probes.push(this.SUBRULE(this.probe)) },
      ]),
    );
    if (this.RECORDING_PHASE) return RECORDING;
    return this.nodes.make<A.Program>(
      { kind: 'Program', preamble, config, mapDeclarations, macros, probes },
      this.programRange,
    );
  });

  /** `config = { name = value; … }` */
  configBlock = this.RULE('configBlock', (): A.ConfigBlock => {
    const keyword = this.CONSUME(T.ConfigKeyword) as ScannedToken;
    this.CONSUME(T.Assign);
    this.CONSUME(T.LBrace);
    const settings: A.ConfigSetting[] = [];
    this.MANY(() => {
      const name = this.CONSUME(T.Word) as ScannedToken;
      this.CONSUME2(T.Assign);
      const value = this.SUBRULE(this.expression);
      if (!this.RECORDING_PHASE) {
        settings.push(
          this.nodes.make<A.ConfigSetting>(
            { kind: 'ConfigSetting', name: name.image, nameRange: name.range, value },
            span(name, value),
          ),
        );
      }
      this.OR([
        { ALT: () => this.CONSUME(T.Semicolon) },
        { GATE: () => this.is(this.LA(1), T.RBrace), ALT: EMPTY_ALT() },
      ]);
    });
    const close = this.CONSUME(T.RBrace) as ScannedToken;
    if (this.RECORDING_PHASE) return RECORDING;
    return this.nodes.make<A.ConfigBlock>({ kind: 'ConfigBlock', settings }, span(keyword, close));
  });

  /** `let @name = kind(args);` */
  mapDeclaration = this.RULE('mapDeclaration', (): A.MapDeclaration => {
    const keyword = this.CONSUME(T.Let) as ScannedToken;
    const map = this.CONSUME(T.MapName) as ScannedToken;
    this.CONSUME(T.Assign);
    const mapKind = this.CONSUME(T.Word) as ScannedToken;
    this.CONSUME(T.LParen);
    const args = this.OPTION(this.argumentList);
    this.CONSUME(T.RParen);
    const end = this.CONSUME(T.Semicolon) as ScannedToken;
    if (this.RECORDING_PHASE) return RECORDING;
    return this.nodes.make<A.MapDeclaration>(
      {
        kind: 'MapDeclaration',
        map: map.image,
        mapRange: map.range,
        mapKind: mapKind.image,
        kindRange: mapKind.range,
        args: args ?? [],
      },
      span(keyword, end),
    );
  });

  private readonly macroParameterAlternatives: IOrAlt<ScannedToken>[] = [
    T.VariableName,
    T.MapName,
    T.Word,
  ].map((type) => ({ ALT: () => this.CONSUME(type) as ScannedToken }));

  /** `macro name(params) { … }`; the parentheses may be left out when there are none. */
  macro = this.RULE('macro', (): A.Macro => {
    const keyword = this.CONSUME(T.MacroKeyword) as ScannedToken;
    const name = this.CONSUME2(T.Word) as ScannedToken;
    const params: A.MacroParameter[] = [];
    this.OPTION(() => {
      this.CONSUME(T.LParen);
      this.MANY_SEP({
        SEP: T.Comma,
        DEF: () => {
          const t = this.OR(this.macroParameterAlternatives);
          if (this.RECORDING_PHASE) return;
          params.push(
            this.nodes.make<A.MacroParameter>({ kind: 'MacroParameter', name: t.image }, t.range),
          );
        },
      });
      this.CONSUME(T.RParen);
    });
    const body = this.SUBRULE(this.blockExpression);
    if (this.RECORDING_PHASE) return RECORDING;
    return this.nodes.make<A.Macro>(
      { kind: 'Macro', name: name.image, nameRange: name.range, params, body },
      span(keyword, body),
    );
  });

  private directive(t: ScannedToken): A.PreambleItem | null {
    if (this.RECORDING_PHASE) return RECORDING;
    const text = t.image.replace(/\\\n/g, ' ');
    const include = /^#\s*include\s*(?:<([^>]*)>|"([^"]*)")\s*$/.exec(text);
    if (include) {
      const system = include[1] !== undefined;
      return this.nodes.make<A.Include>(
        { kind: 'Include', path: include[1] ?? include[2]!, system },
        t.range,
      );
    }
    const define = /^#\s*define\s+([A-Za-z_][A-Za-z0-9_]*)(\(?)(.*)$/.exec(text);
    if (define) {
      // Function-like macros are not expanded (0.17 leaves `SQ(7)` an unknown function).
      if (define[2] === '(') return null;
      return this.nodes.make<A.Define>(
        { kind: 'Define', name: define[1]!, body: define[3]!.trim() },
        t.range,
      );
    }
    this.nodes.fail(`unsupported preprocessor directive: ${text.split(/\s/)[0]}`, t.range);
    return null;
  }

  recordDefinition = this.RULE('recordDefinition', (): A.RecordDefinition => {
    const keyword = this.OR([
      { ALT: () => this.CONSUME(T.Struct) },
      { ALT: () => this.CONSUME(T.Union) },
    ]) as ScannedToken;
    const name = this.CONSUME(T.Word);
    this.CONSUME(T.LBrace);
    const fields: A.RecordField[] = [];
    this.MANY(() => {
      fields.push(this.SUBRULE(this.recordField));
    });
    this.CONSUME(T.RBrace);
    this.OPTION(() => this.CONSUME(T.Semicolon));
    if (this.RECORDING_PHASE) return RECORDING;
    const union = keyword.tokenType === T.Union;
    return this.nodes.make<A.RecordDefinition>(
      { kind: 'RecordDefinition', union, name: name.image, fields },
      span(keyword, this.previous()),
    );
  });

  recordField = this.RULE('recordField', (): A.RecordField => {
    const first = this.LA(1) as ScannedToken;
    const recordToken = this.OPTION(() =>
      this.OR([
        { ALT: () => this.CONSUME(T.Struct) },
        { ALT: () => this.CONSUME(T.Union) },
        { ALT: () => this.CONSUME(T.Enum) },
      ]),
    ) as ScannedToken | undefined;
    const words: ScannedToken[] = [];
    this.AT_LEAST_ONE(() => {
      words.push(this.CONSUME(T.Word) as ScannedToken);
    });
    const stars: ScannedToken[] = [];
    this.MANY(() => {
      stars.push(this.CONSUME(T.Star) as ScannedToken);
    });
    const fieldName = this.OPTION2(() => this.CONSUME2(T.Word)) as ScannedToken | undefined;
    const arrayLengths: number[] = [];
    this.MANY2(() => {
      this.CONSUME(T.LBracket);
      const length = this.CONSUME(T.IntegerToken) as ScannedToken;
      this.CONSUME(T.RBracket);
      arrayLengths.push(Number(length.value));
    });
    // clang accepts a last field without its `;`, so 0.17 does too.
    this.OR2([
      { ALT: () => this.CONSUME(T.Semicolon) },
      { GATE: () => this.is(this.LA(1), T.RBrace), ALT: EMPTY_ALT() },
    ]);
    if (this.RECORDING_PHASE) return RECORDING;
    const last = this.previous();
    if (fieldName) words.push(fieldName);
    const nameToken = words.pop()!;
    if (words.length === 0 || (recordToken && words.length !== 1)) {
      this.nodes.fail('syntax error, unexpected ;', last.range);
      words.splice(0, words.length, nameToken);
    }
    const typeStart = recordToken ?? words[0]!;
    const typeEnd = stars.length ? stars[stars.length - 1]! : words[words.length - 1]!;
    const type = this.nodes.make<A.TypeName>(
      {
        kind: 'TypeName',
        name: words.map((w) => w.image).join(' '),
        ...(recordToken ? { record: recordToken.image as 'struct' | 'union' | 'enum' } : {}),
        pointerDepth: stars.length,
      },
      span(typeStart, typeEnd),
    );
    return this.nodes.make<A.RecordField>(
      { kind: 'RecordField', name: nameToken.image, type, arrayLengths },
      span(first, last),
    );
  });

  enumDefinition = this.RULE('enumDefinition', (): A.EnumDefinition => {
    const keyword = this.CONSUME(T.Enum) as ScannedToken;
    const name = this.OPTION(() => this.CONSUME(T.Word)) as ScannedToken | undefined;
    this.CONSUME(T.LBrace);
    const enumerators: A.Enumerator[] = [];
    let next = 0n;
    this.MANY(() => {
      const enumerator = this.SUBRULE(this.enumerator, { ARGS: [next] });
      if (!this.RECORDING_PHASE) {
        enumerators.push(enumerator);
        next = enumerator.value + 1n;
      }
      this.OR([
        { ALT: () => this.CONSUME(T.Comma) },
        { GATE: () => this.is(this.LA(1), T.RBrace), ALT: EMPTY_ALT() },
      ]);
    });
    this.CONSUME(T.RBrace);
    this.OPTION2(() => this.CONSUME(T.Semicolon));
    if (this.RECORDING_PHASE) return RECORDING;
    return this.nodes.make<A.EnumDefinition>(
      { kind: 'EnumDefinition', name: name?.image ?? '', enumerators },
      span(keyword, this.previous()),
    );
  });

  /** One enumerator; without a value it is `implicitValue` (the previous one + 1). */
  enumerator = this.RULE('enumerator', (implicitValue: bigint): A.Enumerator => {
    const name = this.CONSUME(T.Word) as ScannedToken;
    let minus: ScannedToken | undefined;
    const valueToken = this.OPTION(() => {
      this.CONSUME(T.Assign);
      minus = this.OPTION2(() => this.CONSUME(T.Minus)) as ScannedToken | undefined;
      return this.CONSUME(T.IntegerToken);
    }) as ScannedToken | undefined;
    if (this.RECORDING_PHASE) return RECORDING;
    let value = implicitValue;
    if (valueToken) {
      const literal = valueToken.value as bigint;
      value = minus ? wrapInt64(-literal) : literal;
    }
    return this.nodes.make<A.Enumerator>(
      { kind: 'Enumerator', name: name.image, value },
      span(name, valueToken ?? name),
    );
  });

  /** Attach points may be missing here: 0.17 parses `{ … }` and rejects it afterwards. */
  probe = this.RULE('probe', (): A.Probe => {
    const attachPoints: A.AttachPoint[] = [];
    // 0.17 allows empty entries in the list (`BEGIN, {`, `,BEGIN {`).
    this.MANY(() =>
      this.OR([
        {
          ALT: () => {
            const t = this.CONSUME(T.AttachPointText) as ScannedToken;
            if (this.RECORDING_PHASE) return;
            const raw = t.value as string;
            attachPoints.push(
              this.nodes.make<A.AttachPoint>({ kind: 'AttachPoint', raw }, t.range),
            );
          },
        },
        { ALT: () => this.CONSUME(T.Comma) },
      ]),
    );
    if (!this.RECORDING_PHASE && attachPoints.length === 0) {
      // 0.17 reports this at the default location 1:1.
      const origin = { offset: 0, line: 1, column: 1 };
      this.nodes.fail('No attach points for probe', { start: origin, end: origin });
    }
    const predicate = this.OPTION2(() => {
      this.CONSUME(T.PredicateStart);
      const expression = this.SUBRULE(this.expression);
      this.CONSUME(T.PredicateEnd);
      return expression;
    });
    const body = this.SUBRULE(this.block);
    if (this.RECORDING_PHASE) return RECORDING;
    return this.nodes.make<A.Probe>(
      { kind: 'Probe', attachPoints, predicate: predicate ?? null, body },
      span(attachPoints[0] ?? body, body),
    );
  });

  block = this.RULE('block', (): A.Block => {
    const open = this.CONSUME(T.LBrace) as ScannedToken;
    const statements = this.SUBRULE(this.statementList);
    const close = this.CONSUME(T.RBrace) as ScannedToken;
    if (this.RECORDING_PHASE) return RECORDING;
    return this.nodes.make<A.Block>({ kind: 'Block', statements }, span(open, close));
  });

  /** `{ statements; value }`: the last expression statement is the value when no `;`
   *  follows it (newer bpftrace's block expressions, and macro bodies). */
  blockExpression = this.RULE('blockExpression', (): A.BlockExpression => {
    const open = this.CONSUME(T.LBrace) as ScannedToken;
    const statements = this.SUBRULE(this.statementList);
    const trailingSemicolon = this.lastListEndedWithSemicolon;
    const close = this.CONSUME(T.RBrace) as ScannedToken;
    if (this.RECORDING_PHASE) return RECORDING;
    const last = statements[statements.length - 1];
    let value: A.Expression | null = null;
    if (last?.kind === 'ExpressionStatement' && !trailingSemicolon) {
      statements.pop();
      value = last.expression;
    }
    return this.nodes.make<A.BlockExpression>(
      { kind: 'BlockExpression', statements, value },
      span(open, close),
    );
  });

  /** After a statement: the next one (when the last ended with `}`), or `;` and maybe one. */
  private readonly statementSeparatorAlternatives: IOrAlt<A.Statement | null>[] = [
    {
      GATE: () => this.is(this.LA(0), T.RBrace),
      ALT: () => this.SUBRULE2(this.statement),
    },
    {
      // A `;` after an if/while/for/unroll block is a syntax error in 0.17; after a block
      // expression (`$a = { 1 };`, newer bpftrace) it ends the statement.
      GATE: () => !this.is(this.LA(0), T.RBrace) || !endsWithBlockStatement(this.lastStatement),
      ALT: () => {
        this.CONSUME(T.Semicolon);
        this.lastListEndedWithSemicolon = true;
        const next = this.OPTION2(() => this.SUBRULE3(this.statement)) ?? null;
        if (next) this.lastListEndedWithSemicolon = false;
        return next;
      },
    },
  ];

  /** The statement parsed last (to tell a block statement's `}` from a block expression's). */
  private lastStatement: A.Statement | undefined;

  /** Whether the statement list parsed last ended with a `;` (read right after it). */
  private lastListEndedWithSemicolon = false;

  /**
   * Statements separated by `;`: the last `;` is optional, no empty statements, and a
   * statement that ends with a block is followed by the next one directly (a `;` after
   * a block is a syntax error in 0.17).
   */
  statementList = this.RULE('statementList', (): A.Statement[] => {
    const statements: A.Statement[] = [];
    let endedWithSemicolon = false;
    this.OPTION(() => {
      statements.push(this.SUBRULE(this.statement));
      let ended = false;
      this.MANY({
        GATE: () => !ended,
        DEF: () => {
          this.lastListEndedWithSemicolon = false;
          const next = this.OR(this.statementSeparatorAlternatives);
          endedWithSemicolon = this.lastListEndedWithSemicolon;
          if (next === null) ended = true;
          else statements.push(next);
        },
      });
    });
    this.lastListEndedWithSemicolon = endedWithSemicolon;
    return statements;
  });

  private readonly statementAlternatives: IOrAlt<A.Statement>[] = [
    { ALT: () => this.SUBRULE(this.ifStatement) },
    { ALT: () => this.SUBRULE(this.unrollStatement) },
    { ALT: () => this.SUBRULE(this.whileStatement) },
    { ALT: () => this.SUBRULE(this.forStatement) },
    { ALT: () => this.SUBRULE(this.jumpStatement) },
    { ALT: () => this.SUBRULE(this.letStatement) },
    { ALT: () => this.SUBRULE(this.expressionStatement) },
  ];

  statement = this.RULE('statement', (): A.Statement => {
    const statement = this.OR(this.statementAlternatives);
    this.lastStatement = statement;
    return statement;
  });

  ifStatement = this.RULE('ifStatement', (): A.If => {
    const keyword = this.CONSUME(T.If) as ScannedToken;
    this.CONSUME(T.LParen);
    const condition = this.SUBRULE(this.expression);
    this.CONSUME(T.RParen);
    const then = this.SUBRULE(this.block);
    const elseBlock = this.OPTION(() => {
      this.CONSUME(T.Else);
      return this.OR([
        {
          ALT: () => {
            const nested = this.SUBRULE(this.ifStatement);
            if (this.RECORDING_PHASE) return RECORDING;
            return this.nodes.make<A.Block>({ kind: 'Block', statements: [nested] }, nested.range);
          },
        },
        { ALT: () => this.SUBRULE2(this.block) },
      ]);
    });
    if (this.RECORDING_PHASE) return RECORDING;
    return this.nodes.make<A.If>(
      { kind: 'If', condition, then, else: elseBlock ?? null },
      span(keyword, elseBlock ?? then),
    );
  });

  unrollStatement = this.RULE('unrollStatement', (): A.Unroll => {
    const keyword = this.CONSUME(T.Unroll) as ScannedToken;
    this.CONSUME(T.LParen);
    const count = this.OR([
      {
        ALT: () => {
          const minus = this.OPTION(() => this.CONSUME(T.Minus)) as ScannedToken | undefined;
          const t = this.CONSUME(T.IntegerToken) as ScannedToken;
          if (this.RECORDING_PHASE || !minus) return this.literalToken(t);
          return this.nodes.make<A.IntegerLiteral>(
            { kind: 'IntegerLiteral', value: wrapInt64(-(t.value as bigint)) },
            span(minus, t),
          );
        },
      },
      { ALT: () => this.literalToken(this.CONSUME(T.Param) as ScannedToken) },
      { ALT: () => this.literalToken(this.CONSUME(T.ParamCount) as ScannedToken) },
    ]);
    this.CONSUME(T.RParen);
    const body = this.SUBRULE(this.block);
    if (this.RECORDING_PHASE) return RECORDING;
    return this.nodes.make<A.Unroll>({ kind: 'Unroll', count, body }, span(keyword, body));
  });

  whileStatement = this.RULE('whileStatement', (): A.While => {
    const keyword = this.CONSUME(T.While) as ScannedToken;
    this.CONSUME(T.LParen);
    const condition = this.SUBRULE(this.expression);
    this.CONSUME(T.RParen);
    const body = this.SUBRULE(this.block);
    if (this.RECORDING_PHASE) return RECORDING;
    return this.nodes.make<A.While>({ kind: 'While', condition, body }, span(keyword, body));
  });

  /** `for ($kv : @map) { … }` or, in newer bpftrace, `for ($i : start..end) { … }`. */
  forStatement = this.RULE('forStatement', (): A.For | A.ForRange => {
    const keyword = this.CONSUME(T.For) as ScannedToken;
    this.CONSUME(T.LParen);
    const v = this.CONSUME(T.VariableName) as ScannedToken;
    this.CONSUME(T.Colon);
    let variable!: A.Variable;
    if (!this.RECORDING_PHASE) {
      variable = this.nodes.make<A.Variable>({ kind: 'Variable', name: v.image }, v.range);
    }
    const iterable = this.OR([
      {
        // A map alone; `@m[k]..end` and `@m..end` are ranges.
        GATE: () => this.is(this.LA(2), T.RParen),
        ALT: () => {
          const m = this.CONSUME(T.MapName) as ScannedToken;
          if (this.RECORDING_PHASE) return RECORDING;
          return this.nodes.make<A.MapAccess>(
            { kind: 'MapAccess', name: m.image, keys: [], indexed: false },
            m.range,
          );
        },
      },
      {
        ALT: () => {
          const start = this.SUBRULE(this.unary);
          this.CONSUME(T.DotDot);
          const end = this.SUBRULE2(this.unary);
          return [start, end] as [A.Expression, A.Expression];
        },
      },
    ]);
    this.CONSUME(T.RParen);
    const body = this.SUBRULE(this.block);
    if (this.RECORDING_PHASE) return RECORDING;
    if (Array.isArray(iterable)) {
      const [start, end] = iterable;
      return this.nodes.make<A.ForRange>(
        { kind: 'ForRange', variable, start, end, body },
        span(keyword, body),
      );
    }
    return this.nodes.make<A.For>(
      { kind: 'For', variable, map: iterable, body },
      span(keyword, body),
    );
  });

  jumpStatement = this.RULE('jumpStatement', (): A.Jump => {
    const t = this.OR([
      { ALT: () => this.CONSUME(T.Return) },
      { ALT: () => this.CONSUME(T.Break) },
      { ALT: () => this.CONSUME(T.Continue) },
    ]) as ScannedToken;
    if (this.RECORDING_PHASE) return RECORDING;
    return this.nodes.make<A.Jump>({ kind: 'Jump', jump: t.image as A.Jump['jump'] }, t.range);
  });

  letStatement = this.RULE('letStatement', (): A.VariableDeclaration => {
    const keyword = this.CONSUME(T.Let) as ScannedToken;
    const v = this.CONSUME(T.VariableName) as ScannedToken;
    let variable!: A.Variable;
    if (!this.RECORDING_PHASE) {
      variable = this.nodes.make<A.Variable>({ kind: 'Variable', name: v.image }, v.range);
    }
    const type = this.OPTION(() => {
      this.CONSUME(T.Colon);
      return this.SUBRULE(this.typeName);
    });
    const value = this.OPTION2(() => {
      this.CONSUME(T.Assign);
      return this.SUBRULE(this.expression);
    });
    if (this.RECORDING_PHASE) return RECORDING;
    return this.nodes.make<A.VariableDeclaration>(
      { kind: 'VariableDeclaration', variable, type: type ?? null, value: value ?? null },
      span(keyword, value ?? type ?? variable),
    );
  });

  private readonly assignmentAlternatives: IOrAlt<ScannedToken>[] = [
    { ALT: () => this.CONSUME(T.Assign) as ScannedToken },
    { ALT: () => this.CONSUME(T.CompoundAssignOperator) as ScannedToken },
  ];

  /** An expression, optionally the target of `=`, `op=`. (`++`/`--` are postfix/prefix ops.) */
  expressionStatement = this.RULE('expressionStatement', (): A.Statement => {
    const target = this.SUBRULE(this.expression);
    let operator: ScannedToken | undefined;
    const value = this.OPTION(() => {
      operator = this.OR(this.assignmentAlternatives);
      if (this.RECORDING_PHASE) return this.SUBRULE2(this.expression);
      // Reported before anything wrong in the value (its place in the list is kept).
      const errorIndex = this.nodes.diagnostics.length;
      if (
        target.kind !== 'TupleAccess' &&
        target.kind !== 'MapAccess' &&
        target.kind !== 'Variable'
      )
        this.nodes.fail(
          `syntax error, unexpected ${operator.image}, expecting }`,
          errorRange(operator),
        );
      const value = this.SUBRULE2(this.expression);
      if (target.kind === 'TupleAccess') {
        this.nodes.fail(
          'Tuples are immutable once created. Consider creating a new tuple and assigning it instead.',
          { start: target.range.start, end: this.previous().range.end },
          errorIndex,
        );
      }
      return value;
    });
    if (this.RECORDING_PHASE) return RECORDING;
    // (An assignment to anything else was reported above.)
    if (!value || !operator || (target.kind !== 'MapAccess' && target.kind !== 'Variable')) {
      return this.nodes.make<A.ExpressionStatement>(
        { kind: 'ExpressionStatement', expression: target },
        target.range,
      );
    }
    const range = span(target, value);
    if (operator.image === '=') {
      return target.kind === 'MapAccess'
        ? this.nodes.make<A.AssignMap>({ kind: 'AssignMap', map: target, value }, range)
        : this.nodes.make<A.AssignVariable>(
            { kind: 'AssignVariable', variable: target, value },
            range,
          );
    }
    const op = operator.image.slice(0, -1) as A.ArithmeticOperator;
    return this.nodes.make<A.CompoundAssign>(
      { kind: 'CompoundAssign', target, operator: op, value },
      range,
    );
  });

  // Expressions ---------------------------------------------------------------------------

  /** `? then : else` after a condition. */
  private readonly ternaryTail = (): [A.Expression, A.Expression] => {
    this.CONSUME(T.Question);
    const then = this.SUBRULE(this.expression);
    this.CONSUME(T.Colon);
    const otherwise = this.SUBRULE2(this.expression);
    return [then, otherwise];
  };

  expression = this.RULE('expression', (): A.Expression => {
    const condition = this.SUBRULE(this.binaryChain);
    const tail = this.OPTION(this.ternaryTail);
    if (this.RECORDING_PHASE || !tail) return condition;
    const [then, otherwise] = tail;
    return this.nodes.make<A.Ternary>(
      { kind: 'Ternary', condition, then, else: otherwise },
      span(condition, otherwise),
    );
  });

  private readonly binaryChainLink = (): void => {
    this.chainOperators.push(this.CONSUME(T.BinaryOperator) as ScannedToken);
    this.chainOperands.push(this.SUBRULE2(this.unary));
  };

  binaryChain = this.RULE('binaryChain', (): A.Expression => {
    // Chains nested in an operand push and pop their own links before it returns.
    const operandBase = this.chainOperands.length;
    const operatorBase = this.chainOperators.length;
    const first = this.SUBRULE(this.unary);
    this.MANY(this.binaryChainLink);
    if (this.chainOperators.length === operatorBase) return first;
    const operands = [first, ...this.chainOperands.splice(operandBase)];
    const operators = this.chainOperators.splice(operatorBase);
    if (this.RECORDING_PHASE) return RECORDING;
    return this.applyPrecedence(operands, operators);
  });

  /** Operator precedence over `operand (op operand)*`; all operators are left-associative. */
  private applyPrecedence(operands: A.Expression[], operators: ScannedToken[]): A.Expression {
    const values: A.Expression[] = [operands[0]!];
    const pending: A.BinaryOperator[] = [];
    const reduce = (): void => {
      const right = values.pop()!;
      const left = values.pop()!;
      const operator = pending.pop()!;
      values.push(
        this.nodes.make<A.Binary>({ kind: 'Binary', operator, left, right }, span(left, right)),
      );
    };
    operators.forEach((token, i) => {
      const op = token.image as A.BinaryOperator;
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

  private readonly prefixOperatorAlternatives: IOrAlt<ScannedToken>[] = [
    T.Minus,
    T.Bang,
    T.Tilde,
    T.Star,
    T.Ampersand,
    T.Increment,
    T.Decrement,
  ].map((type) => ({ ALT: () => this.CONSUME(type) as ScannedToken }));

  private readonly unaryAlternatives: IOrAlt<A.Expression>[] = [
    {
      ALT: () => {
        const operator = this.OR2(this.prefixOperatorAlternatives);
        const next = this.LA(1) as ScannedToken;
        const operand = this.SUBRULE(this.unary);
        if (this.RECORDING_PHASE) return RECORDING;
        return this.prefixed(operator, next, operand);
      },
    },
    {
      GATE: () => this.isCast(),
      ALT: () => {
        const open = this.CONSUME(T.LParen) as ScannedToken;
        const type = this.SUBRULE(this.typeName);
        this.CONSUME(T.RParen);
        const operand = this.SUBRULE2(this.unary);
        if (this.RECORDING_PHASE) return RECORDING;
        return this.nodes.make<A.Cast>({ kind: 'Cast', type, operand }, span(open, operand));
      },
    },
    { ALT: () => this.SUBRULE(this.postfix) },
  ];

  unary = this.RULE('unary', (): A.Expression => this.OR(this.unaryAlternatives));

  /** `operator operand`, where `next` is the operand's first token. */
  private prefixed(
    operator: ScannedToken,
    next: ScannedToken,
    operand: A.Expression,
  ): A.Expression {
    // `-` directly before an integer literal token is one negative literal in 0.17.
    if (
      operator.tokenType === T.Minus &&
      next.tokenType === T.IntegerToken &&
      this.previous() === next
    ) {
      this.nodes.discard(operand);
      return this.nodes.make<A.IntegerLiteral>(
        { kind: 'IntegerLiteral', value: wrapInt64(-(next.value as bigint)) },
        span(operator, next),
      );
    }
    const range = span(operator, operand);
    if (operator.tokenType === T.Increment || operator.tokenType === T.Decrement) {
      if (operand.kind !== 'MapAccess' && operand.kind !== 'Variable') {
        // 0.17's grammar only has `++@map`/`++$var`: the operand is the unexpected token.
        this.nodes.fail(
          `syntax error, unexpected ${next.tokenType.LABEL ?? next.image}`,
          errorRange(next),
        );
        return operand;
      }
      return this.nodes.make<A.IncDec>(
        {
          kind: 'IncDec',
          operator: operator.image as '++' | '--',
          prefix: true,
          target: operand,
        },
        range,
      );
    }
    return this.nodes.make<A.Unary>(
      { kind: 'Unary', operator: operator.image as A.Unary['operator'], operand },
      range,
    );
  }

  typeName = this.RULE('typeName', (): A.TypeName => {
    let record: ScannedToken | undefined;
    const name = this.OR([
      {
        ALT: () => {
          record = this.OR2([
            { ALT: () => this.CONSUME(T.Struct) },
            { ALT: () => this.CONSUME(T.Union) },
            { ALT: () => this.CONSUME(T.Enum) },
          ]) as ScannedToken;
          return this.CONSUME(T.Word);
        },
      },
      { ALT: () => this.CONSUME(T.Identifier) },
    ]) as ScannedToken;
    let pointerDepth = 0;
    this.MANY(() => {
      this.CONSUME(T.Star);
      pointerDepth++;
    });
    if (this.RECORDING_PHASE) return RECORDING;
    return this.nodes.make<A.TypeName>(
      {
        kind: 'TypeName',
        name: name.image,
        ...(record ? { record: record.image as 'struct' | 'union' | 'enum' } : {}),
        pointerDepth,
      },
      span(record ?? name, this.previous()),
    );
  });

  /** `.member`, `->member` or `[index]` applied to `postfixObject`. */
  private readonly accessAlternatives: IOrAlt<A.Expression>[] = [
    {
      ALT: () => {
        const object = this.postfixObject;
        this.CONSUME(T.Dot);
        const member = this.OR2([
          { ALT: () => this.CONSUME(T.IntegerToken) },
          { ALT: () => this.CONSUME(T.Word) },
        ]) as ScannedToken;
        if (this.RECORDING_PHASE) return RECORDING;
        if (member.tokenType === T.IntegerToken) {
          return this.nodes.make<A.TupleAccess>(
            { kind: 'TupleAccess', tuple: object, index: Number(member.image) },
            span(object, member),
          );
        }
        return this.fieldAccess(object, member, false);
      },
    },
    {
      ALT: () => {
        const object = this.postfixObject;
        this.CONSUME(T.Arrow);
        const member = this.CONSUME2(T.Word) as ScannedToken;
        if (this.RECORDING_PHASE) return RECORDING;
        return this.fieldAccess(object, member, true);
      },
    },
    {
      ALT: () => {
        const object = this.postfixObject;
        this.CONSUME(T.LBracket);
        const index = this.SUBRULE(this.expression);
        const close = this.CONSUME(T.RBracket) as ScannedToken;
        if (this.RECORDING_PHASE) return RECORDING;
        return this.nodes.make<A.Index>({ kind: 'Index', object, index }, span(object, close));
      },
    },
  ];

  private fieldAccess(object: A.Expression, member: ScannedToken, arrow: boolean): A.FieldAccess {
    return this.nodes.make<A.FieldAccess>(
      { kind: 'FieldAccess', object, field: member.image, arrow },
      span(object, member),
    );
  }

  private readonly postfixAccess = (): void => {
    this.postfixObject = this.OR(this.accessAlternatives);
  };

  private readonly postfixIncDec = {
    GATE: () => this.incDecAllowed,
    DEF: () =>
      this.OR3([
        { ALT: () => this.CONSUME(T.Increment) },
        { ALT: () => this.CONSUME(T.Decrement) },
      ]) as ScannedToken,
  };

  /** Member accesses, then `++`/`--` (only right after a map or variable, as in 0.17). */
  postfix = this.RULE('postfix', (): A.Expression => {
    const first = this.LA(1);
    const primary = this.SUBRULE(this.primary);
    this.postfixObject = primary;
    this.MANY(this.postfixAccess);
    const result = this.postfixObject;
    this.incDecAllowed = result === primary && this.is(first, T.VariableName, T.MapName);
    const incDec = this.OPTION(this.postfixIncDec);
    if (this.RECORDING_PHASE || !incDec) return result;
    return this.nodes.make<A.IncDec>(
      {
        kind: 'IncDec',
        operator: incDec.image as '++' | '--',
        prefix: false,
        target: result as A.MapAccess | A.Variable,
      },
      span(result, incDec),
    );
  });

  private readonly primaryAlternatives: IOrAlt<A.Expression>[] = [
    { ALT: () => this.literalToken(this.CONSUME(T.IntegerToken) as ScannedToken) },
    { ALT: () => this.literalToken(this.CONSUME(T.StringToken) as ScannedToken) },
    { ALT: () => this.literalToken(this.CONSUME(T.True) as ScannedToken) },
    { ALT: () => this.literalToken(this.CONSUME(T.False) as ScannedToken) },
    { ALT: () => this.literalToken(this.CONSUME(T.Param) as ScannedToken) },
    { ALT: () => this.literalToken(this.CONSUME(T.ParamCount) as ScannedToken) },
    { ALT: () => this.literalToken(this.CONSUME(T.VariableName) as ScannedToken) },
    { ALT: () => this.SUBRULE(this.mapAccess) },
    { ALT: () => this.SUBRULE(this.sizeofExpression) },
    { ALT: () => this.SUBRULE(this.offsetofExpression) },
    // A call word must be called (0.17 reports the token after it); other words may be.
    {
      GATE: () => this.LA(1).tokenType === T.CallName || this.LA(2).tokenType === T.LParen,
      ALT: () => this.SUBRULE(this.call),
    },
    { ALT: () => this.literalToken(this.CONSUME(T.BuiltinName) as ScannedToken) },
    { ALT: () => this.literalToken(this.CONSUME(T.CallBuiltinName) as ScannedToken) },
    { ALT: () => this.literalToken(this.CONSUME(T.Identifier) as ScannedToken) },
    { ALT: () => this.literalToken(this.CONSUME(T.StackMode) as ScannedToken) },
    { ALT: () => this.SUBRULE(this.parenthesized) },
    { ALT: () => this.SUBRULE(this.blockExpression) },
  ];

  primary = this.RULE('primary', (): A.Expression => this.OR(this.primaryAlternatives));

  /** A single-token expression. */
  private literalToken(t: ScannedToken): A.Expression {
    if (this.RECORDING_PHASE) return RECORDING;
    switch (t.tokenType) {
      case T.IntegerToken:
        return this.nodes.make<A.IntegerLiteral>(
          { kind: 'IntegerLiteral', value: t.value as bigint },
          t.range,
        );
      case T.StringToken:
        return this.nodes.make<A.StringLiteral>(
          { kind: 'StringLiteral', value: t.value as string },
          t.range,
        );
      case T.True:
      case T.False:
        return this.nodes.make<A.BooleanLiteral>(
          { kind: 'BooleanLiteral', value: t.tokenType === T.True },
          t.range,
        );
      case T.Param: {
        const index = t.value as bigint;
        if (index < 1n || index > MAX_PARAM) {
          this.nodes.fail(
            `param ${t.image} is out of integer range [1, ${MAX_PARAM}]`,
            errorRange(t),
          );
        }
        return this.nodes.make<A.PositionalParameter>(
          { kind: 'PositionalParameter', index: Number(index) },
          t.range,
        );
      }
      case T.ParamCount:
        return this.nodes.make<A.PositionalCount>({ kind: 'PositionalCount' }, t.range);
      case T.VariableName:
        return this.nodes.make<A.Variable>({ kind: 'Variable', name: t.image }, t.range);
      case T.BuiltinName:
      case T.CallBuiltinName:
        return this.nodes.make<A.Builtin>({ kind: 'Builtin', name: t.image }, t.range);
      default:
        return this.nodes.make<A.Identifier>({ kind: 'Identifier', name: t.image }, t.range);
    }
  }

  private readonly bracketedKeys = (): A.Expression[] => {
    this.CONSUME(T.LBracket);
    const keys = this.SUBRULE(this.expressionList);
    this.CONSUME(T.RBracket);
    return keys;
  };

  mapAccess = this.RULE('mapAccess', (): A.MapAccess => {
    const name = this.CONSUME(T.MapName) as ScannedToken;
    const keys = this.OPTION(this.bracketedKeys);
    if (this.RECORDING_PHASE) return RECORDING;
    return this.nodes.make<A.MapAccess>(
      { kind: 'MapAccess', name: name.image, keys: keys ?? [], indexed: keys !== undefined },
      keys ? span(name, this.previous()) : name.range,
    );
  });

  private readonly callNameAlternatives: IOrAlt<ScannedToken>[] = [
    T.CallName,
    T.Identifier,
    T.BuiltinName,
    T.CallBuiltinName,
  ].map((type) => ({ ALT: () => this.CONSUME(type) as ScannedToken }));

  private readonly argumentList = (): A.Expression[] => this.SUBRULE(this.expressionList);

  call = this.RULE('call', (): A.Call => {
    const name = this.OR(this.callNameAlternatives);
    this.CONSUME(T.LParen);
    const args = this.OPTION(this.argumentList);
    const close = this.CONSUME(T.RParen) as ScannedToken;
    if (this.RECORDING_PHASE) return RECORDING;
    return this.nodes.make<A.Call>(
      { kind: 'Call', name: name.image, nameRange: name.range, args: args ?? [] },
      span(name, close),
    );
  });

  expressionList = this.RULE('expressionList', (): A.Expression[] => {
    const list: A.Expression[] = [];
    this.AT_LEAST_ONE_SEP({
      SEP: T.Comma,
      DEF: () => {
        list.push(this.SUBRULE(this.expression));
      },
    });
    return list;
  });

  sizeofExpression = this.RULE('sizeofExpression', (): A.Sizeof | A.Call => {
    const name = this.CONSUME(T.Sizeof) as ScannedToken;
    this.CONSUME(T.LParen);
    // Anything but one type or one expression is still a call in 0.17 (an error for the
    // checker, not a syntax error).
    const operand = this.OR<A.TypeName | A.Expression[] | undefined>([
      { GATE: () => this.sizeofHoldsType(), ALT: () => this.SUBRULE(this.typeName) },
      { ALT: () => this.OPTION(this.argumentList) },
    ]);
    const close = this.CONSUME(T.RParen) as ScannedToken;
    if (this.RECORDING_PHASE) return RECORDING;
    const range = span(name, close);
    if (operand !== undefined && !Array.isArray(operand)) {
      return this.nodes.make<A.Sizeof>({ kind: 'Sizeof', operand }, range);
    }
    const args = operand ?? [];
    if (args.length === 1)
      return this.nodes.make<A.Sizeof>({ kind: 'Sizeof', operand: args[0]! }, range);
    return this.nodes.make<A.Call>(
      { kind: 'Call', name: 'sizeof', nameRange: name.range, args },
      range,
    );
  });

  offsetofExpression = this.RULE('offsetofExpression', (): A.Offsetof => {
    const keyword = this.CONSUME(T.Offsetof) as ScannedToken;
    this.CONSUME(T.LParen);
    const record = this.SUBRULE(this.typeName);
    this.CONSUME(T.Comma);
    const fields: string[] = [];
    this.AT_LEAST_ONE_SEP({
      SEP: T.Dot,
      DEF: () => {
        fields.push(this.CONSUME(T.Word).image);
      },
    });
    const close = this.CONSUME(T.RParen) as ScannedToken;
    if (this.RECORDING_PHASE) return RECORDING;
    return this.nodes.make<A.Offsetof>({ kind: 'Offsetof', record, fields }, span(keyword, close));
  });

  /** `(e)`, a tuple `(a, b, …)`, and in newer bpftrace `()`, `(a,)` and a record
   *  `(name = a, …)`. */
  parenthesized = this.RULE('parenthesized', (): A.Expression => {
    const open = this.CONSUME(T.LParen) as ScannedToken;
    const result = this.OR([
      {
        GATE: () => isWordToken(this.LA(1)) && this.is(this.LA(2), T.Assign),
        ALT: () => this.SUBRULE(this.recordFields),
      },
      {
        ALT: () => {
          const elements: A.Expression[] = [];
          let trailingComma = false;
          this.OPTION(() => {
            elements.push(this.SUBRULE(this.expression));
            this.MANY(() => {
              this.CONSUME(T.Comma);
              trailingComma = true;
              this.OPTION2(() => {
                elements.push(this.SUBRULE2(this.expression));
                trailingComma = false;
              });
            });
          });
          return { elements, trailingComma };
        },
      },
    ]);
    const close = this.CONSUME(T.RParen) as ScannedToken;
    if (this.RECORDING_PHASE) return RECORDING;
    const range = span(open, close);
    if (Array.isArray(result)) {
      return this.nodes.make<A.RecordLiteral>({ kind: 'RecordLiteral', fields: result }, range);
    }
    const { elements, trailingComma } = result;
    if (elements.length === 1 && !trailingComma) return elements[0]!;
    return this.nodes.make<A.Tuple>({ kind: 'Tuple', elements }, range);
  });

  recordFields = this.RULE('recordFields', (): A.RecordLiteralField[] => {
    const fields: A.RecordLiteralField[] = [];
    this.AT_LEAST_ONE_SEP({
      SEP: T.Comma,
      DEF: () => {
        const name = this.CONSUME(T.Word) as ScannedToken;
        this.CONSUME(T.Assign);
        const value = this.SUBRULE(this.expression);
        if (this.RECORDING_PHASE) return;
        fields.push(
          this.nodes.make<A.RecordLiteralField>(
            { kind: 'RecordLiteralField', name: name.image, value },
            span(name, value),
          ),
        );
      },
    });
    return fields;
  });
}

function endsWithBlockStatement(s: A.Statement | undefined): boolean {
  return (
    s !== undefined &&
    (s.kind === 'If' ||
      s.kind === 'While' ||
      s.kind === 'Unroll' ||
      s.kind === 'For' ||
      s.kind === 'ForRange')
  );
}

export function isWordToken(token: { tokenType: TokenType }): boolean {
  const categories = token.tokenType.CATEGORIES ?? [];
  return categories.includes(T.Word);
}

let instance: BpftraceParser | null = null;
let constructionMs = 0;

/** The one parser per process, built on first use (construction takes tens of ms). */
export function getParser(): BpftraceParser {
  if (!instance) {
    const start = performance.now();
    instance = new BpftraceParser();
    constructionMs = performance.now() - start;
  }
  return instance;
}

export function parserConstructionMs(): number {
  return constructionMs;
}
