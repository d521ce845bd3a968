// The second wave of differential variants: more builtins in more probe types, more
// aggregation/printf/map/variable misuse, more syntax errors, and the corpus's own err-*
// scripts re-laid-out (tabs, deeper indentation, extra lines before, on one line).

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Variant } from './harness';

const STATEMENTS: { id: string; code: string; args?: string[] }[] = [
  { id: 'avg-noarg', code: '@x = avg();' },
  { id: 'stats-str', code: '@x = stats("s");' },
  { id: 'hist-two', code: '@x = hist(1, 2);' },
  { id: 'sum-two', code: '@x = sum(1, 2);' },
  { id: 'min-tuple', code: '@x = min((1, 2));' },
  { id: 'max-map', code: '@y = 1; @x = max(@y);' },
  { id: 'lhist-step-var', code: '$s = 1; @x = lhist(1, 0, 10, $s);' },
  { id: 'lhist-min-var', code: '$m = 0; @x = lhist(1, $m, 10, 1);' },
  { id: 'lhist-five', code: '@x = lhist(1, 0, 10, 1, 5);' },
  { id: 'lhist-neg-max', code: '@x = lhist(1, 0, -10, 1);' },
  { id: 'lhist-equal', code: '@x = lhist(1, 5, 5, 1);' },
  { id: 'lhist-1001', code: '@x = lhist(1, 0, 1001, 1);' },
  { id: 'lhist-1000', code: '@x = lhist(1, 0, 1000, 1); exit();' },
  { id: 'hist-then-lhist', code: '@m = hist(1); @m = lhist(1, 0, 10, 1);' },
  { id: 'count-then-sum-key', code: '@m[1] = count(); @m[2] = sum(2);' },
  { id: 'avg-in-printf', code: '@a = avg(1); printf("%d\\n", @a);' },
  { id: 'hist-plus', code: '@h = hist(1); @y = @h + 1;' },
  { id: 'stats-compare', code: '@s = stats(1); if (@s == 1) { @y = 1; }' },
  { id: 'count-to-map-key-var', code: '@c = count(); $k = @c;' },
  { id: 'printf-s-missing', code: 'printf("%s %s\\n", "a");' },
  { id: 'printf-undef-var', code: 'printf("%d\\n", $nope);' },
  { id: 'printf-lu-missing', code: 'printf("%lu %lld\\n", 1);' },
  { id: 'printf-x-str', code: 'printf("%x\\n", "s");' },
  { id: 'printf-c-str', code: 'printf("%c\\n", "s");' },
  { id: 'printf-p-str', code: 'printf("%p\\n", "s");' },
  { id: 'printf-r-int', code: 'printf("%r\\n", 1);' },
  { id: 'printf-extra-comm', code: 'printf("%s\\n", comm, 1);' },
  { id: 'printf-three-two', code: 'printf("%d %d %d\\n", 1, 2);' },
  { id: 'printf-width-str', code: 'printf("%-5d|%5s|\\n", "a", 1);' },
  { id: 'printf-hash-x', code: 'printf("%#x\\n", 255);' },
  { id: 'printf-space-d', code: 'printf("% d\\n", 1);' },
  { id: 'printf-e', code: 'printf("%e\\n", 1);' },
  { id: 'printf-map-format', code: '@f = "x"; printf(@f);' },
  { id: 'printf-count-arg', code: '@c = count(); printf("%d\\n", @c);' },
  { id: 'printf-hist-arg', code: '@h = hist(2); printf("%d\\n", @h);' },
  { id: 'map-two-key-types', code: '@m[1, "a"] = 1; @m["a", 1] = 2;' },
  { id: 'map-keyless-then-key', code: '@m = 1; @m[1] = 1;' },
  { id: 'map-key-then-keyless', code: '@m[1] = 1; @m = 2;' },
  { id: 'map-str-then-int-keyed', code: '@m[1] = "a"; @m[2] = 3;' },
  { id: 'map-tuple-len', code: '@m = (1, 2); @m = (1, 2, 3);' },
  { id: 'map-tuple-sign', code: '@m = ((uint64)1, "s"); @m = (2, "s");' },
  { id: 'map-tuple-str-int', code: '@m = (1, 2); @m = ("a", 2);' },
  { id: 'map-read-key-mismatch', code: '@m[1] = 1; printf("%d\\n", @m["a"]);' },
  { id: 'delete-keyless', code: '@m = 1; delete(@m[1]);' },
  { id: 'delete-whole', code: '@m[1] = 1; delete(@m);' },
  { id: 'clear-undefined', code: 'clear(@nope);' },
  { id: 'zero-indexed', code: '@m[1] = 1; zero(@m[1]);' },
  { id: 'print-undefined', code: 'print(@nope);' },
  { id: 'print-div-str', code: '@m = 1; print(@m, 1, "a");' },
  { id: 'var-uint8-then-str', code: '$x = (uint8)1; $x = "a";' },
  { id: 'var-comm-then-int', code: '$x = comm; $x = 1;' },
  { id: 'var-kstack-then-int', code: '$x = kstack; $x = 1;' },
  { id: 'var-tuple-then-int', code: '$a = (1, 2); $a = 1;' },
  { id: 'var-incr-undefined', code: '$x++;' },
  { id: 'var-plus-eq-undefined', code: '$x += 1;' },
  { id: 'var-tuple-incr', code: '$t = (1, 2); $t++;' },
  { id: 'map-tuple-incr', code: '@t = (1, 2); @t++;' },
  { id: 'map-hist-plus-eq', code: '@h = hist(1); @h += 1;' },
  { id: 'str-plus-str', code: '$s = "a" + "b";' },
  { id: 'str-index', code: '$s = "abc"; $t = $s[0];' },
  { id: 'str-eq-longer-lit', code: '$s = comm; if ($s == "0123456789abcdefXYZ") { @y = 1; }' },
  { id: 'strncmp-neg', code: '$r = strncmp("a", "b", -1);' },
  { id: 'strncmp-str-n', code: '$r = strncmp("a", "b", "c");' },
  { id: 'str-neg-len', code: '$s = str(1, -1);' },
  { id: 'str-tuple', code: '$s = str((1, 2));' },
  { id: 'str-comm', code: '$s = str(comm);' },
  { id: 'cast-tuple', code: '$x = (int32)(1, 2);' },
  { id: 'cast-comm', code: '$x = (int64)comm;' },
  { id: 'cast-struct-value', code: '$x = (struct foo)1;' },
  { id: 'cast-int-ptr', code: '$x = (uint8 *)1; $y = $x + "a";' },
  { id: 'sizeof-tuple-ok', code: '$x = sizeof((1, "ab")) + "a";' },
  { id: 'sizeof-unknown-word', code: '$x = sizeof(char);' },
  { id: 'param-2-missing', code: '$x = $2 + "a";', args: ['1'] },
  { id: 'param-str-plus', code: '$x = $1 + "a";', args: ['5'] },
  { id: 'param-key-abc', code: '@x[$1] = 1;', args: ['abc'] },
  { id: 'param-hex-ok', code: '$x = $1 + "a";', args: ['0x1f'] },
  { id: 'param-big', code: '$x = $1;', args: ['99999999999999999999'] },
  { id: 'param-neg-str', code: '$s = str($1 - 1);', args: ['abc'] },
  { id: 'param-str-offset-ok', code: '$s = str($1 + 2); $t = $s + 1;', args: ['abcd'] },
  { id: 'unroll-expr', code: 'unroll(1 + 1) { @y = 1; }' },
  { id: 'unroll-neg', code: 'unroll(-1) { @y = 1; }' },
  { id: 'unroll-hex', code: 'unroll(0x10) { @y = 1; } @z = "a"; @z = 1;' },
  { id: 'unroll-nested-break', code: 'unroll(2) { unroll(3) { continue; } }' },
  { id: 'while-then-break', code: 'while (1) { break; } break;' },
  { id: 'while-tuple', code: '$i = 0; while ((1, 2)) { $i++; if ($i > 2) { break; } }' },
  { id: 'elseif-str', code: 'if (0) { @y = 1; } else { if ("a") { @y = 2; } }' },
  { id: 'if-tuple', code: 'if ((1, 2)) { @y = 1; }' },
  { id: 'if-undef-var', code: 'if ($nope) { @y = 1; }' },
  { id: 'return-then-error', code: 'return; @x = count(1);' },
  { id: 'deep-nesting', code: 'if (1) { if (1) { if (1) { @x = hist("s"); } } }' },
  { id: 'comm-arith', code: '$x = comm * 2;' },
  { id: 'pid-str-cmp', code: 'if (pid == "1") { @y = 1; }' },
  { id: 'nsecs-div', code: '$x = nsecs / 1000; $y = $x + "a";' },
  { id: 'probe-plus', code: '$x = probe + 1;' },
  { id: 'username-cmp', code: 'if (username == 1) { @y = 1; }' },
  { id: 'curtask-field', code: '$x = curtask->pid;' },
  { id: 'kstack-bad-limit', code: '$x = kstack(-1);' },
  { id: 'ustack-mode-str', code: '$x = ustack("perf");' },
  { id: 'kstack-mode-perf', code: '$x = kstack(perf, 3); $y = $x + 1;' },
  { id: 'signal-unsafe-str', code: 'signal("NOPE");' },
  { id: 'system-var', code: '$c = "ls"; system($c);' },
  { id: 'cat-int', code: 'cat(1);' },
  { id: 'join-begin', code: 'join(0);' },
  { id: 'time-int', code: 'time(1);' },
  { id: 'strftime-two', code: 'printf("%s\\n", strftime("%H"));' },
  { id: 'ksym-two', code: '$x = ksym(1, 2);' },
  { id: 'macaddr-str', code: '$x = macaddr("a");' },
  { id: 'pton-int', code: '$x = pton(1);' },
  { id: 'pton-bad', code: '$x = pton("zz");' },
  { id: 'bswap-two', code: '$x = bswap(1, 2);' },
  { id: 'strerror-two', code: '$x = strerror(1, 2);' },
  { id: 'kptr-str', code: '$x = kptr("a");' },
  { id: 'uptr-none', code: '$x = uptr();' },
  { id: 'cgroup-path-int', code: '$x = cgroup_path("a");' },
  { id: 'exit-in-printf', code: 'printf("%d\\n", exit());' },
  { id: 'print-in-key', code: '@m[print(1)] = 1;' },
  { id: 'count-in-key-read', code: '@m[1] = 1; $x = @m[count()];' },
  { id: 'builtin-assign', code: 'pid = 1;' },
  { id: 'map-assign-to-builtin-key', code: '@m[comm, pid, "x", 1, 2, 3, 4, 5, 6] = 1;' },
];

