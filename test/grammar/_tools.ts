import { parse } from '../../grammar/index';
import { renderDiagnostics } from '../../grammar/diagnostics';
import { readFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
const files = execSync("dpkg -L bpftrace | grep '\\.bt$'").toString().trim().split('\n');
let ok = 0;
for (const f of files) {
  const src = readFileSync(f, 'utf8');
  const r = parse(src, f);
  if (r.diagnostics.length) console.log(renderDiagnostics(r.diagnostics, f, src)); else ok++;
}
console.log(ok, files.length);
