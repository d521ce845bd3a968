// Generated variants of every kind of case in the conformance corpus, for the differential
// harness. Each family builds many deterministic scripts (no value ties in value-sorted maps,
// no per-CPU races, all end with exit()) that avoid the documented deliberate deviations.

import type { Variant } from './harness';

/** A small deterministic generator, so a family gives the same variants on every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)];
}
function chunks<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}
function begin(body: string[]): string {
  return `BEGIN {\n${body.map((l) => `  ${l}\n`).join('')}  exit();\n}\n`;
}
function cStr(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t')}"`;
}

const INT_EDGES = [
  '0',
  '1',
  '-1',
  '7',
  '-42',
  '255',
  '256',
  '-128',
  '65535',
  '65536',
  '2147483647',
  '2147483648',
  '-2147483648',
  '4294967295',
  '4294967296',
  '4294967301',
  '9223372036854775807',
  '-9223372036854775807',
  '0x123456789abcdef',
  '0xdeadbeef',
  '1000000007',
  '-99999',
];

function printfIntegers(): Variant[] {
  const out: Variant[] = [];
  const specs = ['d', 'u', 'x', 'X', 'o'];
  const lengths = ['', 'h', 'hh', 'l', 'll', 'j', 'z', 't'];
  for (const spec of specs) {
    for (const len of lengths) {
      const lines = chunks(INT_EDGES, 4).map(
        (vals) =>
          `printf("${vals.map(() => `<%${len}${spec}>`).join(' ')}\\n", ${vals.join(', ')});`,
      );
      out.push({ name: `printf-int-${spec}-${len || 'none'}`, script: begin(lines) });
    }
  }
  const r = rng(17);
  const flagSets = ['', '-', '0', '-0'];
  for (let n = 0; n < 30; n++) {
    const lines: string[] = [];
    for (let k = 0; k < 6; k++) {
      const flag = pick(r, flagSets);
      const width = pick(r, ['', '1', '3', '8', '12', '20', '25']);
      const prec = pick(r, ['', '', '.0', '.1', '.4', '.10', '.22']);
      const len = pick(r, ['', 'l', 'll', 'h', 'hh', 'z']);
      const spec = pick(r, specs);
      const v = pick(r, INT_EDGES);
      lines.push(`printf("|%${flag}${width}${prec}${len}${spec}|\\n", ${v});`);
    }
    out.push({ name: `printf-int-flags-${n}`, script: begin(lines) });
  }
  out.push({
    name: 'printf-char-and-pointer',
    script: begin([
      'printf("[%c][%c][%c][%c]\\n", 65, 0x141, 97, 32);',
      'printf("[%5c][%-5c][%05c]\\n", 66, 67, 68);',
      'printf("[%p][%p][%p][%p]\\n", 0, 1, -1, 0xffff880012345678);',
      'printf("[%20p][%-20p][%.3p][%020p]\\n", 4096, 4096, 1, 255);',
      'printf("[%.0d][%.0x][%5.0d]\\n", 0, 0, 0);',
    ]),
  });
  return out;
}

const STRINGS = ['', 'a', 'ab', 'hello', 'hello world', 'x y\tz', 'abcdefghijklmnopqrstuvwxyz'];

function printfStrings(): Variant[] {
  const out: Variant[] = [];
  const r = rng(5);
  for (let n = 0; n < 12; n++) {
    const lines: string[] = [];
    for (let k = 0; k < 6; k++) {
      const flag = pick(r, ['', '-', '0']);
      const width = pick(r, ['', '1', '4', '10', '30']);
      const prec = pick(r, ['', '', '.0', '.2', '.5', '.40']);
      lines.push(`printf("[%${flag}${width}${prec}s]\\n", ${cStr(pick(r, STRINGS))});`);
    }
    lines.push(`$s = ${cStr(pick(r, STRINGS))}; printf("[%-8s|%8s|%.3s]\\n", $s, $s, $s);`);
    out.push({ name: `printf-str-${n}`, script: begin(lines) });
  }
  out.push({
    name: 'printf-percent-forms',
    script: begin([
      'printf("a%%b\\n");',
      'printf("%d%%\\n", 5);',
      'printf("%%%d\\n", 5);',
      'printf("%d %% %d\\n", 1, 2);',
      'printf("100%% sure %s\\n", "x");',
      'printf("%s 50%%\\n", "half");',
      'printf("%+d % d %#x %i %f\\n");',
      'printf("%5%|%-%|%z\\n");',
      'printf("end %");',
      'printf("\\n");',
    ]),
  });
  out.push({
    name: 'printf-mixed-args',
    script: begin([
      'printf("%s=%d, %s=%lu, %s=%x\\n", "a", 1, "b", (uint64)-1, "c", 255);',
      'printf("%d %s %d %s %d %s %d %s\\n", 1, "one", 2, "two", 3, "three", 4, "four");',
      'printf("no newline"); printf(" continued\\n");',
      'printf("tab\\there\\rcr\\n");',
      'printf("%s%s%s\\n", "", "", "");',
      '$t = (1, "x"); printf("%d %s\\n", $t.0, $t.1);',
    ]),
  });
  return out;
}

function intLiterals(): Variant[] {
  const forms = [
    '0',
    '00',
    '007',
    '0777',
    '-010',
    '0x0',
    '0xFF',
    '0XfF',
    '-0x10',
    '1_000',
    '1__0',
    '1_0_0',
    '5u',
    '5U',
    '5l',
    '5L',
    '5ul',
    '5UL',
    '5ull',
    '5LL',
    '1e0',
    '1e3',
    '9e16',
    '5e2',
    '2e10',
    '0x7fffffffffffffff',
    '0x8000000000000000',
    '0xffffffffffffffff',
    '18446744073709551615',
    '9223372036854775808',
    '-9223372036854775808',
    '- 5',
    '- -5',
    '-(-5)',
    '2- -2',
    '10 -5',
    '0b1',
  ];
  const out: Variant[] = [];
  for (const [i, group] of chunks(
    forms.filter((f) => f !== '0b1'),
    5,
  ).entries()) {
    out.push({
      name: `int-literal-forms-${i}`,
      script: begin(
        group.map((f) => `printf("%s = %ld %lu\\n", ${cStr(f)}, ${f}, ${f}); print(${f});`),
      ),
    });
  }
  return out;
}

const CASTS = ['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64'];

function arithmetic(): Variant[] {
  const out: Variant[] = [];
  const ops = ['+', '-', '*', '/', '%', '<<', '>>', '&', '|', '^'];
  const vals = [
    '0',
    '1',
    '-1',
    '3',
    '-7',
    '255',
    '4294967296',
    '9223372036854775807',
    '-9223372036854775808',
    '100',
  ];
  const r = rng(99);
  for (const op of ops) {
    const lines: string[] = [];
    for (let k = 0; k < 10; k++) {
      let a = pick(r, vals);
      let b = pick(r, vals);
      if ((op === '/' || op === '%') && b === '0') b = '3';
      if (op === '<<' || op === '>>') b = pick(r, ['0', '1', '4', '31', '32', '60', '63']);
      const ca = pick(r, ['', '', ...CASTS.map((c) => `(${c})`)]);
      const cb = pick(r, ['', '', ...CASTS.map((c) => `(${c})`)]);
      a = `${ca}${a}`;
      b = `${cb}${b}`;
      // fresh variables per line: a wider reassignment is lost in 0.17 (documented bug)
      lines.push(
        `$a${k} = ${a}; $b${k} = ${b}; print($a${k} ${op} $b${k}); printf("%ld %lu\\n", $a${k} ${op} $b${k}, ${a} ${op} ${b});`,
      );
    }
    out.push({
      name: `arith-${['add', 'sub', 'mul', 'div', 'mod', 'shl', 'shr', 'and', 'or', 'xor'][ops.indexOf(op)]}`,
      script: begin(lines),
    });
  }
  const unary: string[] = [];
  for (const c of CASTS) {
    for (const v of ['0', '1', '5', '-1']) {
      if (c.startsWith('int') && c !== 'int64') continue; // narrow signed unary results are a documented 0.17 inconsistency
      unary.push(`print(-(${c})${v}); print(~(${c})${v}); print(!(${c})${v});`);
    }
  }
  for (const [i, g] of chunks(unary, 8).entries())
    out.push({ name: `arith-unary-${i}`, script: begin(g) });
  const cmp: string[] = [];
  for (const op of ['<', '<=', '>', '>=', '==', '!=']) {
    for (const [a, b] of [
      ['-1', '1'],
      ['(uint64)-1', '1'],
      ['-1', '(uint64)1'],
      ['(uint8)255', '-1'],
      ['(int8)-1', '-1'],
      ['5', '5'],
      ['(uint32)4294967295', '(int32)-1'],
    ]) {
      cmp.push(`printf("${a} ${op} ${b} = %d\\n", ${a} ${op} ${b});`);
    }
  }
  for (const [i, g] of chunks(cmp, 10).entries())
    out.push({ name: `compare-${i}`, script: begin(g) });
  const casts: string[] = [];
  for (const from of CASTS)
    for (const to of CASTS) casts.push(`print((${to})(${from})-2); print((${to})(${from})300);`);
  for (const [i, g] of chunks(casts, 16).entries())
    out.push({ name: `cast-chain-${i}`, script: begin(g) });
  out.push({
    name: 'logic-and-ternary',
    script: begin([
      'print(0x100000000 && 1); print(0 || 0); print(!0); print(!5); print(1 && 0 || 1);',
      'print(1 ? 2 : 3); print(0 ? 2 : 0 ? 4 : 5); $s = 1 ? "yes" : "no"; print($s);',
      'print(5 & 3 == 3); print(1 << 2 + 1); print(1 | 2 ^ 3 & 4); print(2 < 3 == 1);',
      '$x = 10; $x += 5; $x -= 3; $x *= 2; $x /= 5; $x %= 3; $x <<= 4; $x >>= 1; $x |= 1; $x &= 7; $x ^= 2; print($x);',
      '$i = 0; $j = $i++; $k = ++$i; print(($i, $j, $k)); $i--; --$i; print($i);',
    ]),
  });
  return out;
}

function strings(): Variant[] {
  const out: Variant[] = [];
  out.push({
    name: 'string-escapes-gen',
    script: begin([
      'printf("[%s]\\n", "a\\tb\\\\c\\"d");',
      'printf("[%s]\\n", "\\x41\\x4a\\x414\\x7e");',
      'printf("[%s]\\n", "\\101\\060\\0101\\1\\12x");',
      'printf("[%s]\\n", "oct\\0hidden");',
      'print("a\\x20b"); print("tab\\tend"); print("");',
      'printf("%d %d %d\\n", sizeof("a\\0b"), sizeof(""), sizeof("\\x41"));',
    ]),
  });
  const pairs = [
    ['abc', 'abc'],
    ['abc', 'abd'],
    ['abc', 'abcdef'],
    ['', ''],
    ['a', ''],
    ['abc\\0def', 'abc'],
    ['B', 'a'],
  ];
  out.push({
    name: 'string-compare-gen',
    script: begin(
      pairs.map(
        ([a, b]) =>
          `$a = "${a}"; $b = "${b}"; printf("%d %d %d %d\\n", $a == $b, $a != $b, "${a}" == "${b}", strncmp($a, $b, 2));`,
      ),
    ),
  });
  out.push({
    name: 'tuples-gen',
    script: begin([
      'print((1, "two", (3, "four"), -5));',
      '$t = ((uint8)255, (int8)-1, "", (uint64)-1); print($t); print($t.0); print($t.3);',
      '$u = ((1, 2), ("a", (3, "b"))); print($u); print($u.1.1.1);',
      'printf("%d\\n", sizeof((1, "ab", (uint8)3)));',
      '$v = (1, "ab"); $v = (2, "abcdef"); print($v);',
    ]),
  });
  for (const strlen of ['4', '8', '16', '32']) {
    out.push({
      name: `strlen-${strlen}`,
      env: { BPFTRACE_STRLEN: strlen },
      args: ['abcdefghijklmnopqrstuvwxyz0123456789'],
      script: begin([
        'printf("[%s] [%s] [%s]\\n", str($1), str($1, 3), str($1 + 30));',
        '$s = str($1); print($s); printf("%d\\n", sizeof($s));',
        '@m[str($1)] = str($1, 5);',
        'print("literal strings are not cut by STRLEN at all");',
      ]),
    });
  }
  out.push({
    name: 'params-gen',
    args: ['--', '0x10', '-3', '077', 'word', '12'],
    script: begin([
      'printf("%d %d %d %s %d %d\\n", $1, $2, $3, str($4), $5, $#);',
      'printf("%d %s|\\n", $9, str($8));',
      'print($1 * $2); @p[$5] = $1; if ($2 < 0) { print("negative"); }',
    ]),
  });
  return out;
}

// Distinct values per map so value-sorted output has no ties.
function aggregations(json: boolean): Variant[] {
  const out: Variant[] = [];
  const flags = json ? ['-f', 'json'] : undefined;
  const tag = json ? 'json-' : '';
  const valueSets = [
    ['1', '2', '3'],
    ['-5', '10', '-20', '7'],
    ['0', '0x7fffffffffffffff', '1'],
    ['(uint64)-1', '2', '5'],
    ['-9223372036854775807', '100', '-1'],
    ['4294967296', '123456789', '-42', '0'],
  ];
  for (const [i, vals] of valueSets.entries()) {
    const body: string[] = [];
    // keyless aggregations over all values
    for (const v of vals)
      body.push(`@c = count(); @s = sum(${v}); @a = avg(${v}); @st = stats(${v});`);
    // keyed, one value per key so value order is well defined
    vals.forEach((v, k) => {
      body.push(
        `@ks[${k * 7 - 3}] = sum(${v}); @ka["k${k}"] = avg(${v}); @kst[${k}, "x"] = stats(${v});`,
      );
      body.push(`@ki[${k}] = ${v}; @kstr[${v}] = "v${k}"; @kt["t${k}"] = ((int64)${v}, "s");`);
    });
    body.push(
      `@mn = min(${vals.filter((v) => !v.includes('-') && !v.startsWith('0x') && !v.includes('4294967296')).join('); @mn = min(') || '1'});`,
    );
    body.push(`@mx = max(${vals.filter((v) => !v.includes('-')).join('); @mx = max(') || '1'});`);
    out.push({ name: `${tag}agg-values-${i}`, flags, script: begin(body) });
  }
  // counts with distinct totals
  const r = rng(3);
  for (let n = 0; n < 4; n++) {
    const keys = ['"a"', '"bb"', '""', '"c d"', '1', '-1', '300'].slice(0, 3 + n);
    const strKeys = keys.filter((k) => k.startsWith('"'));
    const body: string[] = [];
    strKeys.forEach((k, j) =>
      body.push(
        `$i = 0; while ($i < ${j * 2 + 1 + Math.floor(r() * 2) * 10}) { @cnt[${k}] = count(); $i++; }`,
      ),
    );
    keys
      .filter((k) => !k.startsWith('"'))
      .forEach((k, j) => body.push(`@num[${k}] = ${j * 3 + 1}; @neg[${k}] = -${j + 1};`));
    out.push({ name: `${tag}agg-counts-${n}`, flags, script: begin(body) });
  }
  return out;
}

function histograms(json: boolean): Variant[] {
  const out: Variant[] = [];
  const flags = json ? ['-f', 'json'] : undefined;
  const tag = json ? 'json-' : '';
  const r = rng(json ? 77 : 42);
  const histVals = [
    '-1',
    '-100',
    '0',
    '1',
    '2',
    '3',
    '4',
    '7',
    '8',
    '100',
    '1023',
    '1024',
    '1025',
    '65535',
    '1048576',
    '1073741823',
    '1073741824',
    '2147483647',
  ];
  for (let n = 0; n < 25; n++) {
    const body: string[] = [];
    const count = 2 + Math.floor(r() * 5);
    for (let k = 0; k < count; k++) {
      const v = pick(r, histVals);
      const times = 1 + Math.floor(r() * 12);
      body.push(`$i = 0; while ($i < ${times}) { @h = hist(${v}); $i++; }`);
    }
    out.push({ name: `${tag}hist-gen-${n}`, flags, script: begin(body) });
  }
  const ranges: [number, number, number][] = [
    [0, 10, 1],
    [0, 100, 10],
    [0, 10, 3],
    [5, 50, 5],
    [0, 1024, 128],
    [1024, 8192, 512],
    [0, 4194304, 1048576],
    [100, 200, 7],
    [0, 1000, 1],
    [3, 4, 1],
  ];
  for (const [idx, [min, max, step]] of ranges.entries()) {
    const body: string[] = [];
    const count = 2 + Math.floor(r() * 5);
    for (let k = 0; k < count; k++) {
      const span = max - min;
      const v = pick(r, [
        min - 1,
        min,
        min + step,
        max - 1,
        max,
        max + 5,
        min + Math.floor(r() * span),
        0,
        -3,
      ]);
      const times = 1 + Math.floor(r() * 9);
      body.push(
        `$i = 0; while ($i < ${times}) { @l = lhist(${v}, ${min}, ${max}, ${step}); $i++; }`,
      );
    }
    out.push({ name: `${tag}lhist-gen-${idx}`, flags, script: begin(body) });
  }
  // keyed hist/lhist with distinct totals, printed with top/div, zero and clear
  const body: string[] = [];
  ['"x"', '"y"', '"z"'].forEach((k, j) => {
    body.push(
      `$i = 0; while ($i < ${j * 3 + 1}) { @kh[${k}] = hist(${1 << (j * 3)}); @kl[${k}] = lhist(${j * 20 + 5}, 0, 100, 10); $i++; }`,
    );
  });
  body.push('print(@kh, 2); print(@kh, 0, 2); print(@kl, 1, 3); print(@kh, 5);');
  out.push({ name: `${tag}hist-keyed-print`, flags, script: begin(body) });
  out.push({
    name: `${tag}hist-zero-clear`,
    flags,
    script: begin([
      '@a = hist(5); @a = hist(500); @b = lhist(5, 0, 10, 1); @c[1] = hist(3); @c[2] = hist(3); @c[2] = hist(30);',
      'zero(@a); clear(@b); zero(@c);',
    ]),
  });
  return out;
}

function printTopDivClear(json: boolean): Variant[] {
  const out: Variant[] = [];
  const flags = json ? ['-f', 'json'] : undefined;
  const tag = json ? 'json-' : '';
  const kinds: [string, (v: number) => string][] = [
    ['count', (v) => `$i = 0; while ($i < ${v}) { @m[KEY] = count(); $i++; }`],
    ['sum', (v) => `@m[KEY] = sum(${v * 7 - 20});`],
    ['avg', (v) => `@m[KEY] = avg(${v * 9 - 30}); @m[KEY] = avg(${v});`],
    ['max', (v) => `@m[KEY] = max(${v * 5});`],
    ['min', (v) => `@m[KEY] = min(${v * 5});`],
    ['int', (v) => `@m[KEY] = ${v * 11 - 40};`],
    ['stats', (v) => `@m[KEY] = stats(${v * 3});`],
    ['str', (v) => `@m[KEY] = "s${v}";`],
  ];
  for (const [kind, write] of kinds) {
    const body: string[] = [];
    [1, 4, 2, 6, 3].forEach((v, j) => body.push(write(v).replaceAll('KEY', `${j * 10 + 1}`)));
    body.push('print(@m); print(@m, 2); print(@m, 0, 3); print(@m, 3, -2); print(@m, 10, 0);');
    // delete of an avg/stats element removes only one of 0.17's internal entries (a 0.17 bug)
    const del = kind === 'avg' || kind === 'stats' ? '' : ' delete(@m[21]);';
    body.push(`@e = count(); clear(@e); print(@e);${del} print(@m, 1);`);
    out.push({ name: `${tag}print-${kind}`, flags, script: begin(body) });
    // zeroed values tie, and value-sorted kinds print ties in hash order: one key for those
    const tiesOrdered = kind === 'avg' || kind === 'stats' || kind === 'str';
    const body2 = [write(5).replaceAll('KEY', '"k"')];
    if (tiesOrdered) body2.push(write(2).replaceAll('KEY', '"j"'));
    body2.push('zero(@m); print(@m); @z = 1; clear(@z); print(@z);');
    out.push({ name: `${tag}zero-${kind}`, flags, script: begin(body2) });
    const body3 = [write(5).replaceAll('[KEY]', ''), 'print(@m); clear(@m);'];
    out.push({ name: `${tag}keyless-${kind}`, flags, script: begin(body3) });
  }
  out.push({
    name: `${tag}print-values`,
    flags,
    script: begin([
      'print(42); print(-7); print("text"); print(""); print((1, (2, "x"), -3));',
      'print((uint64)-1); print((uint8)255); print((int8)-5); print("q\\"uote\\\\back\\ttab");',
      'printf("line\\n"); printf("no newline"); printf("a\\"b\\\\c\\td\\x01e\\n");',
      '@[1] = 1; @["x" == "x"] = 1; @name_with_underscore = 3;',
    ]),
  });
  out.push({
    name: `${tag}map-keys-special`,
    flags,
    script: begin([
      '@s["a\\"b"] = 1; @s["c,d"] = 2; @s["tab\\there"] = 3; @s[""] = 4; @s["\\\\"] = 5;',
      '@mk[1, "a", -2] = 10; @mk[2, "", 0] = 20; @mk[(uint64)-1, "z", 5] = 30;',
      '@u8[(uint8)255] = 1; @i8[(int8)-1] = 2; @u16[(uint16)65535] = 3; @i32[(int32)-5] = 4;',
      '@sv[1] = "x\\ty"; @sv[2] = "q\\"q"; @sv[-1] = "";',
    ]),
  });
  return out;
}

function intervals(json: boolean): Variant[] {
  const flags = json ? ['-f', 'json'] : undefined;
  const tag = json ? 'json-' : '';
  return [
    {
      name: `${tag}interval-count-exit`,
      flags,
      script:
        'interval:ms:50 {\n  @ticks = count();\n  @h = hist(@t);\n  @t++;\n  printf("tick %d\\n", @t);\n  if (@t == 4) { exit(); }\n}\nEND {\n  printf("end %d\\n", @t);\n  print(@ticks);\n}\n',
    },
    {
      name: `${tag}interval-print-clear`,
      flags,
      script:
        'BEGIN { printf("start\\n"); @x = 0; }\ninterval:ms:20 {\n  @x++;\n  @s[@x % 3] = sum(@x);\n  print(@s);\n  if (@x >= 3) { clear(@s); print(@s); exit(); }\n}\n',
    },
    {
      name: `${tag}interval-two-probes-end`,
      flags,
      // the predicate stops ticks that fire between exit() and the detach from counting
      script:
        'interval:ms:30 /@a < 6/ {\n  @a++;\n  if (@a == 6) { exit(); }\n}\nEND { @st = stats(@a); @avg = avg(@a * 10); printf("END a=%d\\n", @a); clear(@a); }\n',
    },
  ];
}

function flow(): Variant[] {
  return [
    {
      name: 'flow-exit-in-if',
      script:
        'BEGIN {\n  @a = 1;\n  if (@a) { printf("x"); exit(); }\n  @b = 2;\n}\nEND { printf("end\\n"); }\n',
    },
    {
      name: 'flow-end-before-begin',
      script:
        'END { printf("bye\\n"); print(@x); }\nBEGIN { @x = hist(3); printf("hi"); exit(); }\n',
    },
    {
      name: 'flow-print-async',
      script: begin([
        '@a = 1; print(@a); @a = 2; print(@a); clear(@a); @a = 3; zero(@a); printf("done\\n");',
      ]),
    },
    {
      name: 'maps-name-order',
      script: begin([
        '@zeta = 1; @alpha = 2; @ = 3; @Mid = 4; @_u = 5; @a1 = hist(2); @alpha2 = avg(4); @b = stats(1); @c = "str";',
      ]),
    },
    {
      name: 'flow-unroll-while',
      script: begin([
        '$i = 0; unroll(5) { $i++; printf("%d ", $i); } printf("\\n");',
        '$j = 0; while ($j < 10) { $j++; if ($j % 2) { continue; } if ($j > 7) { break; } printf("j%d\\n", $j); }',
      ]),
    },
  ];
}

function builtins(json: boolean): Variant[] {
  const flags = json ? ['-f', 'json'] : undefined;
  const tag = json ? 'json-' : '';
  const out: Variant[] = [];
  const bufs = [
    ['"ab\\x01"', 3],
    ['"hello"', 5],
    ['"hello"', 2],
    ['"\\x00\\x7f\\x80\\xff"', 4],
    ['"tab\\tnl\\n"', 7],
    ['"q\\"b\\\\s"', 5],
    ['" ~}"', 3],
    ['"\\x1f\\x20"', 2],
  ] as const;
  out.push({
    name: `${tag}builtin-buf-gen`,
    flags,
    script: begin(
      bufs.map(
        ([s, n]) =>
          `printf("[%r] [%rx] [%rh]\\n", buf(${s}, ${n}), buf(${s}, ${n}), buf(${s}, ${n}));`,
      ),
    ),
  });
  out.push({
    name: `${tag}builtin-buf-width`,
    flags,
    script: begin([
      'printf("[%10r] [%-10r] [%.2r] [%8rx]\\n", buf("abc", 3), buf("abc", 3), buf("abc", 3), buf("ab", 2));',
      '@b[1] = buf("x\\x01y", 3); @c = buf("zz", 2);',
    ]),
  });
  const errnos = [
    0, 1, 2, 3, 4, 5, 11, 12, 13, 17, 22, 28, 32, 38, 61, 95, 104, 110, 111, 113, 125, 130, 133,
    134, 200, 4095,
  ];
  out.push({
    name: `${tag}builtin-strerror-gen`,
    flags,
    script: begin(
      chunks(errnos, 4).map(
        (g) =>
          `printf("${g.map(() => '<%s>').join(' ')}\\n", ${g.map((e) => `strerror(${e})`).join(', ')});`,
      ),
    ),
  });
  out.push({
    name: `${tag}builtin-bswap-gen`,
    flags,
    script: begin([
      'printf("%lx %lx %lx %lx\\n", bswap((uint8)0x12), bswap((int16)-2), bswap((int32)-2), bswap(-2));',
      'print(bswap((uint32)1)); print(bswap(1)); print(bswap((int16)0x0180)); print(bswap((uint64)0xff));',
      '@bs[bswap((uint16)0x0102)] = bswap((uint32)0x01020304);',
    ]),
  });
  out.push({
    name: `${tag}builtin-ntop-gen`,
    flags,
    script: begin([
      'printf("%s %s\\n", ntop(0x0100007f), ntop(2, 0xffffffff));',
      'printf("%s\\n", ntop(pton("192.168.1.200")));',
      'printf("%s\\n", ntop(pton("::1")));',
      'printf("%s\\n", ntop(pton("fe80::1:2:3")));',
      '@ip[ntop(pton("10.0.0.1"))] = 1; print(ntop(pton("1.2.3.4")));',
    ]),
  });
  out.push({
    name: `${tag}builtin-probe-gen`,
    flags,
    script:
      'BEGIN { printf("%s\\n", probe); @p[probe] = 1; @n = 0; }\ninterval:ms:15 { @n++; printf("%s %d\\n", probe, @n); @p[probe] = @n + 1; if (@n == 2) { exit(); } }\nEND { printf("%s\\n", probe); print(@p); }\n',
  });
  return out;
}

function jsonText(): Variant[] {
  const flags = ['-f', 'json'];
  const texts = [
    'plain',
    'q\\"uote',
    'back\\\\slash',
    'tab\\there',
    'nl\\nx',
    'cr\\rx',
    '\\x01\\x02\\x1f\\x7f',
    '\\xc3\\xa9 utf8',
    '/slash',
    '',
  ];
  return [
    {
      name: 'json-printf-escapes',
      flags,
      script: begin(texts.map((t) => `printf("[${t}]"); printf("%s|\\n", "${t}");`)),
    },
    {
      name: 'json-string-values-escapes',
      flags,
      script: begin(
        texts.map((t, i) => `@s[${i}] = "${t}"; @k["${t}"] = ${i + 1}; print("${t}");`),
      ),
    },
    {
      name: 'json-tuples',
      flags,
      script: begin([
        'print((1, "a\\"b", (2, "")));',
        '@t["x"] = (1, "one", (uint8)255, (-1, "n"));',
        '@t["y"] = (2, "tw\\t", (uint8)0, (5, ""));',
        '@u = ((uint64)-1, (int8)-1);',
      ]),
    },
  ];
}

function mapsMixed(): Variant[] {
  const out: Variant[] = [];
  const r = rng(11);
  const makers = [
    (n: string) => `${n} = count();`,
    (n: string) => `${n} = sum(${Math.floor(r() * 100) - 50});`,
    (n: string) => `${n} = avg(${Math.floor(r() * 100)});`,
    (n: string) => `${n} = stats(${Math.floor(r() * 100)});`,
    (n: string) => `${n} = hist(${Math.floor(r() * 5000)});`,
    (n: string) => `${n} = lhist(${Math.floor(r() * 50)}, 0, 50, 5);`,
    (n: string) => `${n} = "str${Math.floor(r() * 9)}";`,
    (n: string) => `${n} = ${Math.floor(r() * 1000) - 500};`,
    (n: string) => `${n} = (${Math.floor(r() * 9)}, "t");`,
    (n: string) => `${n} = max(${Math.floor(r() * 9)});`,
    (n: string) => `${n} = min(${Math.floor(r() * 9)});`,
  ];
  const names = ['@', '@a', '@B', '@_x', '@a1', '@zz', '@Q9', '@mid'];
  for (let n = 0; n < 40; n++) {
    const body: string[] = [];
    const used = names.filter(() => r() < 0.6);
    for (const name of used) {
      const make = pick(r, makers);
      const keyed = r() < 0.4;
      const stmt = make(keyed ? `${name}[${Math.floor(r() * 3)}]` : name);
      body.push(stmt);
      if (r() < 0.2) body.push(`clear(${name});`);
      else if (r() < 0.15 && !keyed) body.push(`zero(${name});`);
    }
    if (r() < 0.5) body.push(`printf("no newline at the end");`);
    const json = r() < 0.35;
    out.push({
      name: `${json ? 'json-' : ''}maps-mixed-${n}`,
      flags: json ? ['-f', 'json'] : undefined,
      script: begin(body),
    });
  }
  return out;
}

/** Random formats: literal text (with `%` oddities glibc and bpftrace treat specially) and conversions. */
function printfFuzz(): Variant[] {
  const out: Variant[] = [];
  const r = rng(2024);
  // Text before a conversion goes through snprintf: only `%` forms glibc reads without an argument.
  const innerText = ['a', ' ', '%%', '%5%', '%-%', '%.2%', '=', '\\t', 'xyz', '%%%%', ':', '%l%'];
  // Text after the last conversion is written as is: anything goes.
  const tailText = [
    '',
    '\\n',
    '%%\\n',
    ' %+d\\n',
    '% d %i\\n',
    '%\\n',
    '%5%\\n',
    ' %#x %f\\n',
    'end\\n',
  ];
  for (let n = 0; n < 40; n++) {
    const lines: string[] = [];
    for (let k = 0; k < 5; k++) {
      let format = '';
      const args: string[] = [];
      const count = Math.floor(r() * 4);
      for (let c = 0; c < count; c++) {
        if (r() < 0.6) format += pick(r, innerText);
        const isString = r() < 0.3;
        const flag = pick(r, ['', '', '-', '0']);
        const width = pick(r, ['', '', '3', '9']);
        const prec = pick(r, ['', '', '.2', '.0']);
        if (isString) {
          format += `%${flag === '0' ? '' : flag}${width}${prec}s`;
          args.push(cStr(pick(r, STRINGS)));
        } else {
          format += `%${flag}${width}${prec}${pick(r, ['', 'l', 'h', 'hh', 'll'])}${pick(r, ['d', 'u', 'x', 'X', 'o'])}`;
          args.push(pick(r, INT_EDGES));
        }
      }
      format += pick(r, tailText);
      if (!format.endsWith('\\n')) format += '\\n';
      lines.push(`printf("${format}"${args.map((a) => `, ${a}`).join('')});`);
    }
    out.push({ name: `printf-fuzz-${n}`, script: begin(lines) });
  }
  return out;
}

