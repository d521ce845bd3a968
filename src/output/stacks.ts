// kstack/ustack text as bpftrace prints it: a leading newline, then one line per frame,
// innermost first. bpftrace mode: `<indent>sym+off`; perf mode: `\t<hex addr> sym+off`.

import { stackMapName, type Program } from '../../compiler/program';
import { DEFAULT_STACK_LIMIT, type Type } from '../../compiler/types';
import { readInt } from './bytes';
import type { FormatContext } from './context';

function stackMapId(program: Program, user: boolean, limit: number): number | undefined {
  const name = stackMapName(user, limit);
  return program.maps.find((m) => m.name === name)?.id;
}

/**
 * The stored value is bpftrace's `stackid | pid << 32` (8 bytes); a negative stack id
 * (get_stackid failed) prints as nothing.
 */
export function formatStack(
  type: Type & { kind: 'opaque' },
  bytes: Uint8Array,
  offset: number,
  ctx: FormatContext,
  inKey: boolean,
): string {
  const user = type.name === 'ustack';
  const mode = type.stack?.mode ?? 'bpftrace';
  const limit = type.stack?.limit ?? DEFAULT_STACK_LIMIT;
  const stackId = Number(readInt(bytes, offset, 4, true));
  // The pid half, when the program stored one, picks the process whose images resolve frames.
  const pid = user ? Number(readInt(bytes, offset + 4, 4, false)) || undefined : undefined;
  const mapId = stackMapId(ctx.program, user, limit);
  if (stackId < 0 || mapId === undefined || !ctx.maps) return '';
  const frames = ctx.maps.stackTrace(mapId, stackId).slice(0, limit);
  const indent = ' '.repeat(inKey ? 4 : 8);
  let text = '\n';
  for (const address of frames) {
    if (address === 0n) break;
    const hex = address.toString(16);
    const symbol = ctx.env.symbols?.symbolize(address, !user, pid) ?? `0x${hex}`;
    if (mode === 'perf' && user) {
      // perf's layout names the user image too: `\t<addr> sym+off (/path)`.
      const image = ctx.env.symbols?.lookup?.(address, false, pid)?.image ?? '[unknown]';
      text += `\t${hex} ${symbol} (${image})\n`;
    } else if (mode === 'perf') text += `\t${hex} ${symbol}\n`;
    else if (mode === 'raw') text += `${hex}\n`;
    else text += `${indent}${symbol}\n`;
  }
  return text;
}

/** The frames of a stack as formatStack printed it, innermost first (perf mode keeps the
 *  address before the symbol, raw mode is the address alone). */
export function framesOfStackText(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

export function isStackType(type: Type): type is Type & { kind: 'opaque' } {
  return type.kind === 'opaque' && (type.name === 'kstack' || type.name === 'ustack');
}
