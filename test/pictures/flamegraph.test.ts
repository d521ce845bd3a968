// --folded and --flamegraph end to end: the folded lines of a simulated run read back with an
// independent reader of the format and equal the printed map; the SVG is well-formed XML whose
// frames add up to the map's total; bad uses are refused with a clear error.

import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { runCli } from '../../src/cli/run_cli';
import { memoryIo } from '../../src/cli/io';

async function cli(argv: string[], cwd?: string) {
  const io = memoryIo({ cwd });
  const status = await runCli(argv, io);
  return { status, stdout: io.stdout(), stderr: io.stderr() };
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'bpfscope-pictures-'));
}

/** An independent reader of folded stacks: `frame;frame;... COUNT` per line, the count after
 *  the last space; equal stacks add up (as FlameGraph and inferno read them). */
function readFolded(text: string): Map<string, number> {
  const stacks = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const space = line.lastIndexOf(' ');
    expect(space).toBeGreaterThan(0);
    const count = Number(line.slice(space + 1));
    expect(Number.isInteger(count)).toBe(true);
    const frames = line.slice(0, space).split(';');
    expect(frames.every((f) => f.length > 0)).toBe(true);
    const key = frames.join(';');
    stacks.set(key, (stacks.get(key) ?? 0) + count);
  }
  return stacks;
}

/** The printed `-f json` map: key text → value. */
function printedJsonMap(stdout: string, name = '@'): Map<string, number> {
  const line = stdout.split('\n').find((l) => l.startsWith('{"type": "map"'));
  expect(line).toBeDefined();
  const data = JSON.parse(line!).data[name] as Record<string, number>;
  return new Map(Object.entries(data));
}

function framesOf(stackText: string): string[] {
  return stackText
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .reverse();
}

const PROFILE = 'profile:hz:99 { @[comm, kstack] = count(); }';

describe('--folded', () => {
  it('writes the stacks of a simulated run as folded lines equal to the printed map', async () => {
    const dir = tempDir();
    const run = await cli(
      ['--workload', 'build', '-f', 'json', '-e', PROFILE, '--folded', 'out.folded'],
      dir,
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const folded = readFolded(readFileSync(join(dir, 'out.folded'), 'latin1'));
    const expected = new Map<string, number>();
    for (const [key, count] of printedJsonMap(run.stdout)) {
      const comma = key.indexOf(',');
      const frames = framesOf(key.slice(comma + 1));
      const stack = [key.slice(0, comma), ...(frames.length ? frames : ['[no kstack]'])].join(';');
      expected.set(stack, (expected.get(stack) ?? 0) + count);
    }
    expect(folded).toEqual(expected);
    expect(folded.size).toBeGreaterThan(3);
  });

  it('folds user stacks below kernel stacks and keeps the other keys first', async () => {
    const dir = tempDir();
    const trace = [
      '{"format": "bpfscope-trace", "version": 1, "ncpus": 1, "start_ns": 1000, "end_ns": 9000}',
      '{"ts": 2000, "cpu": 0, "pid": 7, "comm": "a;b", "probe": "profile:hz:99", "kstack": ["k_inner", "k_outer"], "ustack": ["u_inner", "main"]}',
      '{"ts": 3000, "cpu": 0, "pid": 7, "comm": "a;b", "probe": "profile:hz:99", "kstack": ["k_inner", "k_outer"], "ustack": ["u_inner", "main"]}',
      '{"ts": 4000, "cpu": 0, "pid": 8, "comm": "idle", "probe": "profile:hz:99", "kstack": [], "ustack": []}',
    ];
    writeFileSync(join(dir, 't.jsonl'), trace.join('\n') + '\n');
    const run = await cli(
      [
        '--replay',
        't.jsonl',
        '-e',
        'profile:hz:99 { @[kstack, pid, ustack] = count(); }',
        '--folded',
        'f',
      ],
      dir,
    );
    expect(run.stderr).toBe('');
    expect(readFileSync(join(dir, 'f'), 'latin1')).toBe(
      '8;[no stack] 1\n7;main;u_inner;k_outer;k_inner 2\n',
    );
    const comm = await cli(
      [
        '--replay',
        't.jsonl',
        '-e',
        'profile:hz:99 { @[comm, kstack] = count(); }',
        '--folded',
        'g',
      ],
      dir,
    );
    expect(comm.status).toBe(0);
    expect(readFolded(readFileSync(join(dir, 'g'), 'latin1'))).toEqual(
      new Map([
        ['idle;[no kstack]', 1],
        ['a:b;k_outer;k_inner', 2],
      ]),
    );
  });

  it('puts the map name first when several maps hold stacks, and folds sum() values', async () => {
    const dir = tempDir();
    const run = await cli(
      [
        '--workload',
        'build',
        '-e',
        'profile:hz:99 { @k[kstack] = count(); @u[ustack] = sum(2); @other[comm] = count(); }',
        '--folded',
        'f',
      ],
      dir,
    );
    expect(run.status).toBe(0);
    const lines = readFileSync(join(dir, 'f'), 'latin1').trim().split('\n');
    expect(lines.every((l) => l.startsWith('@k;') || l.startsWith('@u;'))).toBe(true);
    const total = (prefix: string) =>
      lines.filter((l) => l.startsWith(prefix)).reduce((s, l) => s + Number(l.split(' ').pop()), 0);
    expect(total('@u;')).toBe(2 * total('@k;'));
  });

  it('refuses programs without a stack map, and runs that produce nothing', async () => {
    const dir = tempDir();
    const none = await cli(['-e', 'BEGIN { @ = count(); exit(); }', '--folded', 'f'], dir);
    expect(none.status).toBe(1);
    expect(none.stderr).toBe(
      'ERROR: --folded needs a map keyed by kstack or ustack with a count() or sum() value, e.g. @[kstack] = count(); the program has none\n',
    );
    expect(none.stdout).toBe('');
    const hist = await cli(
      ['-e', 'profile:hz:99 { @[kstack] = hist(1); }', '--flamegraph', 'f'],
      dir,
    );
    expect(hist.status).toBe(1);
    const dry = await cli(['--dry-run', '-e', PROFILE, '--folded', 'f'], dir);
    expect(dry.status).toBe(1);
    expect(dry.stderr).toBe(
      'ERROR: --folded needs a run; it cannot be used with --dry-run or --emit-elf\n',
    );
    expect(existsSync(join(dir, 'f'))).toBe(false);
  });

  it('refuses a negative sum at exit, after printing the maps', async () => {
    const dir = tempDir();
    const run = await cli(
      ['--duration', '50ms', '-e', 'profile:hz:99 { @[kstack] = sum(-1); }', '--folded', 'f'],
      dir,
    );
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/]: -\d+\n/);
    expect(run.stderr).toMatch(/^ERROR: @ holds a negative sum \(-\d+\); /);
    expect(existsSync(join(dir, 'f'))).toBe(false);
  });

  it('names a file it cannot write', async () => {
    const dir = tempDir();
    const run = await cli(['--duration', '50ms', '-e', PROFILE, '--folded', 'no/such/dir/f'], dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^ERROR: cannot write .*no\/such\/dir\/f: ENOENT/);
  });
});

