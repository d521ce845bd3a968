// Command-line parsing: bpftrace 0.17's flags plus bpfscope's own, through commander.
// A bad flag is a UsageError: the CLI prints the message and the usage, exit status 1.

import { Command, CommanderError, Option } from 'commander';

export interface CliOptions {
  program?: string;
  /** Script path, `-` for stdin, or a compiled `.o`. Undefined with -e or -l. */
  file?: string;
  params: string[];
  output?: string;
  format: 'text' | 'json';
  quiet: boolean;
  buffering?: 'full' | 'none' | 'line';
  debug: number;
  dryRun: boolean;
  list: boolean;
  listPattern?: string;
  verbose: boolean;
  emitElf?: string;
  unsafe: boolean;
  info: boolean;
  version: boolean;
  help: boolean;
  noWarnings: boolean;
  command?: string;
  pid?: string;
  replay?: string;
  record?: string;
  seed: number;
  duration?: string;
  workload?: string;
  includeDirs: string[];
  includes: string[];
  helperWarnings: number;
  /** --live: run in the kernel through bpf() (src/live). */
  live: boolean;
  folded?: string;
  flamegraph?: string;
  report?: string;
  metrics?: string;
}

/** A bad command line. `getopt` errors (an unknown flag, a missing flag argument) are shown
 *  as 0.17 shows them: `bpfscope: invalid option -- 'Z'` and the usage; others as `ERROR: …`;
 *  a message-less one (no arguments at all) as the usage alone. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly getopt = false,
  ) {
    super(message);
  }
}

/** What the CLI prints on standard error for a usage error. */
export function renderUsageError(e: UsageError): string {
  if (e.message === '') return usage();
  return e.getopt ? `bpfscope: ${e.message}\n${usage()}` : `ERROR: ${e.message}\n`;
}

/** commander's wording of a flag error, reworded as getopt's (which 0.17 prints). */
function getoptMessage(e: CommanderError): string | undefined {
  const flag = /'([^' ]+)/.exec(e.message)?.[1];
  if (flag === undefined) return undefined;
  const long = flag.startsWith('--');
  if (e.code === 'commander.unknownOption')
    return long ? `unrecognized option '${flag}'` : `invalid option -- '${flag.slice(1)}'`;
  if (e.code === 'commander.optionMissingArgument')
    return long
      ? `option '${flag}' requires an argument`
      : `option requires an argument -- '${flag.slice(1)}'`;
  return undefined;
}

/** bpftrace accepts doubled short flags (`-dd`, `-kk`) and `-lv`; commander wants them apart. */
function splitCombinedFlags(argv: string[]): string[] {
  const out: string[] = [];
  let operands = false;
  for (const arg of argv) {
    if (!operands && /^-(dd|kk|lv|vl)$/.test(arg)) out.push(`-${arg[1]}`, `-${arg[2]}`);
    else out.push(arg);
    if (arg === '--') operands = true;
  }
  return out;
}

function increase(_value: string, previous: number): number {
  return previous + 1;
}

