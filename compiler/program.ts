// The compiled artifact (DESIGN.md, "One artifact"): eBPF bytecode per probe, map
// definitions, and the descriptors that let user space decode map contents and the records
// that programs emit. The VM, the ELF writer and the kernel loader all consume this; the
// output side sees only map contents and records, interpreted through these descriptors.

import { DEFAULT_STACK_LIMIT, type Aggregation, type Type } from './types';

/** Linux `enum bpf_map_type` values that bpfscope uses. */
export const enum BpfMapType {
  Hash = 1,
  Array = 2,
  PerfEventArray = 4,
  PercpuHash = 5,
  PercpuArray = 6,
  StackTrace = 7,
  LruHash = 9,
  Ringbuf = 27,
}

/** What a script map holds, and therefore how its value bytes are laid out (see MapDef). */
export type MapValueKind =
  { kind: 'aggregation'; aggregation: Aggregation } | { kind: 'value'; type: Type };

export interface MapDef {
  /** Index in Program.maps; also the `imm` of the map's `ld_imm64 src=1` (pseudo map fd). */
  id: number;
  /** `@name`, `@` for the anonymous map; internal maps start with `.` (`.events`, `.kstack`). */
  name: string;
  bpfType: BpfMapType;
  keySize: number;
  valueSize: number;
  maxEntries: number;
  /** Set for script maps (`@…`). */
  script?: ScriptMapInfo;
}

/**
 * Layout of a script map's entries.
 *
 * Key: the key parts packed in order with no padding; integer parts are 8 bytes
 * (little-endian, sign-extended per their type), string parts their full size, other parts
 * their sizeOf. A map without keys has the single key of 8 zero bytes.
 * hist/lhist maps append an 8-byte bucket index to the key; the key of a keyless hist/lhist
 * is the bucket index alone (8 bytes, as in bpftrace 0.17), so in every case the bucket is the
 * last 8 bytes of the key:
 *   hist:  0 = negative, 1 = value 0, 2 = value 1, k+1 = [2^(k-1), 2^k) for k = 2..64
 *   lhist: 0 = below min, 1..B = regular buckets, B+1 = at or above max (B = (max-min)/step)
 *
 * Value (per CPU for aggregations; every aggregation map is per-CPU hash, except a keyless
 * count, which is a per-CPU array of one entry):
 *   count / sum / hist / lhist: one 8-byte integer
 *   min / max: { int64 value; uint64 isSet }            (16 bytes)
 *   avg / stats: { int64 total; uint64 count }           (16 bytes)
 *   value maps: the value's bytes; integers are stored as 8 bytes whatever their width.
 */
export interface ScriptMapInfo {
  keyTypes: Type[];
  value: MapValueKind;
}

/** The first 8 bytes of every record a program emits through the `.events` perf map. */
export const enum RecordKind {
  /** [kind][u64 formatId][args…] — formatId indexes Program.printfs. */
  Printf = 1,
  /** [kind][u64 mapId][u64 top][u64 div] */
  PrintMap = 2,
  /** [kind][u64 mapId] */
  ClearMap = 3,
  /** [kind][u64 mapId] */
  ZeroMap = 4,
  /** [kind][u64 exitCode] */
  Exit = 5,
  /** [kind][u64 formatId] — formatId indexes Program.timeFormats; printed with local time. */
  Time = 6,
  /** [kind][u64 formatId][args…] — Program.cats: printf-style path, then the file is printed. */
  Cat = 7,
  /** [kind][u64 valueId][value…] — valueId indexes Program.printValues. */
  PrintValue = 8,
  /** [kind][u64 formatId][args…] — Program.systems (only with --unsafe). */
  System = 9,
  /** [kind][u64 joinId][u64 count][strings…] — Program.joins. */
  Join = 10,
}

/** A printf/cat/system call: the format and where each argument lies in the record. */
export interface FormatDescriptor {
  format: string;
  /** Byte offsets are from the start of the record. */
  args: { type: Type; offset: number }[];
  /** Total record size in bytes. */
  size: number;
}

export interface PrintValueDescriptor {
  type: Type;
  /** Byte offset of the value in the record (16 with the standard header). */
  offset: number;
}

export interface JoinDescriptor {
  separator: string;
  /** Size of each string slot. */
  elementSize: number;
  maxElements: number;
}

/** One eBPF program: one per probe block (wildcards and lists share it, as in bpftrace). */
export interface CompiledProbe {
  /** Index of the probe block in the script. */
  index: number;
  /** Attach points as written (probes/ parses and expands them). */
  attachPoints: string[];
  /** Raw little-endian eBPF instructions, 8 bytes each (`lddw` takes 16). */
  bytecode: Uint8Array;
  /** Source line of each instruction slot (for .BTF.ext line info and -d output); 0 = none. */
  lines: number[];
  /** Stack bytes used, for diagnostics. */
  stackSize: number;
  /** Slots where callback subprograms (for-loop bodies, reached by `lddw src=4`) start; they
   *  follow the main program in `bytecode`. Absent or empty when there are none. */
  subprograms?: number[];
}

export interface Program {
  /** For diagnostics and BTF file names: `stdin` for -e, else the script path. */
  sourceName: string;
  source: string;
  probes: CompiledProbe[];
  maps: MapDef[];
  printfs: FormatDescriptor[];
  cats: FormatDescriptor[];
  systems: FormatDescriptor[];
  timeFormats: string[];
  printValues: PrintValueDescriptor[];
  joins: JoinDescriptor[];
  /** What the `probe` builtin names: its 8-byte value is an index into this table. */
  probeNames: string[];
  /** Names of every script map the program mentions (printed at exit even if never written). */
  mapNames: string[];
  /** Warnings produced while compiling, already rendered. */
  warnings: string[];
}

/** Internal array map (4-byte key 0 → u64) where user space stores the run's start time,
 *  which the `elapsed` builtin subtracts from the current time. */
export const ELAPSED_MAP_NAME = '.elapsed';

/** Standard header of a record: kind + id. */
export const RECORD_HEADER_SIZE = 16;

/** The internal stack-trace map of kstack/ustack taken `limit` frames deep. */
export function stackMapName(user: boolean, limit: number): string {
  const base = user ? '.ustack' : '.kstack';
  return limit === DEFAULT_STACK_LIMIT ? base : `${base}.${limit}`;
}