/** Language constructs the corpus pins (macros, sizeof, ++/-- on maps, loops filling many keys). */
function misc(): Variant[] {
  return [
    {
      name: 'misc-macros-enums-sizeof',
      script:
        '#define LIMIT 3\n#define NAME "macro"\nenum colour { RED, GREEN = 5, BLUE };\nstruct s { char a; long b; short c; int d[3]; };\n' +
        begin([
          'printf("%d %s %d %d %d\\n", LIMIT, NAME, RED, GREEN, BLUE);',
          'printf("%d %d %d %d\\n", sizeof(struct s), sizeof((uint16)1), sizeof("abc"), sizeof((1, "x")));',
          '@e[BLUE] = GREEN * LIMIT;',
        ]),
    },
    {
      name: 'misc-incdec-compound-maps',
      script: begin([
        '@a++; @a++; @b--; @c[1]++; @c[2] += 5; @c[3] -= 2; @d = 10; @d *= 3; @d /= 4; @d <<= 2;',
        '$x = @a++; $y = ++@a; $z = @b--; printf("%d %d %d %d\\n", $x, $y, $z, @a);',
        '@s["k"] += 1; @s["k"] += 1; @s["j"] = 7;',
      ]),
    },
    {
      name: 'misc-many-keys-loop',
      script: begin([
        '$i = 0; while ($i < 40) { @cnt[$i % 9] = sum($i); @h[$i % 3] = hist($i * $i); @l[$i % 4] = lhist($i, 0, 40, 8); @s[$i] = sum($i * 3 - 50); $i++; }',
      ]),
    },
    {
      name: 'json-misc-many-keys-loop',
      flags: ['-f', 'json'],
      script: begin([
        '$i = 0; while ($i < 40) { @cnt[$i % 9] = sum($i); @h[$i % 3] = hist($i * $i); @l[$i % 4] = lhist($i, 0, 40, 8); @s[$i] = sum($i * 3 - 50); $i++; }',
      ]),
    },
    {
      name: 'misc-ternary-vars',
      script: begin([
        '$a = 5; $s = $a > 3 ? "big" : "small-ish"; $t = $a < 3 ? "x" : "longer string"; printf("%s|%s\\n", $s, $t);',
        '$n = $a ? -1 : 1; print($n);',
        'if ($a == 5) { $in = "set"; } else { $in = "other"; } print($in);',
        '$e = ""; if (0) { $e = "never"; } printf("[%s]\\n", $e);',
      ]),
    },
    {
      name: 'misc-high-bytes-text',
      script: begin([
        'printf("caf\\xc3\\xa9 \\x80\\xff\\n"); print("\\xe2\\x82\\xac"); @s["\\xc3\\xa9"] = "\\xfe";',
      ]),
    },
  ];
}

