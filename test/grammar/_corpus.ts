import { parse } from '../../grammar/index';
import { renderDiagnostics } from '../../grammar/diagnostics';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
const dir = '/work/shared/conformance/cases';
let ok = 0, bad = 0;
for (const f of readdirSync(dir).filter((f) => f.endsWith('.bt'))) {
  const src = readFileSync(`${dir}/${f}`, 'utf8');
  const r = parse(src, f);
  const name = f.replace(/\.bt$/, '');
  const errPath = `/work/shared/conformance/expected/${name}.stderr`;
  const stderr = existsSync(errPath) ? readFileSync(errPath, 'utf8') : '';
  const m = /^\S+\.bt:(\d+):(\d+)-\d+: ERROR: (syntax error.*|stoull|invalid escape.*|octal.*|.*trailing.*|Coefficient.*|Exponent.*)$/m.exec(stderr);
  const ours = r.diagnostics[0];
  if (m) {
    const good = ours && ours.range && `${ours.range.start.line}:${ours.range.start.column}` === `${m[1]}:${m[2]}`;
    if (good) ok++; else { bad++; console.log('MISMATCH', f, m[0], '\n  ours:', renderDiagnostics(r.diagnostics, f, src)); }
  } else if (r.diagnostics.length) {
    bad++; console.log('UNEXPECTED', f, renderDiagnostics(r.diagnostics, f, src));
  } else ok++;
}
console.log({ ok, bad });
