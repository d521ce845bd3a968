// The userspace side of a run (DESIGN.md, src/output): turns the records programs emit and
// the maps' contents into bpftrace 0.17's stdout, in text or `-f json` form. Everything
// written is a byte string (one char per byte) handed to `write` as bytes.

import {
  RECORD_HEADER_SIZE,
  RecordKind,
  type FormatDescriptor,
  type MapDef,
  type Program,
} from '../../compiler/program';
import { byteStringToBytes, bytesToByteString, cString, readU64, toByteString } from './bytes';
import type { PrintfArg } from './cformat';
import type { FormatContext, MapStore, OutputEnv } from './context';
import { jsonEvent, jsonString } from './json';
import { readMap } from './mapdata';
import { mapJson, mapText, NO_LIMITS, type PrintLimits } from './map_print';
import { formatPrintf } from './printf';
import { exitMapNames, scriptMapDef } from './snapshot';
import { strftime } from './strftime';
import { decodeValue, valueJson, valueText } from './values';

export type { MapEntry, MapStore, OutputEnv } from './context';
export type OutputFormat = 'text' | 'json';

export interface RecordResult {
  exit?: { code: number };
}

/** A record no program of this Program can emit (damaged bytecode in a .o): one-line error. */
export class BadRecordError extends Error {}

export class Output {
  private readonly env: OutputEnv;

  constructor(
    private readonly program: Program,
    private readonly format: OutputFormat,
    private readonly write: (text: string | Uint8Array) => void,
    env: OutputEnv = {},
  ) {
    this.env = env;
  }

  /** `Attaching N probe(s)...` / the JSON attached_probes object. */
  attached(probeCount: number): void {
    if (this.format === 'json')
      this.emit(jsonEvent('attached_probes', `{"probes": ${probeCount}}`));
    else this.emit(`Attaching ${probeCount} ${probeCount === 1 ? 'probe' : 'probes'}...\n`);
  }

  handleRecord(record: Uint8Array, maps: MapStore): RecordResult {
    if (record.length < RECORD_HEADER_SIZE)
      throw new BadRecordError(`a program emitted a ${record.length}-byte record`);
    const kind = Number(readU64(record, 0));
    const id = Number(readU64(record, 8));
    this.checkRecord(kind, id, record.length);
    const ctx: FormatContext = { program: this.program, maps, env: this.env };
    switch (kind) {
      case RecordKind.Printf:
        this.message('printf', this.formatted(this.program.printfs[id], record, ctx));
        break;
      case RecordKind.PrintMap:
        this.printMap(id, maps, readU64(record, 16), readU64(record, 24));
        break;
      case RecordKind.ClearMap:
        maps.clearMap(id);
        break;
      case RecordKind.ZeroMap:
        maps.zeroMap(id);
        break;
      case RecordKind.Exit:
        // exit(code) carries a computed code after the header (8 bytes, as every scalar
        // argument); a record without one has it in its id.
        return {
          exit: {
            code:
              record.length >= RECORD_HEADER_SIZE + 8
                ? Number(BigInt.asIntN(32, readU64(record, RECORD_HEADER_SIZE)))
                : id,
          },
        };
      case RecordKind.Time:
        this.message(
          'time',
          strftime(
            toByteString(this.program.timeFormats[id] ?? ''),
            (this.env.now ?? (() => new Date()))(),
          ),
        );
        break;
      case RecordKind.Cat:
        this.cat(this.formatted(this.program.cats[id], record, ctx));
        break;
      case RecordKind.PrintValue:
        this.printValue(id, record, ctx);
        break;
      case RecordKind.System:
        this.system(this.formatted(this.program.systems[id], record, ctx));
        break;
      case RecordKind.Join:
        this.join(id, record);
        break;
      default:
        throw new BadRecordError(`a program emitted a record of unknown kind ${kind}`);
    }
    return {};
  }

