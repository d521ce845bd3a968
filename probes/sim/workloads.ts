// The named workloads of the simulator. Each describes processes and, per thread, a behaviour
// that returns the next action (a gap, then ops) from the seeded random generator.

import type { Action, BehaviorContext, Frame, Op, ProcessSpec, Workload } from './model';
import {
  allocations,
  AT_FDCWD,
  cpu,
  E,
  heapPtr,
  ioSize,
  lib,
  LIBC,
  LIBPTHREAD,
  LIBSSL,
  loaderPreamble,
  O,
  stackPtr,
  sys,
  zeroed,
} from './ops';
import { userFunction } from '../machine';
import type { Rng } from './rng';

const NGINX = '/usr/sbin/nginx';
const POSTGRES = '/usr/lib/postgresql/15/bin/postgres';
const BASH = '/bin/bash';
const MAKE = '/usr/bin/make';
const CC1 = '/usr/lib/gcc/x86_64-linux-gnu/12/cc1';
const LD = '/usr/bin/ld';
const GIT = '/usr/bin/git';
const LIBC_START: Frame = [LIBC, '__libc_start_call_main'];

// ---------------------------------------------------------------------------------------------
// nginx

const STATIC_FILES: readonly (readonly [string, number])[] = [
  ['/var/www/html/index.html', 30],
  ['/var/www/html/static/css/site.css', 12],
  ['/var/www/html/static/js/app.js', 12],
  ['/var/www/html/static/js/vendor.min.js', 6],
  ['/var/www/html/images/logo.png', 8],
  ['/var/www/html/images/hero.jpg', 4],
  ['/var/www/html/fonts/inter-var.woff2', 3],
  ['/var/www/html/favicon.ico', 5],
  ['/var/www/html/robots.txt', 2],
  ['/var/www/html/wp-login.php', 1],
];
const MISSING = new Set(['/var/www/html/favicon.ico', '/var/www/html/wp-login.php']);

function nginxWorker(ctx: BehaviorContext): Action {
  const { rng } = ctx;
  const s = ctx.thread.scratch as { epfd?: number };
  s.epfd ??= 8;
  const ops: Op[] = [];
  const wait = rng.ns(2_500_000, 1.0);
  ops.push(sys('epoll_wait', [s.epfd, heapPtr(rng), 512, -1], 1, wait, { block: 'S' }));
  const conn = ctx.openFd();
  ops.push(sys('accept4', [6, zeroed(16), zeroed(4), O.NONBLOCK], conn, rng.ns(7_000, 0.4)));
  const reqBytes = Math.round(rng.lognormal(420, 0.5));
  // HTTPS: the TLS handshake, then the request decrypted by SSL_read around the socket read.
  const ssl = 0x5610_0c00_0000n + BigInt(conn) * 0x1000n;
  ops.push(lib('SSL_do_handshake', [ssl], 1, rng.ns(180_000, 0.4), LIBSSL));
  ops.push(sys('recvfrom', [conn, heapPtr(rng), 1024, 0, 0, 0], reqBytes, rng.ns(5_000, 0.4)));
  ops.push(lib('SSL_read', [ssl, heapPtr(rng), 16_384], reqBytes, rng.ns(9_000, 0.4), LIBSSL));
  ops.push(cpu(rng.ns(30_000, 0.7), [NGINX, 'ngx_http_process_request_line']));
  if (rng.chance(0.3)) ops.push(...allocations(rng, rng.int(1, 3)));
  const path = rng.weighted(STATIC_FILES);
  if (MISSING.has(path)) {
    ops.push(
      sys(
        'openat',
        [AT_FDCWD, path, O.RDONLY | O.NONBLOCK | O.CLOEXEC, 0],
        -E.ENOENT,
        rng.ns(6_000),
      ),
    );
    ops.push(sys('writev', [conn, heapPtr(rng), 2], 555, rng.ns(9_000)));
  } else {
    const fd = ctx.openFd();
    const size = ioSize(rng, 14_000, 8 << 20);
    const cold = rng.chance(0.04);
    ops.push(
      sys(
        'openat',
        [AT_FDCWD, path, O.RDONLY | O.NONBLOCK | O.CLOEXEC, 0],
        fd,
        rng.ns(cold ? 60_000 : 5_000),
      ),
    );
    ops.push(sys('newfstat', [fd, zeroed(144)], 0, rng.ns(1_500)));
    const header = 250 + rng.int(0, 80);
    ops.push(lib('SSL_write', [ssl, heapPtr(rng), header], header, rng.ns(12_000, 0.4), LIBSSL));
    ops.push(sys('writev', [conn, heapPtr(rng), 2], header, rng.ns(8_000)));
    const sent = rng.chance(0.01) ? -E.EPIPE : size;
    ops.push(
      sys(
        'sendfile64',
        [conn, fd, 0, size],
        sent,
        cold ? rng.ns(900_000, 0.8) : rng.ns(15_000 + size / 20, 0.5),
        cold ? { block: 'D', io: { bytes: size, write: false } } : {},
      ),
    );
    ops.push(sys('close', [fd], 0, rng.ns(1_500)));
    ctx.closeFd(fd);
  }
  ops.push(
    sys('write', [5, heapPtr(rng), 160 + rng.int(0, 90)], 160 + rng.int(0, 90), rng.ns(6_000)),
  );
  ops.push(sys('close', [conn], 0, rng.ns(4_000)));
  ctx.closeFd(conn);
  return { gap: 0n, ops };
}