const PLACEMENTS: { id: string; wrap: (s: string) => string }[] = [
  { id: 'begin', wrap: (s) => `BEGIN { ${s} exit(); }\n` },
  { id: 'nl', wrap: (s) => `// wave 2\nBEGIN\n{\n    ${s}\n    exit();\n}\n` },
  { id: 'nested', wrap: (s) => `BEGIN {\n  if (1) {\n  ${s}\n  }\n  exit();\n}\n` },
  { id: 'end', wrap: (s) => `BEGIN { exit(); }\nEND { ${s} }\n` },
];

/** Builtins used in probes of different types. */
const PROBE_BUILTINS: { id: string; probe: string }[] = [
  { id: 'kprobe', probe: 'kprobe:vfs_read' },
  { id: 'kretprobe', probe: 'kretprobe:vfs_read' },
  { id: 'tracepoint', probe: 'tracepoint:syscalls:sys_enter_openat' },
  { id: 'uprobe', probe: 'uprobe:/bin/bash:readline' },
  { id: 'interval', probe: 'interval:ms:100' },
  { id: 'profile', probe: 'profile:hz:99' },
  { id: 'end', probe: 'END' },
  { id: 'multi', probe: 'BEGIN, kprobe:vfs_read' },
];
const PROBE_EXPRESSIONS = [
  'retval',
  'func',
  'arg0',
  'arg7',
  'sarg0',
  'args->filename',
  'args->nosuch',
  'ctx',
  'probe',
  'reg("ip")',
  'uaddr("main")',
  'kstack',
  'ustack',
  'signal("KILL")',
  'override(0)',
  'path(1)',
];

