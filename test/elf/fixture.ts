// Hand-built Programs for the object-file tests, assembled with the ISA builder: programs
// that look up and update maps, emit perf records and share sections, plus maps of every
// layout kind so the BTF covers them.

import * as b from '../../compiler/isa/build';
import { encode } from '../../compiler/isa/encode';
import type { Instruction } from '../../compiler/isa/instruction';
import { AluOp, JmpOp, Reg, Size } from '../../compiler/isa/opcode';
import { Helper, BPF_F_CURRENT_CPU } from '../../compiler/isa/helpers';
import { BpfMapType, type CompiledProbe, type MapDef, type Program } from '../../compiler/program';
import { UINT32, INT64 } from '../../compiler/types';

/** One instruction with its source line, a label, or a jump to a label. */
type Item =
  | { insn: Instruction; line: number }
  | { label: string }
  | { jump: (offset: number) => Instruction; to: string; line: number };

/** Resolves labels into slot offsets and returns bytecode plus the line of every slot. */
function assemble(items: Item[]): { bytecode: Uint8Array; lines: number[] } {
  const slotOf = new Map<string, number>();
  let slot = 0;
  for (const item of items) {
    if ('label' in item) slotOf.set(item.label, slot);
    else slot += 'insn' in item && item.insn.imm64 !== undefined ? 2 : 1;
  }
  const insns: Instruction[] = [];
  const lines: number[] = [];
  slot = 0;
  for (const item of items) {
    if ('label' in item) continue;
    const insn = 'insn' in item ? item.insn : item.jump(slotOf.get(item.to)! - slot - 1);
    insns.push(insn);
    const width = insn.imm64 !== undefined ? 2 : 1;
    for (let i = 0; i < width; i++) lines.push(item.line);
    slot += width;
  }
  return { bytecode: encode(insns), lines };
}

const at = (line: number, ...insns: Instruction[]): Item[] => insns.map((insn) => ({ insn, line }));

export const SOURCE = [
  'tracepoint:syscalls:sys_enter_openat {',
  '  @opens[pid] = count();',
  '  printf("%d\\n", pid);',
  '}',
  'BEGIN { printf("hello\\n"); }',
  'interval:s:1 { @ = count(); }',
  'interval:ms:100 { }',
  'END { }',
  'kprobe:vfs_read { @lat[comm] = hist(arg0); }',
].join('\n');

const MAP_OPENS = 0;
const MAP_EVENTS = 1;
const MAP_ANON = 2;

/** perf_event_output(ctx in r6, .events, CURRENT_CPU, r10+offset, size). */
function output(line: number, offset: number, size: number): Item[] {
  return at(
    line,
    b.mov64Reg(Reg.R1, Reg.R6),
    b.ldMapFd(Reg.R2, MAP_EVENTS),
    b.lddw(Reg.R3, BPF_F_CURRENT_CPU),
    b.mov64Reg(Reg.R4, Reg.R10),
    b.alu64Imm(AluOp.ADD, Reg.R4, offset),
    b.mov64Imm(Reg.R5, size),
    b.call(Helper.perf_event_output),
  );
}

const ret0 = (line: number) => at(line, b.mov64Imm(Reg.R0, 0), b.exit());

/** `@map[key at r10-8] += 1`, inserting 1 when absent. */
function countInto(line: number, map: number): Item[] {
  return [
    ...at(
      line,
      b.ldMapFd(Reg.R1, map),
      b.mov64Reg(Reg.R2, Reg.R10),
      b.alu64Imm(AluOp.ADD, Reg.R2, -8),
      b.call(Helper.map_lookup_elem),
    ),
    { jump: (off) => b.jmpImm(JmpOp.JEQ, Reg.R0, 0, off), to: `insert${map}`, line },
    ...at(line, b.mov64Imm(Reg.R1, 1), b.atomic(Size.DW, 0, Reg.R0, Reg.R1, 0)),
    { jump: (off) => b.ja(off), to: `done${map}`, line },
    { label: `insert${map}` },
    ...at(
      line,
      b.stMem(Size.DW, Reg.R10, -16, 1),
      b.ldMapFd(Reg.R1, map),
      b.mov64Reg(Reg.R2, Reg.R10),
      b.alu64Imm(AluOp.ADD, Reg.R2, -8),
      b.mov64Reg(Reg.R3, Reg.R10),
      b.alu64Imm(AluOp.ADD, Reg.R3, -16),
      b.mov64Imm(Reg.R4, 0),
      b.call(Helper.map_update_elem),
    ),
    { label: `done${map}` },
  ];
}

function probe(
  index: number,
  attachPoint: string,
  items: Item[],
  stackSize: number,
): CompiledProbe {
  return { index, attachPoints: [attachPoint], ...assemble(items), stackSize };
}