// ---------------------------------------------------------------------------------------------
// postgres

const TABLES = ['users', 'orders', 'order_items', 'products', 'sessions', 'audit_log'];
const QUERIES = [
  (rng: Rng) => `SELECT * FROM users WHERE id = ${rng.int(1, 50_000)}`,
  (rng: Rng) =>
    `SELECT id, total FROM orders WHERE user_id = ${rng.int(1, 50_000)} ORDER BY created_at DESC LIMIT 20`,
  (rng: Rng) =>
    `UPDATE sessions SET last_seen = now() WHERE token = 'a${rng.int(100_000, 999_999)}'`,
  (rng: Rng) => `INSERT INTO audit_log (user_id, action) VALUES (${rng.int(1, 50_000)}, 'login')`,
  () =>
    `SELECT p.name, sum(i.qty) FROM order_items i JOIN products p ON p.id = i.product_id GROUP BY p.name`,
  () => 'BEGIN',
  () => 'COMMIT',
];

function relationPath(rng: Rng): string {
  return `/var/lib/postgresql/15/main/base/16384/${16_397 + TABLES.indexOf(rng.pick(TABLES)) * 7}`;
}

function postgresBackend(ctx: BehaviorContext): Action {
  const { rng } = ctx;
  const ops: Op[] = [];
  const query = rng.pick(QUERIES)(rng);
  const write = /^(UPDATE|INSERT|COMMIT)/.test(query);
  ops.push(
    sys('recvfrom', [9, heapPtr(rng), 8192, 0, 0, 0], query.length + 5, rng.ns(4_000_000, 1.1), {
      block: 'S',
    }),
  );
  ops.push({ k: 'usdt', path: POSTGRES, probe: 'postgresql:query__start', args: [query] });
  ops.push(lib('exec_simple_query', [query], 0, rng.ns(3_000, 0.5), POSTGRES));
  ops.push(cpu(rng.ns(40_000, 1.0), [POSTGRES, 'pg_plan_queries']));
  const reads = rng.int(0, 4);
  for (let i = 0; i < reads; i++) {
    const miss = rng.chance(0.15);
    ops.push(
      sys(
        'pread64',
        [rng.int(20, 40), heapPtr(rng), 8192, BigInt(rng.int(0, 20_000)) * 8192n],
        8192,
        miss ? rng.ns(120_000, 0.7) : rng.ns(3_000),
        miss ? { block: 'D', io: { bytes: 8192, write: false } } : {},
      ),
    );
  }
  ops.push(cpu(rng.ns(60_000, 1.2), [POSTGRES, 'ExecScan'], [POSTGRES, 'heap_getnextslot']));
  ops.push(...allocations(rng, rng.int(0, 4)));
  if (write) {
    const walBytes = ioSize(rng, 300, 65_536);
    ops.push(
      sys(
        'pwrite64',
        [12, heapPtr(rng), walBytes, BigInt(rng.int(0, 2000)) * 8192n],
        walBytes,
        rng.ns(9_000),
      ),
    );
    if (query === 'COMMIT')
      ops.push(
        sys('fdatasync', [12], 0, rng.ns(700_000, 0.6), {
          block: 'D',
          io: { bytes: walBytes, write: true },
        }),
      );
  }
  ops.push({ k: 'usdt', path: POSTGRES, probe: 'postgresql:query__done', args: [query] });
  ops.push(
    sys(
      'sendto',
      [9, heapPtr(rng), 120 + rng.int(0, 4000), 0, 0, 0],
      120 + rng.int(0, 4000),
      rng.ns(10_000),
    ),
  );
  return { gap: 0n, ops };
}

