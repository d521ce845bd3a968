// The simulated machine's image: kernel functions and user binaries with their addresses and
// the symbol table that resolves them, and the catalog of probes they offer. The simulator
// runs on it; the trace and strace readers use it to resolve probes and symbols the same way,
// without importing the simulator.

import { LIBRARY_PATHS } from './attach';
import type { ProbeCatalog } from './source';
import { SymbolMap } from './symbols';
import { defaultTracepoints, type TracepointCatalog } from './tracepoints';

const KERNEL_TEXT = 0xffff_ffff_8100_0000n;

/** Kernel functions the simulator can hit, in address order. */
export const KERNEL_FUNCTIONS: readonly string[] = [
  'entry_SYSCALL_64_after_hwframe',
  'do_syscall_64',
  'syscall_exit_to_user_mode',
  'ksys_read',
  'ksys_write',
  'vfs_read',
  'vfs_write',
  'vfs_open',
  'vfs_fsync',
  'vfs_statx',
  'vfs_fstat',
  'do_sys_openat2',
  'do_filp_open',
  'security_file_open',
  'filp_close',
  '__fput',
  'do_unlinkat',
  'ext4_file_read_iter',
  'ext4_file_write_iter',
  'ext4_sync_file',
  'filemap_read',
  'generic_perform_write',
  'submit_bio',
  'blk_mq_start_request',
  'blk_account_io_done',
  'tcp_sendmsg',
  'tcp_recvmsg',
  'tcp_v4_connect',
  'inet_csk_accept',
  'tcp_close',
  'udp_sendmsg',
  'sock_sendmsg',
  'sock_recvmsg',
  'do_epoll_wait',
  'ep_poll',
  'do_nanosleep',
  'hrtimer_nanosleep',
  'kernel_clone',
  'copy_process',
  'wake_up_new_task',
  'do_execveat_common',
  'bprm_execve',
  'do_exit',
  'do_group_exit',
  'do_wait',
  'do_mmap',
  '__x64_sys_munmap',
  'handle_mm_fault',
  'do_anonymous_page',
  '__kmalloc',
  'kmem_cache_alloc',
  'kfree',
  'schedule',
  '__schedule',
  'finish_task_switch',
  'try_to_wake_up',
  'pipe_read',
  'pipe_write',
  'tty_write',
  'n_tty_read',
  'do_idle',
  'cpuidle_enter',
  'default_idle',
  'default_idle_call',
  'cpu_startup_entry',
  'start_secondary',
  'secondary_startup_64_no_verify',
  'mutex_lock',
  'mutex_unlock',
  'copy_user_enhanced_fast_string',
  'memcpy_orig',
  'clear_page_erms',
  '__x64_sys_read',
  '__x64_sys_write',
  '__x64_sys_openat',
  '__x64_sys_close',
  '__x64_sys_newfstatat',
  '__x64_sys_execve',
  '__x64_sys_clone',
  '__x64_sys_exit_group',
  // Appended so that the addresses above stay put.
  'blk_account_io_start',
  '__blk_account_io_start',
  '__blk_account_io_done',
  'cap_capable',
  'lookup_fast',
  'd_lookup',
  'vfs_create',
  'vfs_readv',
  'vfs_writev',
  'tcp_connect',
  'tcp_set_state',
  'tcp_retransmit_skb',
  'tcp_v4_syn_recv_sock',
  'tcp_v6_syn_recv_sock',
  'tcp_v6_connect',
  'unix_stream_read_actor',
  'md_flush_request',
  'oom_kill_process',
  'swap_readpage',
  'xfs_file_read_iter',
  'xfs_file_write_iter',
  'xfs_file_open',
  'xfs_file_fsync',
  'blk_mq_submit_bio',
  'blk_mq_end_request',
  'nvme_irq',
];

export interface UserBinary {
  path: string;
  base: bigint;
  functions: readonly string[];
}

