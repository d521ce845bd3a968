// The lexer's words, the stdlib registry and code generation agree: every builtin word has a
// record of its kind, every record a generator unless it is listed here as not implemented,
// and a builtin without a generator is refused by the checker, located, before codegen.

import { describe, expect, it } from 'vitest';
import { builtinWords, callWords, classifyWord } from '../../grammar/words';
import * as T from '../../grammar/tokens';
import { stdlib } from '../../stdlib/index';
import { runCheck } from './helpers';

/** Words 0.17's lexer knows that name no function bpfscope has (newer or kernel-only ones);
 *  the checker reports them as unknown functions, as for any other name. */
const WORDS_WITHOUT_RECORD = ['unwatch', 'skboutput', 'debugf'];

/** Records whose code generation is still missing: the checker refuses them. */
const NOT_IMPLEMENTED = {
  variables: ['cpid'],
  functions: ['path', 'cgroupid', 'override'],
};

const variables = stdlib.variableNames().map((n) => stdlib.variable(n)!);
const functions = stdlib.functionNames().map((n) => stdlib.function(n)!);

describe('builtin words, records and generators agree', () => {
  it('every builtin word has a variable record', () => {
    expect([...builtinWords].filter((w) => !stdlib.variable(w))).toEqual([]);
    for (const w of ['arg0', 'arg9', 'sarg0', 'sarg9']) expect(stdlib.variable(w)).toBeDefined();
  });

  it('every call word has a function record, but for the listed ones', () => {
    expect([...callWords].filter((w) => !stdlib.function(w))).toEqual(WORDS_WITHOUT_RECORD);
    expect(stdlib.function('kstack')).toBeDefined();
    expect(stdlib.function('ustack')).toBeDefined();
  });

  it('every record name the lexer knows is a word of its kind', () => {
    const variableKinds = [T.BuiltinName, T.CallBuiltinName];
    for (const v of variables) expect(variableKinds).toContain(classifyWord(v.name));
    const callKinds = [T.CallName, T.CallBuiltinName, T.Identifier];
    for (const f of functions) expect(callKinds).toContain(classifyWord(f.name));
  });

  it('every record has a generator, but aggregations (map updates) and the listed ones', () => {
    expect(variables.filter((v) => !v.generate).map((v) => v.name)).toEqual(
      NOT_IMPLEMENTED.variables,
    );
    expect(functions.filter((f) => !f.generate && !f.aggregation).map((f) => f.name)).toEqual(
      NOT_IMPLEMENTED.functions,
    );
  });
});

describe('a builtin without a generator is refused by the checker', () => {
  it.each([
    [
      'BEGIN { @ = cgroupid("/sys"); }',
      'stdin:1:13-21: ERROR: The function cgroupid() is not implemented yet',
    ],
  ])('%s', (script, first) => {
    const r = runCheck(script);
    expect(r.hasError).toBe(true);
    expect(r.stderr.split('\n')[0]).toBe(first);
  });

  it('other errors in the script come first (they hide it, as codegen errors were hidden)', () => {
    const r = runCheck('BEGIN { @ = cgroupid("/sys"); @x = $y; }');
    expect(r.hasError).toBe(true);
    expect(r.stderr).not.toContain('not implemented');
  });
});
