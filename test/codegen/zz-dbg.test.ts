import { it } from 'vitest';
import { compile } from './compile';
import { disassemble } from '../../compiler/isa/disasm';
it('x', () => {
  const p = compile(process.env.SRC!);
  for (const pr of p.probes) console.log(disassemble(pr.bytecode));
});
