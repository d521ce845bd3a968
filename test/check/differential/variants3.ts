// The third wave: layouts that move 0.17's token-start quirk — comments before the culprit,
// expressions split over lines, CRLF line ends, multi-byte text and strings with spaces
// earlier on the line — over a set of snippets with one error each.

import type { Variant } from './harness';

const SNIPPETS: { id: string; code: string }[] = [
  { id: 'count-arg', code: '@x = count(1);' },
  { id: 'hist-str', code: '@h = hist("a");' },
  { id: 'str-plus', code: '$b = "a" + 1;' },
  { id: 'map-mismatch', code: '@m = 1; @m = "s";' },
  { id: 'var-mismatch', code: '$v = 1; $v = "s";' },
  { id: 'printf-count', code: 'printf("%d %d\\n", 1);' },
  { id: 'undef-var', code: '@u = $nope;' },
  { id: 'unknown-id', code: '@i = nosuch;' },
  { id: 'tuple-index', code: '$t = (1, 2); @t = $t.5;' },
  { id: 'cast', code: '$c = (int8)"abc";' },
  { id: 'lhist', code: '@l = lhist(1, 10, 0, 1);' },
  { id: 'not-str', code: '$n = !"s";' },
  { id: 'sum-cmp', code: '@s = sum(1); if (@s > 1) { @z = 1; }' },
  { id: 'func', code: '$f = func;' },
  { id: 'warn-div', code: '$w = -1; $q = $w / 2;' },
];

const LAYOUTS: { id: string; wrap: (s: string) => string }[] = [
  { id: 'block-comment', wrap: (s) => `BEGIN { /* lead */ ${s} /* tail */ exit(); }\n` },
  { id: 'comment-between', wrap: (s) => `BEGIN {\n  @pre = 1; /* x */${s}\n  exit();\n}\n` },
  { id: 'line-comment', wrap: (s) => `BEGIN { // opening\n  ${s} // trailing\n  exit();\n}\n` },
  { id: 'crlf', wrap: (s) => `BEGIN\r\n{\r\n  ${s}\r\n  exit();\r\n}\r\n` },
  { id: 'utf8', wrap: (s) => `BEGIN { $u = "h\u00e9llo w\u00f6rld"; ${s} exit(); }\n` },
  { id: 'string-spaces', wrap: (s) => `BEGIN { printf("a b c\\n"); ${s} exit(); }\n` },
  { id: 'escaped-quote', wrap: (s) => `BEGIN { printf("q\\" x \\"\\n"); ${s} exit(); }\n` },
  {
    id: 'split',
    wrap: (s) =>
      `BEGIN {\n  ${s.replace(/ = /g, ' =\n      ').replace(/, /g, ',\n    ')}\n  exit();\n}\n`,
  },
  { id: 'semicolon-space', wrap: (s) => `BEGIN {${s.replace(/; /g, ' ;  ')} exit(); }\n` },
];

/** Messages that name a str() size, under BPFTRACE_STRLEN, and positional parameters. */
const ENVIRONMENT: { id: string; code: string; args?: string[]; env?: Record<string, string> }[] = [
  { id: 'strlen8-mismatch', code: '$s = str(0); $s = 1;', env: { BPFTRACE_STRLEN: '8' } },
  { id: 'strlen8-plus', code: '$s = str(0) + 1;', env: { BPFTRACE_STRLEN: '8' } },
  { id: 'strlen200-mismatch', code: '@s = str(0); @s = 1;', env: { BPFTRACE_STRLEN: '200' } },
  { id: 'strlen201', code: '@s = 1;', env: { BPFTRACE_STRLEN: '201' } },
  { id: 'strlen8-ternary', code: '$t = 1 ? "a" : "b"; $t = 2;', env: { BPFTRACE_STRLEN: '8' } },
  {
    id: 'strlen8-param',
    code: '$p = str($1); $p = 2;',
    args: ['abc'],
    env: { BPFTRACE_STRLEN: '8' },
  },
  { id: 'param-str-print', code: 'printf("%d\\n", str($1));', args: ['abc'] },
  { id: 'param-two-bad', code: '$a = $1 + $2;', args: ['x', 'y'] },
  { id: 'param-str-offset-eq', code: '$s = str($1 + 3); $s = 1;', args: ['abc'] },
  { id: 'param-unroll-ok-error', code: 'unroll($1) { @x = count(1); }', args: ['3'] },
  { id: 'param-lhist-neg', code: '@x = lhist(1, 0, $1, 1);', args: ['--', '-5'] },
  { id: 'param-count-mismatch', code: '$n = $#; $n = "a";', args: ['a', 'b', 'c'] },
];

export function wave3Variants(): Variant[] {
  const out: Variant[] = [];
  for (const e of ENVIRONMENT) {
    out.push({
      name: `v-${e.id}`,
      script: `BEGIN {\n  ${e.code}\n  exit();\n}\n`,
      args: e.args,
      env: e.env,
    });
  }
  for (const s of SNIPPETS)
    for (const l of LAYOUTS) out.push({ name: `l-${s.id}-${l.id}`, script: l.wrap(s.code) });
  return out;
}
