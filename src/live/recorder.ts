// `--live --record FILE`: a second small program on every attached tracepoint writes what the
// event was — task metadata, the raw tracepoint record, and the strings its `char *` fields
// point to, read at event time — to a perf buffer of its own. The run turns each such record
// into an Event, and at the end writes them, in time order, as a recorded trace that
// `--replay FILE` runs the same script over (probes/TRACE_FORMAT.md, "Recording a live run").

import type { ResolvedAttachPoint } from '../../compiler/host';
import { encode } from '../../compiler/isa/encode';
import { BPF_F_CURRENT_CPU, Helper } from '../../compiler/isa/helpers';
import {
  alu64Imm,
  call,
  exit,
  jmpImm,
  lddw,
  ldxMem,
  mov32Imm,
  mov64Imm,
  mov64Reg,
  stMem,
  stxMem,
} from '../../compiler/isa/build';
import type { Instruction } from '../../compiler/isa/instruction';
import { AluOp, JmpOp, PseudoSrc, Size } from '../../compiler/isa/opcode';
import { BpfMapType } from '../../compiler/program';
import type { Event, MemoryRegion } from '../../probes/event';
import type { ProbeTracepointFormat } from '../../probes/tracepoint_format';
import type { TracepointCatalog } from '../../probes/tracepoints';
import { ProgType } from './bpf';
import { LiveError } from './errors';
import type { KernelObjects } from './loader';

/** Bytes of each string a pointer field names that the recording keeps. */
export const RECORDED_STRING_BYTES = 256;
const HEADER = 56;
const SCRATCH_BYTES = 1 << 15;

/** Probes a live recording can replay: tracepoints, and what the replay makes itself. */
const RECORDABLE = new Set(['tracepoint', 'BEGIN', 'END', 'interval']);

export function checkRecordable(points: readonly ResolvedAttachPoint[]): void {
  const bad = points.find((p) => !RECORDABLE.has(p.provider));
  if (bad)
    throw new LiveError(
      `--record of a live run records tracepoint probes (and BEGIN, END, interval); ${bad.name} cannot be recorded`,
    );
}

interface Layout {
  format: ProbeTracepointFormat;
  probe: string;
  ctxSize: number;
  strings: { offset: number; at: number; kernel: boolean }[];
  size: number;
}

function layoutOf(probe: string, format: ProbeTracepointFormat): Layout {
  const ctxSize = (format.size + 7) & ~7;
  let at = HEADER + ctxSize;
  const strings: Layout['strings'] = [];
  for (const f of format.fields) {
    if (f.type.kind !== 'pointer' || f.size !== 8 || !/\bchar\b/.test(f.declaration)) continue;
    strings.push({ offset: f.offset, at, kernel: format.category !== 'syscalls' });
    at += 8 + RECORDED_STRING_BYTES;
  }
  if (at > SCRATCH_BYTES) throw new LiveError(`${probe}: its record is too large to record`);
  return { format, probe, ctxSize, strings, size: at };
}

/** The recording program of one tracepoint (map ids: 0 = scratch, 1 = output). */
function recorderCode(index: number, layout: Layout): Instruction[] {
  const code: Instruction[] = [
    mov64Reg(6, 1),
    stMem(Size.W, 10, -4, 0),
    lddw(1, 0n, PseudoSrc.MapFd),
    mov64Reg(2, 10),
    alu64Imm(AluOp.ADD, 2, -4),
    call(Helper.map_lookup_elem),
  ];
  const body: Instruction[] = [
    mov64Reg(7, 0),
    stMem(Size.DW, 7, 0, index),
    call(Helper.ktime_get_ns),
    stxMem(Size.DW, 7, 0, 8),
    call(Helper.get_current_pid_tgid),
    stxMem(Size.DW, 7, 0, 16),
    call(Helper.get_current_uid_gid),
    stxMem(Size.DW, 7, 0, 24),
    mov64Reg(1, 7),
    alu64Imm(AluOp.ADD, 1, 32),
    mov64Imm(2, 16),
    call(Helper.get_current_comm),
    call(Helper.get_smp_processor_id),
    stxMem(Size.W, 7, 0, 48),
    mov64Reg(1, 7),
    alu64Imm(AluOp.ADD, 1, HEADER),
    mov64Imm(2, layout.format.size),
    mov64Reg(3, 6),
    call(Helper.probe_read_kernel),
  ];
  for (const s of layout.strings) {
    body.push(
      ldxMem(Size.DW, 3, 6, s.offset),
      mov64Reg(1, 7),
      alu64Imm(AluOp.ADD, 1, s.at + 8),
      mov64Imm(2, RECORDED_STRING_BYTES),
      call(s.kernel ? Helper.probe_read_kernel_str : Helper.probe_read_user_str),
      stxMem(Size.DW, 7, 0, s.at),
    );
  }
  body.push(
    mov64Reg(1, 6),
    lddw(2, 1n, PseudoSrc.MapFd),
    mov32Imm(3, Number(BPF_F_CURRENT_CPU) | 0),
    mov64Reg(4, 7),
    mov64Imm(5, layout.size),
    call(Helper.perf_event_output),
  );
  // Skip the body when the scratch lookup failed (lddw takes two slots).
  const slots = body.reduce((n, i) => n + (i.imm64 !== undefined ? 2 : 1), 0);
  return [...code, jmpImm(JmpOp.JEQ, 0, 0, slots), ...body, mov64Imm(0, 0), exit()];
}

