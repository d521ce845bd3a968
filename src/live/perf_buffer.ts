// The perf buffer that programs' records arrive through: one PERF_COUNT_SW_BPF_OUTPUT event
// per CPU, stored in the `.events` map at the CPU's index, its ring mmap'ed and drained on
// every wake-up (all records ready at once, so that a burst is handled as one batch).

import { Bpf, PerfIoctl, PerfSampleRaw, PerfType } from './bpf';
import type { NativeBuffer } from './ffi';
import type { KernelObjects } from './loader';

const PAGE = 4096;
const PERF_COUNT_SW_BPF_OUTPUT = 10n;
const PERF_RECORD_LOST = 2;
const PERF_RECORD_SAMPLE = 9;

interface CpuRing {
  cpu: number;
  fd: number;
  ring: NativeBuffer;
  dataOffset: number;
  dataSize: number;
}

export class PerfBuffer {
  private readonly rings: CpuRing[] = [];
  private readonly epfd: number;
  private readonly events: NativeBuffer;
  /** Records the kernel could not write because a ring was full (PERF_RECORD_LOST). */
  lost = 0n;

  constructor(
    private readonly objects: KernelObjects,
    eventsMapFd: number,
    cpus: number[],
    pagesPerCpu = 64,
  ) {
    const bpf = objects.bpf;
    this.epfd = objects.own(bpf.epollCreate());
    this.events = bpf.c.alloc(12 * Math.max(1, cpus.length));
    for (const cpu of cpus) {
      const fd = objects.own(
        bpf.perfEventOpen(
          {
            type: PerfType.Software,
            config: PERF_COUNT_SW_BPF_OUTPUT,
            sampleType: PerfSampleRaw,
            samplePeriod: 1n,
            wakeupEvents: 1,
          },
          -1,
          cpu,
        ),
      );
      const length = PAGE * (1 + pagesPerCpu);
      const ring = bpf.c.mmap(fd, length);
      if (!ring) throw new Error(`cannot map the perf buffer of CPU ${cpu}`);
      this.unmapLater(ring);
      const key = new Uint8Array(4);
      new DataView(key.buffer).setUint32(0, cpu, true);
      const value = new Uint8Array(4);
      new DataView(value.buffer).setUint32(0, fd, true);
      bpf.update(eventsMapFd, key, value);
      bpf.epollAdd(this.epfd, fd, this.rings.length);
      bpf.ioctl(fd, PerfIoctl.Enable, 0, 'enabling the perf buffer');
      this.rings.push({
        cpu,
        fd,
        ring,
        dataOffset: Number(ring.view.getBigUint64(1040, true)) || PAGE,
        dataSize: Number(ring.view.getBigUint64(1048, true)) || PAGE * pagesPerCpu,
      });
    }
  }

  private unmapLater(ring: NativeBuffer): void {
    const c = this.objects.bpf.c;
    // Unmapped before the fds close: KernelObjects closes in reverse order, and this fd-less
    // entry is owned through a sentinel close.
    this.unmaps.push(() => c.munmap(ring));
  }
  private readonly unmaps: (() => void)[] = [];

  /** Unmaps the rings (their fds are closed by KernelObjects). */
  release(): void {
    for (const unmap of this.unmaps.splice(0)) unmap();
  }

  /** Waits up to `timeoutMs` for records (off the main thread); true when some may be ready. */
  async wait(timeoutMs: number): Promise<boolean> {
    const n = await this.objects.bpf.c.epollWaitAsync(
      this.epfd,
      this.events,
      this.rings.length,
      timeoutMs,
    );
    return n > 0;
  }

  /** Every record ready in every ring, CPU by CPU, each CPU's in order. */
  drain(onRecord: (record: Uint8Array, cpu: number) => void): number {
    let count = 0;
    for (const r of this.rings) count += this.drainRing(r, onRecord);
    return count;
  }

  private drainRing(r: CpuRing, onRecord: (record: Uint8Array, cpu: number) => void): number {
    const view = r.ring.view;
    const bytes = r.ring.bytes;
    const head = view.getBigUint64(1024, true);
    let tail = view.getBigUint64(1032, true);
    let count = 0;
    const size = BigInt(r.dataSize);
    while (tail < head) {
      const at = Number(tail % size);
      const header = this.copy(bytes, r, at, 8);
      const hv = new DataView(header.buffer);
      const type = hv.getUint32(0, true);
      const recordSize = hv.getUint16(6, true);
      if (recordSize === 0) break;
      if (type === PERF_RECORD_SAMPLE) {
        const sizeBytes = this.copy(bytes, r, (at + 8) % r.dataSize, 4);
        const rawSize = new DataView(sizeBytes.buffer).getUint32(0, true);
        onRecord(this.copy(bytes, r, (at + 12) % r.dataSize, rawSize), r.cpu);
        count++;
      } else if (type === PERF_RECORD_LOST) {
        const lost = this.copy(bytes, r, (at + 16) % r.dataSize, 8);
        this.lost += new DataView(lost.buffer).getBigUint64(0, true);
      }
      tail += BigInt(recordSize);
    }
    view.setBigUint64(1032, tail, true);
    return count;
  }

  /** `length` bytes of ring data from `at`, across the wrap-around. */
  private copy(bytes: Uint8Array, r: CpuRing, at: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    const first = Math.min(length, r.dataSize - at);
    out.set(bytes.subarray(r.dataOffset + at, r.dataOffset + at + first));
    if (first < length) out.set(bytes.subarray(r.dataOffset, r.dataOffset + length - first), first);
    return out;
  }
}

export { Bpf };
