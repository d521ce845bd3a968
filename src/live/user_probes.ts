// Which user binaries a uprobe/usdt pattern names on this machine: a path (globs allowed in
// its file name, as bpftrace expands them), or with -p PID the files the process maps (read
// through /proc/PID/root, so a process in another mount namespace works too).

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, basename, join, resolve } from 'node:path';
import { globToRegExp, hasWildcard } from '../../probes/attach';

/** Paths (as the process sees them) of the ELF files `pid` maps: its executable first. */
export function processFiles(pid: number): string[] {
  const files: string[] = [];
  try {
    const text = readFileSync(`/proc/${pid}/maps`, 'utf8');
    for (const line of text.split('\n')) {
      const m = /^\S+ \S+ \S+ \S+ \d+\s+(\/.*)$/.exec(line);
      if (!m) continue;
      const path = m[1]!.replace(/ \(deleted\)$/, '');
      if (!files.includes(path) && !path.startsWith('/dev/') && !path.startsWith('/memfd:'))
        files.push(path);
    }
  } catch {
    // the process is gone
  }
  return files;
}

/** The path to read a file at: as is when it exists here, else through the process's root. */
export function hostPath(path: string, cwd: string, pid?: number): string {
  const direct = resolve(cwd, path);
  if (pid === undefined) return direct;
  try {
    statSync(direct);
    return direct;
  } catch {
    return `/proc/${pid}/root${path.startsWith('/') ? '' : '/'}${path}`;
  }
}

/** The files a target pattern names: globs in the last path component are expanded. */
export function expandTarget(target: string, cwd: string, pid?: number): string[] {
  if (pid !== undefined && (target === '' || target === '*')) return processFiles(pid);
  if (!hasWildcard(target)) return [target];
  if (pid !== undefined && !target.includes('/')) {
    const re = globToRegExp(target);
    return processFiles(pid).filter((p) => re.test(p) || re.test(basename(p)));
  }
  const dir = dirname(target);
  if (hasWildcard(dir)) return [];
  const re = globToRegExp(basename(target));
  try {
    return readdirSync(resolve(cwd, dir))
      .filter((name) => re.test(name))
      .sort()
      .map((name) => (dir === '.' && !target.startsWith('./') ? name : join(dir, name)))
      .map((p) => (target.startsWith('./') && !p.startsWith('./') ? `./${p}` : p));
  } catch {
    return [];
  }
}
