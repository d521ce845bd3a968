import { generateBenchmarkScript } from '../../../grammar/bench';
import { scan } from '../../../grammar/lexer';
import { SourceText } from '../../../grammar/source';
const s = generateBenchmarkScript(1000);
for (let i = 0; i < 8; i++) {
  const t = performance.now();
  scan(new SourceText(s));
  console.log((performance.now() - t).toFixed(0));
}
