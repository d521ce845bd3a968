// Test helper: source → Program through the real parser, checker and codegen, with a probe
// host over the bundled catalog.

import { stdlib } from '../../stdlib/index';
import { DEFAULT_MAP_KEYS_MAX, DEFAULT_STRLEN } from '../../compiler/host';
import { parse } from '../../grammar/index';
import { hasErrors, renderDiagnostics } from '../../grammar/diagnostics';
import { check } from '../../compiler/check/index';
import { generate, type GeneratedProgram } from '../../compiler/codegen/index';
import type { CompileOptions } from '../../compiler/host';
import { createProbeHost } from '../../probes/host';
import { bundledTracepoints } from '../../probes/tracepoints';

export function testOptions(overrides: Partial<CompileOptions> = {}): CompileOptions {
  const host = createProbeHost({
    catalog: {
      tracepoints: bundledTracepoints(),
      kernelFunctions: ['vfs_read', 'do_sys_openat2'],
      binaries: new Map([['/bin/bash', ['readline']]]),
      usdt: new Map(),
    },
  });
  return {
    sourceName: 'test.bt',
    strlen: DEFAULT_STRLEN,
    mapKeysMax: DEFAULT_MAP_KEYS_MAX,
    params: [],
    unsafe: false,
    builtins: stdlib,
    host,
    ...overrides,
  };
}

export function compile(source: string, overrides: Partial<CompileOptions> = {}): GeneratedProgram {
  const options = testOptions(overrides);
  const parsed = parse(source, options.sourceName);
  if (!parsed.ast || hasErrors(parsed.diagnostics))
    throw new Error(renderDiagnostics(parsed.diagnostics, 'test.bt', source));
  const checked = check(parsed.ast, options);
  if (hasErrors(checked.diagnostics))
    throw new Error(renderDiagnostics(checked.diagnostics, 'test.bt', source));
  return generate(checked);
}