export class LiveRecorder {
  private readonly layouts: Layout[] = [];
  private readonly events: Event[] = [];
  readonly scratchFd: number;
  readonly outputFd: number;

  constructor(
    private readonly objects: KernelObjects,
    private readonly tracepoints: TracepointCatalog,
    maxCpus: number,
  ) {
    const bpf = objects.bpf;
    this.scratchFd = objects.own(
      bpf.mapCreate({
        type: BpfMapType.PercpuArray,
        keySize: 4,
        valueSize: SCRATCH_BYTES,
        maxEntries: 1,
        name: 'rec_scratch',
      }),
    );
    this.outputFd = objects.own(
      bpf.mapCreate({
        type: BpfMapType.PerfEventArray,
        keySize: 4,
        valueSize: 4,
        maxEntries: maxCpus,
        name: 'rec_events',
      }),
    );
  }

  /** Loads the recording program of a tracepoint; attach it beside the script's. */
  programFor(point: ResolvedAttachPoint): number {
    const format = this.tracepoints.format(point.target, point.func);
    if (!format) throw new LiveError(`${point.name}: no format to record it by`);
    const index = this.layouts.length;
    const layout = layoutOf(point.name, format);
    this.layouts.push(layout);
    const bytes = encode(recorderCode(index, layout));
    const view = new DataView(bytes.buffer);
    for (let at = 0; at + 16 <= bytes.length; at += 8) {
      if (bytes[at] === 0x18 && bytes[at + 1]! >> 4 === PseudoSrc.MapFd) {
        const id = view.getInt32(at + 4, true);
        view.setInt32(at + 4, id === 0 ? this.scratchFd : this.outputFd, true);
        at += 8;
      }
    }
    return this.objects.own(
      this.objects.bpf.progLoad(ProgType.Tracepoint, bytes, `record_${index}`),
    );
  }

  /** One record from the recording perf buffer. */
  take(record: Uint8Array): void {
    const v = new DataView(record.buffer, record.byteOffset, record.byteLength);
    const layout = this.layouts[Number(v.getBigUint64(0, true))];
    if (!layout || record.length < layout.size) return;
    const pidTgid = v.getBigUint64(16, true);
    const uidGid = v.getBigUint64(24, true);
    const commEnd = record.subarray(32, 48).indexOf(0);
    const ctx = record.slice(HEADER, HEADER + layout.format.size);
    const memory: MemoryRegion[] = [];
    const ctxView = new DataView(ctx.buffer);
    for (const s of layout.strings) {
      const length = Number(v.getBigInt64(s.at, true));
      if (length <= 0) continue;
      memory.push({
        address: ctxView.getBigUint64(s.offset, true),
        bytes: record.slice(s.at + 8, s.at + 8 + length),
        kernel: s.kernel,
      });
    }
    this.events.push({
      probe: layout.probe,
      ts: v.getBigUint64(8, true),
      cpu: v.getUint32(48, true),
      pid: Number(pidTgid >> 32n),
      tid: Number(pidTgid & 0xffffffffn),
      uid: Number(uidGid & 0xffffffffn),
      gid: Number(uidGid >> 32n),
      comm: Buffer.from(record.subarray(32, commEnd < 0 ? 48 : 32 + commEnd)).toString('latin1'),
      ctx,
      memory,
    });
  }

  /** The recorded events in time order (each CPU's are in order; the merge is stable). */
  sortedEvents(): Event[] {
    return this.events.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
  }
}
