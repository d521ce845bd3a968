import { compile } from '/work/main/test/codegen/compile';
import { verify } from '/work/main/src/runtime/verifier';
import { decode } from '/work/main/compiler/isa/encode';
import { HELPER_SPECS } from '/work/main/src/runtime/helpers';
export function processed(src: string, strlen = 64): number {
  const p = compile(src, { strlen });
  const insns = decode(p.probes[0].bytecode);
  let lo = 1, hi = 4_000_000;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    try { verify(insns, { ctxSize: 168, maps: p.maps, helpers: HELPER_SPECS, complexityLimit: mid }); hi = mid; }
    catch (e) { if (!String(e).includes('too large')) return -1; lo = mid + 1; }
  }
  return lo;
}
for (const s of process.argv.slice(2)) console.log(processed(s), s);
