import { describe, expect, it } from 'vitest';
import { runCheck } from './helpers';

// bpftrace 0.17 reads arrays of plain `char` as strings of the array's size.
describe('char arrays read as strings', () => {
  it('accepts %s for a script struct char array and keeps other arrays as arrays', () => {
    const ok = runCheck(
      'struct X { char name[16]; } BEGIN { printf("%s\\n", ((struct X *)0)->name); }',
    );
    expect(ok.stderr).toBe('');
    expect(ok.hasError).toBe(false);
    const bad = runCheck(
      'struct X { unsigned char b[16]; } BEGIN { printf("%s\\n", ((struct X *)0)->b); }',
    );
    expect(bad.stderr).toMatch(/%s specifier expects a value of type string \(array supplied\)/);
  });
});