export const BINARIES: readonly UserBinary[] = [
  {
    path: '/bin/bash',
    base: 0x55d4_a2c0_0000n,
    functions: [
      'main',
      'reader_loop',
      'read_command',
      'parse_command',
      'yyparse',
      'readline',
      'execute_command',
      'execute_command_internal',
      'shell_execve',
      'make_child',
      'wait_for',
      'expand_words',
      'find_user_command',
    ],
  },
  {
    path: LIBRARY_PATHS.libc!,
    base: 0x7f3a_1c20_0000n,
    functions: [
      '__libc_start_main',
      '__libc_start_call_main',
      'malloc',
      'free',
      'calloc',
      'realloc',
      'memcpy',
      'memset',
      'strlen',
      'strcmp',
      'fopen',
      'fclose',
      'fread',
      'fwrite',
      'printf',
      'open',
      'read',
      'write',
      'close',
      '__open64',
      '__read',
      '__write',
      'epoll_wait',
      'accept4',
      'recv',
      'send',
      'sendfile',
      'pread64',
      'pwrite64',
      'fsync',
      'fork',
      'execve',
      'waitpid',
      'getaddrinfo',
      'clock_gettime',
      'nanosleep',
      '_IO_file_xsputn',
      'qsort',
      'gethostbyname',
      'gethostbyname2',
    ],
  },
  {
    path: LIBRARY_PATHS.libpthread!,
    base: 0x7f3a_1c60_0000n,
    functions: ['pthread_create', 'pthread_join', 'pthread_mutex_lock', 'pthread_mutex_unlock'],
  },
  {
    path: LIBRARY_PATHS.libssl!,
    base: 0x7f3a_1c80_0000n,
    functions: [
      'SSL_new',
      'SSL_free',
      'SSL_accept',
      'SSL_do_handshake',
      'SSL_read',
      'SSL_write',
      'SSL_shutdown',
    ],
  },
  {
    path: LIBRARY_PATHS.libcrypto!,
    base: 0x7f3a_1ca0_0000n,
    functions: [
      'EVP_DigestUpdate',
      'RSA_sign',
      'RSA_verify',
      'rsa_ossl_public_encrypt',
      'rsa_ossl_public_decrypt',
      'rsa_ossl_private_encrypt',
      'rsa_ossl_private_decrypt',
      'ossl_ecdsa_sign',
      'ossl_ecdsa_verify',
      'ossl_ecdh_compute_key',
    ],
  },
  {
    path: '/usr/sbin/nginx',
    base: 0x5610_0b40_0000n,
    functions: [
      'main',
      'ngx_master_process_cycle',
      'ngx_worker_process_cycle',
      'ngx_process_events_and_timers',
      'ngx_epoll_process_events',
      'ngx_event_accept',
      'ngx_http_wait_request_handler',
      'ngx_http_process_request_line',
      'ngx_http_process_request_headers',
      'ngx_http_handler',
      'ngx_http_static_handler',
      'ngx_open_cached_file',
      'ngx_http_finalize_request',
      'ngx_http_log_handler',
      'ngx_linux_sendfile_chain',
      'ngx_palloc',
    ],
  },
  {
    path: '/usr/lib/postgresql/15/bin/postgres',
    base: 0x5581_3e60_0000n,
    functions: [
      'main',
      'PostmasterMain',
      'ServerLoop',
      'PostgresMain',
      'exec_simple_query',
      'pg_parse_query',
      'pg_plan_queries',
      'PortalRun',
      'ExecutorRun',
      'ExecScan',
      'heap_getnextslot',
      'ReadBuffer_common',
      'mdread',
      'FileRead',
      'XLogInsert',
      'XLogFlush',
      'XLogWrite',
      'pq_getbyte',
      'pq_flush',
      'WalWriterMain',
      'BackgroundWriterMain',
      'AllocSetAlloc',
      'hash_search',
    ],
  },
  {
    path: '/usr/bin/make',
    base: 0x55a0_1180_0000n,
    functions: [
      'main',
      'update_goal_chain',
      'update_file',
      'check_dep',
      'f_mtime',
      'new_job',
      'start_job_command',
      'reap_children',
      'hash_find_item',
    ],
  },
  {
    path: '/usr/lib/gcc/x86_64-linux-gnu/12/cc1',
    base: 0x5599_7700_0000n,
    functions: [
      'main',
      'toplev::main',
      'compile_file',
      'c_parse_file',
      'c_parser_declaration_or_fndef',
      'cpp_get_token',
      '_cpp_lex_direct',
      'ggc_internal_alloc',
      'execute_one_pass',
      'rest_of_compilation',
      'final_scan_insn',
      'output_asm_insn',
    ],
  },
  {
    path: '/usr/bin/ld',
    base: 0x5560_2280_0000n,
    functions: [
      'main',
      'lang_process',
      'ldlang_add_file',
      'bfd_elf_link_add_symbols',
      'elf_link_input_bfd',
      'bfd_hash_lookup',
      'ldwrite',
    ],
  },
  {
    path: '/usr/bin/git',
    base: 0x5577_9900_0000n,
    functions: [
      'main',
      'cmd_main',
      'run_builtin',
      'cmd_status',
      'wt_status_collect',
      'refresh_index',
      'ie_match_stat',
      'lstat_cache',
      'read_index_from',
      'do_read_index',
      'hashmap_get',
      'oid_object_info_extended',
      'unpack_entry',
      'inflate',
      'preload_thread',
    ],
  },
  {
    path: '/usr/bin/coreutils',
    base: 0x55b1_2200_0000n,
    functions: [
      'main',
      'print_dir',
      'gobble_file',
      'print_current_files',
      'simple_cat',
      'cat',
      'usage',
    ],
  },
];

