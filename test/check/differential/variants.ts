// Generated scripts for the differential runs: error and warning snippets from behaviour §10,
// §27-§60 and the err-* corpus, each placed at different lines and columns, with different
// spacing, inside nested blocks, in predicates, in several probes, and combined with others.
// Newer syntax that bpfscope accepts on purpose (`exit(1)`, `print(@m[k])`, `delete(@m, k)`,
// `for`-each, `let`, `len`, `has_key`) is left out: 0.17 rejects it, and that difference is
// intended; so is `%%` in printf formats, a literal percent in bpfscope (0.17 counted `%%d`
// as a conversion).

import type { Variant } from './harness';
import { wave2Variants } from './variants2';
import { wave3Variants } from './variants3';

/** A statement sequence that, in BEGIN, gives (or should give) one diagnostic. */
interface Snippet {
  id: string;
  code: string;
  args?: string[];
  env?: Record<string, string>;
  /** Only in these placements (e.g. needs BEGIN), by placement id. */
  only?: string[];
}

const LONG = 'x'.repeat(64);

/** Statement snippets, as they would stand in a BEGIN block. */
export const STATEMENTS: Snippet[] = [
  // maps and aggregations
  { id: 'agg-kind-mismatch', code: '@x = count(); @x = sum(1);' },
  { id: 'map-int-then-str', code: '@x = 1; @x = "a";' },
  { id: 'map-str-then-int', code: '@x = "a"; @x = 1;' },
  { id: 'map-key-mismatch', code: '@x[1] = 1; @x["a"] = 1;' },
  { id: 'map-key-count', code: '@x[1] = 1; @x[1, 2] = 1;' },
  { id: 'map-key-str-int', code: '@x["k"] = 1; @x[2] = 1;' },
  { id: 'map-tuple-key', code: '@x[(1, 2)] = 1;' },
  { id: 'map-tuple-var-key', code: '$t = (1, "a"); @x[$t] = 1;' },
  { id: 'count-arg', code: '@x = count(1);' },
  { id: 'sum-str', code: '@x = sum("a");' },
  { id: 'avg-str', code: '@x = avg("str");' },
  { id: 'min-str', code: '$s = "a"; @x = min($s);' },
  { id: 'max-noarg', code: '@x = max();' },
  { id: 'stats-two', code: '@x = stats(1, 2);' },
  { id: 'hist-str', code: '@x = hist("x");' },
  { id: 'hist-noarg', code: '@x = hist();' },
  { id: 'lhist-3', code: '@x = lhist(1, 0, 10);' },
  { id: 'lhist-minmax', code: '@x = lhist(1, 10, 0, 1);' },
  { id: 'lhist-neg', code: '@x = lhist(1, -10, 0, 1);' },
  { id: 'lhist-step0', code: '@x = lhist(1, 0, 10, 0);' },
  { id: 'lhist-buckets', code: '@x = lhist(1, 0, 10000, 1);' },
  { id: 'lhist-step-range', code: '@x = lhist(1, 0, 10, 20);' },
  { id: 'lhist-var', code: '$a = 10; @x = lhist(1, 0, $a, 1);' },
  { id: 'lhist-str', code: '@x = lhist("a", 0, 10, 1);' },
  { id: 'count-to-var', code: '$x = count();' },
  { id: 'count-plus', code: '@x = count() + 1;' },
  { id: 'count-as-key', code: '@x[count()] = 1;' },
  { id: 'count-in-printf', code: 'printf("%d\\n", count());' },
  { id: 'count-statement', code: 'count();' },
  { id: 'count-arith', code: '@x = count(); @y = @x + 1;' },
  { id: 'sum-compare', code: '@x = sum(1); if (@x > 1) { @y = 1; }' },
  { id: 'count-incr', code: '@x = count(); @x++;' },
  { id: 'str-map-incr', code: '@x = "s"; @x++;' },
  { id: 'str-map-plus-eq', code: '@s = "a"; @s += 1;' },
  { id: 'count-then-int', code: '@m = count(); @m = 1;' },
  { id: 'undefined-map', code: 'printf("%d\\n", @never);' },
  { id: 'undefined-map-assign', code: '@y = @never;' },
  // print / clear / zero / delete / exit
  { id: 'print-top-str', code: '@m = 1; print(@m, "a");' },
  { id: 'print-div-var', code: '@m = 1; $d = 2; print(@m, 1, $d);' },
  { id: 'print-two-values', code: 'print(1, 2);' },
  { id: 'print-none', code: 'print();' },
  { id: 'print-four', code: '@m = 1; print(@m, 1, 2, 3);' },
  { id: 'print-stats-top', code: '@s = stats(5); print(@s, 1);' },
  { id: 'print-stats-top-div', code: '@s = stats(5); print(@s, 1, 2);' },
  { id: 'clear-int', code: 'clear(1);' },
  { id: 'clear-indexed', code: '@m[1] = 1; clear(@m[1]);' },
  { id: 'zero-none', code: 'zero();' },
  { id: 'delete-int', code: 'delete(1);' },
  { id: 'exit-two', code: 'exit(1, 2);' },
  // variables
  { id: 'var-int-then-str', code: '$x = 1; $x = "a";' },
  { id: 'var-str-then-int', code: '$x = "abc"; $x = 5;' },
  { id: 'var-undefined', code: 'printf("%d\\n", $y);' },
  { id: 'var-undefined-map', code: '@x = $undefined;' },
  { id: 'var-self', code: '$x = $x + 1;' },
  { id: 'tuple-range', code: '$t = (1, 2); print($t.2);' },
  { id: 'tuple-range-assign', code: '$t = (1, "a"); $u = $t.5;' },
  { id: 'tuple-on-int', code: '$x = 1; $y = $x.0;' },
  { id: 'tuple-mismatch', code: '$t = (1, "a"); $t = ("a", 1);' },
  { id: 'ternary-types', code: '$x = 1 ? "a" : 2;' },
  { id: 'ternary-tuple', code: '$x = 1 ? (1, 2) : (3, 4);' },
  { id: 'float', code: '$x = 1.5;' },
  // operators
  { id: 'str-plus', code: '$a = "hello"; $b = $a + 1;' },
  { id: 'str-eq-int', code: '$a = "hello"; if ($a == 1) { @y = 1; }' },
  { id: 'str-lt', code: '$a = "hello"; $b = $a < "b";' },
  { id: 'not-str', code: '$b = !"str";' },
  { id: 'neg-str', code: '$b = -"abc";' },
  { id: 'tilde-str', code: '$s = "a"; $b = ~$s;' },
  { id: 'deref-str', code: '$b = *"a";' },
  { id: 'str-and', code: '$b = "a" && 1;' },
  { id: 'tuple-plus', code: '$t = (1, 2); $u = $t + 1;' },
  { id: 'warn-literal-longer', code: '$s = "abc"; if ($s == "abcdef") { @y = 1; }' },
  { id: 'warn-div-signed', code: '$x = -1; $y = $x / 2;' },
  { id: 'warn-mod-signed', code: '$x = 7; $y = $x % 3;' },
  { id: 'warn-div-assign', code: '$x = 60; $x /= 6;' },
  { id: 'warn-sign-arith', code: '$x = -1; $y = (uint8)1 - $x;' },
  { id: 'warn-sign-compare', code: '$x = -1; if ((uint64)1 > $x) { @y = 1; }' },
  { id: 'warn-nested-div', code: '$y = 100 / 10 / 5;' },
  { id: 'if-str', code: 'if ("str") { @y = 1; }' },
  { id: 'if-str-var', code: '$s = "x"; if ($s) { @y = 1; }' },
  { id: 'while-str', code: '$i = 0; while ("s") { $i++; if ($i > 2) { break; } }' },
  // casts and sizeof
  { id: 'cast-str', code: '$x = (int8)"abc";' },
  { id: 'cast-uint128', code: '$x = (uint128)5;' },
  { id: 'cast-long', code: '$x = (long)5;' },
  { id: 'sizeof-long', code: '$x = sizeof(long);' },
  { id: 'sizeof-struct', code: '$x = sizeof(struct foo);' },
  { id: 'cast-struct-ptr', code: '$x = (struct foo *)0;' },
  { id: 'sizeof-undefined-var', code: '$x = sizeof($nope);' },
  // printf
  { id: 'printf-not-enough', code: 'printf("%d %d\\n", 1);' },
  { id: 'printf-too-many', code: 'printf("%d\\n", 1, 2);' },
  { id: 'printf-s-int', code: 'printf("%s\\n", 1);' },
  { id: 'printf-d-str', code: 'printf("%d\\n", "a");' },
  { id: 'printf-f', code: 'printf("%f\\n", 1);' },
  { id: 'printf-plus-d', code: 'printf("%+d\\n", 1);' },
  { id: 'printf-var-format', code: '$f = "x"; printf($f);' },
  { id: 'printf-empty', code: 'printf();' },
  { id: 'printf-tuple', code: 'printf("%d\\n", (1, 2));' },
  { id: 'printf-int-format', code: 'printf(1);' },
  { id: 'printf-s-tuple', code: '$t = (1, "a"); printf("%s\\n", $t);' },
  // strings
  { id: 'str-literal', code: '$s = str("lit");' },
  { id: 'str-len-str', code: '$s = str(1, "a");' },
  { id: 'str-none', code: '$s = str();' },
  { id: 'str-three', code: '$s = str(1, 2, 3);' },
  { id: 'strncmp-var-n', code: '$n = 1; $r = strncmp("a", "b", $n);' },
  { id: 'strncmp-int', code: '$r = strncmp(1, "abd", 1);' },
  { id: 'strncmp-two', code: '$r = strncmp("a", "b");' },
  { id: 'string-too-long', code: `$s = "${LONG}";` },
  { id: 'string-bad-escape', code: '$s = "a\\qb";' },
  { id: 'string-octal-range', code: '$s = "a\\400";' },
  // builtins, functions, identifiers
  { id: 'func-begin', code: '$x = func;', only: ['begin', 'nl', 'tab', 'nested', 'end'] },
  { id: 'retval-begin', code: '$x = retval;' },
  { id: 'arg0-begin', code: '$x = arg0;' },
  { id: 'sarg0-begin', code: '$x = sarg0;' },
  { id: 'args-begin', code: '$x = args->foo;' },
  { id: 'unknown-function', code: 'foo();' },
  { id: 'unknown-function-value', code: '$x = foo(1, 2);' },
  { id: 'unknown-identifier', code: '$x = nosuch;' },
  { id: 'unknown-identifier-map', code: '@x = nosuch + 1;' },
  { id: 'macro-fn', code: '$x = SQ(7);' },
  { id: 'unroll-0', code: 'unroll(0) { @y = 1; }' },
  { id: 'unroll-101', code: 'unroll(101) { @y = 1; }' },
  { id: 'unroll-var', code: '$n = 1; unroll($n) { @y = 1; }' },
  { id: 'break-outside', code: 'break;' },
  { id: 'continue-outside', code: 'continue;', only: ['begin', 'nl', 'tab', 'end', 'nested'] },
  { id: 'unroll-break', code: 'unroll(2) { break; }' },
  { id: 'signal-safe', code: 'signal("KILL");' },
  { id: 'system-safe', code: 'system("ls");' },
  { id: 'kstack-mode', code: '$x = kstack(foo);' },
  { id: 'ustack-three', code: '$x = ustack(1, 2, 3);' },
  { id: 'reg-bad', code: '$x = reg("zz");' },
  { id: 'ksym-str', code: '$x = ksym("a");' },
  { id: 'kaddr-int', code: '$x = kaddr(1);' },
  { id: 'uaddr-int', code: '$x = uaddr(1);' },
  { id: 'cgroupid-int', code: '$x = cgroupid(1);' },
  { id: 'strerror-str', code: '$x = strerror("a");' },
  { id: 'bswap-str', code: '$x = bswap("a");' },
  { id: 'buf-zero', code: '$x = buf("a", 0);' },
  { id: 'ntop-str', code: '$x = ntop("abc");' },
  { id: 'time-value', code: '$x = time("%H");' },
  { id: 'join-int', code: 'join(1);' },
  { id: 'cat-none', code: 'cat();' },
  { id: 'override-begin', code: 'override(1);' },
  { id: 'exit-value', code: '$x = exit();' },
  { id: 'printf-value', code: '$x = printf("a");' },
  { id: 'ctx-begin', code: '$x = ctx;' },
  { id: 'cpid-begin', code: '$x = cpid;' },
  { id: 'kstack-arith', code: '$x = kstack + 1;' },
  { id: 'comm-plus', code: '$x = comm + 1;' },
  { id: 'macaddr-int', code: '$x = macaddr(1);' },
  { id: 'strftime-int', code: 'printf("%s\\n", strftime(1, 2));' },
  { id: 'usym-str', code: '$x = usym("s");' },
  // positional parameters
  { id: 'param-5abc', code: '$x = $1 + 1;', args: ['5abc'] },
  { id: 'param-uint64max', code: '$x = $1;', args: ['18446744073709551615'] },
  { id: 'param-zero', code: '$x = $0;' },
  { id: 'param-str-offset', code: '$s = str($1 + 10);', args: ['abc'] },
  { id: 'param-str-offset-var', code: '$n = 1; $s = str($1 + $n);', args: ['abc'] },
  { id: 'param-unroll-0', code: 'unroll($1) { @y = 1; }', args: ['0'] },
  { id: 'param-unroll-101', code: 'unroll($1) { @y = 1; }', args: ['101'] },
  { id: 'param-unroll-str', code: 'unroll($1) { @y = 1; }', args: ['abc'] },
  { id: 'param-lhist', code: '@x = lhist(1, $1, 10, 1);', args: ['20'] },
  { id: 'param-printf-s', code: 'printf("%s\\n", $1);', args: ['7'] },
  { id: 'param-printf-d-str', code: 'printf("%d\\n", $1);', args: ['abc'] },
  { id: 'param-str-of-str', code: '$s = str($1);', args: ['abc'] },
  { id: 'param-count', code: '$x = $# + "a";', args: ['a', 'b'] },
  // BPFTRACE_STRLEN
  { id: 'strlen-201', code: '$s = str(0);', env: { BPFTRACE_STRLEN: '201' } },
  {
    id: 'strlen-8-long-lit',
    code: `$s = "123456789"; $t = str(0);`,
    env: { BPFTRACE_STRLEN: '8' },
  },
  { id: 'strlen-zero', code: '$s = str(0);', env: { BPFTRACE_STRLEN: '0' } },
  { id: 'strlen-abc', code: '$s = str(0);', env: { BPFTRACE_STRLEN: 'abc' } },
];

