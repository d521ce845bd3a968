import { it } from 'vitest';
import { compile } from '/work/main/test/codegen/compile';
import { Runtime } from '/work/main/src/runtime/index';
it('x', () => {
  for (const n of [1, 2, 3, 4]) {
    for (const strlen of [16, 64]) {
      const calls = Array.from({ length: n }, (_, i) => `strcontains(str(arg${i}), "ab")`).join(', ');
      const fmt = Array.from({ length: n }, () => '%d').join(' ');
      const t = Date.now();
      try {
        new Runtime(compile(`kprobe:vfs_read { printf("${fmt}\\n", ${calls}); }`, { strlen }));
        console.log(n, strlen, 'ok', Date.now() - t, 'ms');
      } catch (e) { console.log(n, strlen, String(e).slice(0, 80), Date.now() - t); }
    }
  }
});
