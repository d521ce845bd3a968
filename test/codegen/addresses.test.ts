// kaddr/uaddr: compile-time constants from the probe host's symbol table (a source built on
// probes/symbols.ts), with 0.17's errors for unknown symbols.

import { describe, expect, it } from 'vitest';
import { CodegenError } from '../../compiler/codegen/index';
import { createProbeHost } from '../../probes/host';
import { SymbolMap } from '../../probes/symbols';
import { bundledTracepoints } from '../../probes/tracepoints';
import { compile } from './compile';
import { run } from './run';

const symbols = new SymbolMap();
symbols.add({ name: 'vfs_read', address: 0xffffffff81234560n, size: 64, kernel: true });
symbols.add({ name: 'readline', address: 0x55d4a2c02490n, size: 32, kernel: false });
const host = createProbeHost({
  catalog: {
    tracepoints: bundledTracepoints(),
    kernelFunctions: ['vfs_read'],
    binaries: new Map([['/bin/bash', ['readline']]]),
    usdt: new Map(),
  },
  symbols,
});

function codegenError(source: string): { message: string; column?: number } {
  try {
    compile(source, { host });
  } catch (e) {
    if (!(e instanceof CodegenError)) throw e;
    const d = e.diagnostics[0];
    return { message: d.message, column: d.range?.start.column };
  }
  throw new Error('compiled');
}

describe('kaddr and uaddr', () => {
  it('the host resolves names through the symbol table, kernel and user apart', () => {
    expect(host.symbolAddress?.('vfs_read', true)).toBe(0xffffffff81234560n);
    expect(host.symbolAddress?.('vfs_read', false)).toBeUndefined();
    expect(host.symbolAddress?.('readline', false)).toBe(0x55d4a2c02490n);
  });
  it('are the symbols’ addresses', () => {
    const r = run(
      'BEGIN { printf("%lx\\n", kaddr("vfs_read")); } uprobe:/bin/bash:readline { printf("%lx\\n", uaddr("readline")); }',
      { host },
    );
    r.fire('uprobe:/bin/bash:readline');
    expect(r.printed).toEqual([[0xffffffff81234560n], [0x55d4a2c02490n]]);
  });
  it('report unknown symbols with 0.17’s wording, at the call', () => {
    const k = 'BEGIN { $a = kaddr("nope"); }';
    expect(codegenError(k)).toEqual({
      message: 'Failed to resolve kernel symbol: nope',
      column: k.indexOf('kaddr') + 1,
    });
    const u = 'uprobe:/bin/bash:readline { $a = uaddr("gone"); }';
    expect(codegenError(u)).toEqual({
      message: 'Could not resolve symbol: /bin/bash:gone',
      column: u.indexOf('uaddr') + 1,
    });
  });
});
