// The programmatic API: `import { compile, run } from 'bpfscope'`.

import { compileSource } from './compile';
import { DEFAULT_MAP_KEYS_MAX, DEFAULT_STRLEN } from '../compiler/host';
import { renderDiagnostics, type Diagnostic } from '../grammar/diagnostics';
import type { Program } from '../compiler/program';
import { createProbeHost } from '../probes/host';
import { openSource } from './sources';
import { runCli } from './cli/run_cli';
import { memoryIo } from './cli/io';
import { writeObject } from '../compiler/elf/index';

export type { Program } from '../compiler/program';
export type { Diagnostic } from '../grammar/diagnostics';

export interface CompileOptions {
  /** Name used in diagnostics; `stdin` by default, as for `-e`. */
  sourceName?: string;
  params?: string[];
  /** BPFTRACE_STRLEN (default 64). */
  strlen?: number;
  unsafe?: boolean;
}

export interface CompileOutput {
  program?: Program;
  diagnostics: Diagnostic[];
  /** The diagnostics rendered as bpftrace prints them. */
  messages: string;
}

export async function compile(
  script: string,
  options: CompileOptions = {},
): Promise<CompileOutput> {
  const sourceName = options.sourceName ?? 'stdin';
  const source = await openSource({ seed: 1, cwd: process.cwd() });
  const result = compileSource(script, {
    sourceName,
    source: script,
    strlen: options.strlen ?? DEFAULT_STRLEN,
    mapKeysMax: DEFAULT_MAP_KEYS_MAX,
    params: options.params ?? [],
    unsafe: options.unsafe ?? false,
    host: createProbeHost(source),
  });
  return {
    program: result.program,
    diagnostics: result.diagnostics,
    messages: renderDiagnostics(result.diagnostics, sourceName, script),
  };
}

/** Writes a compiled program as an ELF object that libbpf and bpftool load. */
export function toObjectFile(program: Program): Uint8Array {
  return writeObject(program);
}

export interface RunOptions {
  params?: string[];
  format?: 'text' | 'json';
  /** Simulated workload name, seed and virtual duration (e.g. `2s`). */
  workload?: string;
  seed?: number;
  duration?: string;
  /** A recorded trace or strace log to replay instead of the simulated workload. */
  replay?: string;
  env?: Record<string, string>;
}

export interface RunOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Runs a script exactly as the `bpfscope` command would, capturing its output. */
export async function run(script: string, options: RunOptions = {}): Promise<RunOutput> {
  const argv = ['-e', script];
  if (options.format) argv.push('-f', options.format);
  if (options.workload) argv.push('--workload', options.workload);
  if (options.seed !== undefined) argv.push('--seed', String(options.seed));
  if (options.duration) argv.push('--duration', options.duration);
  if (options.replay) argv.push('--replay', options.replay);
  if (options.params?.length) argv.push('--', ...options.params);
  const io = memoryIo({ env: options.env ?? {} });
  const exitCode = await runCli(argv, io);
  return { stdout: io.stdout(), stderr: io.stderr(), exitCode };
}
