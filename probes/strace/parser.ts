// Parses `strace -f -ttt -T` output into complete system calls (joining `<unfinished ...>` and
// `<... NAME resumed>` halves), signals and exits, in file order.

import { TraceFileError } from '../trace/errors';
import {
  ArgumentError,
  decodeArgument,
  decodeReturn,
  findCallEnd,
  splitTopLevel,
  type DecodedArg,
} from './args';

export interface StraceCall {
  kind: 'syscall';
  line: number;
  pid: number;
  name: string;
  args: DecodedArg[];
  /** undefined when the call did not return (`= ?`, or unfinished at the end of the log). */
  ret?: bigint;
  enterNs: bigint;
  exitNs: bigint;
}

export interface StraceSignal {
  kind: 'signal';
  line: number;
  pid: number;
  ts: bigint;
  signal: string;
  /** si_code, si_pid… as printed. */
  info: Record<string, string>;
}

export interface StraceExit {
  kind: 'exit';
  line: number;
  pid: number;
  ts: bigint;
  code: number;
  killedBy?: string;
}

export type StraceRecord = StraceCall | StraceSignal | StraceExit;

const LINE = /^(?:\[pid\s+(\d+)\]\s+|(\d+)\s+)?(\d+)\.(\d{1,9})\s+(.*)$/;

/** True when `line` looks like `strace -ttt` output (with or without -f's pid column). */
export function looksLikeStrace(line: string): boolean {
  const m = LINE.exec(line.trim());
  return !!m && /^([a-z_][a-z0-9_]*\(|\+\+\+ |--- |<\.\.\. )/.test(m[5]!);
}

function timestamp(seconds: string, fraction: string): bigint {
  return BigInt(seconds) * 1_000_000_000n + BigInt(fraction.padEnd(9, '0'));
}

function durationNs(text: string): bigint | undefined {
  const m = /<(\d+)\.(\d+)>\s*$/.exec(text);
  return m ? timestamp(m[1]!, m[2]!) : undefined;
}

export function parseStrace(text: string, file: string, defaultPid = 1): StraceRecord[] {
  const records: StraceRecord[] = [];
  /** pid → the first half of an unfinished call. */
  const unfinished = new Map<
    number,
    { line: number; name: string; argsText: string; enterNs: bigint }
  >();
  const lines = text.split('\n');
  const fail = (line: number, message: string): never => {
    throw new TraceFileError(file, line, message, 1, lines[line - 1]?.replace(/\r$/, ''));
  };

  const complete = (
    line: number,
    pid: number,
    name: string,
    argsText: string,
    tail: string,
    enterNs: bigint,
    lineTs: bigint,
  ) => {
    let args: DecodedArg[];
    try {
      args = splitTopLevel(argsText).map(decodeArgument);
    } catch (e) {
      if (e instanceof ArgumentError) return fail(line, e.message);
      throw e;
    }
    const ret = decodeReturn(tail);
    if (!ret) return fail(line, `cannot read the return value in \`${tail.trim()}\``);
    const dur = durationNs(tail);
    const exitNs = dur !== undefined ? enterNs + dur : lineTs;
    records.push({ kind: 'syscall', line, pid, name, args, ret: ret.value, enterNs, exitNs });
  };

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, '');
    if (raw.trim() === '') continue;
    const lineNo = i + 1;
    const m = LINE.exec(raw);
    if (!m)
      fail(
        lineNo,
        'not a line of `strace -f -ttt -T` output (expected `PID SECONDS.MICROS call(...) = RET <DURATION>`)',
      );
    const pid = Number(m![1] ?? m![2] ?? defaultPid);
    const ts = timestamp(m![3]!, m![4]!);
    const rest = m![5]!;

    const exited =
      /^\+\+\+ (?:exited with (\d+)|killed by (SIG[A-Z0-9]+)(?: \(core dumped\))?) \+\+\+$/.exec(
        rest,
      );
    if (exited) {
      records.push({
        kind: 'exit',
        line: lineNo,
        pid,
        ts,
        code: Number(exited[1] ?? 0),
        killedBy: exited[2],
      });
      continue;
    }
    const signal = /^--- (SIG[A-Z0-9]+|stopped by SIG[A-Z0-9]+)(?: \{(.*)\})? ---$/.exec(rest);
    if (signal) {
      const info: Record<string, string> = {};
      for (const part of splitTopLevel(signal[2] ?? '')) {
        const eq = part.indexOf('=');
        if (eq > 0) info[part.slice(0, eq)] = part.slice(eq + 1);
      }
      records.push({
        kind: 'signal',
        line: lineNo,
        pid,
        ts,
        signal: signal[1]!.replace('stopped by ', ''),
        info,
      });
      continue;
    }
    const resumed = /^<\.\.\. ([a-z_][a-z0-9_]*) resumed>(.*)$/.exec(rest);
    if (resumed) {
      const first = unfinished.get(pid);
      if (!first || first.name !== resumed[1]) {
        // strace was attached mid-call: the first half is not in the log.
        continue;
      }
      unfinished.delete(pid);
      const joined = first.argsText + resumed[2]!;
      const end = findCallEnd(joined, -1);
      if (end < 0) fail(lineNo, `unbalanced argument list in resumed ${resumed[1]} call`);
      complete(
        first.line,
        pid,
        first.name,
        joined.slice(0, end),
        joined.slice(end + 1),
        first.enterNs,
        ts,
      );
      continue;
    }
    const call = /^([a-z_][a-z0-9_]*)\((.*)$/.exec(rest);
    if (!call) fail(lineNo, `cannot read \`${rest.slice(0, 60)}\``);
    const [, name, after] = call!;
    const pending = /\s*<unfinished \.\.\.>\s*$/.exec(after!);
    if (pending) {
      unfinished.set(pid, {
        line: lineNo,
        name: name!,
        argsText: after!.slice(0, pending.index),
        enterNs: ts,
      });
      continue;
    }
    const end = findCallEnd(after!, -1);
    if (end < 0) fail(lineNo, `unbalanced argument list in ${name} call`);
    complete(lineNo, pid, name!, after!.slice(0, end), after!.slice(end + 1), ts, ts);
  }
  // Calls still unfinished at the end of the log entered but never returned.
  for (const [pid, first] of unfinished) {
    let args: DecodedArg[] = [];
    try {
      args = splitTopLevel(first.argsText.replace(/,\s*$/, '')).map(decodeArgument);
    } catch {
      args = [];
    }
    records.push({
      kind: 'syscall',
      line: first.line,
      pid,
      name: first.name,
      args,
      ret: undefined,
      enterNs: first.enterNs,
      exitNs: first.enterNs,
    });
  }
  return records;
}
