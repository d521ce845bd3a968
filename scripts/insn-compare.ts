// Code size beside bpftrace 0.17 (issue 6): for every script bpftrace accepts in the
// conformance corpus (and examples/*.bt), the instruction slots of each program bpfscope
// generates and of each program in `bpftrace --emit-elf`'s object (section sizes from
// `llvm-objdump-14 -h`), as a table with totals. Run: `npx vite-node scripts/insn-compare.ts
// [--all] [name-filter]` (--all lists equal programs too). Needs root, bpftrace and
// llvm-objdump-14; without them it says why and exits 0.

import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from '../src/api';

const CASES = join(__dirname, '..', '..', 'shared', 'conformance', 'cases');
const EXPECTED = join(__dirname, '..', '..', 'shared', 'conformance', 'expected');
const EXAMPLES = join(dirname(fileURLToPath(import.meta.url)), '..', 'examples');
const PARALLEL = 8;

interface Script {
  name: string;
  path: string;
  args: string[];
  flags: string[];
  env: Record<string, string>;
}

interface Comparison {
  name: string;
  ours: number[];
  theirs: number[];
  /** bpftrace's section names, for the table. */
  sections: string[];
}

function missingTool(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (bpftrace --emit-elf reads kernel BTF/tracefs)';
  for (const tool of ['bpftrace', 'llvm-objdump-14'])
    if (spawnSync('which', [tool]).status !== 0) return `${tool} is not installed`;
  return undefined;
}

function words(path: string): string[] {
  return existsSync(path) ? readFileSync(path, 'utf8').trim().split(/\s+/).filter(Boolean) : [];
}

function scripts(): Script[] {
  const out: Script[] = [];
  if (existsSync(CASES))
    for (const file of readdirSync(CASES)
      .filter((f) => f.endsWith('.bt'))
      .sort()) {
      const name = file.slice(0, -3);
      const status = join(EXPECTED, `${name}.status`);
      if (existsSync(status) && readFileSync(status, 'utf8').trim() !== '0') continue;
      const env: Record<string, string> = {};
      for (const line of words(join(CASES, `${name}.env`))) {
        const [k, ...v] = line.split('=');
        env[k] = v.join('=');
      }
      out.push({
        name,
        path: join(CASES, file),
        args: words(join(CASES, `${name}.args`)),
        flags: words(join(CASES, `${name}.flags`)),
        env,
      });
    }
  if (existsSync(EXAMPLES))
    for (const file of readdirSync(EXAMPLES)
      .filter((f) => f.endsWith('.bt'))
      .sort())
      out.push({
        name: `examples/${file}`,
        path: join(EXAMPLES, file),
        args: [],
        flags: [],
        env: {},
      });
  return out;
}

async function ourSlots(script: Script): Promise<number[] | string> {
  const source = readFileSync(script.path, 'utf8');
  const strlen = script.env.BPFTRACE_STRLEN ? Number(script.env.BPFTRACE_STRLEN) : undefined;
  const result = await compile(source, {
    sourceName: basename(script.path),
    params: script.args[0] === '--' ? script.args.slice(1) : script.args,
    strlen,
    unsafe: script.flags.includes('--unsafe'),
  });
  if (!result.program) return result.messages.split('\n')[0] ?? 'does not compile';
  return result.program.probes.map((p) => p.bytecode.length / 8);
}

function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv }) {
  return new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
    execFile(command, args, { ...options, timeout: 60_000 }, (error, stdout, stderr) => {
      const status = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ status, stdout, stderr });
    });
  });
}

/** Program sections of a bpftrace object and their sizes in instruction slots. */
async function theirSlots(
  script: Script,
  work: string,
): Promise<{ slots: number[]; sections: string[] } | string> {
  const object = join(work, `${script.name.replace(/\W/g, '_')}.o`);
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
  Object.assign(env, script.env);
  const emitted = await run(
    'bpftrace',
    [...script.flags.filter((f) => f !== '-q'), '--emit-elf', object, script.path, ...script.args],
    { cwd: dirname(script.path), env },
  );
  if (emitted.status !== 0 || !existsSync(object)) {
    const why = emitted.stderr.split('\n').find((l) => /ERROR/.test(l)) ?? 'no object';
    return `bpftrace: ${why.trim()}`;
  }
  const listed = await run('llvm-objdump-14', ['-h', object], {});
  const slots: number[] = [];
  const sections: string[] = [];
  for (const line of listed.stdout.split('\n')) {
    const m = /^\s*\d+\s+(\S+)\s+([0-9a-f]+)\s+[0-9a-f]+\s+TEXT/.exec(line);
    if (!m || m[1] === '.text') continue;
    sections.push(m[1]);
    slots.push(parseInt(m[2], 16) / 8);
  }
  return { slots, sections };
}

async function pool<T, R>(items: T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i]);
      }
    }),
  );
  return results;
}

async function main(): Promise<void> {
  const why = missingTool();
  if (why) {
    console.log(`insn-compare: skipped: ${why}`);
    return;
  }
  const all = process.argv.includes('--all');
  const filter = process.argv.slice(2).find((a) => !a.startsWith('--'));
  const work = mkdtempSync(join(tmpdir(), 'bpfscope-insn-compare-'));
  const skipped: string[] = [];
  try {
    const chosen = scripts().filter((s) => !filter || s.name.includes(filter));
    const compared = await pool(chosen, async (script): Promise<Comparison | undefined> => {
      const ours = await ourSlots(script);
      if (typeof ours === 'string') {
        skipped.push(`${script.name}: bpfscope: ${ours}`);
        return undefined;
      }
      const theirs = await theirSlots(script, work);
      if (typeof theirs === 'string') {
        skipped.push(`${script.name}: ${theirs}`);
        return undefined;
      }
      return { name: script.name, ours, theirs: theirs.slots, sections: theirs.sections };
    });
    printTable(
      compared.filter((c): c is Comparison => c !== undefined),
      all,
    );
    for (const line of skipped.sort()) console.log(`skipped ${line}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function printTable(comparisons: Comparison[], all: boolean): void {
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  let ours = 0;
  let theirs = 0;
  let larger = 0;
  let smaller = 0;
  const rows: string[] = [];
  for (const c of comparisons) {
    ours += sum(c.ours);
    theirs += sum(c.theirs);
    const diff = sum(c.ours) - sum(c.theirs);
    if (diff > 0) larger++;
    if (diff < 0) smaller++;
    if (diff === 0 && !all) continue;
    // Programs side by side when both split the script the same way; else the totals.
    const paired = c.ours.length === c.theirs.length;
    const detail = paired
      ? c.ours.map((n, i) => `${c.sections[i].replace(/^s_/, '')} ${n}/${c.theirs[i]}`).join(', ')
      : `ours [${c.ours.join(' ')}] bpftrace [${c.theirs.join(' ')}]`;
    rows.push(
      `${c.name.padEnd(44)} ${String(sum(c.ours)).padStart(6)} ${String(sum(c.theirs)).padStart(8)} ${(diff > 0 ? `+${diff}` : String(diff)).padStart(6)}  ${detail}`,
    );
  }
  console.log(
    `${'script'.padEnd(44)} ${'ours'.padStart(6)} ${'bpftrace'.padStart(8)} ${'diff'.padStart(6)}  programs (ours/bpftrace)`,
  );
  for (const row of rows) console.log(row);
  console.log(
    `total: ${comparisons.length} scripts, bpfscope ${ours} slots, bpftrace ${theirs} slots ` +
      `(${ours - theirs >= 0 ? '+' : ''}${ours - theirs}); larger in ${larger}, smaller in ${smaller}`,
  );
}

await main();
