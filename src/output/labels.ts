// Number labels of hist/lhist rows: K/M/G… suffixes in bpftrace's style, extended past G
// (bpfscope keeps values ≥ 2^31 in their own buckets; 0.17 never got that far).

const SUFFIXES = ['', 'K', 'M', 'G', 'T', 'P', 'E'];

/** 2^power written as hist labels are: `512`, `1K`, `2M`, `4G`, `1T`, `8E`. */
export function powerOfTwoLabel(power: number): string {
  const unit = Math.min(Math.floor(power / 10), SUFFIXES.length - 1);
  return `${1n << BigInt(power - unit * 10)}${SUFFIXES[unit]}`;
}

/** An lhist bound: `0`, or N/1024^k with the largest suffix whose unit divides N exactly. */
export function lhistNumberLabel(value: bigint): string {
  if (value === 0n) return '0';
  for (let unit = SUFFIXES.length - 1; unit > 0; unit--) {
    const scale = 1n << BigInt(10 * unit);
    if (value % scale === 0n) return `${value / scale}${SUFFIXES[unit]}`;
  }
  return value.toString();
}