/** Where a statement snippet S is placed; each adds `exit()` so accepted scripts end. */
const PLACEMENTS: { id: string; wrap: (s: string) => string }[] = [
  { id: 'begin', wrap: (s) => `BEGIN { ${s} exit(); }\n` },
  { id: 'nl', wrap: (s) => `BEGIN\n{\n  ${s}\n  exit();\n}\n` },
  {
    id: 'tab',
    wrap: (s) => `#!/usr/bin/env bpftrace\n// lead\nBEGIN {\n\t@pre = 1;   ${s} exit();\n}\n`,
  },
  { id: 'nested', wrap: (s) => `BEGIN {\n  if (1) {\n    if (2) { ${s} }\n  }\n  exit();\n}\n` },
  { id: 'end', wrap: (s) => `BEGIN { @ok = 1; exit(); }\n\nEND\n{\n    $v = 2; ${s}\n}\n` },
  { id: 'while', wrap: (s) => `BEGIN /1/ { $i = 0; while ($i < 1) { $i++; ${s} } exit(); }\n` },
  { id: 'tight', wrap: (s) => `BEGIN{${s}exit();}\n` },
  { id: 'unroll', wrap: (s) => `BEGIN {\n  unroll(2) {\n    ${s}\n  }\n  exit();\n}\n` },
  { id: 'interval', wrap: (s) => `interval:ms:50\n{\n  ${s}\n  exit();\n}\n` },
];

