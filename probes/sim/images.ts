// The simulated machine's code: kernel functions and user binaries with their addresses, the
// symbol table that resolves them, and the kernel call chains that system calls go through.

import { LIBRARY_PATHS } from '../attach';
import { SymbolMap } from '../symbols';

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

/** Kernel functions a system call passes through, outermost first, with their arguments as
 *  the simulator models them (values are the syscall's resolved argument values). */
export interface KernelCall {
  func: string;
  args: bigint[];
  ret: bigint;
}

const O_CREAT = 0o100n;
const O_EXCL = 0o200n;
const PROT_WRITE = 2n;
const MAP_PRIVATE = 2n;
const TCP_SYN_SENT = 2n;
const CAP_SYS_ADMIN = 21n;
const CAP_OPT_NOAUDIT = 2n;

/** The dcache lookup of a path walk: `lookup_fast(nameidata)` returns the cached dentry. */
function pathLookup(objectAddress: (kind: string, n: bigint) => bigint): KernelCall {
  return {
    func: 'lookup_fast',
    args: [objectAddress('nameidata', 0n)],
    ret: objectAddress('dentry', 0n),
  };
}

export function kernelCallsFor(
  name: string,
  args: readonly bigint[],
  ret: bigint,
  objectAddress: (kind: string, n: bigint) => bigint,
): KernelCall[] {
  const fd = args[0] ?? 0n;
  const file = objectAddress('file', fd);
  const sock = objectAddress('sock', fd);
  const pos = objectAddress('pos', fd);
  const calls: KernelCall[] = [];
  const wrapper = `__x64_sys_${name}`;
  if (KERNEL_FUNCTIONS.includes(wrapper))
    calls.push({ func: wrapper, args: [objectAddress('regs', 0n)], ret });
  switch (name) {
    case 'read':
    case 'pread64':
      calls.push({ func: 'ksys_read', args: [fd, args[1] ?? 0n, args[2] ?? 0n], ret });
      if (ret >= 0n)
        calls.push({ func: 'vfs_read', args: [file, args[1] ?? 0n, args[2] ?? 0n, pos], ret });
      break;
    case 'write':
    case 'pwrite64':
    case 'writev':
      calls.push({ func: 'ksys_write', args: [fd, args[1] ?? 0n, args[2] ?? 0n], ret });
      if (ret >= 0n)
        calls.push({
          func: name === 'writev' ? 'vfs_writev' : 'vfs_write',
          args: [file, args[1] ?? 0n, args[2] ?? 0n, pos],
          ret,
        });
      break;
    case 'openat':
      calls.push({
        func: 'do_sys_openat2',
        args: [args[0] ?? 0n, args[1] ?? 0n, objectAddress('how', 0n)],
        ret,
      });
      calls.push(pathLookup(objectAddress));
      if (ret >= 0n && ((args[2] ?? 0n) & O_CREAT) !== 0n)
        calls.push({
          func: 'vfs_create',
          args: [
            objectAddress('mnt_idmap', 0n),
            objectAddress('inode', 0n),
            objectAddress('dentry', ret),
            args[3] ?? 0n,
            ((args[2] ?? 0n) & O_EXCL) !== 0n ? 1n : 0n,
          ],
          ret: 0n,
        });
      if (ret >= 0n) {
        calls.push({
          func: 'vfs_open',
          args: [objectAddress('path', ret), objectAddress('file', ret)],
          ret: 0n,
        });
        calls.push({ func: 'security_file_open', args: [objectAddress('file', ret)], ret: 0n });
      }
      break;
    case 'close':
      calls.push({ func: 'filp_close', args: [file, objectAddress('files', 0n)], ret });
      break;
    case 'sendto':
    case 'sendmsg':
      calls.push({
        func: 'sock_sendmsg',
        args: [objectAddress('socket', fd), objectAddress('msg', 0n)],
        ret,
      });
      calls.push({
        func: 'tcp_sendmsg',
        args: [sock, objectAddress('msg', 0n), args[2] ?? 0n],
        ret,
      });
      break;
    case 'sendfile64':
      calls.push({
        func: 'tcp_sendmsg',
        args: [objectAddress('sock', fd), objectAddress('msg', 0n), args[3] ?? 0n],
        ret,
      });
      break;
    case 'recvfrom':
    case 'recvmsg':
      calls.push({
        func: 'sock_recvmsg',
        args: [objectAddress('socket', fd), objectAddress('msg', 0n), args[3] ?? 0n],
        ret,
      });
      calls.push({
        func: 'tcp_recvmsg',
        args: [
          sock,
          objectAddress('msg', 0n),
          args[2] ?? 0n,
          args[3] ?? 0n,
          objectAddress('addrlen', 0n),
        ],
        ret,
      });
      break;
    case 'connect':
      calls.push({ func: 'tcp_v4_connect', args: [sock, args[1] ?? 0n, args[2] ?? 0n], ret });
      calls.push({ func: 'tcp_set_state', args: [sock, TCP_SYN_SENT], ret: 0n });
      calls.push({ func: 'tcp_connect', args: [sock], ret: 0n });
      break;
    case 'accept4':
      // The handshake completed in softirq before accept(); modelled here, on the listener.
      if (ret >= 0n)
        calls.push({
          func: 'tcp_v4_syn_recv_sock',
          args: [sock, objectAddress('skb', ret), objectAddress('request_sock', ret), 0n, 0n, 0n],
          ret: objectAddress('sock', ret),
        });
      calls.push({
        func: 'inet_csk_accept',
        args: [sock, args[3] ?? 0n, objectAddress('err', 0n), 0n],
        ret: ret >= 0n ? objectAddress('sock', ret) : 0n,
      });
      break;
    case 'epoll_wait':
      calls.push({
        func: 'do_epoll_wait',
        args: [fd, args[1] ?? 0n, args[2] ?? 0n, args[3] ?? 0n],
        ret,
      });
      calls.push({
        func: 'ep_poll',
        args: [objectAddress('ep', fd), args[1] ?? 0n, args[2] ?? 0n, objectAddress('timeout', 0n)],
        ret,
      });
      break;
    case 'fsync':
    case 'fdatasync':
      calls.push({ func: 'vfs_fsync', args: [file, name === 'fdatasync' ? 1n : 0n], ret });
      calls.push({
        func: 'ext4_sync_file',
        args: [file, 0n, -1n, name === 'fdatasync' ? 1n : 0n],
        ret,
      });
      break;
    case 'newfstatat':
    case 'statx':
      calls.push(pathLookup(objectAddress));
      calls.push({
        func: 'vfs_statx',
        args: [
          args[0] ?? 0n,
          objectAddress('filename', 0n),
          args[3] ?? 0n,
          objectAddress('kstat', 0n),
          0x7ffn,
        ],
        ret,
      });
      break;
    case 'fstat':
    case 'newfstat':
      calls.push({ func: 'vfs_fstat', args: [fd, objectAddress('kstat', 0n)], ret });
      break;
    case 'unlinkat':
      calls.push({
        func: 'do_unlinkat',
        args: [args[0] ?? 0n, objectAddress('filename', 0n)],
        ret,
      });
      break;
    case 'clock_nanosleep':
    case 'nanosleep':
      calls.push({ func: 'hrtimer_nanosleep', args: [objectAddress('ts', 0n), 1n, 1n], ret });
      calls.push({ func: 'do_nanosleep', args: [objectAddress('timer', 0n), 1n], ret });
      break;
    case 'clone':
    case 'clone3':
    case 'vfork':
      calls.push({ func: 'kernel_clone', args: [objectAddress('clone_args', 0n)], ret });
      calls.push({
        func: 'copy_process',
        args: [0n, 0n, 0xffffffffn, objectAddress('clone_args', 0n)],
        ret: objectAddress('task', ret),
      });
      calls.push({ func: 'wake_up_new_task', args: [objectAddress('task', ret)], ret: 0n });
      break;
    case 'execve':
      calls.push({
        func: 'do_execveat_common',
        args: [-100n, objectAddress('filename', 0n), args[1] ?? 0n, args[2] ?? 0n, 0n],
        ret,
      });
      calls.push({
        func: 'bprm_execve',
        args: [objectAddress('bprm', 0n), -100n, objectAddress('filename', 0n), 0n],
        ret,
      });
      break;
    case 'wait4':
      calls.push({ func: 'do_wait', args: [objectAddress('wait_opts', 0n)], ret });
      break;
    case 'mmap':
      // Private writable mappings are charged against overcommit, which asks whether the
      // task has CAP_SYS_ADMIN without auditing the check (security_vm_enough_memory_mm).
      if (((args[2] ?? 0n) & PROT_WRITE) !== 0n && ((args[3] ?? 0n) & MAP_PRIVATE) !== 0n)
        calls.push({
          func: 'cap_capable',
          args: [
            objectAddress('cred', 0n),
            objectAddress('user_ns', 0n),
            CAP_SYS_ADMIN,
            CAP_OPT_NOAUDIT,
          ],
          ret: 0n,
        });
      calls.push({
        func: 'do_mmap',
        args: [
          objectAddress('file', args[4] ?? 0n),
          args[0] ?? 0n,
          args[1] ?? 0n,
          args[2] ?? 0n,
          args[3] ?? 0n,
          0n,
        ],
        ret,
      });
      break;
    case 'exit_group':
      calls.push({ func: 'do_group_exit', args: [(args[0] ?? 0n) << 8n], ret: 0n });
      calls.push({ func: 'do_exit', args: [(args[0] ?? 0n) << 8n], ret: 0n });
      break;
  }
  return calls;
}
