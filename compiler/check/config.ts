// Newer bpftrace's `config = { name = value; … }` block. Names may be written as the
// environment variable (`BPFTRACE_STACK_MODE`), without its prefix (`STACK_MODE`), or in
// lower case (`stack_mode`). Only settings whose effect bpfscope reproduces are accepted;
// every other known one is a located "not implemented" error, an unknown one bpftrace's
// "not a known configuration option".

import type * as A from '../../grammar/ast';
import { error, type Diagnostic } from '../../grammar/diagnostics';

/** bpftrace's configuration variables (docs/language.md, "Config Variables"). */
const KNOWN = new Set([
  'cache_user_symbols',
  'cpp_demangle',
  'lazy_symbolication',
  'license',
  'log_size',
  'max_bpf_progs',
  'max_cat_bytes',
  'max_map_keys',
  'max_probes',
  'max_strlen',
  'missing_probes',
  'on_stack_limit',
  'perf_rb_pages',
  'show_debug_info',
  'stack_mode',
  'str_trunc_trailer',
  'print_maps_on_exit',
  'unstable_map_decl',
  'unstable_import',
  'unstable_tseries',
  'unstable_addr',
  'unstable_typeinfo',
  'unstable_dw_ustack',
]);

/**
 * Settings that change nothing bpfscope prints, with the value they must have:
 * - on_stack_limit: where bpftrace's code generator keeps large values (stack or
 *   pre-allocated memory); bpfscope's output does not depend on it;
 * - show_debug_info = 0: bpfscope's stacks never carry file/line debug info.
 */
const NO_EFFECT: Record<string, (value: A.Expression) => string | null> = {
  on_stack_limit: (v) =>
    v.kind === 'IntegerLiteral' && v.value >= 0n ? null : 'expects a non-negative integer',
  show_debug_info: (v) =>
    isFalse(v) ? null : 'debug info in stacks (show_debug_info) is not implemented yet',
};

function isFalse(v: A.Expression): boolean {
  return (
    (v.kind === 'IntegerLiteral' && v.value === 0n) ||
    (v.kind === 'BooleanLiteral' && !v.value) ||
    (v.kind === 'Identifier' && v.name === 'false')
  );
}

/** The canonical (lower-case, unprefixed) name of a configuration variable as written. */
export function configName(written: string): string {
  return written.replace(/^BPFTRACE_/i, '').toLowerCase();
}

export function checkConfig(config: A.ConfigBlock): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const setting of config.settings) {
    const name = configName(setting.name);
    if (!KNOWN.has(name)) {
      diagnostics.push(error(`${setting.name}: not a known configuration option`, setting.range));
      continue;
    }
    const check = NO_EFFECT[name];
    const problem = check ? check(setting.value) : `the ${name} setting is not implemented yet`;
    if (problem) diagnostics.push(error(`${setting.name}: ${problem}`, setting.range));
  }
  return diagnostics;
}