/** Expressions that are (or should be) rejected in a value position. */
const EXPRESSIONS: { id: string; code: string }[] = [
  { id: 'str-plus', code: '"abc" + 1' },
  { id: 'str-eq-int', code: '"abc" == 1' },
  { id: 'str-lt', code: '"abc" < "b"' },
  { id: 'not-str', code: '!"a"' },
  { id: 'undef-var', code: '$nope' },
  { id: 'undef-map', code: '@nope' },
  { id: 'unknown-id', code: 'nosuch' },
  { id: 'cast-str', code: '(uint8)"a"' },
  { id: 'count', code: 'count()' },
  { id: 'tuple-index', code: '(1, 2).3' },
  { id: 'func', code: 'func' },
  { id: 'retval', code: 'retval' },
  { id: 'str', code: 'str("x")' },
  { id: 'tuple', code: '(1, 2)' },
  { id: 'string', code: '"str"' },
  { id: 'ternary', code: '1 ? 2 : "a"' },
];

const EXPRESSION_PLACEMENTS: { id: string; wrap: (e: string) => string }[] = [
  { id: 'assign', wrap: (e) => `BEGIN { $v = ${e}; exit(); }\n` },
  { id: 'pred', wrap: (e) => `BEGIN\n/ ${e} /\n{\n  exit();\n}\n` },
  { id: 'printf', wrap: (e) => `BEGIN {\n  printf("%d\\n",   ${e});\n  exit();\n}\n` },
  { id: 'key', wrap: (e) => `BEGIN { @m[${e}] = 1; exit(); }\n` },
  { id: 'if', wrap: (e) => `BEGIN {\n\tif (${e}) { exit(); }\n\texit();\n}\n` },
  { id: 'mapval', wrap: (e) => `END { @total = 5; }\nBEGIN { @m[1] = ${e}; exit(); }\n` },
];

