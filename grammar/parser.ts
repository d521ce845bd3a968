// The Chevrotain grammar (pure: no actions; grammar/cstToAst.ts builds the AST).
// Binary operators are parsed flat (`unary (op unary)*`) and given C precedence by the
// CST→AST step, which keeps the rule nesting per parenthesis level small.

import { CstParser, EMPTY_ALT, type CstNode, type IToken, type TokenType } from 'chevrotain';
import * as T from './tokens';

const intTypeName = /^u?int(8|16|32|64)$/;

export class BpftraceParser extends CstParser {
  /**
   * Chevrotain's grammar validations take most of the construction time (~250 ms of
   * ~280 ms). The shared parser skips them; the tests build a validated one.
   */
  constructor(options: { validate?: boolean } = {}) {
    // LL(1) so that a syntax error is reported at the offending token, as bison does;
    // the few two-token decisions are gates.
    super(T.allTokens, {
      recoveryEnabled: false,
      maxLookahead: 1,
      skipValidations: !options.validate,
    });
    this.performSelfAnalysis();
  }

  private is(token: IToken, ...types: TokenType[]): boolean {
    return types.includes(token.tokenType);
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

  // Program structure ---------------------------------------------------------------------

  program = this.RULE('program', () => {
    this.MANY(() =>
      this.OR([
        { ALT: () => this.CONSUME(T.Directive) },
        { ALT: () => this.SUBRULE(this.recordDefinition) },
        { ALT: () => this.SUBRULE(this.enumDefinition) },
      ]),
    );
    this.MANY2(() => this.SUBRULE(this.probe));
  });

  recordDefinition = this.RULE('recordDefinition', () => {
    this.OR([{ ALT: () => this.CONSUME(T.Struct) }, { ALT: () => this.CONSUME(T.Union) }]);
    this.CONSUME(T.Word);
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.recordField));
    this.CONSUME(T.RBrace);
    this.OPTION(() => this.CONSUME(T.Semicolon));
  });

  recordField = this.RULE('recordField', () => {
    this.OPTION(() =>
      this.OR([
        { ALT: () => this.CONSUME(T.Struct) },
        { ALT: () => this.CONSUME(T.Union) },
        { ALT: () => this.CONSUME(T.Enum) },
      ]),
    );
    this.AT_LEAST_ONE(() => this.CONSUME(T.Word));
    this.MANY(() => this.CONSUME(T.Star));
    this.OPTION2(() => this.CONSUME2(T.Word, { LABEL: 'fieldName' }));
    this.MANY2(() => {
      this.CONSUME(T.LBracket);
      this.CONSUME(T.IntegerToken);
      this.CONSUME(T.RBracket);
    });
    // clang accepts a last field without its `;`, so 0.17 does too.
    this.OR2([
      { ALT: () => this.CONSUME(T.Semicolon) },
      { GATE: () => this.is(this.LA(1), T.RBrace), ALT: EMPTY_ALT() },
    ]);
  });

  enumDefinition = this.RULE('enumDefinition', () => {
    this.CONSUME(T.Enum);
    this.OPTION(() => this.CONSUME(T.Word));
    this.CONSUME(T.LBrace);
    this.MANY(() => {
      this.SUBRULE(this.enumerator);
      this.OR([
        { ALT: () => this.CONSUME(T.Comma) },
        { GATE: () => this.is(this.LA(1), T.RBrace), ALT: EMPTY_ALT() },
      ]);
    });
    this.CONSUME(T.RBrace);
    this.OPTION2(() => this.CONSUME(T.Semicolon));
  });

  enumerator = this.RULE('enumerator', () => {
    this.CONSUME(T.Word);
    this.OPTION(() => {
      this.CONSUME(T.Assign);
      this.OPTION2(() => this.CONSUME(T.Minus));
      this.CONSUME(T.IntegerToken);
    });
  });

  /** Attach points may be missing here: 0.17 parses `{ … }` and rejects it afterwards. */
  probe = this.RULE('probe', () => {
    // 0.17 allows empty entries in the list (`BEGIN, {`, `,BEGIN {`).
    this.MANY(() =>
      this.OR([
        { ALT: () => this.CONSUME(T.AttachPointText) },
        { ALT: () => this.CONSUME(T.Comma) },
      ]),
    );
    this.OPTION2(() => {
      this.CONSUME(T.PredicateStart);
      this.SUBRULE(this.expression);
      this.CONSUME(T.PredicateEnd);
    });
    this.SUBRULE(this.block);
  });

  block = this.RULE('block', () => {
    this.CONSUME(T.LBrace);
    this.SUBRULE(this.statementList);
    this.CONSUME(T.RBrace);
  });

  /**
   * Statements separated by `;`: the last `;` is optional, no empty statements, and a
   * statement that ends with a block is followed by the next one directly (a `;` after
   * a block is a syntax error in 0.17).
   */
  statementList = this.RULE('statementList', () => {
    this.OPTION(() => {
      this.SUBRULE(this.statement);
      let ended = false;
      this.MANY({
        GATE: () => !ended,
        DEF: () =>
          this.OR([
            {
              GATE: () => this.is(this.LA(0), T.RBrace),
              ALT: () => this.SUBRULE2(this.statement),
            },
            {
              GATE: () => !this.is(this.LA(0), T.RBrace),
              ALT: () => {
                this.CONSUME(T.Semicolon);
                const next = this.OPTION2(() => this.SUBRULE3(this.statement));
                if (next === undefined) ended = true;
              },
            },
          ]),
      });
    });
  });

  statement = this.RULE('statement', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.ifStatement) },
      { ALT: () => this.SUBRULE(this.unrollStatement) },
      { ALT: () => this.SUBRULE(this.whileStatement) },
      { ALT: () => this.SUBRULE(this.forStatement) },
      { ALT: () => this.SUBRULE(this.jumpStatement) },
      { ALT: () => this.SUBRULE(this.letStatement) },
      { ALT: () => this.SUBRULE(this.expressionStatement) },
    ]);
  });

  ifStatement = this.RULE('ifStatement', () => {
    this.CONSUME(T.If);
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expression);
    this.CONSUME(T.RParen);
    this.SUBRULE(this.block);
    this.OPTION(() => {
      this.CONSUME(T.Else);
      this.OR([
        { ALT: () => this.SUBRULE(this.ifStatement, { LABEL: 'elseIf' }) },
        { ALT: () => this.SUBRULE2(this.block, { LABEL: 'elseBlock' }) },
      ]);
    });
  });

  unrollStatement = this.RULE('unrollStatement', () => {
    this.CONSUME(T.Unroll);
    this.CONSUME(T.LParen);
    this.OR([
      {
        ALT: () => {
          this.OPTION(() => this.CONSUME(T.Minus));
          this.CONSUME(T.IntegerToken);
        },
      },
      { ALT: () => this.CONSUME(T.Param) },
      { ALT: () => this.CONSUME(T.ParamCount) },
    ]);
    this.CONSUME(T.RParen);
    this.SUBRULE(this.block);
  });

  whileStatement = this.RULE('whileStatement', () => {
    this.CONSUME(T.While);
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expression);
    this.CONSUME(T.RParen);
    this.SUBRULE(this.block);
  });

  forStatement = this.RULE('forStatement', () => {
    this.CONSUME(T.For);
    this.CONSUME(T.LParen);
    this.CONSUME(T.VariableName);
    this.CONSUME(T.Colon);
    this.CONSUME(T.MapName);
    this.CONSUME(T.RParen);
    this.SUBRULE(this.block);
  });

  jumpStatement = this.RULE('jumpStatement', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Return) },
      { ALT: () => this.CONSUME(T.Break) },
      { ALT: () => this.CONSUME(T.Continue) },
    ]);
  });

  letStatement = this.RULE('letStatement', () => {
    this.CONSUME(T.Let);
    this.CONSUME(T.VariableName);
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      this.SUBRULE(this.typeName);
    });
    this.OPTION2(() => {
      this.CONSUME(T.Assign);
      this.SUBRULE(this.expression);
    });
  });

  /** An expression, optionally the target of `=`, `op=`. (`++`/`--` are postfix/prefix ops.) */
  expressionStatement = this.RULE('expressionStatement', () => {
    this.SUBRULE(this.expression, { LABEL: 'target' });
    this.OPTION(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Assign) },
        { ALT: () => this.CONSUME(T.CompoundAssignOperator) },
      ]);
      this.SUBRULE2(this.expression, { LABEL: 'value' });
    });
  });

  // Expressions ---------------------------------------------------------------------------

  expression = this.RULE('expression', () => {
    this.SUBRULE(this.binaryChain, { LABEL: 'condition' });
    this.OPTION(() => {
      this.CONSUME(T.Question);
      this.SUBRULE(this.expression, { LABEL: 'then' });
      this.CONSUME(T.Colon);
      this.SUBRULE2(this.expression, { LABEL: 'else' });
    });
  });

  binaryChain = this.RULE('binaryChain', () => {
    this.SUBRULE(this.unary);
    this.MANY(() => {
      this.CONSUME(T.BinaryOperator);
      this.SUBRULE2(this.unary);
    });
  });

  unary = this.RULE('unary', () => {
    this.OR([
      {
        ALT: () => {
          this.OR2([
            { ALT: () => this.CONSUME(T.Minus, { LABEL: 'operator' }) },
            { ALT: () => this.CONSUME(T.Bang, { LABEL: 'operator' }) },
            { ALT: () => this.CONSUME(T.Tilde, { LABEL: 'operator' }) },
            { ALT: () => this.CONSUME(T.Star, { LABEL: 'operator' }) },
            { ALT: () => this.CONSUME(T.Ampersand, { LABEL: 'operator' }) },
            { ALT: () => this.CONSUME(T.Increment, { LABEL: 'operator' }) },
            { ALT: () => this.CONSUME(T.Decrement, { LABEL: 'operator' }) },
          ]);
          this.SUBRULE(this.unary);
        },
      },
      {
        GATE: () => this.isCast(),
        ALT: () => {
          this.CONSUME(T.LParen);
          this.SUBRULE(this.typeName);
          this.CONSUME(T.RParen);
          this.SUBRULE2(this.unary);
        },
      },
      { ALT: () => this.SUBRULE(this.postfix) },
    ]);
  });

  typeName = this.RULE('typeName', () => {
    this.OR([
      {
        ALT: () => {
          this.OR2([
            { ALT: () => this.CONSUME(T.Struct, { LABEL: 'record' }) },
            { ALT: () => this.CONSUME(T.Union, { LABEL: 'record' }) },
            { ALT: () => this.CONSUME(T.Enum, { LABEL: 'record' }) },
          ]);
          this.CONSUME(T.Word, { LABEL: 'name' });
        },
      },
      { ALT: () => this.CONSUME(T.Identifier, { LABEL: 'name' }) },
    ]);
    this.MANY(() => this.CONSUME(T.Star));
  });

  /** Member accesses, then `++`/`--` (only right after a map or variable, as in 0.17). */
  postfix = this.RULE('postfix', () => {
    const primary = this.SUBRULE(this.primary);
    let accessed = false;
    this.MANY(() => {
      accessed = true;
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.Dot, { LABEL: 'access' });
            this.OR2([
              { ALT: () => this.CONSUME(T.IntegerToken, { LABEL: 'member' }) },
              { ALT: () => this.CONSUME(T.Word, { LABEL: 'member' }) },
            ]);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Arrow, { LABEL: 'access' });
            this.CONSUME2(T.Word, { LABEL: 'member' });
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.LBracket, { LABEL: 'access' });
            this.SUBRULE(this.expression, { LABEL: 'member' });
            this.CONSUME(T.RBracket);
          },
        },
      ]);
    });
    this.OPTION({
      GATE: () => !accessed && isIncDecTarget(primary),
      DEF: () =>
        this.OR3([
          { ALT: () => this.CONSUME(T.Increment, { LABEL: 'access' }) },
          { ALT: () => this.CONSUME(T.Decrement, { LABEL: 'access' }) },
        ]),
    });
  });

  primary = this.RULE('primary', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.IntegerToken) },
      { ALT: () => this.CONSUME(T.StringToken) },
      { ALT: () => this.CONSUME(T.True) },
      { ALT: () => this.CONSUME(T.False) },
      { ALT: () => this.CONSUME(T.Param) },
      { ALT: () => this.CONSUME(T.ParamCount) },
      { ALT: () => this.CONSUME(T.VariableName) },
      { ALT: () => this.SUBRULE(this.mapAccess) },
      { ALT: () => this.SUBRULE(this.sizeofExpression) },
      { ALT: () => this.SUBRULE(this.offsetofExpression) },
      // A call word must be called (0.17 reports the token after it); other words may be.
      {
        GATE: () => this.is(this.LA(1), T.CallName) || this.is(this.LA(2), T.LParen),
        ALT: () => this.SUBRULE(this.call),
      },
      { ALT: () => this.CONSUME(T.BuiltinName) },
      { ALT: () => this.CONSUME(T.CallBuiltinName) },
      { ALT: () => this.CONSUME(T.Identifier) },
      { ALT: () => this.CONSUME(T.StackMode) },
      { ALT: () => this.SUBRULE(this.parenthesized) },
    ]);
  });

  mapAccess = this.RULE('mapAccess', () => {
    this.CONSUME(T.MapName);
    this.OPTION(() => {
      this.CONSUME(T.LBracket);
      this.SUBRULE(this.expressionList);
      this.CONSUME(T.RBracket);
    });
  });

  call = this.RULE('call', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.CallName, { LABEL: 'name' }) },
      { ALT: () => this.CONSUME(T.Identifier, { LABEL: 'name' }) },
      { ALT: () => this.CONSUME(T.BuiltinName, { LABEL: 'name' }) },
      { ALT: () => this.CONSUME(T.CallBuiltinName, { LABEL: 'name' }) },
    ]);
    this.CONSUME(T.LParen);
    this.OPTION(() => this.SUBRULE(this.expressionList));
    this.CONSUME(T.RParen);
  });

  expressionList = this.RULE('expressionList', () => {
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expression) });
  });

  sizeofExpression = this.RULE('sizeofExpression', () => {
    this.CONSUME(T.Sizeof);
    this.CONSUME(T.LParen);
    // Anything but one type or one expression is still a call in 0.17 (an error for the
    // checker, not a syntax error).
    this.OR([
      { GATE: () => this.sizeofHoldsType(), ALT: () => this.SUBRULE(this.typeName) },
      { ALT: () => this.OPTION(() => this.SUBRULE(this.expressionList)) },
    ]);
    this.CONSUME(T.RParen);
  });

  offsetofExpression = this.RULE('offsetofExpression', () => {
    this.CONSUME(T.Offsetof);
    this.CONSUME(T.LParen);
    this.SUBRULE(this.typeName);
    this.CONSUME(T.Comma);
    this.AT_LEAST_ONE_SEP({ SEP: T.Dot, DEF: () => this.CONSUME(T.Word) });
    this.CONSUME(T.RParen);
  });

  /** `(e)` or a tuple `(a, b, …)`. */
  parenthesized = this.RULE('parenthesized', () => {
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expressionList);
    this.CONSUME(T.RParen);
  });
}

function isIncDecTarget(primary: CstNode): boolean {
  return primary.children.VariableName !== undefined || primary.children.mapAccess !== undefined;
}

export function isWordToken(token: IToken): boolean {
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

export type { CstNode };