function postgresCheckpointer(ctx: BehaviorContext): Action {
  const { rng } = ctx;
  const ops: Op[] = [
    sys('epoll_wait', [4, heapPtr(rng), 1, 1000], 0, rng.ns(40_000_000, 0.3), { block: 'S' }),
  ];
  const fd = ctx.openFd();
  const path = relationPath(rng);
  ops.push(sys('openat', [AT_FDCWD, path, O.RDWR | O.CLOEXEC, 0], fd, rng.ns(8_000)));
  for (let i = rng.int(1, 6); i > 0; i--) {
    ops.push(
      sys(
        'pwrite64',
        [fd, heapPtr(rng), 8192, BigInt(rng.int(0, 50_000)) * 8192n],
        8192,
        rng.ns(12_000),
      ),
    );
  }
  ops.push(
    sys('fsync', [fd], 0, rng.ns(2_000_000, 0.7), {
      block: 'D',
      io: { bytes: 65_536, write: true },
    }),
  );
  ops.push(sys('close', [fd], 0, rng.ns(2_000)));
  ctx.closeFd(fd);
  return { gap: 0n, ops };
}

// ---------------------------------------------------------------------------------------------
// interactive bash users

interface Command {
  argv: string[];
  exe: string;
  ops: (rng: Rng) => Op[];
}

