// Attaching a USDT probe: a uprobe at each site of the probe in the binary, with the
// semaphore (if any) as the uprobe's reference counter, which the kernel increments.

import type { ResolvedAttachPoint } from '../../compiler/host';
import { attachUprobe, type AttachContext } from './attach';
import { LiveAttachError } from './errors';
import { usdtProbes } from './usdt';
import { hostPath } from './user_probes';

export function attachUsdt(ctx: AttachContext, point: ResolvedAttachPoint, progFd: number): void {
  const [provider, name] = point.func.split(':') as [string, string];
  const path = hostPath(point.target, ctx.cwd, ctx.pid);
  const sites = (usdtProbes(path) ?? []).filter((p) => p.provider === provider && p.name === name);
  if (sites.length === 0)
    throw new LiveAttachError(`${point.name}: no such USDT probe in ${point.target}`);
  if (new Set(sites.map((s) => s.args)).size > 1)
    throw new LiveAttachError(
      `${point.name}: its ${sites.length} sites keep their arguments in different places, which --live cannot read yet`,
    );
  for (const site of sites)
    attachUprobe(ctx, point, path, site.offset, false, progFd, site.semaphoreOffset);
}
