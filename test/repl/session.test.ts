// The REPL driven through piped input: the same pipeline as `bpfscope -e` (identical output
// for the same probes and events), one clock across .run calls, located errors, dot-commands.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SIM_START_NS } from '../../probes/sim/source';
import { afterAttaching, drive } from './drive';

const COUNT = 'tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }';

describe('same output as bpfscope -e', () => {
  const scripts = [
    COUNT,
    'tracepoint:syscalls:sys_enter_openat { @opens[str(args->filename)] = count(); }',
    'BEGIN { printf("start\\n"); } interval:ms:250 { printf("tick %d\\n", @ticks++); } END { printf("end\\n"); }',
    'tracepoint:syscalls:sys_exit_read /args->ret > 0/ { @bytes = hist(args->ret); @s = stats(args->ret); }',
    'tracepoint:sched:sched_switch { @[args->prev_comm, args->next_comm] = count(); } tracepoint:sched:sched_wakeup { @w[args->comm] = count(); }',
  ];
  for (const script of scripts) {
    it(script, async () => {
      const expected = await afterAttaching(['-e', script]);
      const session = await drive(`${script}\n.run 1s\n.exit\n`);
      expect(session.err).toBe('');
      expect(session.out).toBe(expected);
    });
  }

  it('splitting the time into several .run calls changes nothing (one clock)', async () => {
    const script =
      'tracepoint:raw_syscalls:sys_enter { @[comm] = count(); } interval:ms:100 { @t = count(); }';
    const expected = await afterAttaching(['-e', script, '--duration', '2s']);
    const session = await drive(`${script}\n.run 300ms\n.run 700ms\n.run 1s\n.exit\n`);
    expect(session.out).toBe(expected);
  });

  it('a multi-line probe is one entry', async () => {
    const expected = await afterAttaching(['-e', COUNT]);
    const session = await drive(
      'tracepoint:raw_syscalls:sys_enter\n{\n  @[comm] =\n    count();\n}\n.run 1s\n.exit\n',
    );
    expect(session.out).toBe(expected);
  });

  it('--workload, --seed and --replay choose the source as on the command line', async () => {
    const args = ['--workload', 'build', '--seed', '7'];
    const expected = await afterAttaching([...args, '-e', COUNT]);
    const session = await drive(`${COUNT}\n.run 1s\n.exit\n`, { workload: 'build', seed: 7 });
    expect(session.out).toBe(expected);

    const trace = 'examples/traces/webserver-openat.jsonl';
    const opens = 'tracepoint:syscalls:sys_enter_openat { @[str(args->filename)] = count(); }';
    const fromTrace = await afterAttaching(['--replay', trace, '-e', opens]);
    const replayed = await drive(`${opens}\n.run 10s\n.exit\n`, { replay: trace });
    expect(replayed.out).toBe(fromTrace);
  });
});

describe('attaching during a session', () => {
  it('a probe attached later sees only the events after its attach time; earlier ones are unaffected', async () => {
    const first = 'tracepoint:raw_syscalls:sys_enter { @a[comm] = count(); }';
    const later = 'tracepoint:raw_syscalls:sys_enter { @b[comm] = count(); }';
    const session = await drive(`${first}\n.run 400ms\n${later}\n.run 600ms\n.exit\n`);
    expect(session.err).toBe('');
    const a = await afterAttaching(['-e', first]);
    const after = SIM_START_NS + 400_000_000n;
    const b = await afterAttaching([
      '-e',
      `tracepoint:raw_syscalls:sys_enter /nsecs > ${after}/ { @b[comm] = count(); }`,
    ]);
    const lines = (text: string) => text.split('\n').filter((l) => l.startsWith('@'));
    const got = lines(session.out);
    expect(got.filter((l) => l.startsWith('@a'))).toEqual(lines(a));
    expect(got.filter((l) => l.startsWith('@b'))).toEqual(lines(b));
  });

  it('maps keep their contents when probes are added and detached', async () => {
    const session = await drive(
      [
        COUNT,
        '.run 500ms',
        'interval:ms:100 { @ticks = count(); @["tick"] = count(); }',
        '.run 500ms',
        '.print @ticks',
        '.detach 2',
        '.print @ticks',
        '.exit',
        '',
      ].join('\n'),
    );
    // @ticks goes with the only probe that used it; @ stays with probe 1.
    expect(session.out).toContain('@ticks: 5\n');
    expect(session.err).toBe('ERROR: no map @ticks (see .maps)\n');
    // Both probes counted into @ (one map, one type) and the counts carried over.
    const whole = await afterAttaching([
      '-e',
      `tracepoint:raw_syscalls:sys_enter { @[comm] = count(); } interval:ms:100 /nsecs > ${SIM_START_NS + 500_000_000n}/ { @["tick"] = count(); }`,
    ]);
    expect(session.out.slice(session.out.indexOf('\n\n\n'))).toBe(`\n${whole}`);
  });

  it('a statement list runs once, as a BEGIN block; its maps stay', async () => {
    const session = await drive(
      'printf("%d\\n", 6 * 7)\n@x = "hello"; @n = 5\nBEGIN { printf("%s %d\\n", @x, @n); }\n.print @n\n.exit\n',
    );
    expect(session.err).toBe('');
    expect(session.out).toBe('42\nhello 5\n@n: 5\n\n\n@n: 5\n@x: hello\n');
  });

  it('exit() ends the session as it ends a run: END, then the maps', async () => {
    const session = await drive(
      'interval:ms:300 { @t++; if (@t == 2) { exit(); } }\nEND { printf("end\\n"); }\n.run 5s\n.print\n',
    );
    expect(session.out).toBe('end\n\n\n@t: 2\n');
    expect(session.status).toBe(0);
  });
});

