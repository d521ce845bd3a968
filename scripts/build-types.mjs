// The public API's type declarations for the published package: tsc declares src/api.ts and
// what it refers to, and only the files the API's types reach are kept (dist/types/).
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';

const scratch = mkdtempSync(join(tmpdir(), 'bpfscope-types-'));
const config = join(scratch, 'tsconfig.json');
writeFileSync(
  config,
  JSON.stringify({
    extends: join(process.cwd(), 'tsconfig.json'),
    compilerOptions: {
      noEmit: false,
      declaration: true,
      emitDeclarationOnly: true,
      outDir: join(scratch, 'out'),
      rootDir: process.cwd(),
      typeRoots: [join(process.cwd(), 'node_modules', '@types')],
    },
    include: [],
    files: [join(process.cwd(), 'src', 'api.ts')],
  }),
);
execFileSync(process.execPath, [join('node_modules', 'typescript', 'bin', 'tsc'), '-p', config], {
  stdio: 'inherit',
});

const out = join(scratch, 'out');
const reached = new Set();
const pending = ['src/api.d.ts'];
while (pending.length > 0) {
  const file = pending.pop();
  if (reached.has(file)) continue;
  reached.add(file);
  const text = readFileSync(join(out, file), 'utf8');
  for (const m of text.matchAll(/(?:from |import\()['"](\.[^'"]+)['"]/g)) {
    const base = normalize(join(dirname(file), m[1]));
    const next = [`${base}.d.ts`, join(base, 'index.d.ts')].find((f) => existsSync(join(out, f)));
    if (next) pending.push(next);
  }
}
rmSync('dist/types', { recursive: true, force: true });
for (const file of reached) {
  mkdirSync(dirname(join('dist/types', file)), { recursive: true });
  cpSync(join(out, file), join('dist/types', file));
}
rmSync(scratch, { recursive: true, force: true });