const COMMANDS: readonly (readonly [Command, number])[] = [
  [
    {
      argv: ['ls', '-la'],
      exe: '/usr/bin/ls',
      ops: (rng) => [
        sys(
          'openat',
          [AT_FDCWD, '.', O.RDONLY | O.NONBLOCK | O.CLOEXEC | O.DIRECTORY, 0],
          3,
          rng.ns(6_000),
        ),
        sys('getdents64', [3, heapPtr(rng), 32768], 1_632, rng.ns(12_000)),
        sys('getdents64', [3, heapPtr(rng), 32768], 0, rng.ns(1_000)),
        sys('close', [3], 0, 900n),
        sys('write', [1, heapPtr(rng), 1_120], 1_120, rng.ns(9_000)),
      ],
    },
    5,
  ],
  [
    {
      argv: ['cat', '/etc/hostname'],
      exe: '/usr/bin/cat',
      ops: (rng) => [
        sys('openat', [AT_FDCWD, '/etc/hostname', O.RDONLY, 0], 3, rng.ns(5_000)),
        sys('newfstat', [3, zeroed(144)], 0, 1_000n),
        sys('read', [3, heapPtr(rng), 131072], 7, rng.ns(3_000)),
        sys('write', [1, heapPtr(rng), 7], 7, rng.ns(6_000)),
        sys('read', [3, heapPtr(rng), 131072], 0, rng.ns(1_000)),
        sys('close', [3], 0, 800n),
      ],
    },
    3,
  ],
  [
    {
      argv: ['grep', '-r', 'TODO', 'src'],
      exe: '/usr/bin/grep',
      ops: (rng) => {
        const ops: Op[] = [];
        for (const f of [
          'src/main.c',
          'src/util.c',
          'src/net.c',
          'src/config.h',
          'src/missing.c',
        ]) {
          if (f === 'src/missing.c') {
            ops.push(
              sys(
                'openat',
                [AT_FDCWD, f, O.RDONLY | O.NONBLOCK | O.CLOEXEC, 0],
                -E.ENOENT,
                rng.ns(4_000),
              ),
            );
            continue;
          }
          const n = ioSize(rng, 6_000, 200_000);
          ops.push(
            sys('openat', [AT_FDCWD, f, O.RDONLY | O.NONBLOCK | O.CLOEXEC, 0], 3, rng.ns(5_000)),
          );
          ops.push(sys('read', [3, heapPtr(rng), 98304], n, rng.ns(4_000 + n / 10)));
          ops.push(cpu(rng.ns(20_000), ['/usr/bin/coreutils', 'main']));
          ops.push(sys('close', [3], 0, 800n));
        }
        ops.push(sys('write', [1, heapPtr(rng), 96], 96, rng.ns(7_000)));
        return ops;
      },
    },
    2,
  ],
  [
    {
      argv: ['ps', 'aux'],
      exe: '/usr/bin/ps',
      ops: (rng) => {
        const ops: Op[] = [
          sys(
            'openat',
            [AT_FDCWD, '/proc', O.RDONLY | O.NONBLOCK | O.CLOEXEC | O.DIRECTORY, 0],
            5,
            rng.ns(6_000),
          ),
        ];
        for (const pid of [1, 2, 412, 733, 1024]) {
          ops.push(sys('openat', [AT_FDCWD, `/proc/${pid}/stat`, O.RDONLY, 0], 6, rng.ns(7_000)));
          ops.push(sys('read', [6, heapPtr(rng), 2048], 180 + rng.int(0, 120), rng.ns(5_000)));
          ops.push(sys('close', [6], 0, 900n));
        }
        ops.push(sys('write', [1, heapPtr(rng), 2048], 2048, rng.ns(10_000)));
        return ops;
      },
    },
    2,
  ],
  [
    {
      argv: ['curl', '-s', 'https://api.example.com/health'],
      exe: '/usr/bin/curl',
      ops: (rng) => [
        lib(
          'getaddrinfo',
          ['api.example.com', 'https', heapPtr(rng), stackPtr(rng)],
          0,
          rng.ns(4_000_000, 0.6),
        ),
        sys('socket', [2, 1 | O.NONBLOCK | O.CLOEXEC, 6], 3, rng.ns(4_000)),
        sys('connect', [3, zeroed(16), 16], -E.EINPROGRESS, rng.ns(30_000)),
        sys('write', [1, heapPtr(rng), 15], 15, rng.ns(6_000)),
        sys('close', [3], 0, 900n),
      ],
    },
    1,
  ],
  [
    {
      argv: ['vim', 'notes.txt'],
      exe: '/usr/bin/vim.basic',
      ops: (rng) => [
        sys('openat', [AT_FDCWD, '/home/alice/.vimrc', O.RDONLY, 0], -E.ENOENT, rng.ns(4_000)),
        sys('openat', [AT_FDCWD, 'notes.txt', O.RDONLY, 0], 3, rng.ns(5_000)),
        sys('read', [3, heapPtr(rng), 8192], 2_211, rng.ns(4_000)),
        sys('close', [3], 0, 800n),
        sys(
          'openat',
          [AT_FDCWD, '.notes.txt.swp', O.RDWR | O.CREAT | O.EXCL, 0o600],
          3,
          rng.ns(30_000),
        ),
        sys('write', [3, heapPtr(rng), 4096], 4096, rng.ns(12_000)),
        sys('fsync', [3], 0, rng.ns(900_000), { block: 'D', io: { bytes: 4096, write: true } }),
        sys('close', [3], 0, 800n),
        sys('unlinkat', [AT_FDCWD, '.notes.txt.swp', 0], 0, rng.ns(15_000)),
      ],
    },
    1,
  ],
];

