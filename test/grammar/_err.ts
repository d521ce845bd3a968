import { scan } from '../../grammar/lexer';
import { SourceText } from '../../grammar/source';
import { getParser } from '../../grammar/parser';
const p = getParser();
for (const src of process.argv.slice(2)) {
  p.input = scan(new SourceText(src)).tokens;
  p.program();
  for (const e of p.errors) console.log(e.name, JSON.stringify(e.message), e.context.ruleStack, e.token.image);
}
