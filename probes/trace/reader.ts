// `--replay FILE` for recorded traces: parses the JSON Lines, checks every line, and serves the
// events as an EventSource. Problems are TraceFileErrors naming FILE:LINE.

import { splitAttachPoint } from '../attach';
import type { Event } from '../event';
import { MemoryBuilder } from '../memory';
import { buildPtRegs } from '../register_context';
import { buildTracepointRecord, type FieldValue } from '../record';
import { isStringField } from '../tracepoint_format';
import { machineImage, standardCatalog } from '../machine';
import type { EventRequest, EventSource } from '../source';
import { SymbolMap } from '../symbols';
import { truncateComm } from '../task';
import { defaultTracepoints, tracepointsFromTexts, type TracepointCatalog } from '../tracepoints';
import { TraceFileError } from './errors';
import { TRACE_FORMAT, type TraceHeader } from './jsonl';
import { mergeByTime, timerTicks } from './timers';

export function isTraceHeaderLine(line: string): boolean {
  try {
    const v = JSON.parse(line) as { format?: unknown };
    return typeof v === 'object' && v !== null && v.format === TRACE_FORMAT;
  } catch {
    return false;
  }
}

type Json = Record<string, unknown>;

export interface TraceSourceOptions {
  liveTracepoints?: boolean;
}