function bashUser(home: string): (ctx: BehaviorContext) => Action {
  return (ctx) => {
    const { rng } = ctx;
    const [command] = [rng.weighted(COMMANDS)];
    const line = command.argv.join(' ');
    const ops: Op[] = [];
    // readline blocks on the terminal while the user types.
    const typing = rng.ns(150_000_000, 0.8);
    ops.push({ k: 'ucall', path: BASH, func: 'readline', args: ['$ '], ret: line, dur: 2_000n });
    ops.push(sys('read', [0, stackPtr(rng), 1], 1, typing, { block: 'S' }));
    ops.push(...allocations(rng, rng.int(1, 4)));
    for (const dir of ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin']) {
      ops.push(
        sys(
          'newfstatat',
          [AT_FDCWD, `${dir}/${command.argv[0]}`, zeroed(144), 0],
          -E.ENOENT,
          rng.ns(3_000),
        ),
      );
    }
    ops.push(sys('newfstatat', [AT_FDCWD, command.exe, zeroed(144), 0], 0, rng.ns(3_000)));
    ops.push({
      k: 'spawn',
      exe: command.exe,
      argv: command.argv,
      ops: [...loaderPreamble(rng, ['/lib/x86_64-linux-gnu/libc.so.6']), ...command.ops(rng)],
      exitCode: command.argv[0] === 'grep' ? 1 : 0,
      wait: true,
    });
    if (rng.chance(0.2))
      ops.push(
        sys(
          'openat',
          [AT_FDCWD, `${home}/.bash_history`, O.WRONLY | O.APPEND | O.CREAT, 0o600],
          3,
          rng.ns(9_000),
        ),
        sys('close', [3], 0, 900n),
      );
    return { gap: 0n, ops };
  };
}

// ---------------------------------------------------------------------------------------------
// build: make driving cc1/as/ld, plus git status

const SOURCES = [
  'main',
  'parser',
  'lexer',
  'codegen',
  'util',
  'hash',
  'list',
  'config',
  'net',
  'io',
];
const HEADERS = [
  '/usr/include/stdio.h',
  '/usr/include/stdlib.h',
  '/usr/include/string.h',
  '/usr/include/x86_64-linux-gnu/bits/types.h',
  '/usr/include/errno.h',
  'include/common.h',
  'include/config.h',
];

function compileOps(rng: Rng, source: string): Op[] {
  const ops: Op[] = [
    ...loaderPreamble(rng, [
      '/lib/x86_64-linux-gnu/libc.so.6',
      '/lib/x86_64-linux-gnu/libzstd.so.1',
    ]),
  ];
  ops.push(
    sys('openat', [AT_FDCWD, `src/${source}.c`, O.RDONLY | O.NONBLOCK, 0], 3, rng.ns(6_000)),
  );
  ops.push(sys('read', [3, heapPtr(rng), 65536], ioSize(rng, 9_000, 65_536), rng.ns(5_000)));
  ops.push(sys('close', [3], 0, 800n));
  for (const h of HEADERS) {
    if (rng.chance(0.15)) {
      ops.push(
        sys(
          'openat',
          [AT_FDCWD, `/usr/local/include/${h.split('/').pop()}`, O.RDONLY | O.NONBLOCK, 0],
          -E.ENOENT,
          rng.ns(4_000),
        ),
      );
    }
    ops.push(sys('openat', [AT_FDCWD, h, O.RDONLY | O.NONBLOCK, 0], 3, rng.ns(5_000)));
    ops.push(sys('read', [3, heapPtr(rng), 32768], ioSize(rng, 12_000, 32_768), rng.ns(4_000)));
    ops.push(sys('close', [3], 0, 700n));
  }
  ops.push(...allocations(rng, rng.int(5, 20)));
  ops.push(
    cpu(rng.ns(6_000_000, 0.5), [CC1, 'c_parse_file'], [CC1, 'c_parser_declaration_or_fndef']),
  );
  ops.push(cpu(rng.ns(9_000_000, 0.6), [CC1, 'execute_one_pass']));
  ops.push(
    sys(
      'openat',
      [AT_FDCWD, `/tmp/cc${rng.int(100000, 999999)}.s`, O.WRONLY | O.CREAT | O.TRUNC, 0o666],
      3,
      rng.ns(20_000),
    ),
  );
  for (let i = rng.int(2, 6); i > 0; i--)
    ops.push(sys('write', [3, heapPtr(rng), 4096], 4096, rng.ns(6_000)));
  ops.push(sys('close', [3], 0, 1_000n));
  return ops;
}