const openat = probe(
  0,
  'tracepoint:syscalls:sys_enter_openat',
  [
    ...at(
      2,
      b.mov64Reg(Reg.R6, Reg.R1),
      b.call(Helper.get_current_pid_tgid),
      b.alu64Imm(AluOp.RSH, Reg.R0, 32),
    ),
    ...at(2, b.stxMem(Size.DW, Reg.R10, Reg.R0, -8)),
    ...countInto(2, MAP_OPENS),
    ...at(3, b.stMem(Size.DW, Reg.R10, -40, 1), b.stMem(Size.DW, Reg.R10, -32, 0)),
    ...at(
      3,
      b.call(Helper.get_current_pid_tgid),
      b.alu64Imm(AluOp.RSH, Reg.R0, 32),
      b.stxMem(Size.DW, Reg.R10, Reg.R0, -24),
    ),
    ...output(3, -40, 24),
    ...ret0(4),
  ],
  40,
);

const begin = probe(
  1,
  'BEGIN',
  [
    ...at(
      5,
      b.mov64Reg(Reg.R6, Reg.R1),
      b.stMem(Size.DW, Reg.R10, -16, 1),
      b.stMem(Size.DW, Reg.R10, -8, 1),
    ),
    ...output(5, -16, 16),
    ...ret0(5),
  ],
  16,
);

const everySecond = probe(
  2,
  'interval:s:1',
  [...at(6, b.stMem(Size.W, Reg.R10, -8, 0)), ...countInto(6, MAP_ANON), ...ret0(6)],
  16,
);

const everyTenth = probe(3, 'i:ms:100', ret0(7), 0);
const end = probe(4, 'END', ret0(8), 0);
const vfsRead = probe(
  5,
  'kprobe:vfs_read',
  [...at(9, b.ldxMem(Size.DW, Reg.R1, Reg.R1, 112)), ...ret0(9)],
  0,
);

const u64 = { kind: 'int', size: 8, signed: false } as const;

const MAPS: MapDef[] = [
  {
    id: MAP_OPENS,
    name: '@opens',
    bpfType: BpfMapType.PercpuHash,
    keySize: 8,
    valueSize: 8,
    maxEntries: 4096,
    script: { keyTypes: [UINT32], value: { kind: 'aggregation', aggregation: { kind: 'count' } } },
  },
  {
    id: MAP_EVENTS,
    name: '.events',
    bpfType: BpfMapType.PerfEventArray,
    keySize: 4,
    valueSize: 4,
    maxEntries: 128,
  },
  {
    id: MAP_ANON,
    name: '@',
    bpfType: BpfMapType.PercpuArray,
    keySize: 4,
    valueSize: 8,
    maxEntries: 1,
    script: { keyTypes: [], value: { kind: 'aggregation', aggregation: { kind: 'count' } } },
  },
  {
    id: 3,
    name: '@lat',
    bpfType: BpfMapType.PercpuHash,
    keySize: 24,
    valueSize: 8,
    maxEntries: 4096,
    script: {
      keyTypes: [{ kind: 'string', size: 16 }],
      value: { kind: 'aggregation', aggregation: { kind: 'hist' } },
    },
  },
  {
    id: 4,
    name: '@lin',
    bpfType: BpfMapType.PercpuHash,
    keySize: 16,
    valueSize: 8,
    maxEntries: 4096,
    script: {
      keyTypes: [],
      value: { kind: 'aggregation', aggregation: { kind: 'lhist', min: 0n, max: 100n, step: 10n } },
    },
  },
  {
    id: 5,
    name: '@least',
    bpfType: BpfMapType.PercpuHash,
    keySize: 8,
    valueSize: 16,
    maxEntries: 4096,
    script: {
      keyTypes: [INT64],
      value: { kind: 'aggregation', aggregation: { kind: 'min', signed: true } },
    },
  },
  {
    id: 6,
    name: '@pair',
    bpfType: BpfMapType.Hash,
    keySize: 24,
    valueSize: 16,
    maxEntries: 4096,
    script: {
      keyTypes: [u64, { kind: 'string', size: 16 }],
      value: {
        kind: 'value',
        type: { kind: 'tuple', elements: [INT64, { kind: 'string', size: 8 }] },
      },
    },
  },
  {
    id: 7,
    name: '.kstack',
    bpfType: BpfMapType.StackTrace,
    keySize: 4,
    valueSize: 8 * 127,
    maxEntries: 4096,
  },
];

export function sampleProgram(): Program {
  return {
    sourceName: 'sample.bt',
    source: SOURCE,
    probeNames: [],
    probes: [openat, begin, everySecond, everyTenth, end, vfsRead],
    maps: MAPS,
    printfs: [
      { format: '%d\n', args: [{ type: UINT32, offset: 16 }], size: 24 },
      { format: 'hello\n', args: [], size: 16 },
    ],
    cats: [],
    systems: [],
    timeFormats: ['%H:%M:%S\n'],
    printValues: [{ type: { kind: 'tuple', elements: [INT64, u64] }, offset: 16 }],
    joins: [{ separator: ' ', elementSize: 64, maxElements: 16 }],
    mapNames: ['@', '@lat', '@least', '@lin', '@opens', '@pair'],
    warnings: [],
  };
}
