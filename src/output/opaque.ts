// Text of the opaque builtin values, whose bytes the program stores and user space resolves
// (symbols, stacks, addresses, error texts, user names, probe names, timestamps).

import { uptime } from 'node:os';
import type { Type } from '../../compiler/types';
import { readI64, readU64 } from './bytes';
import type { FormatContext } from './context';
import { formatInet } from './inet';
import { formatStack } from './stacks';
import { strerror } from './strerror';
import { strftime } from './strftime';

/**
 * Stored layouts (codegen writes them so): ksym/usym: u64 address (usym: then u64 pid);
 * inet: u64 family then 16 address bytes; username/strerror/probe/cgroup_path: one u64
 * (uid, errno, index into Program.probeNames, cgroup id); macaddr: 6 bytes; timestamp
 * (strftime): u64 index into Program.timeFormats then u64 nsecs since boot;
 * kstack/ustack: see stacks.ts.
 */
export function formatOpaque(
  type: Type & { kind: 'opaque' },
  bytes: Uint8Array,
  offset: number,
  ctx: FormatContext,
  inKey: boolean,
): string {
  switch (type.name) {
    case 'kstack':
    case 'ustack':
      return formatStack(type, bytes, offset, ctx, inKey);
    case 'ksym':
    case 'usym':
      return type.name === 'ksym'
        ? symbolName(readU64(bytes, offset), true, undefined, ctx)
        : symbolName(readU64(bytes, offset), false, Number(readU64(bytes, offset + 8)), ctx);
    case 'inet':
      return formatInet(readU64(bytes, offset), bytes.slice(offset + 8, offset + 24));
    case 'strerror':
      return strerror(BigInt.asIntN(32, readI64(bytes, offset)));
    case 'username':
      return userName(readU64(bytes, offset), ctx);
    case 'probe':
      return ctx.program.probeNames[Number(readU64(bytes, offset))] ?? '';
    case 'macaddr':
      return [...bytes.slice(offset, offset + 6)]
        .map((b) => b.toString(16).toUpperCase().padStart(2, '0'))
        .join(':');
    case 'timestamp': {
      const format = ctx.program.timeFormats[Number(readU64(bytes, offset))] ?? '';
      const at = (ctx.env.bootWallNs ?? defaultBootWallNs()) + readU64(bytes, offset + 8);
      return strftime(format, new Date(Number(at / 1_000_000n)), Number((at / 1000n) % 1_000_000n));
    }
    case 'cgroup_path': {
      // One hierarchy, cgroup v2's ("unified"), as on a machine without v1 controllers; an
      // unknown id prints as nothing, as in 0.17.
      const id = readU64(bytes, offset);
      const path = ctx.env.cgroupPath?.(id) ?? (id === ROOT_CGROUP_ID ? '/' : undefined);
      return path === undefined ? '' : `unified:${path}`;
    }
    case 'ctx':
      return '';
  }
}

/** ksym()/usym(): the function name without offset, or the address in hex when unknown;
 *  usym looks in the images that its process maps. */
function symbolName(
  address: bigint,
  kernel: boolean,
  pid: number | undefined,
  ctx: FormatContext,
): string {
  const symbol = ctx.env.symbols?.symbolize(address, kernel, pid);
  return symbol === undefined
    ? `0x${address.toString(16)}`
    : symbol.replace(/\+(0x)?[0-9a-f]+$/, '');
}

/** bpftrace reads /etc/passwd; an unknown uid prints as an empty name. */
function userName(uid: bigint, ctx: FormatContext): string {
  const passwd = ctx.env.readFile?.('/etc/passwd');
  if (!passwd) return '';
  for (const line of new TextDecoder('latin1').decode(passwd).split('\n')) {
    const fields = line.split(':');
    if (fields.length > 2 && fields[2] === uid.toString()) return fields[0];
  }
  return '';
}

/** The root cgroup's id (what get_current_cgroup_id gives a task no source placed). */
const ROOT_CGROUP_ID = 1n;

function defaultBootWallNs(): bigint {
  return BigInt(Date.now() - Math.round(uptime() * 1000)) * 1_000_000n;
}
