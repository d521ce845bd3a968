// --report end to end: the page holds every map with the printed numbers, the printed messages
// with their times and the run's facts; in headless Chromium it renders (not blank), runs its
// script without errors, needs no network, and its flame graphs zoom and search.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/run_cli';
import { memoryIo } from '../../src/cli/io';
import {
  browserUnavailable,
  inkCoverage,
  launchBrowser,
  openPage,
  type OpenBrowser,
} from './browser';

const SCRIPT = `profile:hz:99 { @stacks[kstack] = count(); }
tracepoint:syscalls:sys_enter_read {
  @reads[comm] = count(); @bytes = hist(args->count); @sz = lhist(args->count, 0, 10000, 1000);
  @avg[comm] = avg(args->count); @st = stats(args->count); @low = min(args->count);
}
tracepoint:syscalls:sys_enter_openat /comm == "git"/ {
  printf("%s opens <%s>\\n", comm, str(args->filename)); @last[pid] = str(args->filename);
}
END { @never_set[1] = 0; delete(@never_set[1]); }
`;

interface Run {
  dir: string;
  status: number;
  stdout: string;
  stderr: string;
  html: string;
}

async function reportRun(): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'bpfscope-report-'));
  writeFileSync(join(dir, 'demo.bt'), SCRIPT);
  const io = memoryIo({ cwd: dir });
  const status = await runCli(['--workload', 'build', 'demo.bt', '--report', 'r.html'], io);
  const html = readFileSync(join(dir, 'r.html'), 'utf8');
  return { dir, status, stdout: io.stdout(), stderr: io.stderr(), html };
}

/** `@name[key]: value` lines of the printed exit dump. */
function printedNumbers(stdout: string, name: string): Map<string, string> {
  const rows = new Map<string, string>();
  const pattern = new RegExp(`^${name}\\[(.*)\\]: (-?\\d+)$`, 'gm');
  for (const m of stdout.matchAll(pattern)) rows.set(m[1], m[2]);
  return rows;
}

/** The bars of one map section: key → number as shown (digit groups removed). */
function reportBars(html: string, name: string): Map<string, string> {
  const section = html.split('<section').find((s) => s.includes(`<h2>${name} `))!;
  expect(section, name).toBeDefined();
  const rows = new Map<string, string>();
  for (const m of section.matchAll(
    /<tr><th>(.*?)<\/th><td class="bar">.*?<td class="num">([-\d,]+)/g,
  ))
    rows.set(m[1], m[2].replace(/,/g, ''));
  return rows;
}

let run: Run;
beforeAll(async () => {
  run = await reportRun();
}, 120_000);

