// The `.bpfscope` section: everything user space needs to run the object exactly as the
// script — the whole Program except the bytecode — as JSON (bigints as {"$bigint": "…"}),
// plus the ELF symbol that holds each probe's code and each map's definition.
// Decoding validates the shape, so a damaged section is a described failure.

import type { CompiledProbe, MapDef, Program } from '../program';
import { STACK_MODES } from '../types';

export const METADATA_FORMAT = 'bpfscope-object';
export const METADATA_VERSION = 1;

export interface ProbeMetadata extends Omit<CompiledProbe, 'bytecode'> {
  /** The FUNC symbol of the probe's program. */
  symbol: string;
}

export interface ObjectMetadata {
  format: typeof METADATA_FORMAT;
  version: typeof METADATA_VERSION;
  program: Omit<Program, 'probes'> & { probes: ProbeMetadata[] };
  /** The OBJECT symbol of each map in `.maps`, by map id. */
  mapSymbols: string[];
}

/** Keys are written sorted, so equal Programs give equal bytes however they were built. */
export function encodeMetadata(metadata: ObjectMetadata): Uint8Array {
  const json = JSON.stringify(metadata, (_key, value: unknown) => {
    if (typeof value === 'bigint') return { $bigint: value.toString() };
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    const entries = Object.entries(value as Record<string, unknown>);
    return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
  return new TextEncoder().encode(json);
}

/** Parses and checks the section; throws an Error whose message says what is wrong. */
export function decodeMetadata(bytes: Uint8Array): ObjectMetadata {
  let parsed: unknown;
  try {
    parsed = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(bytes),
      (_key, value: unknown) => (isBigintBox(value) ? BigInt(value.$bigint) : value),
    );
  } catch (error) {
    throw new Error(`is not valid JSON (${(error as Error).message.split('\n')[0]})`);
  }
  const check = new ShapeCheck();
  check.metadata(parsed);
  return parsed as ObjectMetadata;
}

function isBigintBox(value: unknown): value is { $bigint: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.keys(value).length === 1 &&
    typeof (value as { $bigint?: unknown }).$bigint === 'string' &&
    /^-?[0-9]+$/.test((value as { $bigint: string }).$bigint)
  );
}

type Json = Record<string, unknown>;

const TYPE_KINDS = new Set([
  'none',
  'int',
  'bool',
  'string',
  'buffer',
  'tuple',
  'pointer',
  'array',
  'record',
  'opaque',
  'aggregation',
]);
const AGGREGATIONS = new Set(['count', 'sum', 'min', 'max', 'avg', 'stats', 'hist', 'lhist']);

/** Structural validation of decoded metadata; each failure names the path of the bad value. */
class ShapeCheck {
  private fail(path: string, expected: string): never {
    throw new Error(`${path} should be ${expected}`);
  }

