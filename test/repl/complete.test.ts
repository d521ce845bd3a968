// Tab completion and entry continuation, without a terminal.

import { describe, expect, it } from 'vitest';
import { complete, type CompletionContext } from '../../src/repl/complete';
import { needsMoreLines } from '../../src/repl/entry';
import { openSessionSource } from '../../src/repl/index';
import { createProbeHost } from '../../probes/host';
import { probesThatFire, SIMULATION_SAMPLE_NS } from '../../src/repl/firing';
import { settings } from './drive';

async function context(): Promise<CompletionContext> {
  const { source } = await openSessionSource(settings());
  const host = createProbeHost(source);
  return {
    probeNames: () => host.listProbes(),
    firingProbes: () => probesThatFire(source, host, SIMULATION_SAMPLE_NS),
    mapNames: () => ['@opens', '@bytes', '@'],
    probeNumbers: () => [1, 2],
    cwd: process.cwd(),
  };
}

describe('completion', () => {
  it('completes dot-commands and their arguments', async () => {
    const ctx = await context();
    expect(complete('.pr', ctx)).toEqual([['.print', '.probes'], '.pr']);
    expect(complete('.ex', ctx)).toEqual([['.exit'], '.ex']);
    expect(complete('.print @o', ctx)).toEqual([['@opens'], '@o']);
    expect(complete('.detach ', ctx)).toEqual([['1', '2'], '']);
    expect(complete('.load examples/traces/hand', ctx)).toEqual([
      ['examples/traces/hand-written.jsonl'],
      'examples/traces/hand',
    ]);
  });

  it('completes probe names from the catalog, preferring those the source fires', async () => {
    const ctx = await context();
    expect(ctx.probeNames()).toContain('tracepoint:sched:sched_swap_numa');
    expect(complete('tracepoint:sched:sched_sw', ctx)).toEqual([
      ['tracepoint:sched:sched_switch'],
      'tracepoint:sched:sched_sw',
    ]);
    // Nothing that fires matches: every catalog name that does is offered.
    expect(complete('tracepoint:sched:sched_swa', ctx)[0]).toEqual([
      'tracepoint:sched:sched_swap_numa',
    ]);
    expect(complete('kprobe:vfs_rea', ctx)[0]).toContain('kprobe:vfs_read');
    expect(complete('tracepoint:raw_syscalls:sys_enter, tracepoint:raw_sys', ctx)[0]).toEqual([
      'tracepoint:raw_syscalls:sys_enter',
      'tracepoint:raw_syscalls:sys_exit',
    ]);
    expect(complete('kpr', ctx)[0]).toEqual(['kprobe:']);
  });

  it('completes builtins, functions and maps inside a probe', async () => {
    const ctx = await context();
    const line = 'tracepoint:raw_syscalls:sys_enter { @[co';
    expect(complete(line, ctx)).toEqual([['comm', 'count'], 'co']);
    expect(complete('kprobe:vfs_read { @x[com', ctx)).toEqual([['comm'], 'com']);
    expect(complete('kprobe:vfs_read { printf("%d", @x); cou', ctx)[0]).toEqual(['count']);
    expect(complete('kprobe:vfs_read { @b', ctx)).toEqual([['@bytes'], '@b']);
  });
});

describe('entries over several lines', () => {
  it('continues until brackets balance and a header has its body', () => {
    expect(needsMoreLines('kprobe:vfs_read {')).toBe(true);
    expect(needsMoreLines('kprobe:vfs_read { @x = count(); }')).toBe(false);
    expect(needsMoreLines('kprobe:vfs_read')).toBe(true);
    expect(needsMoreLines('kprobe:vfs_read,')).toBe(true);
    expect(needsMoreLines('kprobe:vfs_read /pid == 1/')).toBe(true);
    expect(needsMoreLines('BEGIN')).toBe(true);
    expect(needsMoreLines('printf("{ %d\\n", 1)')).toBe(false);
    expect(needsMoreLines('printf("%d\\n", 1) // {')).toBe(false);
    expect(needsMoreLines('/* a comment')).toBe(true);
    expect(needsMoreLines('#define X 1')).toBe(false);
    // A closing bracket that does not match ends the entry: the parser reports it.
    expect(needsMoreLines('kprobe:f { @x = sum(1 }')).toBe(false);
  });
});