const SCRIPTS: { id: string; code: string }[] = [
  { id: 'double-close', code: 'BEGIN { @x = 1 }}\n' },
  { id: 'brackets', code: 'BEGIN { @x = [1]; }\n' },
  { id: 'brace-value', code: 'BEGIN { @x = {1}; }\n' },
  { id: 'comma-value', code: 'BEGIN { @x = 1, 2; }\n' },
  { id: 'eq-plus', code: 'BEGIN { @x =+ 1; exit(); }\n' },
  { id: 'eqeq-statement', code: 'BEGIN { @x == 1; }\n' },
  { id: 'literal-statement', code: 'BEGIN { 1; exit(); }\n' },
  { id: 'var-statement', code: 'BEGIN { $x; }\n' },
  { id: 'empty-key-read', code: 'BEGIN { @x[]; }\n' },
  { id: 'empty-key', code: 'BEGIN { @x[] = 1; }\n' },
  { id: 'trailing-comma-key', code: 'BEGIN { @x[1,] = 1; }\n' },
  { id: 'comma-args', code: 'BEGIN { printf(,); }\n' },
  { id: 'trailing-comma-arg', code: 'BEGIN { printf("a",); }\n' },
  { id: 'empty-if', code: 'BEGIN { if () { @x = 1; } }\n' },
  { id: 'if-no-parens', code: 'BEGIN { if 1 { @x = 1; } }\n' },
  { id: 'lone-else', code: 'BEGIN { else { @x = 1; } }\n' },
  { id: 'else-if', code: 'BEGIN { if (0) { @x = 1; } else if (1) { @x = 2; } exit(); }\n' },
  { id: 'plus-star', code: 'BEGIN { $x = 1 +* 2; }\n' },
  { id: 'lone-minus', code: 'BEGIN { @x = -; }\n' },
  { id: 'empty-parens', code: 'BEGIN { @x = (); }\n' },
  { id: 'one-tuple', code: 'BEGIN { @x = (1,); }\n' },
  { id: 'at-at', code: 'BEGIN { @@ = 1; }\n' },
  { id: 'lone-dollar', code: 'BEGIN { $ = 1; }\n' },
  { id: 'two-strings', code: 'BEGIN { @x = "a" "b"; }\n' },
  { id: 'ternary-no-then', code: 'BEGIN { @x = 1 ? : 2; }\n' },
  { id: 'hex-empty', code: 'BEGIN { @x = 0x; }\n' },
  { id: 'hex-bad', code: 'BEGIN { @x = 0xZZ; }\n' },
  { id: 'underscore-trailing', code: 'BEGIN { @x = 1_; }\n' },
  { id: 'exp-empty', code: 'BEGIN { @x = 1e; }\n' },
  { id: 'binary-literal', code: 'BEGIN { @x = 0b101; }\n' },
  { id: 'suffix-ul', code: 'BEGIN { @x = 5ul + "a"; }\n' },
  { id: 'dot-trailing', code: 'BEGIN { @x = 1.; }\n' },
  { id: 'dot-leading', code: 'BEGIN { @x = .5; }\n' },
  { id: 'escape-x-empty', code: 'BEGIN { @x = "\\x"; }\n' },
  { id: 'escape-777', code: 'BEGIN { @x = "\\777"; }\n' },
  { id: 'line-comment-brace', code: 'BEGIN { // comment }\n' },
  { id: 'trailing-open-comment', code: 'BEGIN { @x = 1; exit(); } /* trailing\n' },
  { id: 'three-probes-begin', code: 'BEGIN { exit(); }\nEND { }\nBEGIN { }\n' },
  { id: 'lone-end', code: 'END\n' },
  { id: 'exit-no-semi', code: 'BEGIN { exit() exit(); }\n' },
  { id: 'probe-semicolon', code: 'BEGIN { exit(); } ;\n' },
  { id: 'alias-i', code: 'i:ms:100 { @x = count(1); }\n' },
  { id: 'alias-k', code: 'k:vfs_read { @x = retval; }\n' },
  { id: 'alias-t', code: 't:syscalls:sys_enter_openat { @x = args->nosuch; }\n' },
  { id: 'begin-end-comma', code: 'BEGIN,END { @x = 1; exit(); }\n' },
  { id: 'kprobe-begin-arg', code: 'kprobe:vfs_read,BEGIN { $x = arg0; exit(); }\n' },
  {
    id: 'tp-kprobe-args',
    code: 'tracepoint:syscalls:sys_enter_openat,kprobe:vfs_read { @x = args->filename; exit(); }\n',
  },
  { id: 'hardware', code: 'hardware:cache-misses:1000000 { @x = count(1); }\n' },
  { id: 'uprobe-missing', code: 'uprobe:/nonexistent/bin:foo { @x = 1; }\n' },
  { id: 'kprobe-missing', code: 'kprobe:nosuchfunc_zz_bpfscope { @x = 1; }\n' },
  { id: 'tp-missing', code: 'tracepoint:nosuch:thing { @x = 1; }\n' },
  { id: 'interval-neg', code: 'interval:ms:-5 { @x = 1; }\n' },
  { id: 'interval-no-unit', code: 'interval:100 { @x = 1; }\n' },
  { id: 'software-bad', code: 'software:nosuch:100 { @x = 1; }\n' },
  { id: 'wildcard-begin', code: 'BEGIN* { @x = 1; }\n' },
  { id: 'probe-colon-end', code: 'kprobe:vfs_read: { @x = 1; }\n' },
  { id: 'struct-redefine', code: 'struct S { int a; }\nstruct S { int b; }\nBEGIN { exit(); }\n' },
  { id: 'struct-no-semi', code: 'struct S { int a }\nBEGIN { exit(); }\n' },
  {
    id: 'struct-unknown-type',
    code: 'struct S { foo_t a; }\nBEGIN { $x = sizeof(struct S) + "a"; exit(); }\n',
  },
  { id: 'define-then-use', code: '#define N 5\nBEGIN { @x = N + "a"; exit(); }\n' },
  { id: 'include-missing', code: '#include <nosuch_header_zz.h>\nBEGIN { exit(); }\n' },
  { id: 'shebang-middle', code: 'BEGIN { @x = 1; }\n#!/bin/foo\nEND { @y = count(1); }\n' },
  {
    id: 'var-probe-other-two',
    code: 'BEGIN { $a = 1; exit(); }\nEND { $b = 2; printf("%d %d\\n", $a, $b); }\n',
  },
  { id: 'map-cross-probe-mismatch', code: 'BEGIN { @m = 1; exit(); }\nEND { @m = "s"; }\n' },
  { id: 'map-cross-probe-keys', code: 'BEGIN { @m[1] = 1; exit(); }\nEND { @m["a"] = 2; }\n' },
  { id: 'map-read-before', code: 'BEGIN { printf("%s\\n", @m); @m = 1; exit(); }\n' },
  { id: 'map-read-before-2', code: 'BEGIN { $x = @m + 1; exit(); }\nEND { @m = "s"; }\n' },
  { id: 'predicate-map-str', code: 'BEGIN { @s = "x"; exit(); }\nEND / @s / { @y = 1; }\n' },
  { id: 'predicate-count', code: 'BEGIN { @c = count(); exit(); }\nEND /@c > 1/ { @y = 1; }\n' },
  { id: 'predicate-multiline', code: 'BEGIN\n/\n  "str"\n/\n{\n  exit();\n}\n' },
  { id: 'predicate-tight', code: 'BEGIN/"s"/{exit();}\n' },
  {
    id: 'all-kinds',
    code: 'BEGIN {\n  @a = count(1);\n  $b = "a" + 1;\n  @c = 1; @c = "s";\n  printf("%d\\n");\n}\n',
  },
  {
    id: 'warn-three',
    code: 'BEGIN {\n  $a = -1; $b = $a / 2; $c = (uint8)1 - $a;\n  if ((uint64)1 > $a) { @y = 1; }\n  exit();\n}\n',
  },
  {
    id: 'warn-and-second',
    code: 'BEGIN { $a = -1; $b = $a % 2; @x = @m; exit(); }\nEND { @m = 1; }\n',
  },
];

