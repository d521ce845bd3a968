// Builtins that emit records for user space: printf cat system print clear zero time exit.
// print/clear/zero are asynchronous in bpftrace: the record names the map and user space
// acts on it after the invocation. exit sends its record and ends the invocation.

import type { Call, Expression } from '../../grammar/ast';
import { RecordKind, type FormatDescriptor } from '../../compiler/program';
import { fail } from '../../compiler/codegen/errors';
import type { ProbeGen } from '../../compiler/codegen/probe-gen';
import { emitRecord, recordLayout, type RecordArg } from '../../compiler/codegen/records';
import { constant } from '../../compiler/codegen/value';
import { NOTHING, type FunctionGen, type Gen } from '../../compiler/codegen/generator';

/** The default format of `time()`. */
export const DEFAULT_TIME_FORMAT = '%H:%M:%S\n';

function stringArgument(node: Call, index: number): string {
  const arg = node.args[index];
  if (arg?.kind !== 'StringLiteral')
    return fail(`${node.name} expects a string literal`, arg?.range ?? node.range);
  return arg.value;
}

function integerArgument(g: ProbeGen, arg: Expression | undefined, fallback: bigint): bigint {
  if (!arg) return fallback;
  const value = g.constantOf(arg) ?? (arg.kind === 'IntegerLiteral' ? arg.value : undefined);
  if (value === undefined) return fail('expects an integer literal', arg.range);
  return value;
}

/** printf-style record: format descriptor in `table`, the arguments after the format. */
function formatted(kind: RecordKind, table: (g: ProbeGen) => FormatDescriptor[]): FunctionGen {
  return (g, node, gen) => {
    const format = stringArgument(node, 0);
    const rest = node.args.slice(1);
    const args: RecordArg[] = rest.map((arg) => ({ value: gen(arg), type: g.typeOf(arg) }));
    const layout = recordLayout(args.map((a) => a.type));
    const id = g.state.intern(table(g), { format, args: layout.args, size: layout.size });
    emitRecord(g, kind, id, args);
    return NOTHING;
  };
}

function mapRecord(kind: RecordKind.ClearMap | RecordKind.ZeroMap): FunctionGen {
  return (g, node) => {
    const map = node.args[0];
    if (map?.kind !== 'MapAccess') return fail(`${node.name}() expects a map argument`, node.range);
    emitRecord(g, kind, g.state.map(map.name).id, []);
    return NOTHING;
  };
}

function print(g: ProbeGen, node: Call, gen: Gen) {
  const [target, top, div] = node.args;
  if (target?.kind === 'MapAccess' && !target.indexed && target.keys.length === 0) {
    const args: RecordArg[] = [
      {
        value: constant(integerArgument(g, top, 0n)),
        type: { kind: 'int', size: 8, signed: false },
      },
      {
        value: constant(integerArgument(g, div, 0n)),
        type: { kind: 'int', size: 8, signed: false },
      },
    ];
    emitRecord(g, RecordKind.PrintMap, g.state.map(target.name).id, args);
    return NOTHING;
  }
  const type = g.typeOf(target);
  const layout = recordLayout([type]);
  const id = g.state.intern(g.state.printValues, {
    type: layout.args[0].type,
    offset: layout.args[0].offset,
  });
  emitRecord(g, RecordKind.PrintValue, id, [{ value: gen(target), type }]);
  return NOTHING;
}

/** `exit()` or newer bpftrace's `exit(code)`: the code travels as the record's argument. */
function exit(g: ProbeGen, node: Call, gen: Gen) {
  const code = node.args[0];
  emitRecord(g, RecordKind.Exit, 0, code ? [{ value: gen(code), type: g.typeOf(code) }] : []);
  g.e.goto(g.returnLabel);
  return NOTHING;
}

function time(g: ProbeGen, node: Call) {
  const format = node.args.length > 0 ? stringArgument(node, 0) : DEFAULT_TIME_FORMAT;
  emitRecord(g, RecordKind.Time, g.state.intern(g.state.timeFormats, format), []);
  return NOTHING;
}

export const outputFunctions: Record<string, FunctionGen> = {
  printf: formatted(RecordKind.Printf, (g) => g.state.printfs),
  cat: formatted(RecordKind.Cat, (g) => g.state.cats),
  system: formatted(RecordKind.System, (g) => g.state.systems),
  print,
  clear: mapRecord(RecordKind.ClearMap),
  zero: mapRecord(RecordKind.ZeroMap),
  exit,
  time,
};
