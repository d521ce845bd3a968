import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Event } from '../../probes/event';
import { decodeTracepointRecord } from '../../probes/record';
import { replayFromText, replayText, type ReplayOptions } from '../../probes/replay';
import { decodeArgument, decodeReturn, evaluate } from '../../probes/strace/args';
import { parseStrace } from '../../probes/strace/parser';
import { TraceFileError } from '../../probes/trace/errors';
import { bundledTracepoints } from '../../probes/tracepoints';
import { collect, readCString, u64 } from './helpers';

/** A replay file read as the CLI reads it (gzip told by its magic). */
function replayFile(path: string, options: ReplayOptions = {}) {
  return replayFromText(replayText(readFileSync(path), path), path, options);
}

const tracepoints = bundledTracepoints();
const field = (e: Event, category: string, name: string) =>
  decodeTracepointRecord(tracepoints.format(category, name)!, e.ctx, e.memory);

describe('strace notation', () => {
  it('evaluates flags, constants and numbers', () => {
    expect(evaluate('AT_FDCWD')).toBe(-100n);
    expect(evaluate('O_RDONLY|O_CLOEXEC')).toBe(0o2000000n);
    expect(evaluate('O_WRONLY|O_CREAT|O_TRUNC')).toBe(0o1101n);
    expect(evaluate('PROT_READ|PROT_WRITE')).toBe(3n);
    expect(evaluate('MAP_PRIVATE|MAP_ANONYMOUS')).toBe(0x22n);
    expect(evaluate('CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD')).toBe(0x1200011n);
    expect(evaluate('0644')).toBe(0o644n);
    expect(evaluate('0x7f857ecf7000')).toBe(0x7f857ecf7000n);
    expect(evaluate('-1')).toBe(-1n);
    expect(evaluate('S_IFREG|0644')).toBe(0o100644n);
    expect(evaluate('8192*1024')).toBe(8_388_608n);
    expect(evaluate('3</etc/hosts>')).toBe(3n);
    expect(evaluate('makedev(0x1, 0x3)')).toBe(0x103n);
    expect(evaluate('SIGTERM')).toBe(15n);
  });

  it('decodes strings, arrays and structures', () => {
    const s = decodeArgument('"a\\tb\\n\\0\\377"...').value as { bytes: Uint8Array };
    expect([...s.bytes]).toEqual([97, 9, 98, 10, 0, 255, 0]);
    expect(decodeArgument('["ls", "/usr"]').value).toEqual({ strings: ['ls', '/usr'] });
    expect(decodeArgument('{st_mode=S_IFREG|0644, st_size=7, ...}').value).toEqual({
      bytes: new Uint8Array(144),
    });
    expect(decodeArgument('flags=CLONE_VM|SIGCHLD')).toEqual({ name: 'flags', value: 0x111n });
    expect(decodeArgument('0x7ffe135dfe28 /* 35 vars */').value).toBe(0x7ffe135dfe28n);
    expect(decodeArgument('NULL').value).toBe(0n);
  });

  it('reads return values and errnos', () => {
    expect(decodeReturn('= 3 <0.000014>')).toEqual({ value: 3n });
    expect(decodeReturn('= -1 ENOENT (No such file or directory) <0.000009>')).toEqual({
      value: -2n,
    });
    expect(decodeReturn('= -1 EAGAIN (Resource temporarily unavailable)')).toEqual({ value: -11n });
    expect(decodeReturn('= ? ERESTARTSYS (To be restarted if SA_RESTART is set)')).toEqual({
      value: -512n,
    });
    expect(decodeReturn('= ?')).toEqual({});
    expect(decodeReturn('= 0x55ca48607000 <0.000008>')).toEqual({ value: 0x55ca48607000n });
    expect(decodeReturn('= 3</etc/hosts> <0.000012>')).toEqual({ value: 3n });
    expect(decodeReturn('= 0 (Timeout) <1.001>')).toEqual({ value: 0n });
  });
});

const LOG = `100  1700000000.000100 execve("/usr/bin/sh", ["sh", "-c", "ls"], 0x7ffe135dfe28 /* 35 vars */) = 0 <0.000200>
100  1700000000.000400 openat(AT_FDCWD, "/etc/hosts", O_RDONLY|O_CLOEXEC) = 3 <0.000012>
100  1700000000.000500 openat(AT_FDCWD, "/nope", O_RDONLY) = -1 ENOENT (No such file or directory) <0.000009>
100  1700000000.000600 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f857eb09a10) = 101 <0.000118>
100  1700000000.000800 wait4(-1,  <unfinished ...>
101  1700000000.000900 execve("/usr/bin/a-very-long-program-name", ["x"], 0x55ca48607ab0 /* 35 vars */ <unfinished ...>
101  1700000000.001000 <... execve resumed>) = 0 <0.000187>
101  1700000000.001200 write(1, "hi\\n", 3) = 3 <0.000010>
101  1700000000.001300 exit_group(0)             = ?
101  1700000000.001400 +++ exited with 0 +++
100  1700000000.001500 <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 101 <0.000700>
100  1700000000.001600 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=101, si_uid=0, si_status=0, si_utime=0, si_stime=0} ---
100  1700000000.001700 exit_group(0)             = ?
100  1700000000.001800 +++ exited with 0 +++
`;