/** Whole scripts: syntax errors, probe errors and other program-level cases. */
export const SCRIPTS: { id: string; code: string; args?: string[] }[] = [
  { id: 'unclosed-brace', code: 'BEGIN { @x = 1;\n' },
  { id: 'unclosed-brace-2', code: 'BEGIN {\n  if (1) {\n    @x = 1;\n  \n}\n' },
  { id: 'unclosed-paren', code: 'BEGIN { printf("a" }\n' },
  { id: 'unclosed-paren-2', code: 'BEGIN {\n  @x = (1 + 2;\n}\n' },
  { id: 'unclosed-string', code: 'BEGIN { printf("abc); }\n' },
  { id: 'unclosed-string-2', code: 'BEGIN {\n  @x = "abc;\n  exit();\n}\n' },
  { id: 'unclosed-comment', code: 'BEGIN { /* unclosed\n @x = 1; }\n' },
  { id: 'extra-brace', code: 'BEGIN { @x = 1; } }\n' },
  { id: 'missing-value', code: 'BEGIN { @x = ; }\n' },
  { id: 'missing-operand', code: 'BEGIN { @x = 1 + ; }\n' },
  { id: 'octal-09', code: 'BEGIN { @x = 09; }\n' },
  { id: 'octal-09-call', code: 'BEGIN { print(09); }\n' },
  { id: 'suffix-lu', code: 'BEGIN { @x = 5lu; }\n' },
  { id: 'int-overflow', code: 'BEGIN {\n  @x = 18446744073709551616;\n}\n' },
  { id: 'sci-coeff', code: 'BEGIN { @x = 10e2; }\n' },
  { id: 'sci-exp', code: 'BEGIN { @x = 1e17; }\n' },
  { id: 'double-minus', code: 'BEGIN { @x = --5; }\n' },
  { id: 'semicolon-after-if', code: 'BEGIN { if (1) { @x = 1; }; }\n' },
  { id: 'semicolon-after-if-2', code: 'BEGIN {\n  if (1) {\n    @x = 1;\n  };\n  exit();\n}\n' },
  { id: 'semicolon-after-while', code: 'BEGIN { $i = 0; while ($i < 1) { $i++; }; }\n' },
  { id: 'semicolon-after-unroll', code: 'BEGIN { unroll(2) { @x = 1; }; }\n' },
  { id: 'semicolon-after-probe', code: 'BEGIN { @x = 1; };\n' },
  { id: 'missing-semicolon', code: 'BEGIN { @x = 1 @y = 2; }\n' },
  { id: 'missing-semicolon-2', code: 'BEGIN {\n  $a = 1\n  $b = 2;\n}\n' },
  { id: 'double-semicolon', code: 'BEGIN { @x = 1;; }\n' },
  { id: 'leading-semicolon', code: 'BEGIN { ; @x = 1; }\n' },
  { id: 'only-comments', code: '// nothing here\n/* nor here */\n' },
  { id: 'empty-file', code: '' },
  { id: 'kw-if-var', code: 'BEGIN { $if = 1; }\n' },
  { id: 'kw-if-map', code: 'BEGIN { @if = 1; }\n' },
  { id: 'kw-while-var', code: 'BEGIN { $while = 1; }\n' },
  { id: 'kw-for-var', code: 'BEGIN { $for = 1; }\n' },
  { id: 'kw-return-var', code: 'BEGIN { $return = 1; }\n' },
  { id: 'kw-unroll-map', code: 'BEGIN { @unroll = 1; exit(); }\n' },
  { id: 'kw-for-ident', code: 'BEGIN { $x = for; }\n' },
  { id: 'for-loop', code: 'BEGIN { for ($i = 0; $i < 3; $i++) { @x = 1; } }\n' },
  { id: 'if-no-braces', code: 'BEGIN { if (1) @x = 1; }\n' },
  { id: 'else-no-braces', code: 'BEGIN { if (1) { @x = 1; } else @x = 2; }\n' },
  { id: 'while-no-braces', code: 'BEGIN { while (1) @x = 1; }\n' },
  { id: 'tuple-assign', code: 'BEGIN { $t = (1, 2); $t.0 = 5; }\n' },
  { id: 'eof-after-probe', code: 'BEGIN { @x = 1; }\nEND {\n' },
  { id: 'unclosed-key', code: 'BEGIN { @x[1 = 2; }\n' },
  { id: 'bare-ident-assign', code: 'BEGIN { x = 1; }\n' },
  { id: 'char-literal', code: "BEGIN { @x = 'a'; }\n" },
  { id: 'stray-dollar', code: 'BEGIN { @x = 1 $ }\n' },
  { id: 'stray-hash', code: 'BEGIN { @x = 1; # }\n' },
  { id: 'stray-backtick', code: 'BEGIN {\n  @x = `1;\n}\n' },
  { id: 'bad-hex-escape', code: 'BEGIN { printf("\\xZZ\\n"); exit(); }\n' },
  { id: 'two-predicates', code: 'BEGIN /1/ /2/ { @x = 1; }\n' },
  { id: 'trailing-comma-probe', code: 'BEGIN, { @x = 1; }\n' },
  { id: 'leading-comma-probe', code: ',BEGIN { @x = 1; }\n' },
  { id: 'nested-block', code: 'BEGIN { { @x = 1; } exit(); }\n' },
  { id: 'ternary-incomplete', code: 'BEGIN { $x = 1 ? 2; }\n' },
  { id: 'unknown-char', code: 'BEGIN { @x = 1 \u00a7 2; }\n' },
  { id: 'empty-predicate', code: 'BEGIN // { @x = 1; }\n' },
  { id: 'probe-no-body', code: 'BEGIN\n' },
  { id: 'probe-no-body-2', code: 'BEGIN { exit(); }\nEND\n' },
  { id: 'assign-to-call', code: 'BEGIN { count() = 1; }\n' },
  { id: 'assign-to-literal', code: 'BEGIN { 1 = 2; }\n' },
  { id: 'double-assign', code: 'BEGIN { $a = $b = 1; }\n' },
  { id: 'kprobe-empty', code: 'kprobe: { @x = 1; }\n' },
  { id: 'unknown-probe-type', code: 'foo:bar { @x = 1; }\n' },
  { id: 'lowercase-begin', code: 'begin { @x = 1; }\n' },
  { id: 'begin-twice', code: 'BEGIN { @x = 1; }\nBEGIN { @y = 2; exit(); }\n' },
  { id: 'begin-twice-ml', code: 'BEGIN {\n  @x = 1;\n}\n\nBEGIN\n{\n  @y = 2;\n  exit();\n}\n' },
  { id: 'end-twice', code: 'END { @x = 1; }\nBEGIN { exit(); }\nEND { @y = 2; }\n' },
  { id: 'begin-end-list', code: 'BEGIN, BEGIN { @x = 1; exit(); }\n' },
  { id: 'interval-unit', code: 'interval:xs:10 { @x = 1; exit(); }\n' },
  { id: 'interval-missing', code: 'interval:ms { @x = 1; exit(); }\n' },
  { id: 'interval-str', code: 'interval:ms:abc { @x = 1; exit(); }\n' },
  { id: 'tracepoint-short', code: 'tracepoint:syscalls { @x = 1; exit(); }\n' },
  { id: 'profile-unit', code: 'profile:xs:10 { @x = 1; exit(); }\n' },
  { id: 'kretprobe-args', code: 'kretprobe:do_nanosleep { @x = args->x; exit(); }\n' },
  { id: 'tp-retval', code: 'tracepoint:syscalls:sys_enter_openat { @x = retval; exit(); }\n' },
  { id: 'kprobe-args', code: 'kprobe:do_nanosleep { @x = args->foo; exit(); }\n' },
  {
    id: 'tp-bad-field',
    code: 'tracepoint:syscalls:sys_enter_openat { @x = args->nosuch; exit(); }\n',
  },
  { id: 'var-other-probe', code: 'BEGIN { $x = 1; }\nEND { printf("%d\\n", $x); }\n' },
  { id: 'var-before-assign', code: 'BEGIN { printf("%d\\n", $x); $x = 1; exit(); }\n' },
  {
    id: 'struct-unknown-field',
    code: 'struct S { int a; }\nBEGIN { $s = (struct S *)0; @x = $s->b; exit(); }\n',
  },
  {
    id: 'struct-dot-on-ptr',
    code: 'struct S { int a; }\nBEGIN { $s = (struct S *)0; @x = $s.a; exit(); }\n',
  },
  { id: 'define-fn', code: '#define SQ(x) ((x) * (x))\nBEGIN { @x = SQ(7); exit(); }\n' },
  { id: 'enum-ok', code: 'enum E { A = 1, B }\nBEGIN { @x = B + "a"; exit(); }\n' },
  // several errors at once (pass ordering §60)
  {
    id: 'multi-same-pass',
    code: 'BEGIN {\n  @a = hist("x");\n  @b = count(1);\n  @c = sum("s");\n}\n',
  },
  { id: 'multi-not-hides-binop', code: 'BEGIN { $a = !"s"; $b = "a" + 1; }\n' },
  {
    id: 'multi-str-hides-strncmp',
    code: 'BEGIN { $c = str("literal"); $d = strncmp(1, "abd", 1); }\n',
  },
  { id: 'multi-probes', code: 'BEGIN { @a = count(1); }\nEND { @b = hist("x"); }\n' },
  { id: 'multi-map-then-printf', code: 'BEGIN { @x = 1; @x = "a"; printf("%d %d\\n", 1); }\n' },
  { id: 'multi-undefined-then-type', code: 'BEGIN { $x = $y; $z = 1; $z = "a"; }\n' },
  {
    id: 'multi-lhist-and-printf',
    code: 'BEGIN { @l = lhist(1, 10, 0, 1); printf("%s\\n", 1); }\n',
  },
  { id: 'multi-syntax-after-type', code: 'BEGIN { @x = count(1); }\nEND { @y = ; }\n' },
  { id: 'multi-two-begin-and-type', code: 'BEGIN { @x = count(1); }\nBEGIN { exit(); }\n' },
  { id: 'multi-cast-and-sizeof', code: 'BEGIN { $a = (int8)"a"; $b = sizeof(long); }\n' },
  { id: 'multi-retval-func', code: 'BEGIN { printf("%d %s\\n", retval, func); }\n' },
  { id: 'multi-if-str-and-arith', code: 'BEGIN { if ("s") { @y = 1; } $b = "a" + 1; }\n' },
  { id: 'multi-warn-and-error', code: 'BEGIN { $x = -1; $y = $x / 2; @z = count(1); }\n' },
  { id: 'multi-pred-and-body', code: 'BEGIN / "s" / { @z = hist("a"); }\n' },
  { id: 'multi-unknown-fn-and-map', code: 'BEGIN { foo(); @x = 1; @x = "s"; }\n' },
  { id: 'multi-undefined-map-two', code: 'BEGIN { printf("%d %d\\n", @a, @b); }\n' },
  { id: 'multi-tuple-index-print', code: 'BEGIN { $t = (1, 2); print($t.2); print($t.3); }\n' },
  { id: 'multi-string-lit-and-type', code: `BEGIN { $s = "${LONG}"; @x = count(1); }\n` },
  { id: 'multi-escape-and-type', code: 'BEGIN { $s = "\\q"; @x = count(1); }\n' },
];

