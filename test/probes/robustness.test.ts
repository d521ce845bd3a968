import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { replayFromText } from '../../probes/replay';
import { TraceFileError } from '../../probes/trace/errors';
import { attach } from './helpers';

const HEADER = '{"format": "bpfscope-trace", "version": 1}';
const PROBES = [
  'tracepoint:syscalls:sys_enter_openat',
  'tracepoint:raw_syscalls:sys_enter',
  'kprobe:vfs_read',
  'interval:ms:100',
];

/** Replays `text` fully; returns 'ok' or the TraceFileError; anything else escapes the test. */
function replay(text: string): 'ok' | TraceFileError {
  try {
    const source = replayFromText(text, 'fuzz', { liveTracepoints: false });
    for (const _ of source.events({ probes: attach(source, ...PROBES) })) {
      /* drain */
    }
    return 'ok';
  } catch (e) {
    if (e instanceof TraceFileError) return e;
    throw e;
  }
}

const jsonValue = fc.oneof(
  fc.integer(),
  fc.string(),
  fc.constant(null),
  fc.array(fc.oneof(fc.integer(), fc.string()), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.integer(), fc.string()), { maxKeys: 3 }),
);

describe('replay readers on arbitrary input', () => {
  it('a JSONL trace either replays or fails with FILE:LINE, never crashes', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            ts: fc.oneof(fc.nat(), fc.string(), fc.constant(-1)),
            probe: fc.constantFrom(
              'tracepoint:syscalls:sys_enter_openat',
              'kprobe:vfs_read',
              'tracepoint:nope:x',
              'bogus:x',
              'uretprobe:/bin/bash:readline',
            ),
            args: jsonValue,
            retval: jsonValue,
            kstack: jsonValue,
            memory: jsonValue,
            ctx: fc.oneof(fc.constant(undefined), fc.base64String()),
          }),
          { maxLength: 5 },
        ),
        fc.string({ maxLength: 30 }),
        (events, junk) => {
          const lines = [HEADER, ...events.map((e) => JSON.stringify(e)), junk];
          const result = replay(lines.join('\n'));
          if (result !== 'ok') expect(result.message).toMatch(/^fuzz:\d+:\d+: ERROR: /);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('an strace log either replays or fails with FILE:LINE, never crashes', () => {
    const piece = fc.constantFrom(
      'openat(',
      'AT_FDCWD, ',
      '"/etc/x"',
      '"\\x',
      '\\',
      ', ',
      ')',
      ' = ',
      '-1 ENOENT (x)',
      ' <0.000010>',
      '{',
      '}',
      '[',
      ']',
      ' <unfinished ...>',
      '<... openat resumed>',
      '?',
      '3',
      'O_RDONLY|O_CLOEXEC',
      '+++ exited with 0 +++',
      '--- SIGCHLD {si_code=CLD_EXITED} ---',
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.array(piece, { maxLength: 8 }).map((p) => `7  1700000000.000001 ${p.join('')}`),
          { minLength: 1, maxLength: 6 },
        ),
        (lines) => {
          const result = replay(lines.join('\n'));
          if (result !== 'ok') expect(result.message).toMatch(/^fuzz:\d+:\d+: ERROR: /);
        },
      ),
      { numRuns: 500 },
    );
  });
});