/** Positional parameters: numeric forms, str() with offsets and lengths, $#, missing ones. */
function params(): Variant[] {
  const sets = [
    ['--', '-5', '010', '0x1f'],
    ['1', '2', 'three'],
    ['--', '-9223372036854775808', '9223372036854775807'],
    ['0', '00', '0x0'],
    ['abcdefghijklmnop'],
    [],
  ];
  return sets.map((args, i) => ({
    name: `params-gen-${i}`,
    args,
    script: begin(
      [
        `printf("n=%d [%s] [%s] [%s] [%s]\\n", $#, str($1), str($2), str($3), str($4));`,
        `printf("[%s] [%s] [%s]\\n", str($1, 2), str($1 + 1), str($2, 100));`,
        /three|abc/.test(args.join(' '))
          ? ''
          : `printf("%ld %ld %ld\\n", $1, $2, $3); @p[$1] = $2; print($1 + $2 * 2);`,
        `@s[str($1)] = str($2);`,
      ].filter(Boolean),
    ),
  }));
}

/** Minimal scripts for each difference the generated families found (kept as fixtures). */
function found(): Variant[] {
  return [
    {
      name: 'found-json-high-bytes',
      flags: ['-f', 'json'],
      script: begin([
        'printf("caf\\xc3\\xa9 \\x80\\xff\\x7f\\n"); print("\\xe2\\x82\\xac");',
        '@s["\\xc3\\xa9"] = "\\xfe"; @t[1] = (2, "\\x81");',
      ]),
    },
    {
      name: 'found-avg-stats-unsigned-arg',
      script: begin([
        '@a = avg((uint64)0x8000000000000002); @b = avg((uint64)-1); @b = avg((uint64)-3); @b = avg((uint64)2);',
        '@s = stats((uint64)-4); @s = stats((uint32)-1);',
        '@k[1] = avg((uint64)-1); @k[2] = avg((uint64)5); @k[3] = avg((uint64)0);',
        '@ks["a"] = stats((uint64)-2); @ks["b"] = stats((uint64)1);',
        'print(@k, 2, 2);',
      ]),
    },
    {
      name: 'found-json-avg-stats-unsigned-arg',
      flags: ['-f', 'json'],
      script: begin([
        '@a = avg((uint64)-6); @a = avg((uint64)2);',
        '@k[1] = avg((uint64)-1); @k[2] = avg((uint64)5);',
        '@ks["a"] = stats((uint64)-2); @ks["b"] = stats((uint64)1);',
      ]),
    },
    {
      name: 'found-printf-percent-with-flags',
      script: begin([
        'printf("[%05%][%.3%][%l%][%+%][% %][%#%][%hh%][%-10.2ll%][%5]|%d\\n", 1);',
        'printf("%5%d|%s\\n", 7, "z");',
        'printf("a%-%b|%x %5% end\\n", 255);',
      ]),
    },
    {
      name: 'found-tuple-value-sign-mismatch',
      script: begin(['@kt["a"] = ((uint64)1, "s");', '@kt["b"] = (2, "s");']),
    },
    {
      name: 'found-lhist-different-bounds',
      script: begin([
        '@a = lhist(1500, 0, 8192, 512);',
        '@a = lhist(3000000, 0, 4194304, 1048576);',
      ]),
    },
    {
      name: 'found-delete-keyless-hist',
      script: begin([
        '@h = hist(-1); @h = hist(4); delete(@h);',
        '@l = lhist(-1, 0, 10, 1); @l = lhist(3, 0, 10, 1); delete(@l);',
      ]),
    },
    {
      name: 'found-delete-keyless-count',
      script: begin(['@c = count(); delete(@c);', '@x = 5; delete(@x);']),
    },
  ];
}

export const FAMILIES: Record<string, () => Variant[]> = {
  'printf-int': printfIntegers,
  'printf-str': printfStrings,
  'int-literal': intLiterals,
  arith: arithmetic,
  strings,
  agg: () => aggregations(false),
  'agg-json': () => aggregations(true),
  hist: () => histograms(false),
  'hist-json': () => histograms(true),
  print: () => printTopDivClear(false),
  'print-json': () => printTopDivClear(true),
  interval: () => intervals(false),
  'interval-json': () => intervals(true),
  flow,
  builtins: () => builtins(false),
  'builtins-json': () => builtins(true),
  'json-text': jsonText,
  'maps-mixed': mapsMixed,
  found,
  misc,
  params,
  'printf-fuzz': printfFuzz,
};
