// Bundles the CLI and the public API into dist/ so that start-up loads one file.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const entries = {
  bpfscope: 'src/cli/main.ts',
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
  logLevel: 'warning',
  banner: { js: '#!/usr/bin/env node' },
});
