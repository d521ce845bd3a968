import { parse } from '../../grammar/index';
import { readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
const progs: string[] = JSON.parse(readFileSync(process.argv[2]!, 'utf8'));
let same = 0;
for (const p of progs) {
  writeFileSync('/tmp/bg/d.bt', p);
  const r = spawnSync('/usr/bin/bpftrace', ['-d', '/tmp/bg/d.bt'], { encoding: 'utf8', timeout: 10000 });
  const out = (r.stdout ?? '') + (r.stderr ?? '');
  let theirs: string;
  if (out.includes('AST after: parser')) theirs = 'OK';
  else {
    const m = /\/tmp\/bg\/d\.bt:(.*)/.exec(out);
    theirs = m ? m[1]! : (out.split('\n').find((l) => l.includes('ERROR:') && !l.includes('RLIMIT')) ?? '?');
  }
  const ours = parse(p, 'd.bt');
  const d = ours.diagnostics[0];
  const mine = ours.ast && !d ? 'OK' : d ? `${d.range ? `${d.range.start.line}:${d.range.start.column}-${d.range.end.line === d.range.start.line ? d.range.end.column : 'L' + d.range.end.line}: ` : ''}ERROR: ${d.message}` : '?';
  const locT = theirs === 'OK' ? 'OK' : (/^(\d+:\d+)/.exec(theirs)?.[1] ?? theirs);
  const locM = mine === 'OK' ? 'OK' : (/^(\d+:\d+)/.exec(mine)?.[1] ?? mine);
  if (theirs === mine) { same++; continue; }
  const tag = locT === locM ? 'MSG ' : 'LOC!';
  console.log(`${tag} ${JSON.stringify(p)}\n   0.17: ${theirs}\n   ours: ${mine}`);
}
console.log(`same ${same}/${progs.length}`);
