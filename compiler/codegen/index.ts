// Code generation: the checked program → one eBPF program per probe block, the maps, and
// the descriptors user space decodes records with (compiler/program.ts).

import type { Node, Probe } from '../../grammar/ast';
import { error, type Diagnostic } from '../../grammar/diagnostics';
import type { CheckedProgram } from '../check/checked';
import type { ResolvedAttachPoint } from '../host';
import { encode } from '../isa/encode';
import { slotCount, type Instruction } from '../isa/instruction';
import type { FuncRef } from './emitter';
import { lddw } from '../isa/build';
import { PseudoSrc, Reg } from '../isa/opcode';
import type { CompiledProbe, Program } from '../program';
import { branch } from './cond';
import { CodegenError } from './errors';
import { genExpr } from './expr';
import { StackOverflowError } from './frame';
import { ProbeGen } from './probe-gen';
import { CTX } from './regs';
import { ProgramState } from './state';
import { genBlock, genStatement } from './stmt';

export { CodegenError } from './errors';

/** The Program plus what user space needs beyond program.ts's fields. */
export interface GeneratedProgram extends Program {
  /** Names the `probe` builtin's values index (the value is an index into this list). */
  probeNames: string[];
}

/** Generates the program; a construct codegen cannot handle throws CodegenError with
 *  located diagnostics (see generateOrDiagnose). */
export function generate(checked: CheckedProgram): GeneratedProgram {
  const state = new ProgramState(checked.options, checked.maps);
  const probes: CompiledProbe[] = [];
  checked.ast.probes.forEach((probe, index) => {
    for (const points of programGroups(probe, checked.probes[index].points)) {
      probes.push(generateProbe(state, checked, index, probe, points));
    }
  });
  return {
    sourceName: checked.options.sourceName,
    source: checked.options.source ?? '',
    probes,
    maps: state.maps,
    printfs: state.printfs,
    cats: state.cats,
    systems: state.systems,
    timeFormats: state.timeFormats,
    printValues: state.printValues,
    joins: state.joins,
    mapNames: [...checked.maps.keys()].sort(),
    warnings: [],
    probeNames: state.probeNames,
  };
}

/** generate(), with codegen errors returned as diagnostics instead of thrown. */
export function generateOrDiagnose(checked: CheckedProgram): {
  program?: GeneratedProgram;
  diagnostics: Diagnostic[];
} {
  try {
    return { program: generate(checked), diagnostics: [] };
  } catch (e) {
    if (e instanceof CodegenError) return { diagnostics: e.diagnostics };
    throw e;
  }
}

/** A block whose code depends on which attach point fired (`probe`, `args` of differing
 *  tracepoints) gets one program per attach point, as bpftrace does; others share one. */
function programGroups(probe: Probe, points: ResolvedAttachPoint[]): ResolvedAttachPoint[][] {
  if (points.length > 1 && usesBuiltin(probe, new Set(['probe', 'args'])))
    return points.map((p) => [p]);
  // USDT probes whose arguments lie in different places read them with different code.
  if (new Set(points.map((p) => p.usdtArguments)).size > 1) return points.map((p) => [p]);
  return [points];
}

function usesBuiltin(node: unknown, names: Set<string>): boolean {
  if (!node || typeof node !== 'object') return false;
  if (Array.isArray(node)) return node.some((n) => usesBuiltin(n, names));
  const n = node as Node;
  if (n.kind === 'Builtin' && names.has(n.name)) return true;
  return Object.values(node).some((v) => typeof v === 'object' && usesBuiltin(v, names));
}

function generateProbe(
  state: ProgramState,
  checked: CheckedProgram,
  index: number,
  probe: Probe,
  points: ResolvedAttachPoint[],
): CompiledProbe {
  const checkedProbe = checked.probes[index];
  const g = new ProbeGen(genStatement, state, checked, checkedProbe, points);
  g.e.line = probe.range.start.line;
  try {
    g.e.mov(CTX, Reg.R1);
    for (const [name, type] of checkedProbe.variables) g.vars.declare(name, type);
    if (probe.predicate) {
      g.e.line = probe.predicate.range.start.line;
      const mark = g.frame.mark();
      branch(g, probe.predicate, g.returnLabel, false, (e) => genExpr(g, e));
      g.frame.release(mark);
      g.regs.resetSlots();
    }
    genBlock(g, probe.body);
  } catch (e) {
    if (e instanceof StackOverflowError)
      throw new CodegenError([error(`${e.message} in this probe`, probe.range)]);
    throw e;
  }
  g.e.line = probe.body.range.end.line;
  g.e.bind(g.returnLabel);
  g.e.movConst(Reg.R0, 0n);
  g.e.exit();
  // The emitter drops the entry's context copy when nothing reads r6.
  const main = g.e.finish();
  const { instructions, lines, subprograms } = appendSubprograms(g, main);
  return {
    index,
    attachPoints:
      points.length === checkedProbe.points.length
        ? checkedProbe.attachTexts
        : points.map((p) => p.name),
    bytecode: encode(instructions),
    lines,
    stackSize: g.frame.high,
    ...(subprograms.length > 0 ? { subprograms } : {}),
  };
}

/** Places the callback subprograms after the main program and points every `lddw src=4`
 *  at its subprogram (imm = target slot - (lddw slot + 1), as for a local call). */
function appendSubprograms(
  g: ProbeGen,
  main: { instructions: Instruction[]; lines: number[]; funcRefs: FuncRef[] },
): { instructions: Instruction[]; lines: number[]; subprograms: number[] } {
  const parts = [{ base: 0, ...main }];
  let base = main.lines.length;
  // Generating a subprogram can add more (nested loops): the list grows while we walk it.
  for (let i = 0; i < g.subprograms.length; i++) {
    const sub = g.subprograms[i];
    const done = sub.e.finish();
    parts.push({ base, ...done });
    base += done.lines.length;
  }
  const instructions: Instruction[] = [];
  const lines: number[] = [];
  for (const part of parts) {
    const own = part.instructions.slice();
    const slotIndex = slotToIndex(own);
    for (const ref of part.funcRefs) {
      const target = parts[ref.subprogram + 1].base;
      const index = slotIndex.get(ref.slot)!;
      own[index] = lddw(
        own[index].dst,
        BigInt(target - (part.base + ref.slot + 1)),
        PseudoSrc.Func,
      );
    }
    instructions.push(...own);
    lines.push(...part.lines);
  }
  return { instructions, lines, subprograms: parts.slice(1).map((p) => p.base) };
}

function slotToIndex(instructions: Instruction[]): Map<number, number> {
  const map = new Map<number, number>();
  let slot = 0;
  instructions.forEach((insn, index) => {
    map.set(slot, index);
    slot += slotCount(insn);
  });
  return map;
}
