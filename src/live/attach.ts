// Attaching loaded programs to the kernel's event sources through perf events: tracepoints
// (once, not per CPU), uprobes/uretprobes (the uprobe PMU with a path and file offset),
// interval (cpu-clock on one CPU), profile and software events (on every CPU). BEGIN and END
// are not attached: the run loop runs them in its own task.

import { readFileSync } from 'node:fs';
import type { ResolvedAttachPoint } from '../../compiler/host';
import { SOFTWARE_EVENTS } from '../../probes/attach';
import { PerfFlag, PerfIoctl, PerfType, type PerfEventAttr } from './bpf';
import { SyscallError } from './ffi';
import type { KernelObjects } from './loader';
import { resolveUprobeOffset } from './elf_symbols';
import { LiveAttachError } from './errors';
import { hostPath } from './user_probes';

export { LiveAttachError };

export interface AttachContext {
  objects: KernelObjects;
  tracefs: string;
  onlineCpus: number[];
  /** -p PID: uprobes fire only in this process. */
  pid?: number;
  /** Relative uprobe/usdt paths are read from here. */
  cwd: string;
}

const SOFTWARE_CONFIG: Record<string, bigint> = {
  'cpu-clock': 0n,
  'task-clock': 1n,
  'page-faults': 2n,
  'context-switches': 3n,
  'cpu-migrations': 4n,
  'minor-faults': 5n,
  'major-faults': 6n,
  'alignment-faults': 7n,
  'emulation-faults': 8n,
  dummy: 9n,
  'bpf-output': 10n,
};

/** Attaches `progFd` to one resolved attach point; returns how many perf events it opened. */
export function attachPoint(ctx: AttachContext, point: ResolvedAttachPoint, progFd: number): void {
  switch (point.provider) {
    case 'BEGIN':
    case 'END':
      return;
    case 'tracepoint': {
      const id = tracepointId(ctx.tracefs, point.target, point.func);
      openAndAttach(ctx, { type: PerfType.Tracepoint, config: BigInt(id) }, -1, 0, progFd, point);
      return;
    }
    case 'interval':
      openAndAttach(
        ctx,
        { type: PerfType.Software, config: 0n, samplePeriod: point.periodNs ?? 1_000_000_000n },
        -1,
        ctx.onlineCpus[0] ?? 0,
        progFd,
        point,
      );
      return;
    case 'profile': {
      const hz = point.target === 'hz';
      const attr: PerfEventAttr = {
        type: PerfType.Software,
        config: 0n,
        samplePeriod: hz ? BigInt(point.func) : (point.periodNs ?? 1_000_000n),
        flags: hz ? PerfFlag.Freq : 0n,
      };
      for (const cpu of ctx.onlineCpus) openAndAttach(ctx, attr, -1, cpu, progFd, point);
      return;
    }
    case 'software': {
      const event = SOFTWARE_EVENTS.find((e) => e.name === point.target);
      const config = SOFTWARE_CONFIG[point.target];
      if (!event || config === undefined)
        throw new LiveAttachError(`${point.name}: unknown software event`);
      const period = BigInt(point.func === '' ? event.defaultCount : point.func);
      for (const cpu of ctx.onlineCpus)
        openAndAttach(
          ctx,
          { type: PerfType.Software, config, samplePeriod: period },
          -1,
          cpu,
          progFd,
          point,
        );
      return;
    }
    case 'uprobe':
    case 'uretprobe': {
      const path = hostPath(point.target, ctx.cwd, ctx.pid);
      const spec = point.name.slice(`${point.provider}:${point.target}:`.length);
      const offset = resolveUprobeOffset(path, spec, point.name);
      attachUprobe(ctx, point, path, offset, point.provider === 'uretprobe', progFd);
      return;
    }
    case 'hardware':
      throw new LiveAttachError(
        `${point.name}: this machine has no hardware performance counters (perf_event_open of PERF_TYPE_HARDWARE is not supported)`,
      );
    case 'kprobe':
    case 'kretprobe':
      throw new LiveAttachError(
        `${point.name}: this kernel has no kprobes (CONFIG_KPROBES / CONFIG_KPROBE_EVENTS); use a tracepoint instead`,
      );
    case 'kfunc':
    case 'kretfunc':
      throw new LiveAttachError(
        `${point.name}: this kernel cannot attach fentry/fexit (BPF trampoline) programs; use a tracepoint instead`,
      );
    default:
      throw new LiveAttachError(`${point.name}: --live cannot attach ${point.provider} probes yet`);
  }
}

export function attachUprobe(
  ctx: AttachContext,
  point: ResolvedAttachPoint,
  path: string,
  offset: bigint,
  ret: boolean,
  progFd: number,
  refCtrOffset = 0n,
): void {
  const type = uprobePmuType();
  const config = (ret ? 1n : 0n) | (refCtrOffset << 32n);
  const pid = ctx.pid ?? -1;
  openAndAttach(
    ctx,
    { type, config, path, config2: offset },
    pid,
    pid === -1 ? 0 : -1,
    progFd,
    point,
  );
}

let uprobeType: number | undefined;
function uprobePmuType(): number {
  if (uprobeType !== undefined) return uprobeType;
  try {
    uprobeType = Number(readFileSync('/sys/bus/event_source/devices/uprobe/type', 'utf8').trim());
  } catch {
    throw new LiveAttachError('this kernel has no uprobe PMU (CONFIG_UPROBE_EVENTS)');
  }
  return uprobeType;
}

function openAndAttach(
  ctx: AttachContext,
  attr: PerfEventAttr,
  pid: number,
  cpu: number,
  progFd: number,
  point: ResolvedAttachPoint,
): void {
  const bpf = ctx.objects.bpf;
  let fd: number;
  try {
    fd = ctx.objects.ownProbe(
      bpf.perfEventOpen({ ...attr, flags: (attr.flags ?? 0n) | PerfFlag.Disabled }, pid, cpu),
    );
  } catch (e) {
    if (e instanceof SyscallError) throw new LiveAttachError(`${point.name}: ${e.message}`);
    throw e;
  }
  try {
    bpf.ioctl(fd, PerfIoctl.SetBpf, progFd, 'attaching the program');
    bpf.ioctl(fd, PerfIoctl.Enable, 0, 'enabling the probe');
  } catch (e) {
    if (e instanceof SyscallError) throw new LiveAttachError(`${point.name}: ${e.message}`);
    throw e;
  }
}

export function tracepointId(tracefs: string, category: string, name: string): number {
  try {
    return Number(readFileSync(`${tracefs}/events/${category}/${name}/id`, 'utf8').trim());
  } catch {
    throw new LiveAttachError(`tracepoint:${category}:${name}: not found in ${tracefs}`);
  }
}
