// Kernel function probes (kprobe, kretprobe, kfunc, kretfunc) firing for the kernel functions
// a system call passes through, or one reached outside a system call (block completion).

import type { KernelCall } from './kernel_calls';
import { buildPtRegs } from '../register_context';
import { makeEvent, type TaskInfo } from '../task';
import type { MemoryRegion } from '../event';
import type { SimKernel } from './kernel';
import type { ThreadState } from './model';

export const SYSCALL_ENTRY_FRAMES = ['do_syscall_64', 'entry_SYSCALL_64_after_hwframe'];
const KERNEL_SP = 0xffff_c900_0040_0000n;

/** The probes on each function of a system call's chain `all` (outermost first), entries
 *  spread evenly from `enterTs` and returns mirrored before `exitTs`. */
export function fireSyscallChain(
  k: SimKernel,
  thread: ThreadState,
  all: readonly KernelCall[],
  libcWrapper: string,
  regions: MemoryRegion[],
  enterTs: bigint,
  exitTs: bigint,
  exitTask: TaskInfo,
): void {
  const image = k.image;
  const task = k.task(thread);
  const span = exitTs - enterTs;
  all.forEach((call, depth) => {
    const names = k.wanted.byFunction.get(call.func);
    if (!names) return;
    const step = span / BigInt(2 * all.length + 2);
    const inTs = enterTs + step * BigInt(depth + 1);
    const outTs = exitTs - step * BigInt(depth + 1);
    const outer = all
      .slice(0, depth)
      .map((c) => c.func)
      .reverse();
    const kstack = image.kstack([call.func, ...outer, ...SYSCALL_ENTRY_FRAMES]);
    kstack[0] = image.kernel(call.func);
    const ustack = k.ustack(thread, [['/lib/x86_64-linux-gnu/libc.so.6', libcWrapper]]);
    const returnIp = kstack[1] ?? image.kernel('do_syscall_64') + 0x40n;
    for (const name of names.kprobe) {
      const off = name.includes('+') ? BigInt(name.slice(name.indexOf('+') + 1)) : 0n;
      const ctx = buildPtRegs({
        args: call.args,
        ip: image.kernel(call.func) + off + 1n,
        sp: KERNEL_SP,
      });
      k.emit(makeEvent(name, inTs, thread.cpu, task, ctx, regions, { kstack, ustack }));
    }
    for (const name of names.kfunc)
      k.emit(
        makeEvent(name, inTs, thread.cpu, task, u64s(call.args), regions, {
          kstack,
          ustack,
        }),
      );
    for (const name of names.kretprobe) {
      const ctx = buildPtRegs({ retval: call.ret, ip: returnIp, sp: KERNEL_SP });
      k.emit(
        makeEvent(name, outTs, thread.cpu, exitTask, ctx, [], {
          kstack: kstack.slice(1),
          ustack,
        }),
      );
    }
    for (const name of names.kretfunc)
      k.emit(
        makeEvent(name, outTs, thread.cpu, exitTask, u64s([...call.args, call.ret]), regions, {
          kstack: kstack.slice(1),
          ustack,
        }),
      );
  });
}

/** A kernel function reached outside a system call's chain (block completion, softirq):
 *  its kprobes and kretprobes fire at `ts` with `frames` as the callers on the stack. */
export function fireKernelFunction(
  k: SimKernel,
  func: string,
  args: bigint[],
  ret: bigint,
  ts: bigint,
  cpu: number,
  task: TaskInfo,
  frames: string[],
): void {
  const names = k.wanted.byFunction.get(func);
  if (!names) return;
  const image = k.image;
  const kstack = image.kstack([func, ...frames]);
  kstack[0] = image.kernel(func);
  const sp = KERNEL_SP;
  for (const name of names.kprobe) {
    const ctx = buildPtRegs({ args, ip: image.kernel(func) + 1n, sp });
    k.emit(makeEvent(name, ts, cpu, task, ctx, [], { kstack }));
  }
  for (const name of names.kfunc)
    k.emit(makeEvent(name, ts, cpu, task, u64s(args), [], { kstack }));
  const returnIp = kstack[1] ?? image.kernel('do_syscall_64') + 0x40n;
  for (const name of names.kretprobe) {
    const ctx = buildPtRegs({ retval: ret, ip: returnIp, sp });
    k.emit(makeEvent(name, ts + 200n, cpu, task, ctx, [], { kstack: kstack.slice(1) }));
  }
  for (const name of names.kretfunc)
    k.emit(
      makeEvent(name, ts + 200n, cpu, task, u64s([...args, ret]), [], {
        kstack: kstack.slice(1),
      }),
    );
}

/** kfunc/kretfunc contexts: the arguments (and return value) as 64-bit words. */
function u64s(values: readonly bigint[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setBigUint64(i * 8, BigInt.asUintN(64, v), true));
  return bytes;
}
