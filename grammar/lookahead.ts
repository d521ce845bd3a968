// Chevrotain's LL(1) lookahead, with a faster choice for alternations that have gates.
//
// For an `OR` whose alternatives carry GATEs, Chevrotain's default function collects the
// gates into a new array and tries every alternative's lookahead paths in turn, on every
// call; in this grammar that is most calls (`primary`, `unary`). This strategy chooses
// the same alternative — the first, in order, whose one-token path matches and whose gate
// does not return false — from a table of candidate alternatives per token type, built
// once when the parser is constructed.

import {
  getLookaheadPaths,
  LLkLookaheadStrategy,
  tokenMatcher,
  type IOrAlt,
  type IToken,
  type Rule,
  type TokenType,
} from 'chevrotain';

type Recognizer = { LA(howMuch: number): IToken };

export class GatedAlternationLookahead extends LLkLookaheadStrategy {
  constructor(
    private readonly vocabulary: readonly TokenType[],
    options: { maxLookahead: number },
  ) {
    super(options);
  }

  override buildLookaheadForAlternation(options: {
    prodOccurrence: number;
    rule: Rule;
    maxLookahead: number;
    hasPredicates: boolean;
    dynamicTokensEnabled: boolean;
  }): (orAlts?: IOrAlt<unknown>[]) => number | undefined {
    if (!options.hasPredicates || options.dynamicTokensEnabled)
      return super.buildLookaheadForAlternation(options);
    const paths = getLookaheadPaths({
      occurrence: options.prodOccurrence,
      rule: options.rule,
      prodType: 'Alternation',
      maxLookahead: options.maxLookahead,
    });
    if (paths.some((alt) => alt.some((path) => path.length > 1)))
      return super.buildLookaheadForAlternation(options);

    /** Alternatives whose lookahead matches a token of this type, in order, by type index. */
    const candidates: number[][] = [];
    /** Alternatives with an empty path match any token (Chevrotain tries them in order too). */
    const anyToken = paths.flatMap((alt, i) => (alt.some((p) => p.length === 0) ? [i] : []));
    for (const type of this.vocabulary) {
      const token = { tokenType: type, tokenTypeIdx: type.tokenTypeIdx! } as IToken;
      candidates[type.tokenTypeIdx!] = paths.flatMap((alt, i) =>
        alt.some((p) => p.length === 0 || tokenMatcher(token, p[0]!)) ? [i] : [],
      );
    }

    return function (this: Recognizer, orAlts?: IOrAlt<unknown>[]): number | undefined {
      const list = candidates[this.LA(1).tokenTypeIdx] ?? anyToken;
      for (let i = 0; i < list.length; i++) {
        const alt = list[i]!;
        const gate = orAlts![alt]!.GATE;
        if (gate !== undefined && gate.call(this) === false) continue;
        return alt;
      }
      return undefined;
    };
  }
}
