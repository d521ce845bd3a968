// User symbols resolve per process: an address names a function only in a process that maps
// the image holding it (bpftrace resolves usym through /proc/PID/maps).

import { describe, expect, it } from 'vitest';
import type { Program } from '../../compiler/program';
import { MachineImage, userFunction } from '../../probes/machine';
import { SymbolMap } from '../../probes/symbols';
import { formatOpaque } from '../../src/output/opaque';
import { concat, u64 } from '../output/sim';

const LIBSSL = '/lib/x86_64-linux-gnu/libssl.so.3';
const USYM = { kind: 'opaque', name: 'usym', size: 16 } as const;

function usymText(symbols: SymbolMap, address: bigint, pid: number): string {
  const ctx = {
    program: { probeNames: [], timeFormats: [] } as unknown as Program,
    env: { symbols },
  };
  return formatOpaque(USYM, concat(u64(address), u64(pid)), 0, ctx, false);
}

describe('per-process user symbols', () => {
  const map = new SymbolMap();
  map.add({ name: 'SSL_read', address: 0x7000n, size: 0x100, kernel: false, image: LIBSSL });
  map.add({ name: 'main', address: 0x1000n, size: 0x100, kernel: false, image: '/bin/bash' });
  map.mapProcess(10, ['/usr/sbin/nginx', LIBSSL]);
  map.mapProcess(20, ['/bin/bash']);

  it('resolves an address in a library the process maps', () => {
    expect(map.symbolize(0x7010n, false, 10)).toBe('SSL_read+16');
    expect(usymText(map, 0x7010n, 10)).toBe('SSL_read');
  });

  it('prints the address of an image the process does not map in hex', () => {
    expect(map.symbolize(0x7010n, false, 20)).toBeUndefined();
    expect(usymText(map, 0x7010n, 20)).toBe('0x7010');
    expect(usymText(map, 0x1000n, 10)).toBe('0x1000');
  });

  it('looks in every image for a process it knows nothing of, or without a pid', () => {
    expect(map.symbolize(0x1000n, false, 99)).toBe('main');
    expect(map.symbolize(0x7000n, false)).toBe('SSL_read');
  });

  it('maps the simulated processes to their executable and the shared libraries', () => {
    const image = new MachineImage();
    image.mapProcess(1851, '/usr/sbin/nginx');
    image.mapProcess(1900, '/bin/bash');
    const sslRead = userFunction(LIBSSL, 'SSL_read');
    const nginxMain = userFunction('/usr/sbin/nginx', 'main');
    expect(usymText(image.symbols, sslRead, 1851)).toBe('SSL_read');
    expect(usymText(image.symbols, sslRead, 1900)).toBe('SSL_read');
    expect(usymText(image.symbols, nginxMain, 1851)).toBe('main');
    expect(usymText(image.symbols, nginxMain, 1900)).toBe(`0x${nginxMain.toString(16)}`);
  });
});
