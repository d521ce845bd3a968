import { parse } from '../../grammar/index';
for (const k of ['parens', 'neg', 'calls', 'castchain']) {
  let lo = 1, hi = 500;
  while (lo < hi) {
    const n = (lo + hi + 1) >> 1;
    const src = k === 'parens' ? `BEGIN { $x = ${'('.repeat(n)}1${')'.repeat(n)}; }` : k === 'neg' ? `BEGIN { $x = ${'-('.repeat(n)}1${')'.repeat(n)}; }` : k === 'calls' ? `BEGIN { $x = ${'f('.repeat(n)}1${')'.repeat(n)}; }` : `BEGIN { $x = ${'(uint8)'.repeat(n)}1; }`;
    const r = parse(src, 'x');
    if (r.ast) lo = n; else hi = n - 1;
  }
  console.log(k, lo);
}