describe('strace logs', () => {
  it('joins unfinished and resumed halves with the enter time and duration', () => {
    const records = parseStrace(LOG, 'x.strace');
    const calls = records.filter((r) => r.kind === 'syscall');
    const wait = calls.find((c) => c.name === 'wait4')!;
    expect(wait).toMatchObject({
      pid: 100,
      line: 5,
      enterNs: 1_700_000_000_000_800_000n,
      exitNs: 1_700_000_000_001_500_000n,
      ret: 101n,
    });
    expect(wait.args.map((a) => a.value)).toEqual([-1n, { bytes: new Uint8Array(16) }, 0n, 0n]);
    const exec = calls.find((c) => c.pid === 101 && c.name === 'execve')!;
    expect(exec.exitNs - exec.enterNs).toBe(187_000n);
    expect(calls.filter((c) => c.name === 'exit_group').every((c) => c.ret === undefined)).toBe(
      true,
    );
    expect(records.filter((r) => r.kind === 'exit').length).toBe(2);
    expect(
      records.filter((r) => r.kind === 'signal').map((r) => r.kind === 'signal' && r.info.si_code),
    ).toEqual(['CLD_EXITED']);
  });

  it('emits syscall and raw_syscalls tracepoints with decoded arguments', () => {
    const source = replayFromText(LOG, 'x.strace', { liveTracepoints: false });
    const events = collect(
      source,
      'tracepoint:syscalls:sys_enter_openat',
      'tracepoint:syscalls:sys_exit_openat',
      'tracepoint:raw_syscalls:sys_enter',
      'tracepoint:raw_syscalls:sys_exit',
    );
    const opens = events.filter((e) => e.probe.endsWith('sys_enter_openat'));
    expect(opens.map((e) => field(e, 'syscalls', 'sys_enter_openat'))).toMatchObject([
      { dfd: -100n, filename: '/etc/hosts', flags: 0o2000000n, mode: 0n, __syscall_nr: 257n },
      { dfd: -100n, filename: '/nope', flags: 0n },
    ]);
    const exits = events.filter((e) => e.probe.endsWith('sys_exit_openat'));
    expect(exits.map((e) => field(e, 'syscalls', 'sys_exit_openat').ret)).toEqual([3n, -2n]);
    expect(exits[0]!.ts - opens[0]!.ts).toBe(12_000n);
    const rawEnter = events.filter((e) => e.probe === 'tracepoint:raw_syscalls:sys_enter');
    expect(rawEnter.map((e) => field(e, 'raw_syscalls', 'sys_enter').id)).toEqual([
      59n,
      257n,
      257n,
      56n,
      61n,
      59n,
      1n,
      231n,
      231n,
    ]);
    const rawOpen = field(rawEnter[1]!, 'raw_syscalls', 'sys_enter').args as bigint[];
    expect(BigInt.asIntN(64, rawOpen[0]!)).toBe(-100n);
    expect(readCString(rawEnter[1]!, rawOpen[1]!)).toBe('/etc/hosts');
    // exit_group never returns; the rest do.
    expect(events.filter((e) => e.probe === 'tracepoint:raw_syscalls:sys_exit').length).toBe(7);
    // Named clone arguments land in their fields.
    const clone = collect(source, 'tracepoint:syscalls:sys_enter_clone')[0]!;
    expect(field(clone, 'syscalls', 'sys_enter_clone')).toMatchObject({
      clone_flags: 0x1200011n,
      newsp: 0n,
      child_tidptr: 0x7f857eb09a10n,
    });
  });

  it('tracks comm as the kernel does: inherited on clone, set by a successful execve', () => {
    const source = replayFromText(LOG, 'x.strace', { liveTracepoints: false });
    const events = collect(
      source,
      'tracepoint:raw_syscalls:sys_enter',
      'tracepoint:syscalls:sys_exit_execve',
      'tracepoint:sched:sched_process_exit',
      'tracepoint:sched:sched_process_exec',
      'tracepoint:sched:sched_process_fork',
    );
    const byProbe = (p: string) =>
      events.filter((e) => e.probe === p).map((e) => `${e.pid} ${e.comm}`);
    expect(byProbe('tracepoint:raw_syscalls:sys_enter')).toEqual([
      '100 strace',
      '100 sh',
      '100 sh',
      '100 sh',
      '100 sh',
      '101 sh',
      '101 a-very-long-pro',
      '101 a-very-long-pro',
      '100 sh',
    ]);
    expect(byProbe('tracepoint:syscalls:sys_exit_execve')).toEqual([
      '100 sh',
      '101 a-very-long-pro',
    ]);
    expect(byProbe('tracepoint:sched:sched_process_exit')).toEqual([
      '101 a-very-long-pro',
      '100 sh',
    ]);
    const fork = events.find((e) => e.probe.endsWith('sched_process_fork'))!;
    expect(field(fork, 'sched', 'sched_process_fork')).toMatchObject({
      parent_comm: 'sh',
      parent_pid: 100n,
      child_comm: 'sh',
      child_pid: 101n,
    });
    const exec = events.filter((e) => e.probe.endsWith('sched_process_exec'))[1]!;
    expect(field(exec, 'sched', 'sched_process_exec').filename).toBe(
      '/usr/bin/a-very-long-program-name',
    );
    const named = replayFromText(LOG, 'x.strace', { liveTracepoints: false, comm: 'launcher' });
    expect(collect(named, 'tracepoint:raw_syscalls:sys_enter')[0]!.comm).toBe('launcher');
  });

  it('threads share their process id', () => {
    const log = `200  1.000000 clone(child_stack=0x7f00, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM) = 201 <0.000050>
201  1.000100 getpid() = 200 <0.000002>
`;
    const events = collect(
      replayFromText(log, 't.strace', { comm: 'app', liveTracepoints: false }),
      'tracepoint:raw_syscalls:sys_enter',
    );
    expect(events.map((e) => `${e.pid}/${e.tid} ${e.comm}`)).toEqual([
      '200/200 app',
      '200/201 app',
    ]);
  });

  it('names FILE:LINE for lines it cannot read', () => {
    const bad = `1  1.000000 openat(AT_FDCWD, "/x", O_RDONLY) = 3 <0.000010>
1  1.000100 this is not strace
`;
    try {
      replayFromText(bad, 'bad.strace', { liveTracepoints: false });
      throw new Error('expected an error');
    } catch (e) {
      expect(e).toBeInstanceOf(TraceFileError);
      expect((e as TraceFileError).message).toMatch(/^bad\.strace:2:1: ERROR: /);
    }
    const unbalanced = `1  1.000000 openat(AT_FDCWD, "/x", O_RDONLY = 3 <0.000010>\n`;
    expect(() => replayFromText(unbalanced, 'u.strace')).toThrow(
      /u\.strace:1:1: ERROR: unbalanced/,
    );
  });

  for (const name of ['cat-hostname', 'ls-usr']) {
    it(`${name}: replay counts match what real bpftrace saw for the same command`, () => {
      const comm = name.split('-')[0]!;
      const dir = new URL('../../examples/traces/', import.meta.url).pathname;
      const expected = readFileSync(`${dir}${name}.bpftrace.out`, 'utf8');
      const maps = (map: string) => {
        const out = new Map<string, number>();
        for (const m of expected.matchAll(new RegExp(`^@${map}\\[(.*)\\]: (\\d+)$`, 'gm')))
          out.set(m[1]!, Number(m[2]));
        return out;
      };
      const source = replayFile(`${dir}${name}.strace`, { liveTracepoints: false });
      const events = collect(
        source,
        'tracepoint:raw_syscalls:sys_enter',
        'tracepoint:raw_syscalls:sys_exit',
        'tracepoint:syscalls:sys_enter_openat',
        'tracepoint:sched:sched_process_exec',
      ).filter((e) => e.comm === comm);
      const count = (probe: string, category: string, tp: string) => {
        const out = new Map<string, number>();
        for (const e of events.filter((x) => x.probe === probe)) {
          const id = String(field(e, category, tp).id);
          out.set(id, (out.get(id) ?? 0) + 1);
        }
        return out;
      };
      const sorted = (m: Map<string, number>) => [...m].sort(([a], [b]) => Number(a) - Number(b));
      expect(
        sorted(count('tracepoint:raw_syscalls:sys_enter', 'raw_syscalls', 'sys_enter')),
      ).toEqual(sorted(maps('enter')));
      expect(sorted(count('tracepoint:raw_syscalls:sys_exit', 'raw_syscalls', 'sys_exit'))).toEqual(
        sorted(maps('exit')),
      );
      const opens = events.filter((e) => e.probe.endsWith('sys_enter_openat')).length;
      expect(opens).toBe([...maps('open').values()].reduce((a, b) => a + b, 0));
      expect(events.filter((e) => e.probe.endsWith('sched_process_exec')).length).toBe(
        Number(/^@exec: (\d+)$/m.exec(expected)![1]),
      );
      const raw = events.find((e) => e.probe === 'tracepoint:raw_syscalls:sys_enter')!;
      expect(u64(raw.ctx, 0) & 0xffffn).toBe(
        BigInt(tracepoints.format('raw_syscalls', 'sys_enter')!.id),
      );
    });
  }
});

describe('strace escapes', () => {
  it('keeps a backslash-x without hex digits as the letter', () => {
    const s = decodeArgument('"a\\xzz"').value as { bytes: Uint8Array };
    expect(new TextDecoder().decode(s.bytes)).toBe('axzz\0');
  });
});