function makeDriver(ctx: BehaviorContext): Action {
  const { rng } = ctx;
  const s = ctx.thread.scratch as { next?: number };
  s.next ??= 0;
  const source = SOURCES[s.next++ % SOURCES.length]!;
  const ops: Op[] = [];
  for (const f of [`src/${source}.c`, `src/${source}.o`, 'include/common.h']) {
    const missing = f.endsWith('.o') && rng.chance(0.5);
    ops.push(
      sys('newfstatat', [AT_FDCWD, f, zeroed(144), 0], missing ? -E.ENOENT : 0, rng.ns(3_000)),
    );
  }
  ops.push(cpu(rng.ns(200_000), [MAKE, 'update_file'], [MAKE, 'check_dep']));
  if (s.next % SOURCES.length === 0) {
    ops.push({
      k: 'spawn',
      exe: LD,
      argv: ['ld', '-o', 'app', ...SOURCES.map((x) => `src/${x}.o`)],
      ops: [
        ...loaderPreamble(rng, ['/lib/x86_64-linux-gnu/libbfd-2.40-system.so']),
        ...SOURCES.flatMap((x) => [
          sys('openat', [AT_FDCWD, `src/${x}.o`, O.RDONLY, 0], 3, rng.ns(5_000)),
          sys('read', [3, heapPtr(rng), 65536], ioSize(rng, 20_000, 65_536), rng.ns(5_000)),
          sys('close', [3], 0, 800n),
        ]),
        cpu(rng.ns(15_000_000, 0.4), [LD, 'lang_process'], [LD, 'bfd_elf_link_add_symbols']),
        sys('openat', [AT_FDCWD, 'app', O.RDWR | O.CREAT | O.TRUNC, 0o777], 3, rng.ns(25_000)),
        sys('write', [3, heapPtr(rng), 262_144], 262_144, rng.ns(300_000), {
          block: 'D',
          io: { bytes: 262_144, write: true },
        }),
        sys('close', [3], 0, 900n),
      ],
      wait: true,
    });
  } else {
    ops.push({
      k: 'spawn',
      exe: CC1,
      argv: ['cc1', '-quiet', `src/${source}.c`, '-O2', '-o', `/tmp/cc.s`],
      ops: compileOps(rng, source),
      wait: true,
    });
  }
  return { gap: rng.ns(400_000), ops };
}