describe('--report', () => {
  it('shows every map with the printed numbers', () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    for (const name of ['@reads', '@avg']) {
      expect(reportBars(run.html, name)).toEqual(printedNumbers(run.stdout, name));
      expect(reportBars(run.html, name).size).toBeGreaterThan(3);
    }
    const low = run.stdout.match(/^@low: (\d+)$/m)![1];
    expect(reportBars(run.html, '@low')).toEqual(
      new Map([['<span class="nokey">(no key)</span>', low]]),
    );
    // hist and lhist: the printed rows, in order, with their counts.
    for (const name of ['@bytes', '@sz']) {
      const block = run.stdout.split(`${name}: \n`)[1].split('\n\n')[0];
      const printed = block
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => [l.slice(0, 16).trim(), l.slice(16, 24).trim()]);
      const shown = [...reportBars(run.html, name)].map(([k, v]) => [
        k.replace(/&lt;/g, '<').replace(/&gt;/g, '>'),
        v,
      ]);
      expect(shown).toEqual(printed);
    }
    const stats = run.stdout.match(/^@st: count (\d+), average (\d+), total (\d+)$/m)!;
    const group = (n: string) => BigInt(n).toLocaleString('en-US');
    expect(run.html).toContain(
      `<td>${group(stats[1])}</td><td>${group(stats[2])}</td><td>${group(stats[3])}</td>`,
    );
    const last = run.stdout.match(/^@last\[(\d+)\]: (.*)$/m)!;
    expect(run.html).toContain(`<td>${last[1]}</td><td>${last[2]}</td>`);
    const stackTotal = [...run.stdout.matchAll(/^(?:@stacks\[\]|\]): (\d+)$/gm)].reduce(
      (s, m) => s + Number(m[1]),
      0,
    );
    expect(run.html).toContain(`data-total="${stackTotal}"`);
    expect(run.html).toMatch(
      /<h2>@never_set <span class="kind">integer<\/span> <span class="entries">0 entries<\/span><\/h2>\n<p class="empty">\(empty\)<\/p>/,
    );
  });

  it('lists the printed messages with their times, escaped, and the run facts', () => {
    const printed = run.stdout.split('\n').filter((l) => l.startsWith('git opens'));
    expect(printed.length).toBeGreaterThan(2);
    const rows = [
      ...run.html.matchAll(
        /<tr><td class="num">\+(\d+\.\d{6})<\/td><td>printf<\/td><td><pre>(.*?)<\/pre>/gs,
      ),
    ];
    expect(rows.map((r) => r[2].replace(/&lt;/g, '<').replace(/&gt;/g, '>').trimEnd())).toEqual(
      printed,
    );
    const times = rows.map((r) => Number(r[1]));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times[0]).toBeGreaterThan(0);
    expect(times[times.length - 1]).toBeLessThanOrEqual(1);
    expect(run.html).toContain('<tr><th>script</th><td>demo.bt</td></tr>');
    expect(run.html).toContain('<tr><th>source</th><td>sim:build seed=1</td></tr>');
    expect(run.html).toContain('<tr><th>duration</th><td>1.000000 s</td></tr>');
    expect(run.html).toMatch(/<tr><th>events<\/th><td>[1-9][\d,]*<\/td><\/tr>/);
    expect(run.html).toContain('<tr><th>lost events</th><td>0</td></tr>');
    expect(run.html).toContain('comm == &quot;git&quot;');
  });

  it('needs nothing from the network', () => {
    expect(run.html).not.toMatch(/(src|href)="(?!#)/);
    expect(run.html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });
});

const why = browserUnavailable();
if (why) console.log(`report in Chromium: skipped (${why})`);

describe.skipIf(why !== null)('--report in headless Chromium', () => {
  let browser: OpenBrowser;
  beforeAll(async () => {
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('renders a page that is not blank, with no script errors', async () => {
    const { page, errors } = await openPage(browser, join(run.dir, 'r.html'));
    const png = await page.screenshot({ fullPage: true });
    const ink = inkCoverage(png);
    expect(ink.inked).toBeGreaterThan(0.02);
    expect(ink.colours).toBeGreaterThan(10);
    // The bars are drawn: the widest @reads bar spans most of its column.
    // Page code is given as text: the tests are type-checked without the DOM library.
    const widths = (await page.evaluate(`(() => {
      const reads = [...document.querySelectorAll('section.map')].find((s) =>
        s.querySelector('h2').textContent.startsWith('@reads '));
      return [...reads.querySelectorAll('td.bar span')].map((s) => s.getBoundingClientRect().width);
    })()`)) as number[];
    expect(Math.max(...widths)).toBeGreaterThan(100);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('zooms and searches the flame graph', async () => {
    const { page, errors } = await openPage(browser, join(run.dir, 'r.html'));
    const result = (await page.evaluate(`(() => {
      const svg = document.querySelector('svg.bpfscope-flame');
      const frame = (name) =>
        [...svg.querySelectorAll('g.frame')].find((g) => g.getAttribute('data-name') === name);
      const width = (name) => Number(frame(name).querySelector('rect').getAttribute('width'));
      const before = width('do_idle+128');
      svg.bpfscopeFlame.zoom('do_idle+128');
      const after = width('do_idle+128');
      const hiddenOther = frame('[no kstack]').style.display;
      svg.bpfscopeFlame.search('idle');
      const matched = svg.querySelector('.matched').textContent;
      frame('do_idle+128').dispatchEvent(new MouseEvent('mouseover'));
      const details = svg.querySelector('.details').textContent;
      return { before, after, hiddenOther, matched, details };
    })()`)) as {
      before: number;
      after: number;
      hiddenOther: string;
      matched: string;
      details: string;
    };
    expect(result.after).toBeGreaterThan(result.before);
    expect(result.after).toBeGreaterThan(1190);
    expect(result.hiddenOther).toBe('none');
    expect(result.matched).toMatch(/^Matched: \d+\.\d\d%$/);
    expect(result.details).toMatch(/^do_idle\+128 \([\d,]+ samples, \d+\.\d\d%\)$/);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
