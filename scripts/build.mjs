// Bundles the CLI and the public API into dist/ so that start-up loads one file; the
// `bpfscope` executable is a small loader that runs the CLI bundle through V8's code cache.
import { build } from 'esbuild';
import { chmodSync, copyFileSync, existsSync, rmSync } from 'node:fs';

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

copyFileSync('scripts/cli-loader.cjs', 'dist/bpfscope.cjs');
chmodSync('dist/bpfscope.cjs', 0o755);
rmSync('dist/bpfscope-main.v8cache', { force: true });