describe('errors', () => {
  it('a broken line is a located error and the session goes on', async () => {
    const session = await drive(
      `${COUNT}\ntracepoint:raw_syscalls:sys_enter { @x = count( }\nprintf("%d\\n", nosuch)\n.run 1s\n.exit\n`,
    );
    expect(session.err).toContain(
      'stdin:1:49-50: ERROR: syntax error, unexpected }\n' +
        'tracepoint:raw_syscalls:sys_enter { @x = count( }\n' +
        '                                                ~\n',
    );
    expect(session.err).toMatch(/^stdin:1:\d+-\d+: ERROR: .*\nprintf\("%d\\n", nosuch\)\n *~+\n/m);
    expect(session.out).toBe(await afterAttaching(['-e', COUNT]));
  });

  it('a type clash with an attached probe is located in the new entry', async () => {
    const session = await drive(`${COUNT}\nkprobe:vfs_read\n{\n  @[comm] = 5;\n}\n.probes\n`);
    expect(session.err).toMatch(/^stdin:3:3-\d+: ERROR: Type mismatch for @/);
    expect(session.err).toContain('\n  @[comm] = 5;\n  ~');
    expect(session.out).toContain(`1: ${COUNT}\n`);
    expect(session.out).not.toContain('2:');
  });

  it('bad commands and arguments are errors, not crashes', async () => {
    const session = await drive('.nope\n.run soon\n.detach 3\n.print @none\n.disasm x\n');
    expect(session.err.split('\n').filter(Boolean)).toEqual([
      'ERROR: unknown command .nope (see .help)',
      'ERROR: .run expects a duration such as 500ms or 2s, got "soon"',
      'ERROR: no probe 3 (see .probes)',
      'ERROR: no map @none (see .maps)',
      'ERROR: .disasm expects a probe number, got "x"',
    ]);
  });
});

describe('dot-commands', () => {
  it('.maps, .probes, .disasm, .ast, .list, .clear', async () => {
    const session = await drive(
      [
        COUNT,
        'tracepoint:syscalls:sys_enter_openat /pid > 1/ { @opens[pid, str(args->filename)] = sum(1); }',
        '.run 200ms',
        '.maps',
        '.probes',
        '.disasm 1',
        '.ast 2',
        '.list tracepoint:sched:sched_switch',
        '.clear @opens',
        '.maps',
        '',
      ].join('\n'),
    );
    expect(session.err).toBe('');
    const out = session.out;
    expect(out).toMatch(/^@\[string\[16\]\]: count \(\d+ entries\)$/m);
    expect(out).toMatch(/^@opens\[unsigned int64, string\[64\]\]: sum \(\d+ entries\)$/m);
    expect(out).toContain(`1: ${COUNT}\n`);
    expect(out).toContain('2: tracepoint:syscalls:sys_enter_openat /pid > 1/');
    expect(out).toContain('1: tracepoint:raw_syscalls:sys_enter:\n       0:\t');
    expect(out).toMatch(/^ +\d+:\t95 00 00 00 00 00 00 00\texit$/m);
    expect(out).toContain('tracepoint:syscalls:sys_enter_openat / pid > 1 /\n{\n');
    expect(out).toContain('\ntracepoint:sched:sched_switch\n');
    expect(out).toMatch(/^@opens\[unsigned int64, string\[64\]\]: sum \(0 entries\)$/m);
  });

  it('.save writes the probes as a script that .load and bpfscope run alike', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bpfscope-repl-'));
    const saved = join(dir, 'session.bt');
    await drive(
      `#define LIMIT 3\n${COUNT}\nprintf("not saved\\n")\ninterval:ms:100 /@t < LIMIT/ { @t = count(); }\n.save ${saved}\n`,
    );
    const text = readFileSync(saved, 'latin1');
    expect(text).toContain('#define LIMIT 3');
    expect(text).not.toContain('not saved');
    const expected = await afterAttaching([saved]);
    const loaded = await drive(`.load ${saved}\n.run 1s\n.exit\n`);
    expect(loaded.err).toBe('');
    expect(loaded.out).toBe(expected);

    writeFileSync(join(dir, 'bad.bt'), 'BEGIN {\n  @x = nope;\n}\n');
    const bad = await drive(`.load ${join(dir, 'bad.bt')}\n`);
    expect(bad.err).toContain(`${join(dir, 'bad.bt')}:2:`);
  });

  it('.run on a trace steps through its events', async () => {
    const session = await drive(
      'tracepoint:syscalls:sys_enter_openat { printf("%s\\n", str(args->filename)); }\n.run\n.run\n',
      { replay: 'examples/traces/webserver-openat.jsonl' },
    );
    const lines = session.out.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThanOrEqual(20);
    expect(session.err).toBe('');
  });
});
