// User space: library calls (uprobe/uretprobe on the called function) and USDT probes.

import { buildPtRegs } from '../register_context';
import { makeEvent } from '../task';
import type { SimKernel } from './kernel';
import type { LibraryCallOp, ThreadState, UsdtOp } from './model';

const USER_SP = 0x7ffd_5000_0000n;

/** Runs a library call from `t`; returns when it ended. */
export function runLibraryCall(
  k: SimKernel,
  thread: ThreadState,
  op: LibraryCallOp,
  t: bigint,
): bigint {
  const end = t + op.dur;
  k.segment(thread, t, end, undefined, [[op.path, op.func]]);
  const names = k.wanted.byUserFunction.get(`${op.path}:${op.func}`);
  if (!names) return end;
  const image = k.image;
  const task = k.task(thread);
  const ustack = k.ustack(thread, [[op.path, op.func]]);
  ustack[0] = image.user(op.path, op.func);
  const args = op.args.map((a) => (typeof a === 'string' ? k.memory.putString(a) : BigInt(a)));
  const entryRegions = k.memory.take();
  for (const name of names.uprobe) {
    const off =
      name.lastIndexOf('+') > name.lastIndexOf(':')
        ? BigInt(name.slice(name.lastIndexOf('+') + 1))
        : 0n;
    const ctx = buildPtRegs({ args, ip: image.user(op.path, op.func) + off, sp: USER_SP });
    k.emit(makeEvent(name, t, thread.cpu, task, ctx, entryRegions, { ustack }));
  }
  if (names.uretprobe.length > 0) {
    const ret = typeof op.ret === 'string' ? k.memory.putString(op.ret) : BigInt(op.ret);
    const regions = k.memory.take();
    const ctx = buildPtRegs({ retval: ret, ip: ustack[1] ?? 0n, sp: USER_SP });
    for (const name of names.uretprobe)
      k.emit(makeEvent(name, end, thread.cpu, task, ctx, regions, { ustack: ustack.slice(1) }));
  }
  return end;
}

/** A USDT probe the program passes at `t`; returns when it has passed. */
export function passUsdt(k: SimKernel, thread: ThreadState, op: UsdtOp, t: bigint): bigint {
  const name = `usdt:${op.path}:${op.probe}`;
  if (k.wanted.usdt.has(name)) {
    const args = op.args.map((a) => (typeof a === 'string' ? k.memory.putString(a) : BigInt(a)));
    const ctx = buildPtRegs({ args, ip: k.image.user(op.path, 'main') + 0x40n });
    k.emit(
      makeEvent(name, t, thread.cpu, k.task(thread), ctx, k.memory.take(), {
        ustack: k.ustack(thread, []),
      }),
    );
  }
  return t + 200n;
}