/** USDT probes (provider:name) per binary. */
export const USDT_PROBES: ReadonlyMap<string, readonly string[]> = new Map([
  [
    '/usr/lib/postgresql/15/bin/postgres',
    [
      'postgresql:query__start',
      'postgresql:query__done',
      'postgresql:transaction__start',
      'postgresql:transaction__commit',
    ],
  ],
]);

const SHARED_LIBRARIES = Object.values(LIBRARY_PATHS);

const FUNCTION_SPAN = 0x400n;

function userFunctionAddress(binary: UserBinary, index: number): bigint {
  return binary.base + 0x1000n + BigInt(index) * FUNCTION_SPAN + BigInt((index * 0x50) % 0x100);
}

/** Where a user function starts, for workloads that pass code addresses (thread entry points). */
export function userFunction(path: string, name: string): bigint {
  const binary = BINARIES.find((b) => b.path === path);
  const index = binary?.functions.indexOf(name) ?? -1;
  if (!binary || index < 0) throw new Error(`simulator: unknown user function ${path}:${name}`);
  return userFunctionAddress(binary, index);
}

export class MachineImage {
  readonly symbols = new SymbolMap();
  private readonly kernelAddress = new Map<string, bigint>();
  private readonly userAddress = new Map<string, bigint>();

  constructor() {
    KERNEL_FUNCTIONS.forEach((name, i) => {
      // Spans vary so that addresses look like a real text section.
      const address = KERNEL_TEXT + BigInt(i) * 0x1000n + BigInt((i * 0x1d0) % 0x600);
      const size = 0x180 + ((i * 97) % 0x500);
      this.kernelAddress.set(name, address);
      this.symbols.add({ name, address, size, kernel: true });
    });
    for (const binary of BINARIES) {
      binary.functions.forEach((name, i) => {
        const address = userFunctionAddress(binary, i);
        this.userAddress.set(`${binary.path}:${name}`, address);
        this.symbols.add({ name, address, size: 0x300, kernel: false, image: binary.path });
      });
    }
  }

  /** A simulated process maps its executable and every shared library. */
  mapProcess(pid: number, exe: string): void {
    this.symbols.mapProcess(pid, [exe, ...SHARED_LIBRARIES]);
  }

  hasBinary(path: string): boolean {
    return BINARIES.some((b) => b.path === path);
  }

  kernel(name: string): bigint {
    const a = this.kernelAddress.get(name);
    if (a === undefined) throw new Error(`simulator: unknown kernel function ${name}`);
    return a;
  }

  user(path: string, name: string): bigint {
    // Unknown user code has no symbol; its frames print as raw addresses, as for stripped code.
    return this.userAddress.get(`${path}:${name}`) ?? 0x4_0000n;
  }

  /** Return addresses for a kernel stack, innermost first: each frame a little into its function. */
  kstack(frames: readonly string[]): bigint[] {
    return frames.map((f, i) => this.kernel(f) + BigInt(0x10 + ((f.length * 13 + i * 7) % 0x120)));
  }

  ustack(frames: readonly (readonly [string, string])[]): bigint[] {
    return frames.map(
      ([path, f], i) => this.user(path, f) + BigInt(0x8 + ((f.length * 11 + i * 5) % 0x200)),
    );
  }
}

/** The simulated machine's catalog; replayed traces use it too so that the same probes resolve. */
export function standardCatalog(
  tracepoints: TracepointCatalog = defaultTracepoints(),
): ProbeCatalog {
  return {
    tracepoints,
    kernelFunctions: [...KERNEL_FUNCTIONS].sort(),
    binaries: new Map(BINARIES.map((b) => [b.path, [...b.functions].sort()])),
    usdt: new Map([...USDT_PROBES].map(([path, probes]) => [path, [...probes].sort()])),
  };
}

let sharedImage: MachineImage | undefined;
export function machineImage(): MachineImage {
  sharedImage ??= new MachineImage();
  return sharedImage;
}
