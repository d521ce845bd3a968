// The pipeline's one direction (DESIGN.md, "Folders"): a module imports from its own folder
// and from the layers before it, never backwards.

import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(__dirname, '..');

/** What each top-level folder may import besides itself. */
const ALLOWED: Record<string, string[]> = {
  grammar: [],
  compiler: ['grammar', 'stdlib'],
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

describe('layering', () => {
  for (const [folder, allowed] of Object.entries(ALLOWED)) {
    it(`${folder}/ imports only from ${allowed.join(', ') || 'itself'}`, () => {
      const offences: string[] = [];
      for (const file of sources(join(root, folder))) {
        const text = readFileSync(file, 'utf8');
        for (const match of text.matchAll(/from '(\.[^']+)'/g)) {
          const target = relative(root, resolve(dirname(file), match[1]!)).split('/')[0]!;
          if (target !== folder && !allowed.includes(target)) {
            offences.push(`${relative(root, file)} imports ${match[1]}`);
          }
        }
      }
      expect(offences).toEqual([]);
    });
  }
});
