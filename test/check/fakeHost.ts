// A small ProbeHost for the checker's tests: BEGIN, END, interval/profile, two tracepoints
// with formats, kprobe/kretprobe, uprobe/uretprobe, kfunc/kretfunc.

import { stdlib } from '../../stdlib/index';
import { DEFAULT_MAP_KEYS_MAX, DEFAULT_STRLEN } from '../../compiler/host';
import type { AttachResult, ProbeHost, ProbeProvider, TracepointFormat } from '../../compiler/host';
import type { CompileOptions } from '../../compiler/host';

const I8_PTR = { kind: 'pointer', to: { kind: 'int', size: 1, signed: true } } as const;

const FORMATS: TracepointFormat[] = [
  {
    category: 'syscalls',
    name: 'sys_enter_openat',
    id: 1,
    size: 48,
    fields: [
      {
        name: 'common_type',
        declaration: 'unsigned short common_type',
        offset: 0,
        size: 2,
        signed: false,
        type: { kind: 'int', size: 2, signed: false },
      },
      {
        name: '__syscall_nr',
        declaration: 'int __syscall_nr',
        offset: 8,
        size: 4,
        signed: true,
        type: { kind: 'int', size: 4, signed: true },
      },
      {
        name: 'dfd',
        declaration: 'int dfd',
        offset: 16,
        size: 8,
        signed: false,
        type: { kind: 'int', size: 8, signed: true },
      },
      {
        name: 'filename',
        declaration: 'const char * filename',
        offset: 24,
        size: 8,
        signed: false,
        type: I8_PTR,
      },
      {
        name: 'flags',
        declaration: 'int flags',
        offset: 32,
        size: 8,
        signed: false,
        type: { kind: 'int', size: 8, signed: true },
      },
      {
        name: 'mode',
        declaration: 'umode_t mode',
        offset: 40,
        size: 8,
        signed: false,
        type: { kind: 'int', size: 8, signed: false },
      },
    ],
  },
  {
    category: 'sched',
    name: 'sched_switch',
    id: 2,
    size: 64,
    fields: [
      {
        name: 'prev_comm',
        declaration: 'char prev_comm[16]',
        offset: 8,
        size: 16,
        signed: false,
        type: { kind: 'array', element: { kind: 'int', size: 1, signed: true }, length: 16 },
      },
      {
        name: 'prev_pid',
        declaration: 'pid_t prev_pid',
        offset: 24,
        size: 4,
        signed: true,
        type: { kind: 'int', size: 4, signed: true },
      },
      {
        name: 'next_pid',
        declaration: 'pid_t next_pid',
        offset: 56,
        size: 4,
        signed: true,
        type: { kind: 'int', size: 4, signed: true },
      },
    ],
  },
];

const UNITS: Record<string, bigint> = { s: 1_000_000_000n, ms: 1_000_000n, us: 1_000n, hz: 0n };

export const fakeHost: ProbeHost = {
  resolveAttachPoint(raw: string): AttachResult {
    if (raw === 'BEGIN' || raw === 'END') {
      return { ok: true, points: [{ provider: raw, name: raw, target: '', func: '' }] };
    }
    const parts = raw.split(':');
    const provider =
      (
        {
          t: 'tracepoint',
          k: 'kprobe',
          kr: 'kretprobe',
          u: 'uprobe',
          ur: 'uretprobe',
          i: 'interval',
          p: 'profile',
          f: 'kfunc',
          fr: 'kretfunc',
        } as Record<string, ProbeProvider>
      )[parts[0]] ?? parts[0];
    switch (provider) {
      case 'interval':
      case 'profile': {
        const unit = UNITS[parts[1]];
        if (unit === undefined)
          return { ok: false, message: `${parts[1]} is not an accepted unit of time` };
        return {
          ok: true,
          points: [
            {
              provider,
              name: `${provider}:${parts[1]}:${parts[2]}`,
              target: parts[1],
              func: parts[2],
              periodNs: unit * BigInt(parts[2] ?? 0),
            },
          ],
        };
      }
      case 'tracepoint': {
        const matches = FORMATS.filter(
          (f) =>
            f.category === parts[1] &&
            new RegExp(`^${parts[2].replace(/\*/g, '.*')}$`).test(f.name),
        );
        if (matches.length === 0)
          return { ok: false, message: `tracepoint not found: ${parts[1]}:${parts[2]}` };
        return {
          ok: true,
          points: matches.map((f) => ({
            provider,
            name: `tracepoint:${f.category}:${f.name}`,
            target: f.category,
            func: f.name,
          })),
        };
      }
      case 'kprobe':
      case 'kretprobe':
      case 'kfunc':
      case 'kretfunc':
        return {
          ok: true,
          points: [{ provider, name: `${provider}:${parts[1]}`, target: '', func: parts[1] }],
        };
      case 'uprobe':
      case 'uretprobe':
        return {
          ok: true,
          points: [
            {
              provider,
              name: `${provider}:${parts[1]}:${parts[2]}`,
              target: parts[1],
              func: parts[2],
            },
          ],
        };
      default:
        return {
          ok: false,
          message: 'Invalid probe type made it to attachpoint parser',
          fatal: true,
        };
    }
  },
  tracepointFormat(category: string, name: string) {
    return FORMATS.find((f) => f.category === category && f.name === name);
  },
};

export function testOptions(overrides: Partial<CompileOptions> = {}): CompileOptions {
  return {
    sourceName: 'stdin',
    strlen: DEFAULT_STRLEN,
    mapKeysMax: DEFAULT_MAP_KEYS_MAX,
    params: [],
    unsafe: false,
    builtins: stdlib,
    host: fakeHost,
    ...overrides,
  };
}
