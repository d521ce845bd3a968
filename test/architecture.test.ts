// The pipeline's one direction (DESIGN.md, "Folders"): a module imports from its own folder
// and from the layers before it, never backwards; and no file-level import cycles.

import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(__dirname, '..');

/** What each top-level folder may import besides itself. compiler/ defines the record
 *  interfaces of builtins and providers; stdlib/ and probes/ implement them, and src/ hands
 *  the registries in. */
const ALLOWED: Record<string, string[]> = {
  grammar: [],
  compiler: ['grammar'],
  stdlib: ['grammar', 'compiler'],
  probes: ['grammar', 'compiler'],
  src: ['grammar', 'compiler', 'stdlib', 'probes'],
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

interface Import {
  /** The file imported, resolved (`./x` → `x.ts` or `x/index.ts`). */
  target: string;
  /** `import type …`, or every name imported is `type X`: erased, never evaluated. */
  typeOnly: boolean;
}

const IMPORT = /^(?:import|export)\s+(type\s+)?([^'";]*?)\s*from\s+'(\.[^']+)'/gms;

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => {
    const base = resolve(dirname(file), m[3]!);
    const target =
      [`${base}.ts`, join(base, 'index.ts'), base].find(
        (p) => existsSync(p) && statSync(p).isFile(),
      ) ?? base;
    const clause = m[2]!.trim();
    const allTypes =
      clause.startsWith('{') &&
      clause
        .slice(1, -1)
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean)
        .every((name) => name.startsWith('type '));
    return { target, typeOnly: m[1] !== undefined || allTypes };
  });
}

const files = Object.keys(ALLOWED).flatMap((folder) => sources(join(root, folder)));
const graph = new Map(files.map((file) => [file, importsOf(file)]));

/** Groups of files that import each other at run time (Tarjan's strongly connected parts). */
function runtimeCycles(): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  const visit = (file: string): void => {
    index.set(file, next);
    low.set(file, next++);
    stack.push(file);
    onStack.add(file);
    for (const { target, typeOnly } of graph.get(file) ?? []) {
      if (typeOnly || !graph.has(target)) continue;
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file)!, low.get(target)!));
      } else if (onStack.has(target)) low.set(file, Math.min(low.get(file)!, index.get(target)!));
    }
    if (low.get(file) !== index.get(file)) return;
    const part: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      part.push(relative(root, member));
    } while (member !== file);
    if (part.length > 1) cycles.push(part.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return cycles;
}

describe('layering', () => {
  for (const [folder, allowed] of Object.entries(ALLOWED)) {
    it(`${folder}/ imports only from ${allowed.join(', ') || 'itself'}`, () => {
      const offences: string[] = [];
      for (const file of sources(join(root, folder))) {
        for (const { target } of graph.get(file) ?? []) {
          const into = relative(root, target).split('/')[0]!;
          if (into !== folder && !allowed.includes(into)) {
            offences.push(`${relative(root, file)} imports ${relative(root, target)}`);
          }
        }
      }
      expect(offences).toEqual([]);
    });
  }

  // A cycle makes the result depend on which module is imported first: a table filled at
  // load time from a module still being evaluated misses entries (once `str` was missing
  // from the codegen table when builtins/text.ts was imported first).
  it('has no import cycle between files (run-time imports; type-only imports are erased)', () => {
    expect(runtimeCycles()).toEqual([]);
  });

  it('sees the imports it checks', () => {
    const compile = graph.get(join(root, 'src/compile.ts'))!;
    expect(compile.some((i) => i.target === join(root, 'compiler/check/index.ts'))).toBe(true);
    expect(compile.find((i) => i.target === join(root, 'compiler/host.ts'))?.typeOnly).toBe(true);
  });
});