  private object(value: unknown, path: string): Json {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      this.fail(path, 'an object');
    return value as Json;
  }
  private array(value: unknown, path: string): unknown[] {
    if (!Array.isArray(value)) this.fail(path, 'an array');
    return value;
  }
  private string(value: unknown, path: string): string {
    if (typeof value !== 'string') this.fail(path, 'a string');
    return value;
  }
  private count(value: unknown, path: string): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
      this.fail(path, 'a non-negative integer');
    return value;
  }
  private boolean(value: unknown, path: string): void {
    if (typeof value !== 'boolean') this.fail(path, 'true or false');
  }
  private bigint(value: unknown, path: string): void {
    if (typeof value !== 'bigint') this.fail(path, 'a big integer');
  }
  private strings(value: unknown, path: string): string[] {
    return this.array(value, path).map((item, i) => this.string(item, `${path}[${i}]`));
  }

  metadata(value: unknown): void {
    const top = this.object(value, 'metadata');
    if (top.format !== METADATA_FORMAT) this.fail('metadata.format', `"${METADATA_FORMAT}"`);
    if (top.version !== METADATA_VERSION) this.fail('metadata.version', `${METADATA_VERSION}`);
    const program = this.object(top.program, 'program');
    this.string(program.sourceName, 'program.sourceName');
    this.string(program.source, 'program.source');
    this.strings(program.timeFormats, 'program.timeFormats');
    this.strings(program.mapNames, 'program.mapNames');
    this.strings(program.warnings, 'program.warnings');
    this.array(program.probes, 'program.probes').forEach((p, i) =>
      this.probe(p, `program.probes[${i}]`),
    );
    const maps = this.array(program.maps, 'program.maps');
    maps.forEach((m, i) => this.map(m, i, `program.maps[${i}]`));
    for (const name of ['printfs', 'cats', 'systems'] as const)
      this.array(program[name], `program.${name}`).forEach((f, i) =>
        this.format(f, `program.${name}[${i}]`),
      );
    this.array(program.printValues, 'program.printValues').forEach((v, i) => {
      const path = `program.printValues[${i}]`;
      const descriptor = this.object(v, path);
      this.type(descriptor.type, `${path}.type`);
      this.count(descriptor.offset, `${path}.offset`);
    });
    this.array(program.joins, 'program.joins').forEach((j, i) => {
      const path = `program.joins[${i}]`;
      const join = this.object(j, path);
      this.string(join.separator, `${path}.separator`);
      this.count(join.elementSize, `${path}.elementSize`);
      this.count(join.maxElements, `${path}.maxElements`);
    });
    const symbols = this.strings(top.mapSymbols, 'mapSymbols');
    if (symbols.length !== maps.length)
      this.fail('mapSymbols', `one symbol per map (${maps.length})`);
  }

  private probe(value: unknown, path: string): void {
    const probe = this.object(value, path);
    this.count(probe.index, `${path}.index`);
    this.strings(probe.attachPoints, `${path}.attachPoints`);
    this.array(probe.lines, `${path}.lines`).forEach((line, i) =>
      this.count(line, `${path}.lines[${i}]`),
    );
    this.count(probe.stackSize, `${path}.stackSize`);
    if (probe.subprograms !== undefined)
      this.array(probe.subprograms, `${path}.subprograms`).forEach((start, i) =>
        this.count(start, `${path}.subprograms[${i}]`),
      );
    this.string(probe.symbol, `${path}.symbol`);
  }

  private map(value: unknown, index: number, path: string): void {
    const map = this.object(value, path) as Partial<Record<keyof MapDef, unknown>>;
    if (map.id !== index) this.fail(`${path}.id`, `${index}`);
    this.string(map.name, `${path}.name`);
    this.count(map.bpfType, `${path}.bpfType`);
    this.count(map.keySize, `${path}.keySize`);
    this.count(map.valueSize, `${path}.valueSize`);
    this.count(map.maxEntries, `${path}.maxEntries`);
    if (map.script === undefined) return;
    const script = this.object(map.script, `${path}.script`);
    this.array(script.keyTypes, `${path}.script.keyTypes`).forEach((t, i) =>
      this.type(t, `${path}.script.keyTypes[${i}]`),
    );
    const mapValue = this.object(script.value, `${path}.script.value`);
    if (mapValue.kind === 'aggregation')
      this.aggregation(mapValue.aggregation, `${path}.script.value.aggregation`);
    else if (mapValue.kind === 'value') this.type(mapValue.type, `${path}.script.value.type`);
    else this.fail(`${path}.script.value.kind`, '"aggregation" or "value"');
  }

  private format(value: unknown, path: string): void {
    const format = this.object(value, path);
    this.string(format.format, `${path}.format`);
    this.count(format.size, `${path}.size`);
    this.array(format.args, `${path}.args`).forEach((a, i) => {
      const arg = this.object(a, `${path}.args[${i}]`);
      this.type(arg.type, `${path}.args[${i}].type`);
      this.count(arg.offset, `${path}.args[${i}].offset`);
    });
  }

  private aggregation(value: unknown, path: string): void {
    const aggregation = this.object(value, path);
    if (typeof aggregation.kind !== 'string' || !AGGREGATIONS.has(aggregation.kind))
      this.fail(`${path}.kind`, 'an aggregation name');
    if (aggregation.kind === 'lhist') {
      this.bigint(aggregation.min, `${path}.min`);
      this.bigint(aggregation.max, `${path}.max`);
      this.bigint(aggregation.step, `${path}.step`);
    } else if (aggregation.kind !== 'count' && aggregation.kind !== 'hist') {
      this.boolean(aggregation.signed, `${path}.signed`);
    }
  }

  private type(value: unknown, path: string): void {
    const type = this.object(value, path);
    if (typeof type.kind !== 'string' || !TYPE_KINDS.has(type.kind))
      this.fail(`${path}.kind`, 'a type kind');
    switch (type.kind) {
      case 'int':
        if (![1, 2, 4, 8].includes(type.size as number)) this.fail(`${path}.size`, '1, 2, 4 or 8');
        this.boolean(type.signed, `${path}.signed`);
        break;
      case 'string':
      case 'buffer':
        this.count(type.size, `${path}.size`);
        break;
      case 'tuple':
        this.array(type.elements, `${path}.elements`).forEach((e, i) =>
          this.type(e, `${path}.elements[${i}]`),
        );
        break;
      case 'pointer':
        this.type(type.to, `${path}.to`);
        break;
      case 'array':
        this.type(type.element, `${path}.element`);
        this.count(type.length, `${path}.length`);
        break;
      case 'record':
        this.string(type.name, `${path}.name`);
        this.boolean(type.union, `${path}.union`);
        this.count(type.size, `${path}.size`);
        this.array(type.fields, `${path}.fields`).forEach((f, i) => {
          const field = this.object(f, `${path}.fields[${i}]`);
          this.string(field.name, `${path}.fields[${i}].name`);
          this.type(field.type, `${path}.fields[${i}].type`);
          this.count(field.offset, `${path}.fields[${i}].offset`);
        });
        break;
      case 'opaque':
        this.string(type.name, `${path}.name`);
        this.count(type.size, `${path}.size`);
        if (type.stack !== undefined) {
          const stack = this.object(type.stack, `${path}.stack`);
          if (!(STACK_MODES as readonly unknown[]).includes(stack.mode))
            this.fail(`${path}.stack.mode`, `one of ${STACK_MODES.join(', ')}`);
          this.count(stack.limit, `${path}.stack.limit`);
        }
        break;
      case 'aggregation':
        this.aggregation(type.aggregation, `${path}.aggregation`);
        break;
    }
  }
}
