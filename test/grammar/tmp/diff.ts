import { readFileSync } from 'node:fs';
import { parse } from '../../../grammar/index';
import { runOracle } from '../oracle';
const progs: string[] = JSON.parse(readFileSync(process.argv[2]!, 'utf8'));
let same = 0;
for (const p of progs) {
  const t = runOracle(p);
  const r = parse(p, 'p.bt');
  const d = r.diagnostics[0];
  const loc = (x: any) =>
    !x
      ? null
      : x.end.line > x.start.line
        ? `${x.start.line}-${x.end.line}`
        : `${x.start.line}:${x.start.column}-${Math.max(x.end.column, x.start.column)}`;
  const o = r.ast && !d ? 'OK' : { location: loc(d!.range), message: d!.message };
  if (JSON.stringify(o) === JSON.stringify(t)) {
    same++;
    continue;
  }
  console.log(JSON.stringify({ p, t, o }));
}
console.log(`same ${same}/${progs.length}`);