export function buildCommand(): Command {
  const command = new Command('bpfscope')
    .helpOption(false)
    .argument('[args...]')
    .option('-e <program>', 'execute this program')
    .option('-B <mode>', "output buffering mode ('full', 'none')")
    .option('-f <format>', "output format ('text', 'json')", 'text')
    .option('-o <file>', 'redirect output to file')
    .option('-h, --help', 'show this help message')
    .addOption(
      new Option('-I <dir>', 'add the directory to the include search path').argParser(collect),
    )
    .addOption(
      new Option('--include <file>', 'add an #include file before preprocessing').argParser(
        collect,
      ),
    )
    .option('-l [search]', 'list probes')
    .option('-p <pid>', 'enable USDT probes on PID (with --live)')
    .option('-c <cmd>', 'run CMD and enable USDT probes on resulting process (with --live)')
    .option('--live', 'run in the kernel through bpf() (needs root or CAP_BPF)')
    .option('--usdt-file-activation', 'activate usdt semaphores based on file path')
    .option('--unsafe', 'allow unsafe builtin functions')
    .option('-q', 'keep messages quiet')
    .option('--info', 'print information about bpfscope and kernel BPF support')
    .addOption(
      new Option('-k', 'warn when a bpf helper returns an error').argParser(increase).default(0),
    )
    .option('-V, --version', 'bpfscope version')
    .option('--no-warnings', 'disable all warning messages')
    .option('-v', 'verbose messages')
    .addOption(
      new Option('-d', '(dry run) debug info: AST, types, bytecode').argParser(increase).default(0),
    )
    .option('--dry-run', 'check and compile the program, run nothing')
    .option(
      '--emit-elf <file>',
      '(dry run) write an ELF object (loadable by libbpf/bpftool) to FILE',
    )
    .option(
      '--replay <file>',
      "run over a recorded trace or strace log ('-' for stdin, gzip accepted)",
    )
    .option('--record <file>', 'write the events the run consumed to FILE (bpfscope trace format)')
    .option('--seed <n>', 'seed of the simulated workload', '1')
    .option('--duration <time>', 'virtual time to simulate, e.g. 500ms, 2s (default 1s)')
    .option('--workload <name>', 'simulated workload to run (see below)')
    .option('--folded <file>', 'write the stack maps at exit to FILE as folded stacks')
    .option('--flamegraph <file>', 'write the stack maps at exit to FILE as an SVG flame graph')
    .option(
      '--metrics <[addr:]port>',
      'serve every map over HTTP at /metrics (Prometheus text) during the run; loopback unless ADDR is given',
    )
    .option('--report <file>', 'write an HTML report of the run (every map, the output) to FILE');
  command.exitOverride();
  command.configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  return command;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export function parseArgs(argv: string[]): CliOptions {
  const command = buildCommand();
  try {
    command.parse(splitCombinedFlags(argv), { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      const getopt = getoptMessage(e);
      throw getopt !== undefined
        ? new UsageError(getopt, true)
        : new UsageError(e.message.replace(/^error: /, ''));
    }
    throw e;
  }
  const o = command.opts();
  const operands = command.args;
  const format = o.f as string;
  if (format !== 'text' && format !== 'json')
    throw new UsageError(`Invalid output format "${format}"\nValid formats: 'text', 'json'`);
  if (o.B !== undefined && !['full', 'none', 'line'].includes(o.B)) {
    throw new UsageError("USAGE: -B must be either 'line', 'full', or 'none'.");
  }
  const seed = Number(o.seed);
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new UsageError(`--seed expects a non-negative integer, got "${o.seed}"`);
  const list = o.l !== undefined;
  const program = o.e as string | undefined;
  let file: string | undefined;
  let params = operands;
  if (program === undefined && !list && operands.length > 0) {
    file = operands[0];
    params = operands.slice(1);
  }
  return {
    program,
    file,
    params,
    output: o.o,
    format,
    quiet: !!o.q,
    buffering: o.B,
    debug: o.d,
    dryRun: !!o.dryRun,
    list,
    listPattern:
      typeof o.l === 'string' ? o.l : list && operands.length > 0 ? operands[0] : undefined,
    verbose: !!o.v,
    emitElf: o.emitElf,
    unsafe: !!o.unsafe,
    info: !!o.info,
    version: !!o.version,
    help: !!o.help,
    noWarnings: o.warnings === false,
    command: o.c,
    pid: o.p,
    replay: o.replay,
    record: o.record,
    seed,
    duration: o.duration,
    workload: o.workload,
    includeDirs: o.I ?? [],
    includes: o.include ?? [],
    helperWarnings: o.k,
    live: !!o.live,
    folded: o.folded,
    flamegraph: o.flamegraph,
    report: o.report,
    metrics: o.metrics,
  };
}

/** The usage in 0.17's layout, bpfscope's own flags in a section of their own. */
export function usage(): string {
  return USAGE;
}

const USAGE = `USAGE:
    bpfscope [options] filename
    bpfscope [options] - <stdin input>
    bpfscope [options] -e 'program'
    bpfscope [options] compiled.o
    bpfscope repl [options]

OPTIONS:
    -B MODE        output buffering mode ('full', 'none')
    -f FORMAT      output format ('text', 'json')
    -o file        redirect bpfscope output to file
    -e 'program'   execute this program
    -h, --help     show this help message
    -I DIR         add the directory to the include search path
    --include FILE add an #include file before preprocessing
    -l [search]    list probes
    -p PID         enable USDT probes on PID (needs live tracing)
    -c 'CMD'       run CMD and enable USDT probes on resulting process (needs live tracing)
    --usdt-file-activation
                   activate usdt semaphores based on file path
    --unsafe       allow unsafe builtin functions
    -q             keep messages quiet
    --info         Print information about bpfscope and the BPF support it emulates
    -k             emit a warning when a bpf helper returns an error (except read functions)
    -kk            check all bpf helper functions
    -V, --version  bpfscope version
    --no-warnings  disable all warning messages

TROUBLESHOOTING OPTIONS:
    -v                      verbose messages
    -d                      (dry run) debug info
    -dd                     (dry run) verbose debug info
    --emit-elf FILE         (dry run) generate ELF file with bpf programs and write to FILE
    --dry-run               check and compile the program, run nothing

EVENT SOURCE OPTIONS:
    --workload NAME         simulated workload to run (see WORKLOADS below)
    --seed N                seed of the simulated workload [default: 1]
    --duration TIME         virtual time to simulate, e.g. 500ms, 2s [default: 1s, or until exit()]
    --replay FILE           run over a recorded trace or strace log ('-' for stdin, gzip accepted)
    --record FILE           write the events the run consumed to FILE (bpfscope trace format)

ENVIRONMENT:
    BPFTRACE_STRLEN             [default: 64] bytes on BPF stack per str()
    BPFTRACE_MAP_KEYS_MAX       [default: 4096] max keys in a map
    __BPFTRACE_NOTIFY_PROBES_ATTACHED
                                print this line once the probes are attached

EXAMPLES:
bpfscope -l '*sleep*'
    list probes containing "sleep"
bpfscope -e 'tracepoint:syscalls:sys_enter_nanosleep { printf("PID %d sleeping...\\n", pid); }'
    trace processes calling sleep
bpfscope -e 'tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }'
    count syscalls by process name
bpfscope --replay trace.strace -e 'tracepoint:syscalls:sys_enter_openat { @[str(args->filename)] = count(); }'
    count the files a recorded strace log opens
`;
