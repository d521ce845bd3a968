// What the checker and codegen need to know about probes, asked through a narrow host so
// that compiler/ never imports probes/ (probes/ implements this interface).

import type { BuiltinRegistry } from './builtin';
import type { Type } from './types';

export type ProbeProvider =
  | 'BEGIN'
  | 'END'
  | 'tracepoint'
  | 'kprobe'
  | 'kretprobe'
  | 'uprobe'
  | 'uretprobe'
  | 'usdt'
  | 'kfunc'
  | 'kretfunc'
  | 'interval'
  | 'profile'
  | 'software'
  | 'hardware'
  | 'watchpoint'
  | 'asyncwatchpoint'
  | 'iter';

/** One attach point after alias resolution, before or after wildcard expansion. */
export interface ResolvedAttachPoint {
  provider: ProbeProvider;
  /** Canonical full name, e.g. `tracepoint:syscalls:sys_enter_openat`, `kprobe:vfs_read`,
   *  `interval:ms:100`, `BEGIN` — what the `probe` builtin returns. */
  name: string;
  /** tracepoint category / uprobe binary path / interval & profile unit. */
  target: string;
  /** tracepoint name / kprobe or uprobe function / interval & profile count as text. */
  func: string;
  /** interval/profile period in nanoseconds. */
  periodNs?: bigint;
  /** usdt: the SDT note's argument specification (`-4@%edi 8@%rax`), when the host read the
   *  binary; argN follow it. Without it, argN read the argument registers. */
  usdtArguments?: string;
}

export interface TracepointField {
  name: string;
  /** The declaration as in the format file, e.g. `const char * filename`. */
  declaration: string;
  offset: number;
  size: number;
  signed: boolean;
  /** The field's type as bpftrace sees it (`const char *` → pointer to int8, `char[16]` →
   *  array, `__data_loc char[]` → a 4-byte int). */
  type: Type;
  /** A `__data_loc` field: its 4 bytes hold `offset | length << 16` of data stored in the
   *  record itself (offset from the record's start); bpftrace reads it as ctx + offset. */
  dataLoc?: boolean;
}

export interface TracepointFormat {
  category: string;
  name: string;
  /** The numeric event id, from the format file. */
  id: number;
  /** All fields including the `common_*` ones, in record order. */
  fields: TracepointField[];
  /** Size of the raw record. */
  size: number;
}

export type AttachResult =
  | { ok: true; points: ResolvedAttachPoint[] }
  /** `column` is an offset into the raw text where the problem lies (0 if unknown). */
  | { ok: false; message: string; fatal?: boolean };

export interface ProbeHost {
  /** Parses one attach point as written and expands its wildcards against the catalog of
   *  the event source in use. An unknown probe type or a bad unit is a failure. */
  resolveAttachPoint(raw: string): AttachResult;
  tracepointFormat(category: string, name: string): TracepointFormat | undefined;
  /** The address of a kernel or user symbol (`kaddr`/`uaddr`), undefined when unknown.
   *  Optional: without it every symbol is unknown. */
  symbolAddress?(name: string, kernel: boolean): bigint | undefined;
}

/** BPFTRACE_STRLEN's default and largest value, and BPFTRACE_MAP_KEYS_MAX's default (0.17's). */
export const DEFAULT_STRLEN = 64;
export const MAX_STRLEN = 200;
export const DEFAULT_MAP_KEYS_MAX = 4096;

/** Settings that change how a script compiles (bpftrace's environment variables). */
export interface CompileOptions {
  sourceName: string;
  /** BPFTRACE_STRLEN, default 64. */
  strlen: number;
  /** BPFTRACE_MAP_KEYS_MAX, default 4096. */
  mapKeysMax: number;
  /** Positional parameters as given on the command line (`$1` is params[0]). */
  params: string[];
  unsafe: boolean;
  host: ProbeHost;
  /** The builtin variables and functions (stdlib/'s registry). */
  builtins: BuiltinRegistry;
  /** The script text. Lets the checker locate operator tokens (`=`, `/`) and reproduce
   *  0.17's token-start columns; without it, ranges are the AST's. */
  source?: string;
}
