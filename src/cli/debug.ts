// -d / -dd: a dry run that shows each stage — the AST (as source), the types the checker
// gave every expression (with -dd), and the disassembled bytecode of every probe.

import type { CliIo } from './io';
import type { CompileResult } from '../compile';
import { printProgram } from '../../grammar/index';
import { typeName } from '../../compiler/types';
import { disassemble } from '../../compiler/isa/disasm';

export function printDebug(io: CliIo, level: number, result: CompileResult): void {
  if (!result.ast) return;
  io.writeStdout(`AST\n---\n${printProgram(result.ast)}\n`);
  if (level >= 2 && result.checked) {
    io.writeStdout('\nTypes\n-----\n');
    const sorted = [...result.checked.types.entries()].sort((a, b) => a[0] - b[0]);
    for (const [id, type] of sorted) io.writeStdout(`node ${id}: ${typeName(type)}\n`);
    for (const [name, info] of result.checked.maps) {
      const value =
        info.value.kind === 'aggregation' ? info.value.aggregation.kind : typeName(info.value.type);
      io.writeStdout(`${name}[${info.keyTypes.map(typeName).join(', ')}]: ${value}\n`);
    }
  }
  if (!result.program) return;
  for (const probe of result.program.probes) {
    io.writeStdout(`\n${probe.attachPoints.join(',')}:\n${disassemble(probe.bytecode)}`);
  }
}