function gitStatus(ctx: BehaviorContext): Action {
  const { rng } = ctx;
  const ops: Op[] = [];
  ops.push(
    sys('openat', [AT_FDCWD, '.git/index', O.RDONLY | O.CLOEXEC, 0], 3, rng.ns(8_000)),
    sys('newfstat', [3, zeroed(144)], 0, 1_000n),
    sys('mmap', [0, 98_304, 1, 2, 3, 0], 0x7f3a_1c0a_0000n, rng.ns(4_000)),
    sys('close', [3], 0, 800n),
  );
  // core.preloadIndex: worker threads stat the index entries.
  const preload = userFunction(GIT, 'preload_thread');
  for (let i = 0; i < 2; i++)
    ops.push(
      lib(
        'pthread_create',
        [stackPtr(rng), 0, preload, heapPtr(rng)],
        0,
        rng.ns(25_000),
        LIBPTHREAD,
      ),
    );
  for (const src of SOURCES) {
    ops.push(sys('newfstatat', [AT_FDCWD, `src/${src}.c`, zeroed(144), 0x100], 0, rng.ns(2_500)));
    ops.push(lib('strlen', [`src/${src}.c`], 5 + src.length, 40n));
  }
  ops.push(
    sys('openat', [AT_FDCWD, '.git/refs/heads/main', O.RDONLY, 0], 3, rng.ns(6_000)),
    sys('read', [3, heapPtr(rng), 256], 41, rng.ns(2_000)),
    sys('close', [3], 0, 700n),
  );
  ops.push(
    sys(
      'openat',
      [AT_FDCWD, '.git/objects/pack/pack-3f9a8c.idx', O.RDONLY | O.CLOEXEC, 0],
      3,
      rng.ns(9_000),
    ),
  );
  ops.push(
    cpu(
      rng.ns(2_000_000, 0.5),
      [GIT, 'wt_status_collect'],
      [GIT, 'refresh_index'],
      [GIT, 'ie_match_stat'],
    ),
  );
  ops.push(sys('close', [3], 0, 700n), sys('write', [1, heapPtr(rng), 220], 220, rng.ns(8_000)));
  return { gap: rng.ns(250_000_000, 0.5), ops };
}

// ---------------------------------------------------------------------------------------------
// background daemons shared by the workloads

function systemdJournald(ctx: BehaviorContext): Action {
  const { rng } = ctx;
  const bytes = ioSize(rng, 300, 8192);
  return {
    gap: 0n,
    ops: [
      sys('epoll_wait', [7, heapPtr(rng), 17, -1], 1, rng.ns(30_000_000, 0.9), { block: 'S' }),
      sys('recvmsg', [3, heapPtr(rng), 0x40], bytes, rng.ns(6_000)),
      sys(
        'pwrite64',
        [23, heapPtr(rng), bytes, BigInt(rng.int(0, 1 << 20)) * 8n],
        bytes,
        rng.ns(9_000),
      ),
    ],
  };
}

function sshd(ctx: BehaviorContext): Action {
  const { rng } = ctx;
  const n = 36 + rng.int(0, 200);
  return {
    gap: 0n,
    ops: [
      sys('pselect6', [12, heapPtr(rng), heapPtr(rng), 0, 0, 0], 1, rng.ns(80_000_000, 1.0), {
        block: 'S',
      }),
      sys('read', [11, heapPtr(rng), 16384], n, rng.ns(4_000)),
      cpu(rng.ns(15_000), [LIBC, 'memcpy']),
      sys('write', [4, heapPtr(rng), n + 52], n + 52, rng.ns(9_000)),
    ],
  };
}

function sleeper(period: number): (ctx: BehaviorContext) => Action {
  return (ctx) => ({
    gap: 0n,
    ops: [
      sys('clock_nanosleep', [1, 0, stackPtr(ctx.rng), 0], 0, ctx.rng.ns(period, 0.05), {
        block: 'S',
      }),
      cpu(ctx.rng.ns(20_000), [LIBC, 'clock_gettime']),
    ],
  });
}

const daemons = (): ProcessSpec[] => [
  {
    comm: 'systemd-journal',
    exe: '/usr/lib/systemd/systemd-journald',
    uid: 0,
    gid: 0,
    fds: [3, 7, 23],
    threads: [{ behavior: systemdJournald, baseStack: [LIBC_START] }],
  },
  {
    comm: 'sshd',
    exe: '/usr/sbin/sshd',
    uid: 0,
    gid: 0,
    fds: [3, 4, 11],
    threads: [{ behavior: sshd, baseStack: [LIBC_START] }],
  },
  {
    comm: 'cron',
    exe: '/usr/sbin/cron',
    uid: 0,
    gid: 0,
    threads: [{ behavior: sleeper(60_000_000), baseStack: [LIBC_START] }],
  },
];

