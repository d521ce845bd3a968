// Regression: `str(0)` compiled to "not implemented yet" when the module generating str() was
// the first one loaded (an import cycle through it left the codegen table half filled).
// This file imports that module before anything else; vitest gives each file its own module
// graph. test/architecture.test.ts refuses the import cycles that caused it.

import '../../stdlib/codegen/text';
import { describe, expect, it } from 'vitest';
import { compile } from './compile';

describe('import order', () => {
  it('compiles str(0) when the string builtins are loaded first', () => {
    const program = compile('BEGIN { printf("%s\\n", str(0)); }');
    expect(program.probes).toHaveLength(1);
  });
});
