// Builtins read from the probe's context: arg0-N, sarg0-N and retval (x86-64 pt_regs), func, probe,
// kstack/ustack (get_stackid into the internal `.kstack`/`.ustack` stack-trace maps; the
// value is the stack id as a u64, negative when the kernel could not take the stack).

import type { Builtin, Call } from '../../grammar/ast';
import { Helper } from '../../compiler/isa/helpers';
import { AluOp, Reg, Size } from '../../compiler/isa/opcode';
import { ARGUMENT_OFFSETS, PT_REGS_OFFSETS as PT_REGS } from '../../compiler/ptregs';
import { parseUsdtArguments } from '../../compiler/usdt_args';
import { DEFAULT_STACK_LIMIT } from '../../compiler/types';
import { readMemory } from '../../compiler/codegen/access';
import { arithmetic } from '../../compiler/codegen/arith';
import { fail, unsupported } from '../../compiler/codegen/errors';
import type { ProbeGen } from '../../compiler/codegen/probe-gen';
import { CTX } from '../../compiler/codegen/regs';
import { constant, inMemory, inTemp, type Value } from '../../compiler/codegen/value';
import type { FunctionGen, VariableGen } from '../../compiler/codegen/generator';

/** get_stackid's flag for user stacks. */
const BPF_F_USER_STACK = 1 << 8;

function register(g: ProbeGen, offset: number): Value {
  return g.loadInt(CTX, offset, 8, false);
}

function argument(g: ProbeGen, node: Builtin): Value {
  const index = Number(node.name.slice(3));
  const spec = g.points[0]?.provider === 'usdt' ? g.points[0].usdtArguments : undefined;
  if (spec !== undefined) return usdtArgument(g, node, spec, index);
  const offset = ARGUMENT_OFFSETS[index];
  if (offset === undefined)
    return unsupported(`${node.name} (arguments passed on the stack)`, node.range);
  return register(g, offset);
}

/** argN of a USDT probe, where its SDT note says the argument is. */
function usdtArgument(g: ProbeGen, node: Builtin, spec: string, index: number): Value {
  const arg = parseUsdtArguments(spec)?.[index];
  if (!arg)
    return fail(`${node.name}: the USDT probe has no argument ${index} (${spec})`, node.range);
  if (arg.kind === 'constant') {
    const bits = arg.size * 8;
    return constant(arg.signed ? BigInt.asIntN(bits, arg.value) : BigInt.asUintN(bits, arg.value));
  }
  if (arg.kind === 'register') return g.loadInt(CTX, PT_REGS[arg.register]!, arg.size, arg.signed);
  const address = arithmetic(
    g,
    '+',
    register(g, PT_REGS[arg.register]!),
    constant(BigInt(arg.offset)),
  );
  return readMemory(g, address, {
    kind: 'int',
    size: arg.size as 1 | 2 | 4 | 8,
    signed: arg.signed,
  });
}

/** sargN: the N-th argument passed on the stack, at sp + 8 * (N + 1) (above the return
 *  address), read with probe_read (user memory in uprobes). */
function stackArgument(g: ProbeGen, node: Builtin): Value {
  const index = BigInt(node.name.slice(4));
  const address = arithmetic(g, '+', register(g, PT_REGS.sp!), constant(8n * (index + 1n)));
  return readMemory(g, address, { kind: 'int', size: 8, signed: false });
}

/** get_stackid into the stack map as deep as the stack's limit: stacks that agree on their
 *  first `limit` frames get one id, as in bpftrace. */
function stack(g: ProbeGen, user: boolean, limit = DEFAULT_STACK_LIMIT): Value {
  g.e.mov(Reg.R1, CTX);
  g.e.loadMap(Reg.R2, g.state.stackMap(user, limit).id);
  g.e.movConst(Reg.R3, BigInt(user ? BPF_F_USER_STACK : 0));
  g.e.call(Helper.get_stackid);
  const temp = g.regs.alloc();
  g.regs.write(temp, Reg.R0);
  return inTemp(temp);
}

function func(g: ProbeGen): Value {
  const provider = g.points[0]?.provider;
  if (
    provider === 'kprobe' ||
    provider === 'kretprobe' ||
    provider === 'kfunc' ||
    provider === 'kretfunc'
  ) {
    g.e.mov(Reg.R1, CTX);
    g.e.call(Helper.get_func_ip);
    const temp = g.regs.alloc();
    g.regs.write(temp, Reg.R0);
    return inTemp(temp);
  }
  return userSymbol(g, register(g, PT_REGS.ip!));
}

/** A user address as usym's `{u64 address; u64 pid}`, so user space resolves it per process. */
export function userSymbol(g: ProbeGen, address: Value): Value {
  const buffer = g.frame.alloc(16);
  g.storeInt(address, Reg.R10, buffer, 8);
  g.release(address);
  g.e.call(Helper.get_current_pid_tgid);
  g.e.alu(AluOp.RSH, Reg.R0, { imm: 32 });
  g.e.store(Size.DW, Reg.R10, buffer + 8, Reg.R0);
  return inMemory(buffer);
}

export const contextVariables: Record<string, VariableGen> = {
  retval: (g) => register(g, PT_REGS.ax!),
  func,
  probe: (g) => constant(BigInt(g.state.probeId(g.points[0]?.name ?? ''))),
  kstack: (g) => stack(g, false),
  ustack: (g) => stack(g, true),
  ctx: (g) => {
    const temp = g.regs.alloc();
    g.regs.write(temp, CTX);
    return inTemp(temp);
  },
};

export function isArgumentVariable(name: string): boolean {
  return /^s?arg\d+$/.test(name);
}

export const argumentVariable: VariableGen = (g, node) =>
  node.name.startsWith('s') ? stackArgument(g, node) : argument(g, node);

/** `kstack(mode, n)` / `ustack(...)`: the stack id, taken `n` frames deep; the mode is applied
 *  when printing. */
export const contextFunctions: Record<string, FunctionGen> = {
  kstack: (g: ProbeGen, node: Call) => stack(g, false, stackLimit(g, node)),
  ustack: (g: ProbeGen, node: Call) => stack(g, true, stackLimit(g, node)),
  /** reg("name"): the saved register from pt_regs. */
  reg: (g: ProbeGen, node: Call) => {
    const name = node.args[0]?.kind === 'StringLiteral' ? node.args[0].value : '';
    const offset = (PT_REGS as Readonly<Record<string, number>>)[name];
    if (offset === undefined) return fail(`'${name}' is not a valid register`, node.range);
    return register(g, offset);
  },
};

function stackLimit(g: ProbeGen, node: Call): number {
  const type = g.typeOf(node);
  return type.kind === 'opaque' && type.stack ? type.stack.limit : DEFAULT_STACK_LIMIT;
}
