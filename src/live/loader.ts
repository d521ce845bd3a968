// Loads a compiled Program into the kernel: one kernel map per MapDef, map fds patched into
// the `lddw src=1` instructions, one kernel program per probe — the same bytecode the VM runs
// and the .o file holds. Everything it creates is owned by a KernelObjects and closed by it.

import { BpfMapType, type MapDef, type Program } from '../../compiler/program';
import { PseudoSrc } from '../../compiler/isa/opcode';
import { Bpf, ProgType } from './bpf';
import { SyscallError } from './ffi';
import { LiveError } from './errors';

const LDDW = 0x18;

/** The program type a probe's attach points need (the first one decides, as in the .o). */
export function progTypeOf(attachPoint: string): ProgType {
  const kind = attachPoint.trim().split(':')[0]!;
  if (kind === 'tracepoint' || kind === 't') return ProgType.Tracepoint;
  if (kind === 'rawtracepoint' || kind === 'rt') return ProgType.RawTracepoint;
  if (['profile', 'p', 'interval', 'i', 'software', 's', 'hardware', 'h'].includes(kind))
    return ProgType.PerfEvent;
  // BEGIN and END run once in bpfscope's own task through BPF_PROG_TEST_RUN, which the
  // kernel offers for raw tracepoint programs.
  if (kind === 'BEGIN' || kind === 'END') return ProgType.RawTracepoint;
  return ProgType.Kprobe;
}

export class LoadError extends LiveError {}

export interface LoadedMap {
  def: MapDef;
  fd: number;
}

/** Kernel objects of one run; close() releases them all (safe to call more than once). */
export class KernelObjects {
  readonly maps: LoadedMap[] = [];
  readonly programs: number[] = [];
  private readonly fds: number[] = [];
  private readonly probeFds: number[] = [];
  constructor(readonly bpf: Bpf) {}

  own(fd: number): number {
    this.fds.push(fd);
    return fd;
  }

  /** A perf event that fires a program: closed first, by detachProbes. */
  ownProbe(fd: number): number {
    this.probeFds.push(fd);
    return fd;
  }

  /** Closes the probes' perf events: no program fires after this. */
  detachProbes(): void {
    for (const fd of this.probeFds.splice(0).reverse()) this.bpf.close(fd);
  }

  get probeCount(): number {
    return this.probeFds.length;
  }

  close(): void {
    this.detachProbes();
    for (const fd of this.fds.splice(0).reverse()) this.bpf.close(fd);
  }
}

export function possibleCpus(text: string): number {
  // "0-1", "0", "0-3,5": the highest index + 1.
  let max = 0;
  for (const part of text.trim().split(',')) {
    const last = Number(part.split('-').pop());
    if (Number.isFinite(last)) max = Math.max(max, last);
  }
  return max + 1;
}

export function loadProgram(objects: KernelObjects, program: Program): void {
  const bpf = objects.bpf;
  for (const def of program.maps) {
    try {
      const fd = objects.own(
        bpf.mapCreate({
          type: def.bpfType,
          keySize: def.keySize,
          valueSize: def.valueSize,
          maxEntries: def.maxEntries,
          name: def.name.replace(/^@/, 'AT_').replace(/^\./, '') || 'AT_',
        }),
      );
      objects.maps.push({ def, fd });
    } catch (e) {
      if (e instanceof SyscallError)
        throw new LoadError(`cannot create map ${def.name || '@'} in the kernel: ${e.message}`);
      throw e;
    }
  }
  program.probes.forEach((probe, i) => {
    const type = progTypeOf(probe.attachPoints[0] ?? 'BEGIN');
    const code = patchMapFds(probe.bytecode, objects.maps);
    if (probe.subprograms && probe.subprograms.length > 0)
      throw new LoadError(
        `probe ${probe.attachPoints.join(',')}: callback subprograms (for loops over maps) need BTF function info, which --live does not load yet`,
      );
    try {
      objects.programs.push(objects.own(bpf.progLoad(type, code, `probe_${i}`)));
    } catch (e) {
      if (e instanceof SyscallError)
        throw new LoadError(
          `the kernel refused the program of ${probe.attachPoints.join(', ')}: ${e.message}`,
        );
      throw e;
    }
  });
}

/** A copy of the bytecode with each `lddw src=1 imm=mapId` pointing at the map's fd. */
export function patchMapFds(bytecode: Uint8Array, maps: readonly LoadedMap[]): Uint8Array {
  const code = bytecode.slice();
  const view = new DataView(code.buffer);
  for (let at = 0; at + 16 <= code.length; at += 8) {
    if (code[at] !== LDDW) continue;
    const src = code[at + 1]! >> 4;
    if (src === PseudoSrc.MapFd) {
      const id = view.getInt32(at + 4, true);
      const map = maps[id];
      if (!map) throw new LoadError(`internal: lddw names map ${id}, which does not exist`);
      view.setInt32(at + 4, map.fd, true);
    }
    at += 8;
  }
  return code;
}

export function isPerCpu(def: MapDef): boolean {
  return def.bpfType === BpfMapType.PercpuHash || def.bpfType === BpfMapType.PercpuArray;
}
