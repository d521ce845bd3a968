// Bundles the CLI and the public API into dist/ so that start-up loads one file; the
// `bpfscope` executable (src/cli/bpfscope.cjs) runs the CLI bundle through V8's code cache.
import { build } from 'esbuild';
import { existsSync, rmSync } from 'node:fs';

const entries = {
  'bpfscope-main': 'src/cli/main.ts',
  api: 'src/api.ts',
  conformance: 'scripts/conformance.ts',
  bench: 'scripts/bench.ts',
};
const entryPoints = Object.fromEntries(Object.entries(entries).filter(([, p]) => existsSync(p)));

await build({
  entryPoints,
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  minify: true,
  keepNames: true,
  // koffi's native binary is loaded from node_modules at run time (only by --live).
  external: ['koffi'],
  logLevel: 'warning',
});

rmSync('dist/bpfscope-main.v8cache', { force: true });