export function createTraceSource(
  text: string,
  file: string,
  options: TraceSourceOptions = {},
): EventSource {
  const lines = text.split('\n');
  const fail = (line: number, message: string, column = 1): never => {
    throw new TraceFileError(file, line, message, column, lines[line - 1]?.replace(/\r$/, ''));
  };
  const parse = (index: number): Json | undefined => {
    const raw = lines[index]!.replace(/\r$/, '');
    if (raw.trim() === '') return undefined;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (e) {
      const position = /position (\d+)/.exec((e as Error).message);
      return fail(
        index + 1,
        `invalid JSON: ${(e as Error).message}`,
        position ? Number(position[1]) + 1 : 1,
      );
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return fail(index + 1, 'expected a JSON object');
    return value as Json;
  };

  let headerIndex = 0;
  while (headerIndex < lines.length && lines[headerIndex]!.trim() === '') headerIndex++;
  if (headerIndex >= lines.length)
    fail(1, 'empty trace: expected a header line {"format": "bpfscope-trace", "version": 1}');
  const header = parse(headerIndex) as unknown as TraceHeader;
  if (header.format !== TRACE_FORMAT)
    fail(
      headerIndex + 1,
      `not a bpfscope trace: the first line must be {"format": "${TRACE_FORMAT}", "version": 1}`,
    );
  if (header.version !== 1)
    fail(
      headerIndex + 1,
      `unsupported trace version ${JSON.stringify(header.version)} (this build reads version 1)`,
    );

  const base = defaultTracepoints({ live: options.liveTracepoints });
  const tracepoints: TracepointCatalog = header.tracepoint_formats
    ? tracepointsFromTexts(header.tracepoint_formats, base)
    : base;
  const symbols = new SymbolMap();
  const headerSymbols = Array.isArray(header.symbols) ? header.symbols : undefined;
  const headerLine = headerIndex + 1;
  if (headerSymbols) {
    for (const entry of headerSymbols as unknown[]) {
      if (
        !Array.isArray(entry) ||
        entry.length < 4 ||
        typeof entry[2] !== 'string' ||
        typeof entry[1] !== 'number'
      )
        fail(headerLine, 'a "symbols" entry must be [address, size, name, "k" | "u"]');
      const [address, size, name, space] = entry as [unknown, number, string, unknown];
      symbols.add({
        address: integer(address, 'symbol address', headerLine) ?? 0n,
        size,
        name,
        kernel: space === 'k',
      });
    }
  } else for (const e of machineImage().symbols.entries()) symbols.add(e);
  const resolver = new StackResolver(symbols);
  const memory = new MemoryBuilder();

  const events: Event[] = [];
  const kernelFunctions = new Set(standardCatalog(tracepoints).kernelFunctions);
  const binaries = new Map<string, Set<string>>(
    [...standardCatalog(tracepoints).binaries].map(([k, v]) => [k, new Set(v)]),
  );
  const extraTracepoints = new Set<string>();
  let lastTs = -1n;
  let maxCpu = 0;
  for (let i = headerIndex + 1; i < lines.length; i++) {
    const obj = parse(i);
    if (!obj) continue;
    const event = lineToEvent(obj, i + 1);
    if (event.ts < lastTs)
      fail(
        i + 1,
        `event time ${event.ts} is before the previous event's (${lastTs}); events must be in time order`,
      );
    lastTs = event.ts;
    maxCpu = Math.max(maxCpu, event.cpu);
    events.push(event);
  }

  function lineToEvent(obj: Json, line: number): Event {
    const probe = obj.probe;
    if (typeof probe !== 'string' || probe === '')
      return fail(line, 'missing "probe" (the full probe name)');
    const ts = integer(obj.ts, 'ts', line, true);
    if (ts === undefined) return fail(line, 'missing "ts" (event time in ns)');
    const pid = Number(integer(obj.pid, 'pid', line) ?? 0n);
    const task = {
      cpu: Number(integer(obj.cpu, 'cpu', line) ?? 0n),
      pid,
      tid: Number(integer(obj.tid, 'tid', line) ?? BigInt(pid)),
      uid: Number(integer(obj.uid, 'uid', line) ?? 0n),
      gid: Number(integer(obj.gid, 'gid', line) ?? 0n),
      comm:
        obj.comm === undefined
          ? ''
          : typeof obj.comm === 'string'
            ? truncateComm(obj.comm)
            : fail(line, '"comm" must be a string'),
    };
    const split = splitAttachPoint(probe);
    if (!split) return fail(line, `unknown probe type in "${probe}"`);
    let ctx: Uint8Array;
    let regions: Event['memory'];
    if (obj.ctx !== undefined) {
      if (typeof obj.ctx !== 'string') return fail(line, '"ctx" must be base64 text');
      ctx = new Uint8Array(Buffer.from(obj.ctx, 'base64'));
      regions = rawMemory(obj.memory, line);
    } else {
      ctx = buildContext(split.provider, split.args, obj, line);
      regions = memory.take();
    }
    if (split.provider === 'tracepoint') extraTracepoints.add(split.args.join(':'));
    if (split.provider === 'kprobe' || split.provider === 'kretprobe')
      kernelFunctions.add(split.args[0]!.split('+')[0]!);
    if (
      (split.provider === 'uprobe' || split.provider === 'uretprobe') &&
      split.args.length === 2
    ) {
      const set = binaries.get(split.args[0]!) ?? new Set();
      set.add(split.args[1]!.split('+')[0]!);
      binaries.set(split.args[0]!, set);
    }
    const event: Event = { probe, ts, ...task, ctx, memory: regions };
    if (obj.kstack !== undefined) event.kstack = stack(obj.kstack, true, line);
    if (obj.ustack !== undefined) event.ustack = stack(obj.ustack, false, line);
    if (obj.cgroup !== undefined) event.cgroup = integer(obj.cgroup, 'cgroup', line);
    return event;
  }

  function buildContext(provider: string, args: string[], obj: Json, line: number): Uint8Array {
    switch (provider) {
      case 'tracepoint': {
        const format = tracepoints.format(args[0] ?? '', args[1] ?? '');
        if (!format)
          return fail(
            line,
            `unknown tracepoint ${args.join(':')} (no format known; add it to the header's "tracepoint_formats")`,
          );
        const given = obj.args ?? {};
        if (typeof given !== 'object' || given === null || Array.isArray(given))
          return fail(line, 'tracepoint "args" must be an object of fields by name');
        const values: Record<string, FieldValue> = {};
        for (const [name, value] of Object.entries(given as Json)) {
          const field = format.fields.find((f) => f.name === name);
          if (!field) return fail(line, `tracepoint ${args.join(':')} has no field "${name}"`);
          values[name] =
            isStringField(field) && typeof value === 'string'
              ? value
              : fieldValue(value, name, line);
        }
        return buildTracepointRecord(
          format,
          values,
          { pid: Number(integer(obj.tid, 'tid', line) ?? integer(obj.pid, 'pid', line) ?? 0n) },
          memory,
        );
      }
      case 'kprobe':
      case 'kretprobe':
      case 'uprobe':
      case 'uretprobe':
      case 'usdt':
      case 'kfunc':
      case 'kretfunc': {
        const list = obj.args === undefined ? [] : obj.args;
        if (!Array.isArray(list))
          return fail(line, `${provider} "args" must be an array of argument values`);
        const values = list.map((v, i) => registerValue(v, `args[${i}]`, line));
        const retval =
          obj.retval === undefined ? undefined : registerValue(obj.retval, 'retval', line);
        if (provider === 'kfunc' || provider === 'kretfunc') {
          const all = retval === undefined ? values : [...values, retval];
          const bytes = new Uint8Array(all.length * 8);
          all.forEach((v, i) =>
            new DataView(bytes.buffer).setBigUint64(i * 8, BigInt.asUintN(64, v), true),
          );
          return bytes;
        }
        const func = provider.startsWith('k') ? args[0]?.split('+')[0] : args[1]?.split('+')[0];
        const ip = func ? resolver.address(func, provider.startsWith('k')) : undefined;
        return buildPtRegs({ args: values, retval, ip });
      }
      default:
        return buildPtRegs({});
    }
  }

  function fieldValue(value: unknown, name: string, line: number): FieldValue {
    if (typeof value === 'number') {
      if (!Number.isInteger(value))
        return fail(line, `field "${name}" must be an integer or a string`);
      return BigInt(value);
    }
    if (typeof value === 'string')
      return /^-?(0x[0-9a-f]+|\d+)$/i.test(value) ? (integer(value, name, line) ?? 0n) : value;
    if (
      Array.isArray(value) &&
      value.every((v) => typeof v === 'number' || typeof v === 'string')
    ) {
      return value.map((v, i) => registerValue(v, `${name}[${i}]`, line));
    }
    return fail(line, `field "${name}" must be an integer, a string or an array of integers`);
  }

  function registerValue(value: unknown, what: string, line: number): bigint {
    if (typeof value === 'string' && !/^-?(0x[0-9a-f]+|\d+)$/i.test(value))
      return memory.putString(value);
    const v = integer(value, what, line);
    return v ?? 0n;
  }

  function integer(
    value: unknown,
    what: string,
    line: number,
    nonNegative = false,
  ): bigint | undefined {
    if (value === undefined || value === null) return undefined;
    let v: bigint | undefined;
    if (typeof value === 'number' && Number.isInteger(value)) v = BigInt(value);
    else if (typeof value === 'string' && /^-?(0x[0-9a-f]+|\d+)$/i.test(value))
      v = value.startsWith('-') ? -BigInt(value.slice(1)) : BigInt(value);
    if (v === undefined)
      return fail(line, `"${what}" must be an integer, not ${JSON.stringify(value)}`);
    if (nonNegative && v < 0n) return fail(line, `"${what}" must not be negative`);
    return v;
  }

  function rawMemory(value: unknown, line: number): Event['memory'] {
    if (value === undefined) return [];
    if (!Array.isArray(value))
      return fail(line, '"memory" must be an array of {address, kernel, data}');
    return value.map((r: Json) => {
      if (
        typeof r !== 'object' ||
        r === null ||
        typeof r.address !== 'string' ||
        typeof r.data !== 'string'
      )
        return fail(line, 'a "memory" entry needs "address" (hex text) and "data" (base64)');
      return {
        address: integer(r.address, 'memory address', line) ?? 0n,
        kernel: r.kernel === true,
        bytes: new Uint8Array(Buffer.from(r.data, 'base64')),
      };
    });
  }

  function stack(value: unknown, kernel: boolean, line: number): bigint[] {
    if (!Array.isArray(value))
      return fail(
        line,
        `"${kernel ? 'kstack' : 'ustack'}" must be an array of symbols or addresses`,
      );
    return value.map((frame) => {
      if (typeof frame === 'number') return BigInt(frame);
      if (typeof frame !== 'string')
        return fail(line, 'a stack frame must be a symbol string or an address');
      return resolver.frame(frame, kernel);
    });
  }

  const startNs =
    header.start_ns !== undefined
      ? integer(header.start_ns, 'start_ns', headerLine, true)!
      : (events[0]?.ts ?? 0n);
  const endNs =
    header.end_ns !== undefined
      ? integer(header.end_ns, 'end_ns', headerLine, true)!
      : (events.at(-1)?.ts ?? startNs);
  const bootWallNs =
    header.boot_wall_ns !== undefined
      ? integer(header.boot_wall_ns, 'boot_wall_ns', headerLine, true)!
      : undefined;
  const ncpus =
    header.ncpus === undefined
      ? maxCpu + 1
      : Number(integer(header.ncpus, 'ncpus', headerLine, true));
  if (ncpus < 1) fail(headerLine, '"ncpus" must be at least 1');
  const catalogBase = standardCatalog(tracepoints);
  const allTracepoints = [...new Set([...tracepoints.names(), ...extraTracepoints])].sort();
  const timersInFile = new Set(
    events.filter((e) => /^(interval|profile):/.test(e.probe)).map((e) => e.probe),
  );
  return {
    name: `trace:${file}`,
    catalog: {
      ...catalogBase,
      tracepoints: {
        origin: tracepoints.origin,
        names: () => allTracepoints,
        format: (c, n) => tracepoints.format(c, n),
      },
      kernelFunctions: [...kernelFunctions].sort(),
      binaries: new Map([...binaries].map(([k, v]) => [k, [...v].sort()])),
    },
    symbols,
    ncpus,
    startNs,
    ...(bootWallNs !== undefined ? { bootWallNs } : {}),
    endNs,
    events(request: EventRequest): Iterable<Event> {
      const wanted = new Set(request.probes.map((p) => p.name));
      const recorded = events.filter((e) => wanted.has(e.probe));
      const ticks = timerTicks(request.probes, { ncpus, startNs, endNs }, (name) =>
        timersInFile.has(name),
      );
      return { [Symbol.iterator]: () => mergeByTime(recorded, ticks) };
    },
  };
}

/** Maps stack frames written as `sym`, `sym+off` or hex addresses to addresses, giving
 *  unknown symbols addresses of their own. */
class StackResolver {
  private readonly synthetic = new Map<string, bigint>();
  private readonly byName = new Map<string, bigint>();
  private nextKernel = 0xffff_ffff_c000_0000n;
  private nextUser = 0x0000_6000_0000_0000n;

  constructor(private readonly symbols: SymbolMap) {
    for (const e of symbols.entries())
      if (!this.byName.has(`${e.kernel}:${e.name}`))
        this.byName.set(`${e.kernel}:${e.name}`, e.address);
  }

  address(name: string, kernel: boolean): bigint {
    const key = `${kernel}:${name}`;
    const known = this.byName.get(key) ?? this.synthetic.get(key);
    if (known !== undefined) return known;
    const address = kernel ? this.nextKernel : this.nextUser;
    if (kernel) this.nextKernel += 0x10000n;
    else this.nextUser += 0x10000n;
    this.synthetic.set(key, address);
    this.symbols.add({ name, address, size: 0x10000, kernel });
    return address;
  }

  frame(text: string, kernel: boolean): bigint {
    if (/^0x[0-9a-f]+$/i.test(text)) return BigInt(text);
    const m = /^(.*)\+(0x[0-9a-f]+|\d+)$/i.exec(text);
    const name = m ? m[1]! : text;
    const offset = m ? BigInt(m[2]!) : 0n;
    return this.address(name, kernel) + offset;
  }
}