function statementVariants(): Variant[] {
  const out: Variant[] = [];
  for (const s of STATEMENTS) {
    for (const p of PLACEMENTS) {
      if (s.only && !s.only.includes(p.id)) continue;
      out.push({ name: `s-${s.id}-${p.id}`, script: p.wrap(s.code), args: s.args, env: s.env });
    }
  }
  return out;
}

function expressionVariants(): Variant[] {
  const out: Variant[] = [];
  for (const e of EXPRESSIONS) {
    for (const p of EXPRESSION_PLACEMENTS) {
      out.push({ name: `e-${e.id}-${p.id}`, script: p.wrap(e.code) });
    }
  }
  return out;
}

/** Whole scripts, each also shifted down two lines and right under different indentation. */
function scriptVariants(): Variant[] {
  const out: Variant[] = [];
  for (const s of SCRIPTS) {
    out.push({ name: `p-${s.id}`, script: s.code, args: s.args });
    if (s.code.trim() === '') continue;
    const shifted = `// shifted\n\n${s.code
      .split('\n')
      .map((l) => (l === '' ? l : `   ${l}`))
      .join('\n')}`;
    out.push({ name: `p-${s.id}-shifted`, script: shifted, args: s.args });
  }
  return out;
}

/** Pairs of statement snippets in one probe and across two probes. */
function comboVariants(): Variant[] {
  const picked = STATEMENTS.filter((s) => !s.args && !s.env && !s.only);
  const out: Variant[] = [];
  // A deterministic spread of pairs: each snippet with the ones 7, 23 and 41 places later.
  picked.forEach((a, i) => {
    for (const step of [7, 23, 41]) {
      const b = picked[(i + step) % picked.length];
      if (a === b) continue;
      out.push({
        name: `c-${a.id}--${b.id}`,
        script: `BEGIN {\n  ${a.code}\n  ${b.code}\n  exit();\n}\n`,
      });
      if (step === 23) {
        out.push({
          name: `c2-${a.id}--${b.id}`,
          script: `BEGIN { ${a.code} exit(); }\nEND {\n  ${b.code}\n}\n`,
        });
      }
    }
  });
  return out;
}

export function allVariants(): Variant[] {
  return [
    ...statementVariants(),
    ...expressionVariants(),
    ...scriptVariants(),
    ...comboVariants(),
    ...wave2Variants(),
    ...wave3Variants(),
  ];
}