/** The corpus scripts re-laid-out; err-* ones also on one line. Cases with flags are skipped
 *  (the harness passes none); args and env are kept. */
function transformCorpus(dir: string): Variant[] {
  if (!existsSync(dir)) return [];
  const out: Variant[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.bt'))) {
    const stem = file.slice(0, -3);
    if (existsSync(join(dir, `${stem}.flags`))) continue;
    const error = stem.startsWith('err-');
    const id = error ? stem.slice(4) : `ok-${stem}`;
    const text = readFileSync(join(dir, file), 'latin1');
    const argsFile = join(dir, `${stem}.args`);
    const envFile = join(dir, `${stem}.env`);
    const args = existsSync(argsFile)
      ? readFileSync(argsFile, 'latin1').trim().split(/\s+/).filter(Boolean)
      : undefined;
    const env = existsSync(envFile)
      ? Object.fromEntries(
          readFileSync(envFile, 'latin1')
            .split('\n')
            .filter((l) => l.includes('='))
            .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
        )
      : undefined;
    const add = (suffix: string, script: string) =>
      out.push({ name: `k-${id}-${suffix}`, script, args, env });
    add('tabs', text.replace(/^ {2}/gm, '\t'));
    add('deep', text.replace(/^(?=.)/gm, '      '));
    add('lines', `\n\n// more\n\n${text}`);
    const body = text
      .split('\n')
      .filter((l) => !l.startsWith('//'))
      .join('\n');
    if (error && !body.includes('#')) add('oneline', body.replace(/\s*\n\s*/g, ' ').trim() + '\n');
  }
  return out;
}