  /** Refuses a record whose id names no descriptor or map, or that is shorter than its layout. */
  private checkRecord(kind: number, id: number, length: number): void {
    const table: readonly ({ size?: number } | undefined)[] | undefined = {
      [RecordKind.Printf]: this.program.printfs,
      [RecordKind.Cat]: this.program.cats,
      [RecordKind.System]: this.program.systems,
      [RecordKind.Time]: this.program.timeFormats.map(() => ({})),
      [RecordKind.PrintValue]: this.program.printValues.map(() => ({})),
      [RecordKind.Join]: this.program.joins.map(() => ({})),
      [RecordKind.PrintMap]: this.program.maps.map((m) => (m.script ? {} : undefined)),
      [RecordKind.ClearMap]: this.program.maps.map(() => ({})),
      [RecordKind.ZeroMap]: this.program.maps.map(() => ({})),
    }[kind];
    if (!table) return;
    const entry = table[id];
    if (entry === undefined || (entry.size !== undefined && length < entry.size))
      throw new BadRecordError(`a program emitted a record (kind ${kind}) with unknown id ${id}`);
  }

  /** After END: two newlines, then every map the program names, in byte order of the name. */
  printMapsAtExit(maps: MapStore): void {
    this.emit('\n\n');
    for (const name of exitMapNames(this.program)) {
      const def = scriptMapDef(this.program, name);
      if (def) this.printMapDef(def, maps, NO_LIMITS);
      else if (this.format === 'text') this.emit('\n');
    }
  }

  printMap(
    mapId: number,
    maps: MapStore,
    top: bigint | number = 0n,
    div: bigint | number = 0n,
  ): void {
    const def = this.program.maps[mapId];
    if (!def?.script) throw new Error(`internal: print of non-script map ${mapId}`);
    this.printMapDef(def, maps, { top: BigInt(top), div: BigInt(div) });
  }

  private printMapDef(def: MapDef, maps: MapStore, limits: PrintLimits): void {
    const ctx: FormatContext = { program: this.program, maps, env: this.env };
    const contents = readMap(def, def.script!, maps.mapEntries(def.id), ctx);
    const name = toByteString(def.name);
    this.emit(
      this.format === 'json' ? mapJson(name, contents, limits) : mapText(name, contents, limits),
    );
  }

  private printValue(id: number, record: Uint8Array, ctx: FormatContext): void {
    const descriptor = this.program.printValues[id];
    const value = decodeValue(descriptor.type, record, descriptor.offset, ctx);
    this.emit(
      this.format === 'json' ? jsonEvent('value', valueJson(value)) : valueText(value) + '\n',
    );
  }

  /** printf-style text of a printf/cat/system record. */
  private formatted(descriptor: FormatDescriptor, record: Uint8Array, ctx: FormatContext): string {
    const args = descriptor.args.map(({ type, offset }): PrintfArg => {
      const value = decodeValue(type, record, offset, ctx);
      if (value.kind === 'int') return { kind: 'int', value: value.value };
      if (value.kind === 'bool') return { kind: 'int', value: value.value ? 1n : 0n };
      if (value.kind === 'buffer') return { kind: 'buffer', bytes: value.bytes };
      return { kind: 'string', text: valueText(value) };
    });
    return formatPrintf(toByteString(descriptor.format), args);
  }

  private cat(path: string): void {
    const contents = this.env.readFile?.(path);
    if (contents === undefined) {
      this.env.writeError?.(`ERROR: failed to open file '${path}': No such file or directory\n`);
    }
    this.message(
      'cat',
      contents === undefined ? '' : bytesToByteString(contents),
      contents === undefined,
    );
  }

  private system(command: string): void {
    const output = this.env.runCommand?.(command);
    // bpftrace's JSON type for system() output is "syscall".
    this.message('syscall', output === undefined ? '' : bytesToByteString(output));
  }

  private join(id: number, record: Uint8Array): void {
    const descriptor = this.program.joins[id];
    const count = Math.min(Number(readU64(record, RECORD_HEADER_SIZE)), descriptor.maxElements);
    const parts: string[] = [];
    for (let i = 0; i < count; i++) {
      parts.push(
        cString(
          record,
          RECORD_HEADER_SIZE + 8 + i * descriptor.elementSize,
          descriptor.elementSize,
        ),
      );
    }
    this.message(
      'join',
      parts.join(toByteString(descriptor.separator)) + (this.format === 'json' ? '' : '\n'),
    );
  }

  /** Text as is, or one `{"type": T, "data": "…"}` line; `skipText` writes nothing in text mode. */
  private message(type: string, text: string, skipText = false): void {
    this.env.onMessage?.(type, text);
    if (this.format === 'json') this.emit(jsonEvent(type, jsonString(text)));
    else if (!skipText) this.emit(text);
  }

  private emit(text: string): void {
    if (text.length > 0) this.write(byteStringToBytes(text));
  }
}
