// Block I/O: a request a system call issues to the NVMe disk, its accounting and its
// block_rq_* tracepoints (completion on the CPU's idle task, as from an interrupt).

import { fireKernelFunction } from './kernel_functions';
import type { SimKernel } from './kernel';
import type { SyscallOp, ThreadState } from './model';

const NVME_DEV = (259 << 20) | 0;

export function blockIo(
  k: SimKernel,
  thread: ThreadState,
  op: SyscallOp,
  t: bigint,
  exitTs: bigint,
): void {
  const io = op.io!;
  const sector = BigInt(k.rng.int(2048, 400_000_000)) & ~7n;
  const nr = Math.max(8, Math.ceil(io.bytes / 4096) * 8);
  const rwbs = io.write ? (op.name.includes('sync') ? 'WS' : 'W') : k.rng.chance(0.3) ? 'RA' : 'R';
  const issueAt = t + 6_000n < exitTs ? t + 6_000n : t;
  const doneAt = exitTs - 4_000n > issueAt ? exitTs - 4_000n : exitTs;
  const task = k.task(thread);
  const common = { dev: NVME_DEV, sector, nr_sector: nr, rwbs, cmd: '' };
  // Accounting brackets the request: start when it is queued, done when it completes.
  const request = k.object('request', sector);
  for (const func of ['blk_account_io_start', '__blk_account_io_start'])
    fireKernelFunction(k, func, [request], 0n, issueAt - 1_500n, thread.cpu, task, [
      'blk_mq_submit_bio',
      'submit_bio',
    ]);
  for (const func of ['blk_account_io_done', '__blk_account_io_done'])
    fireKernelFunction(k, func, [request, doneAt], 0n, doneAt, thread.cpu, k.idle[thread.cpu]!, [
      'blk_mq_end_request',
      'nvme_irq',
    ]);
  k.tracepoint('block', 'block_rq_insert', issueAt - 1_000n, thread.cpu, task, {
    ...common,
    bytes: nr * 512,
    comm: thread.comm,
  });
  k.tracepoint('block', 'block_rq_issue', issueAt, thread.cpu, task, {
    ...common,
    bytes: nr * 512,
    comm: thread.comm,
  });
  k.tracepoint('block', 'block_rq_complete', doneAt, thread.cpu, k.idle[thread.cpu]!, {
    ...common,
    error: 0,
  });
}