/** Triples of snippets (one probe) and pairs across a predicate probe: pass ordering. */
function orderingVariants(): Variant[] {
  const picked = STATEMENTS.filter((s) => !s.args);
  const out: Variant[] = [];
  picked.forEach((a, i) => {
    const b = picked[(i + 11) % picked.length];
    const c = picked[(i + 37) % picked.length];
    out.push({
      name: `o-${a.id}--${b.id}--${c.id}`,
      script: `BEGIN {\n  ${a.code}\n  ${b.code}\n  ${c.code}\n  exit();\n}\n`,
    });
    const d = picked[(i + 53) % picked.length];
    out.push({
      name: `o2-${a.id}--${d.id}`,
      script: `BEGIN /pid > 0/ {\n  ${a.code}\n  exit();\n}\ninterval:ms:10 /1/ {\n  ${d.code}\n  exit();\n}\n`,
    });
  });
  return out;
}

export function wave2Variants(): Variant[] {
  const out: Variant[] = [...orderingVariants()];
  for (const s of STATEMENTS)
    for (const p of PLACEMENTS)
      out.push({ name: `w-${s.id}-${p.id}`, script: p.wrap(s.code), args: s.args });
  for (const p of PROBE_BUILTINS)
    PROBE_EXPRESSIONS.forEach((e, i) => {
      out.push({
        name: `b-${p.id}-${i}`,
        script: `${p.probe}\n{\n  $v = ${e};\n  exit();\n}\n`,
      });
    });
  for (const s of SCRIPTS) {
    out.push({ name: `q-${s.id}`, script: s.code });
    out.push({
      name: `q-${s.id}-shifted`,
      script: `\n// shifted\n\t${s.code.replace(/\n(?=.)/g, '\n  ')}`,
    });
  }
  out.push(
    ...transformCorpus(join(__dirname, '..', '..', '..', '..', 'shared', 'conformance', 'cases')),
  );
  return out;
}
