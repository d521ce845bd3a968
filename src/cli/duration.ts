// `--duration 500ms`: a number with a unit (ns, us, ms, s, m, h); a bare number is seconds.

import { UsageError } from './args';

const UNIT_NS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

export function parseDuration(text: string): bigint {
  const match = /^(\d+)(ns|us|ms|s|m|h)?$/.exec(text.trim());
  if (!match) throw new UsageError(`--duration expects a time such as 500ms or 2s, got "${text}"`);
  const ns = BigInt(match[1]) * UNIT_NS[match[2] ?? 's'];
  if (ns === 0n) throw new UsageError('--duration must be greater than zero');
  return ns;
}
