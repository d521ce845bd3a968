// Task and process builtins: pid tid uid gid cpu numaid cgroup rand comm curtask username cpid.

import { UINT64, type Type } from '../compiler/types';
import { messages } from '../compiler/check/messages';
import type { BuiltinVariable } from '../compiler/builtin';

function uint64Variable(name: string): BuiltinVariable {
  return { kind: 'variable', name, type: () => UINT64 };
}

/** The kernel's `struct task_struct`; its fields need kernel BTF, which bpfscope lacks. */
export const TASK_STRUCT: Type = {
  kind: 'record',
  name: 'task_struct',
  union: false,
  fields: [],
  size: 0,
};

export const processVariables: BuiltinVariable[] = [
  uint64Variable('pid'),
  uint64Variable('tid'),
  uint64Variable('uid'),
  uint64Variable('gid'),
  uint64Variable('cpu'),
  uint64Variable('numaid'),
  uint64Variable('cgroup'),
  uint64Variable('rand'),
  { kind: 'variable', name: 'comm', type: () => ({ kind: 'string', size: 16 }) },
  { kind: 'variable', name: 'curtask', type: () => ({ kind: 'pointer', to: TASK_STRUCT }) },
  {
    kind: 'variable',
    name: 'username',
    type: () => ({ kind: 'opaque', name: 'username', size: 8 }),
  },
  {
    kind: 'variable',
    name: 'cpid',
    type: () => UINT64,
    // bpfscope never runs a child command (-c), so cpid is always unavailable.
    restrict: () => ({ message: messages.cpidWithoutCommand(), keepsType: true }),
  },
];
