// What the output side reads: map contents through MapStore (the runtime or the kernel
// loader provides it), and the host facts that turn opaque values into text.

import type { Program } from '../../compiler/program';
import type { SymbolTable } from '../../probes/event';

export interface MapEntry {
  key: Uint8Array;
  /** One per CPU for per-CPU maps, else one. */
  values: Uint8Array[];
}

export interface MapStore {
  mapEntries(mapId: number): MapEntry[];
  clearMap(mapId: number): void;
  zeroMap(mapId: number): void;
  /** Addresses stored by get_stackid, innermost first. */
  stackTrace(stackMapId: number, stackId: number): bigint[];
}

export interface OutputEnv {
  symbols?: SymbolTable;
  /** Wall clock for `time()`; default: the real one. */
  now?: () => Date;
  /** Wall-clock time at boot in ns since the epoch, to turn `nsecs`-based timestamps
   *  (strftime) into dates; default: this machine's, from os.uptime(). */
  bootWallNs?: bigint;
  /** File contents for `cat()` and for /etc/passwd (username); undefined when unreadable. */
  readFile?: (path: string) => Uint8Array | undefined;
  /** Runs `system()` commands (only with --unsafe): the command's stdout. */
  runCommand?: (command: string) => Uint8Array;
  /** Where run-time errors go (`cat` of a missing file); default: dropped. */
  writeError?: (text: string) => void;
  /** Told of each printf/time/cat/system/join text as it is printed (the HTML report's
   *  output table); `type` is its `-f json` type. */
  onMessage?: (type: string, text: string) => void;
  /** Path of a cgroup id, for cgroup_path(). */
  cgroupPath?: (id: bigint) => string | undefined;
}

export interface FormatContext {
  program: Program;
  maps?: MapStore;
  env: OutputEnv;
}
