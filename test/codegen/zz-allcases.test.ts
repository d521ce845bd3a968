import { it } from 'vitest';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { compile } from './compile';
import { verify } from '../../src/runtime/verifier';
import { HELPER_SPECS } from '../../src/runtime/helpers';
import { writeFileSync } from 'node:fs';
import { decode } from '../../compiler/isa/encode';
const dir = '/work/shared/conformance/cases';
it('compiles', () => {
  const counts: string[] = []; let ok = 0; const fails: string[] = []; let insns = 0;
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.bt'))) {
    const name = f.slice(0, -3);
    const status = readFileSync(`/work/shared/conformance/expected/${name}.status`, 'utf8').trim();
    if (status !== '0') continue;
    const args = existsSync(`${dir}/${name}.args`) ? readFileSync(`${dir}/${name}.args`, 'utf8').trim().split(/\s+/).filter(a => a !== '--') : [];
    try {
      const p = compile(readFileSync(`${dir}/${f}`, 'utf8'), { params: args });
      for (const probe of p.probes) {
        insns += probe.bytecode.length / 8;
        verify(decode(probe.bytecode), { maps: p.maps, helpers: HELPER_SPECS });
      }
      counts.push(`${name} ${p.probes.reduce((n, q) => n + q.bytecode.length / 8, 0)}`);
      ok++;
    }
    catch (e) { fails.push(`${name}: ${String(e).split('\n').slice(0,3).join(' | ')}`); }
  }
  writeFileSync('/tmp/my-counts.txt', counts.join('\n') + '\n');
  console.log(`ok ${ok} slots ${insns}\n` + fails.join('\n'));
});