interface SvgFrame {
  name: string;
  value: number;
  start: number;
  depth: number;
  title: string;
}

function svgFrames(svg: string): { total: number; frames: SvgFrame[] } {
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(svg);
  const groups = doc.svg.g.g as Record<string, unknown>[];
  return {
    total: Number(doc.svg['data-total']),
    frames: (Array.isArray(groups) ? groups : [groups]).map((g) => ({
      name: String(g['data-name']),
      value: Number(g['data-value']),
      start: Number(g['data-start']),
      depth: Number(g['data-depth']),
      title: String(g.title),
    })),
  };
}

describe('--flamegraph', () => {
  it('writes well-formed XML whose frames add up to the printed map', async () => {
    const dir = tempDir();
    const run = await cli(
      [
        '--workload',
        'build',
        '-f',
        'json',
        '-e',
        PROFILE,
        '--flamegraph',
        'f.svg',
        '--folded',
        'f',
      ],
      dir,
    );
    expect(run.status).toBe(0);
    const svg = readFileSync(join(dir, 'f.svg'), 'utf8');
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toContain('<script><![CDATA[');
    expect(svg).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    const printedTotal = [...printedJsonMap(run.stdout).values()].reduce((a, b) => a + b, 0);
    const { total, frames } = svgFrames(svg);
    expect(total).toBe(printedTotal);
    const root = frames.find((f) => f.depth === 0)!;
    expect(root.value).toBe(printedTotal);
    expect(root.title).toBe(`all (${printedTotal} samples, 100.00%)`);
    // Each frame's children fit inside it; the self counts of all frames add up to the total.
    let selfTotal = 0;
    for (const f of frames) {
      const children = frames.filter(
        (c) => c.depth === f.depth + 1 && c.start >= f.start && c.start < f.start + f.value,
      );
      const childSum = children.reduce((s, c) => s + c.value, 0);
      expect(childSum).toBeLessThanOrEqual(f.value);
      selfTotal += f.value - childSum;
    }
    expect(selfTotal).toBe(printedTotal);
    // Every folded stack is a path of frames whose leaf carries (at least) its count.
    for (const [stack, count] of readFolded(readFileSync(join(dir, 'f'), 'latin1'))) {
      const names = stack.split(';');
      const leaf = frames.find(
        (f) => f.depth === names.length && f.name === names[names.length - 1] && f.value >= count,
      );
      expect(leaf, stack).toBeDefined();
    }
  });

  it('escapes names that are not plain text', async () => {
    const dir = tempDir();
    const trace = [
      '{"format": "bpfscope-trace", "version": 1, "ncpus": 1, "start_ns": 1000, "end_ns": 9000}',
      '{"ts": 2000, "cpu": 0, "pid": 7, "comm": "<&\\"\'>\\u0001", "probe": "profile:hz:99", "kstack": ["operator<<(a&b)"]}',
    ];
    writeFileSync(join(dir, 't.jsonl'), trace.join('\n') + '\n');
    const run = await cli(
      [
        '--replay',
        't.jsonl',
        '-e',
        'profile:hz:99 { @[comm, kstack] = count(); }',
        '--flamegraph',
        's.svg',
      ],
      dir,
    );
    expect(run.stderr).toBe('');
    const svg = readFileSync(join(dir, 's.svg'), 'utf8');
    expect(XMLValidator.validate(svg)).toBe(true);
    const names = svgFrames(svg).frames.map((f) => f.name);
    expect(names).toContain('operator<<(a&b)');
    expect(names).toContain('<&"\'>\ufffd');
  });
});
