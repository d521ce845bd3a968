import { parse, printProgram } from '../../grammar/index';
for (const n of [100, 400, 499, 600, 5000, 100000]) {
  const cases = {
    parens: `BEGIN { $x = ${'('.repeat(n)}1${')'.repeat(n)}; }`,
    unary: `BEGIN { $x = ${'!'.repeat(n)}1; }`,
    neg: `BEGIN { $x = ${'-('.repeat(n)}1${')'.repeat(n)}; }`,
    ternary: `BEGIN { $x = ${'1 ? 2 : '.repeat(n)}3; }`,
    chain: `BEGIN { $x = 1${' + 1'.repeat(n)}; }`,
    ifs: `BEGIN { ${'if (1) { '.repeat(n)}${'} '.repeat(n)} }`,
    calls: `BEGIN { $x = ${'f('.repeat(n)}1${')'.repeat(n)}; }`,
    idx: `BEGIN { $x = $y${'[1]'.repeat(n)}; }`,
  };
  for (const [k, src] of Object.entries(cases)) {
    const t = performance.now();
    try {
      const r = parse(src, 'x');
      let printed = '';
      if (r.ast) printed = printProgram(r.ast);
      console.log(n, k, r.ast ? 'ok' : r.diagnostics[0]!.message.slice(0, 60), (performance.now() - t).toFixed(0) + 'ms', printed.length);
    } catch (e) { console.log(n, k, 'THROW', String(e).slice(0, 80)); }
  }
}