const nginxWorkerProcess = (): ProcessSpec => ({
  comm: 'nginx',
  exe: NGINX,
  uid: 33,
  gid: 33,
  fds: [5, 6, 8],
  threads: [
    {
      behavior: nginxWorker,
      baseStack: [
        LIBC_START,
        [NGINX, 'main'],
        [NGINX, 'ngx_worker_process_cycle'],
        [NGINX, 'ngx_process_events_and_timers'],
      ],
    },
  ],
});

const postgresBackendProcess = (): ProcessSpec => ({
  comm: 'postgres',
  exe: POSTGRES,
  uid: 112,
  gid: 118,
  fds: [9, 12],
  threads: [
    {
      behavior: postgresBackend,
      baseStack: [LIBC_START, [POSTGRES, 'main'], [POSTGRES, 'PostgresMain']],
    },
  ],
});

const postgresCheckpointerProcess = (): ProcessSpec => ({
  comm: 'postgres',
  exe: POSTGRES,
  uid: 112,
  gid: 118,
  fds: [4],
  threads: [
    {
      behavior: postgresCheckpointer,
      baseStack: [LIBC_START, [POSTGRES, 'main'], [POSTGRES, 'BackgroundWriterMain']],
    },
  ],
});

/** An interactive bash of the user with `uid` (and the same gid). */
const bashProcess = (home: string, uid: number): ProcessSpec => ({
  comm: 'bash',
  exe: BASH,
  uid,
  gid: uid,
  threads: [
    {
      behavior: bashUser(home),
      baseStack: [LIBC_START, [BASH, 'main'], [BASH, 'reader_loop'], [BASH, 'read_command']],
    },
  ],
});

const makeProcess = (): ProcessSpec => ({
  comm: 'make',
  exe: MAKE,
  uid: 1000,
  gid: 1000,
  threads: [
    {
      behavior: makeDriver,
      baseStack: [LIBC_START, [MAKE, 'main'], [MAKE, 'update_goal_chain']],
    },
  ],
});

const gitStatusProcess = (): ProcessSpec => ({
  comm: 'git',
  exe: GIT,
  uid: 1000,
  gid: 1000,
  threads: [
    {
      behavior: gitStatus,
      baseStack: [LIBC_START, [GIT, 'main'], [GIT, 'cmd_main'], [GIT, 'cmd_status']],
    },
  ],
});

export const WORKLOADS: readonly Workload[] = [
  {
    name: 'webserver',
    description:
      'nginx workers serving static files, postgres backends and WAL, two bash users, sshd',
    processes: () => [
      nginxWorkerProcess(),
      nginxWorkerProcess(),
      postgresBackendProcess(),
      postgresBackendProcess(),
      postgresCheckpointerProcess(),
      bashProcess('/home/alice', 1000),
      bashProcess('/home/bob', 1001),
      ...daemons(),
    ],
  },
  {
    name: 'build',
    description: 'make compiling C sources with cc1 and linking with ld, git status in a loop',
    processes: () => [
      makeProcess(),
      makeProcess(),
      gitStatusProcess(),
      bashProcess('/home/alice', 1000),
      ...daemons(),
    ],
  },
  {
    name: 'database',
    description: 'a busy postgres: many backends, checkpointer fsyncs and block I/O, one psql user',
    processes: () => [
      ...Array.from({ length: 6 }, postgresBackendProcess),
      postgresCheckpointerProcess(),
      bashProcess('/home/alice', 1000),
      ...daemons(),
    ],
  },
];

export const DEFAULT_WORKLOAD = 'webserver';
