// Output and map-management functions: printf cat system print exit clear zero delete
// has_key len. printf-style formats are scanned by stdlib/printf_format.ts.

import type { Expression } from '../grammar/ast';
import { INT64, NONE, type Type } from '../compiler/types';
import { messages } from '../compiler/check/messages';
import {
  argumentRange,
  integerArgument,
  integerLiteral,
  isInteger,
  notAsValue,
  wholeMap,
} from './arguments';
import { scanFormat, type FormatConversion } from './printf_format';
import type { BuiltinFunction, CallCheck } from '../compiler/builtin';

/** Can a value of `type` be formatted by `conversion`? */
function fitsConversion(conversion: FormatConversion, type: Type): boolean {
  switch (conversion.argument) {
    case 'integer':
      return isInteger(type) || type.kind === 'pointer';
    case 'string':
      return type.kind === 'string' || type.kind === 'opaque' || type.kind === 'buffer';
    case 'buffer':
      return type.kind === 'buffer' || type.kind === 'string';
  }
}

/** printf/cat/system: a literal format and arguments that match its conversions. */
function checkFormatted(c: CallCheck): Type {
  notAsValue(c);
  if (!argumentRange(c, 1, Infinity)) return NONE;
  const format = c.literalString(c.call.args[0]);
  if (format === undefined) {
    c.error(messages.expectsStringLiteral(c.call.name, c.argTypes[0]), c.call.range, 'early');
    return NONE;
  }
  const given = c.call.args.length - 1;
  // `%%` is a literal percent (0.17 counted `%%d` as a conversion: a data-losing bug the
  // reference says not to copy).
  const conversions = scanFormat(format);
  if (given < conversions.length) {
    c.error(
      messages.printfNotEnough(c.call.name, given, conversions.length),
      c.call.range,
      'final',
    );
    return NONE;
  }
  if (given > conversions.length) {
    c.error(messages.printfTooMany(c.call.name, given, conversions.length), c.call.range, 'final');
    return NONE;
  }
  // 0.17 reports only the first argument that does not fit.
  const bad = conversions.findIndex(
    (conversion, i) => !fitsConversion(conversion, c.argTypes[i + 1]),
  );
  if (bad >= 0) {
    const conversion = conversions[bad];
    const wanted = conversion.argument === 'buffer' ? 'buffer' : conversion.argument;
    const text = `%${conversion.specifier}`;
    const type = c.argTypes[bad + 1];
    c.error(messages.printfArgType(c.call.name, text, wanted, type), c.call.range, 'final');
  }
  return NONE;
}

function checkPrint(c: CallCheck): Type {
  notAsValue(c);
  if (c.inWhileLoop) c.warning(messages.printInLoop(), c.call.range);
  const map = c.mapArgument;
  if (map && !map.indexed) {
    if (!argumentRange(c, 1, 3)) return NONE;
    for (let i = 1; i < c.call.args.length; i++) integerLiteral(c, i, 'final');
    const value = map.value;
    if (
      c.call.args.length > 1 &&
      value?.kind === 'aggregation' &&
      value.aggregation.kind === 'stats'
    ) {
      c.warning(messages.printStatsIgnored(), c.call.range);
    }
    return NONE;
  }
  // A value (newer bpftrace also prints one map element: `print(@m[k])`).
  if (c.call.args.length !== 1) {
    if (c.call.args.length === 0) argumentRange(c, 1, 3);
    else c.error(messages.printNonMapArgs(c.call.args.length), c.call.range, 'early');
    return NONE;
  }
  const type = c.argTypes[0];
  if (type.kind === 'none') c.error(messages.printNotPrintable(type), c.call.range, 'final');
  return NONE;
}

/** clear/zero: a statement on one whole map. */
function checkWholeMapStatement(c: CallCheck): Type {
  notAsValue(c);
  if (argumentRange(c, 1, 1)) wholeMap(c);
  return NONE;
}

export const outputFunctions: BuiltinFunction[] = [
  {
    kind: 'function',
    name: 'printf',
    statementOnly: true,
    formatArgument: 0,
    check: checkFormatted,
  },
  {
    kind: 'function',
    name: 'cat',
    statementOnly: true,
    formatArgument: 0,
    check: checkFormatted,
  },
  {
    kind: 'function',
    name: 'system',
    statementOnly: true,
    unsafe: true,
    formatArgument: 0,
    check: checkFormatted,
  },
  {
    kind: 'function',
    name: 'print',
    statementOnly: true,
    mapArgument: 'map-or-value',
    check: checkPrint,
  },
  {
    kind: 'function',
    name: 'exit',
    statementOnly: true,
    check(c) {
      notAsValue(c);
      // 0.17 takes no argument; newer bpftrace's `exit(code)` is accepted.
      if (c.call.args.length > 1) {
        c.error(messages.requiresNoArguments('exit', c.call.args.length), c.call.range, 'early');
      } else if (c.call.args.length === 1) integerArgument(c, 0);
      return NONE;
    },
  },
  {
    kind: 'function',
    name: 'clear',
    mapArgument: 'whole',
    statementOnly: true,
    check: checkWholeMapStatement,
  },
  {
    kind: 'function',
    name: 'zero',
    mapArgument: 'whole',
    statementOnly: true,
    check: checkWholeMapStatement,
  },
  {
    kind: 'function',
    name: 'delete',
    mapArgument: 'element',
    statementOnly: true,
    check(c) {
      notAsValue(c);
      // `delete(@m[k])` (0.17) or `delete(@m, k)` (newer).
      if (argumentRange(c, 1, 2) && !c.mapArgument) {
        c.error(messages.expectsMap(c.call.name), c.call.range, 'early');
      } else if (c.call.args.length === 2 && isElement(c.call.args[0])) {
        // The key is given once: `delete(@m[k], x)` is 0.17's one-argument form with one too many.
        c.error(messages.requiresArguments('delete', 1, 2), c.call.range, 'early');
      }
      return NONE;
    },
  },
  {
    kind: 'function',
    name: 'has_key',
    mapArgument: 'element',
    check(c) {
      if (argumentRange(c, 2, 2) && !c.mapArgument) {
        c.error(messages.expectsMap(c.call.name), c.call.range, 'early');
      }
      return { kind: 'int', size: 1, signed: false };
    },
  },
  {
    kind: 'function',
    name: 'len',
    mapArgument: 'whole',
    check(c) {
      if (argumentRange(c, 1, 1)) wholeMap(c);
      return INT64;
    },
  },
];

function isElement(arg: Expression | undefined): boolean {
  return arg?.kind === 'MapAccess' && (arg.indexed || arg.keys.length > 0);
}
