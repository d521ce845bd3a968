import { generateBenchmarkScript } from '../../../grammar/bench';
import { scan } from '../../../grammar/lexer';
import { preprocess } from '../../../grammar/preprocessor';
import { getParser } from '../../../grammar/parser';
import { AstBuilder } from '../../../grammar/cstToAst';
import { SourceText } from '../../../grammar/source';
const s = generateBenchmarkScript(1000);
const p = getParser();
for (let round = 0; round < 4; round++) {
  let t = performance.now();
  const text = new SourceText(s);
  const sc = scan(text);
  const t1 = performance.now();
  const pre = preprocess(sc.tokens);
  const t2 = performance.now();
  p.input = pre.tokens;
  const cst = p.program();
  const t3 = performance.now();
  const ast = new AstBuilder(text.range(0, s.length)).build(cst);
  const t4 = performance.now();
  console.log(
    `scan ${(t1 - t).toFixed(0)} pre ${(t2 - t1).toFixed(0)} parse ${(t3 - t2).toFixed(0)} ast ${(t4 - t3).toFixed(0)} tokens ${sc.tokens.length}`,
  );
}
