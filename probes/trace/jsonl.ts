// The recorded-trace format (probes/TRACE_FORMAT.md): JSON Lines, a header object first, then
// one event per line. This module converts between Event and the line objects.

import type { ResolvedAttachPoint } from '../../compiler/host';
import type { Event, MemoryRegion, SymbolTable } from '../event';
import { readArgs, readRegister } from '../register_context';
import { decodeTracepointRecord } from '../record';
import { SymbolMap } from '../symbols';
import type { TracepointCatalog } from '../tracepoints';
import { formatText } from './format_text';

export const TRACE_FORMAT = 'bpfscope-trace';
export const TRACE_VERSION = 1;

export interface TraceHeader {
  format: typeof TRACE_FORMAT;
  version: number;
  source?: string;
  ncpus?: number;
  /** Run start and end on the trace's clock (ns); END runs at end_ns. */
  start_ns?: number | string;
  end_ns?: number | string;
  /** Wall-clock time of the traced machine's boot, ns since the epoch (what strftime() adds
   *  `nsecs` to); absent: the replay's own wall clock at start_ns. */
  boot_wall_ns?: number | string;
  /** `category:name` → format text the records are laid out by. */
  tracepoint_formats?: Record<string, string>;
  /** [address, size, name, "k" | "u"] */
  symbols?: [string, number, string, 'k' | 'u'][];
}

export interface TraceLine {
  ts: number | string;
  cpu?: number;
  pid?: number;
  tid?: number;
  uid?: number;
  gid?: number;
  comm?: string;
  probe: string;
  args?: Record<string, unknown> | unknown[];
  retval?: number | string;
  kstack?: (string | number)[];
  ustack?: (string | number)[];
  cgroup?: number | string;
  /** Exact record bytes (base64); when present, `args`/`retval` are informative only. */
  ctx?: string;
  memory?: { address: string; kernel?: boolean; data: string }[];
}

export function jsonNumber(value: bigint): number | string {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value.toString();
}

export function hex(value: bigint): string {
  return `0x${value.toString(16)}`;
}

export function makeHeader(options: {
  source: string;
  ncpus: number;
  startNs: bigint;
  endNs: bigint;
  bootWallNs?: bigint;
  probes: readonly ResolvedAttachPoint[];
  tracepoints: TracepointCatalog;
  symbols: SymbolTable;
}): TraceHeader {
  const header: TraceHeader = {
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    source: options.source,
    ncpus: options.ncpus,
    start_ns: jsonNumber(options.startNs),
    end_ns: jsonNumber(options.endNs),
  };
  if (options.bootWallNs !== undefined) header.boot_wall_ns = jsonNumber(options.bootWallNs);
  const formats: Record<string, string> = {};
  for (const p of options.probes) {
    if (p.provider !== 'tracepoint') continue;
    const format = options.tracepoints.format(p.target, p.func);
    if (format) formats[`${p.target}:${p.func}`] = formatText(format);
  }
  header.tracepoint_formats = formats;
  if (options.symbols instanceof SymbolMap) {
    header.symbols = options.symbols
      .entries()
      .map((e) => [hex(e.address), e.size, e.name, e.kernel ? 'k' : 'u']);
  }
  return header;
}

/** Writes stack frames as `sym+off` where that reads back to the same address (the reader
 *  takes the first symbol of a name), else as hex addresses (`main` exists in every binary). */
export class FrameNamer {
  private readonly first = new Map<string, bigint>();
  constructor(private readonly symbols: SymbolTable) {
    if (symbols instanceof SymbolMap) {
      for (const e of symbols.entries()) {
        const key = `${e.kernel}:${e.name}`;
        if (!this.first.has(key)) this.first.set(key, e.address);
      }
    }
  }

  frame(address: bigint, kernel: boolean): string {
    const hit =
      this.symbols instanceof SymbolMap ? this.symbols.lookup(address, kernel) : undefined;
    if (!hit || this.first.get(`${kernel}:${hit.name}`) !== address - BigInt(hit.offset))
      return hex(address);
    return hit.offset === 0 ? hit.name : `${hit.name}+${hit.offset}`;
  }
}

/** One event as a line object: readable fields plus the exact bytes. */
export function eventToLine(
  event: Event,
  tracepoints: TracepointCatalog,
  frames: FrameNamer,
): TraceLine {
  const line: TraceLine = {
    ts: jsonNumber(event.ts),
    cpu: event.cpu,
    pid: event.pid,
    tid: event.tid,
    uid: event.uid,
    gid: event.gid,
    comm: event.comm,
    probe: event.probe,
  };
  const [provider, a, b] = event.probe.split(':');
  if (provider === 'tracepoint' && a && b) {
    const format = tracepoints.format(a, b);
    if (format) {
      const values = decodeTracepointRecord(format, event.ctx, event.memory);
      const args: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(values)) {
        if (k.startsWith('common_')) continue;
        args[k] = Array.isArray(v) ? v.map(jsonNumber) : typeof v === 'bigint' ? jsonNumber(v) : v;
      }
      line.args = args;
    }
  } else if (event.ctx.length === 168 && /^(k|u)(ret)?probe$|^usdt$/.test(provider ?? '')) {
    if (provider === 'kretprobe' || provider === 'uretprobe')
      line.retval = jsonNumber(BigInt.asIntN(64, readRegister(event.ctx, 'ax')));
    else line.args = readArgs(event.ctx).map((v) => jsonNumber(BigInt.asIntN(64, v)));
  }
  if (event.kstack) line.kstack = event.kstack.map((a) => frames.frame(a, true));
  if (event.ustack) line.ustack = event.ustack.map((a) => frames.frame(a, false));
  if (event.cgroup !== undefined) line.cgroup = jsonNumber(event.cgroup);
  line.ctx = Buffer.from(event.ctx).toString('base64');
  if (event.memory.length > 0) line.memory = event.memory.map(memoryToJson);
  return line;
}

function memoryToJson(region: MemoryRegion): { address: string; kernel: boolean; data: string } {
  return {
    address: hex(region.address),
    kernel: region.kernel,
    data: Buffer.from(region.bytes).toString('base64'),
  };
}
