// Integer, symbol and map builtins: bswap signal ksym usym kptr uptr delete has_key.

import { endian } from '../../isa/build';
import { Helper } from '../../isa/helpers';
import { AluOp, Reg, Size } from '../../isa/opcode';
import { intWidth, compareValues } from '../arith';
import { fail } from '../errors';
import { buildKey, deleteKey, lookup, scriptMap } from '../maps';
import type { ProbeGen } from '../probe-gen';
import { constant, inMemory, inTemp } from '../value';
import { NOTHING, type FunctionGen } from './types';

const bswap: FunctionGen = (g, node, gen) => {
  const width = intWidth(g.typeOf(node.args[0]));
  const value = gen(node.args[0]);
  if (width === 1) return value;
  const temp = g.own(value);
  g.update(temp, (reg) => {
    g.e.emit(endian('be', reg, (width * 8) as 16 | 32 | 64));
    g.canonicalize(reg, g.typeOf(node));
  });
  return inTemp(temp);
};

const signal: FunctionGen = (g, node, gen) => {
  const value = gen(node.args[0]);
  g.loadInto(value, Reg.R1);
  g.release(value);
  g.e.call(Helper.send_signal);
  return NOTHING;
};

/** usym: `{u64 address; u64 pid}` so user space can find the process's symbols. */
const usym: FunctionGen = (g, node, gen) => {
  const buffer = g.frame.alloc(16);
  const address = gen(node.args[0]);
  g.storeInt(address, Reg.R10, buffer, 8);
  g.release(address);
  g.e.call(Helper.get_current_pid_tgid);
  g.e.alu(AluOp.RSH, Reg.R0, { imm: 32 });
  g.e.store(Size.DW, Reg.R10, buffer + 8, Reg.R0);
  return inMemory(buffer);
};

const identity: FunctionGen = (g, node, gen) => gen(node.args[0]);

const deleteElement: FunctionGen = (g, node, gen) => {
  const map = node.args[0];
  if (map?.kind !== 'MapAccess') return fail('delete() expects a map element', node.range);
  const { def, info } = scriptMap(g, map.name);
  if (info.value.kind === 'aggregation' && (info.value.aggregation.kind === 'hist' || info.value.aggregation.kind === 'lhist'))
    return fail('delete() of a hist/lhist entry is not implemented yet', node.range);
  deleteKey(g, def, buildKey(g, map, gen));
  return NOTHING;
};

const hasKey: FunctionGen = (g, node, gen) => {
  const map = node.args[0];
  if (map?.kind !== 'MapAccess') return fail('has_key() expects a map', node.range);
  const { def } = scriptMap(g, map.name);
  const key = buildKey(g, { ...map, keys: node.args.slice(1) }, gen);
  lookup(g, def, key);
  const temp = g.regs.alloc();
  g.regs.write(temp, Reg.R0);
  return compareValues(g, '!=', inTemp(temp), constant(0n), false);
};

export const miscFunctions: Record<string, FunctionGen> = {
  bswap,
  signal,
  ksym: identity,
  usym,
  kptr: identity,
  uptr: identity,
  delete: deleteElement,
  has_key: hasKey,
};
