// numaid: the NUMA node of the CPU the probe runs on, through bpf_get_numa_node_id (helper
// 42), its whole 64-bit result, as bpftrace 0.17's `--emit-elf` of `BEGIN { @ = numaid; }`
// starts (`call 42`, then r0 stored as the map value). The simulated machine has one node.

import { describe, expect, it } from 'vitest';
import { run, u64 } from './run';

describe('numaid', () => {
  it('calls bpf_get_numa_node_id first, as 0.17 does', () => {
    const r = run('BEGIN { @ = numaid; }');
    const first = r.program.probes[0]!.bytecode.subarray(0, 8);
    expect([...first]).toEqual([0x85, 0, 0, 0, 42, 0, 0, 0]);
  });

  it('is node 0 on the one-node machine, in printf and as a map value', () => {
    const r = run('BEGIN { printf("%d\\n", numaid); @n[numaid] = count(); @v = numaid + 5; }');
    expect(r.printed).toEqual([[0n]]);
    expect([...r.map('@n').keys()]).toEqual(['0000000000000000']);
    expect(u64(r.map('@v').values().next().value!, 0)).toBe(5n);
  });
});
