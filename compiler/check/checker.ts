// The semantic walk: types every expression, fixes map and variable types, and reports
// 0.17's errors tagged with the pass that finds them (see Phase in compiler/builtin.ts).

import type * as A from '../../grammar/ast';
import {
  error as errorDiag,
  warning as warningDiag,
  type Diagnostic,
} from '../../grammar/diagnostics';
import type { CallCheck, MapArgumentInfo, Phase, ProbeContext } from '../builtin';
import type { CompileOptions, ResolvedAttachPoint } from '../host';
import type { MapValueKind, ScriptMapInfo } from '../program';
import { INT64, NONE, UINT64, sizeOf, type Type } from '../types';
import { charArrayType, declaresPlainCharArray } from './char_array';
import { checkConfig } from './config';
import { FIRST_COLUMN, Locator, shift, span } from './locations';
import { keyPartType, mergeTypes, storedValueType, valueKindType } from './maps';
import { messages } from './messages';
import { RecordTable, scriptIntType } from './records';

type Position = CallCheck['position'];

export interface TaggedDiagnostic {
  diagnostic: Diagnostic;
  phase: Phase;
}

interface ProbeState {
  context: ProbeContext;
  variables: Map<string, Type>;
  loops: number;
}

const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=']);
const ARITHMETIC_WARNED = new Set(['+', '-', '*', '/', '%']);
const MAX_STRING_LITERAL = 63;
const TERNARY_STRING_SIZE = 64;

export class Checker {
  readonly types = new Map<number, Type>();
  readonly constants = new Map<number, bigint>();
  readonly maps = new Map<string, ScriptMapInfo>();
  readonly diagnostics: TaggedDiagnostic[] = [];
  readonly probeVariables: Map<string, Type>[] = [];
  readonly probePoints: ResolvedAttachPoint[][] = [];
  /** Each probe's attach points as written, positional parameters replaced by their text. */
  readonly probeAttachTexts: string[][] = [];
  private readonly records = new RecordTable();
  /** Maps given a value so far in this walk. */
  private readonly assigned = new Set<string>();
  private readonly enums = new Map<string, bigint>();
  private readonly locator: Locator;
  private probe: ProbeState = {
    context: { providers: [], argsType: null },
    variables: new Map(),
    loops: 0,
  };

  /** @param known map value kinds found by an earlier walk, for reads before assignment. */
  constructor(
    private readonly options: CompileOptions,
    private readonly known: Map<string, ScriptMapInfo> = new Map(),
  ) {
    this.locator = new Locator(options.source);
  }

  // -------------------------------------------------------------------------------------
  // Diagnostics

  private error(message: string, range: A.SourceRange, phase: Phase = 'early'): void {
    this.diagnostics.push({ diagnostic: errorDiag(message, this.locator.reported(range)), phase });
  }

  /** An error at exactly `range` (no token-start quirk). */
  private errorExact(message: string, range: A.SourceRange, phase: Phase = 'early'): void {
    this.diagnostics.push({ diagnostic: errorDiag(message, range), phase });
  }

  /** @param phase `early` for the few warnings 0.17 prints in its first pass (shown even
   *  when that pass has errors); the others come from the last pass. */
  private warning(message: string, range: A.SourceRange, phase: Phase = 'final'): void {
    this.diagnostics.push({
      diagnostic: warningDiag(message, this.locator.reported(range)),
      phase,
    });
  }

  /** Where 0.17 locates an expression node: a unary operation at its operator, a tuple index
   *  from its `.`, anything else over its whole text. */
  private nodeRange(e: A.Expression): A.SourceRange {
    if (e.kind === 'Unary') return span(e.range.start, shift(e.range.start, 1));
    if (e.kind === 'TupleAccess') {
      const dot = this.locator.token('.', e.tuple.range.end, e.range.end);
      return span(dot.start, e.range.end);
    }
    return e.range;
  }

  private set(node: { id: number }, type: Type): Type {
    this.types.set(node.id, type);
    return type;
  }

  // -------------------------------------------------------------------------------------
  // Program and probes

  checkProgram(program: A.Program): void {
    this.records.define(
      program.preamble.filter((p): p is A.RecordDefinition => p.kind === 'RecordDefinition'),
    );
    for (const item of program.preamble) {
      if (item.kind === 'EnumDefinition')
        for (const e of item.enumerators) this.enums.set(e.name, e.value);
    }
    if (program.config) {
      for (const d of checkConfig(program.config)) this.errorExact(d.message, d.range!);
    }
    for (const d of program.mapDeclarations)
      this.error(messages.constructsNotImplemented('map declarations'), d.range);
    const seen = { BEGIN: false, END: false };
    for (const probe of program.probes) this.checkProbe(probe, seen);
  }

  private checkProbe(probe: A.Probe, seen: { BEGIN: boolean; END: boolean }): void {
    const points: ResolvedAttachPoint[] = [];
    const texts: string[] = [];
    for (const ap of probe.attachPoints) {
      // 0.17 locates attach points from the end of the token before them (found by a scan
      // from the file start, so only when there is an error to locate).
      const apRange = () => span(this.locator.afterPreviousToken(ap.range.start), ap.range.end);
      const text = expandPositionals(ap.raw, this.options.params);
      if (text === undefined) {
        this.errorExact(messages.notPositionalParameter(), apRange());
        continue;
      }
      texts.push(text);
      const result = this.options.host.resolveAttachPoint(text);
      if (!result.ok) {
        this.errorExact(result.message, apRange());
        continue;
      }
      points.push(...result.points);
      for (const point of result.points) {
        if (point.provider === 'BEGIN' || point.provider === 'END') {
          if (seen[point.provider]) {
            this.errorExact(messages.moreThanOne(point.provider), apRange(), 'final');
          }
          seen[point.provider] = true;
        }
      }
    }
    const providers = [...new Set(points.map((p) => p.provider))];
    this.probe = {
      context: { providers, argsType: this.argsType(points) },
      variables: new Map(),
      loops: 0,
    };
    if (probe.predicate) {
      const type = this.expr(probe.predicate, 'expression');
      if (!isCondition(type)) {
        const at = this.locator.enclosing('/', probe.predicate.range, probe.body.range.start);
        this.error(messages.invalidPredicate(type), at, 'final');
      }
    }
    this.block(probe.body);
    this.probePoints.push(points);
    this.probeAttachTexts.push(texts);
    this.probeVariables.push(this.probe.variables);
  }

  /** The `args` record of a tracepoint probe, from the host's format. */
  private argsType(points: ResolvedAttachPoint[]): Type | null {
    const tp = points.find((p) => p.provider === 'tracepoint');
    if (!tp) return null;
    const format = this.options.host.tracepointFormat(tp.target, tp.func);
    if (!format) return null;
    const fields = format.fields
      .filter((f) => !f.name.startsWith('common_'))
      .map((f) => ({
        name: f.name,
        type: declaresPlainCharArray(f.declaration) ? charArrayType(f.size) : f.type,
        offset: f.offset,
      }));
    return {
      kind: 'pointer',
      to: {
        kind: 'record',
        name: `_tracepoint_${tp.target}_${tp.func}`,
        union: false,
        fields,
        size: format.size,
      },
    };
  }

  // -------------------------------------------------------------------------------------
  // Statements

  private block(block: A.Block): void {
    for (const s of block.statements) this.statement(s);
  }

  private statement(s: A.Statement): void {
    switch (s.kind) {
      case 'Block':
        return this.block(s);
      case 'ExpressionStatement':
        this.expr(s.expression, 'statement');
        return;
      case 'AssignMap':
        return this.assignMap(s);
      case 'AssignVariable':
        return this.assignVariable(s.variable, this.expr(s.value, 'assignment'), s.value);
      case 'CompoundAssign':
        return this.compoundAssign(s);
      case 'VariableDeclaration':
        return this.declare(s);
      case 'If': {
        const type = this.expr(s.condition, 'expression');
        if (!isCondition(type)) {
          this.error(messages.invalidIfCondition(type), FIRST_COLUMN, 'final');
        }
        this.block(s.then);
        if (s.else) this.block(s.else);
        return;
      }
      case 'Unroll':
        return this.unroll(s);
      case 'While':
        // 0.17 does not check the type of a while condition (behaviour §28).
        this.expr(s.condition, 'expression');
        this.loop(s.body);
        return;
      case 'For':
        return this.forLoop(s);
      case 'ForRange':
        return this.forRange(s);
      case 'Jump':
        if (s.jump !== 'return' && this.probe.loops === 0) {
          this.error(messages.jumpOutsideLoop(s.jump), s.range);
        }
        return;
    }
  }

  private loop(body: A.Block): void {
    this.probe.loops++;
    this.block(body);
    this.probe.loops--;
  }

  private unroll(s: A.Unroll): void {
    const header = span(
      s.range.start,
      this.locator.token(')', s.count.range.end, s.body.range.start).end,
    );
    let count: bigint | undefined;
    if (s.count.kind === 'PositionalParameter' && s.count.index >= 1) {
      // 0.17 words this one without the str() hint, then rejects the count.
      const param = s.count;
      const text = this.options.params[param.index - 1];
      count = text === undefined ? 0n : parseBaseZero(text);
      this.set(param, INT64);
      if (count === undefined) {
        this.error(messages.paramNotNumberShort(param.index, text ?? ''), param.range);
        this.error(messages.unrollInvalid(), header);
        this.block(s.body);
        return;
      }
      this.constants.set(param.id, count);
    } else {
      const countType = this.expr(s.count, 'expression');
      count = s.count.kind === 'IntegerLiteral' ? s.count.value : this.constants.get(s.count.id);
      if (count === undefined && countType.kind !== 'none')
        this.error(messages.unrollNotLiteral(), header);
    }
    if (count === undefined) {
      // reported above
    } else if (count < 1n) {
      this.error(messages.unrollMin(), header);
    } else if (count > 100n) {
      this.error(messages.unrollMax(), header);
    }
    this.block(s.body);
  }

  private forLoop(s: A.For): void {
    const info = this.mapInfo(s.map.name);
    if (!info) this.error(messages.undefinedMap(s.map.name), s.map.range, 'final');
    const keys = info?.keyTypes ?? [];
    const key: Type =
      keys.length === 1 ? keys[0] : keys.length === 0 ? UINT64 : { kind: 'tuple', elements: keys };
    const value = info ? valueKindType(info.value) : NONE;
    this.set(s.map, value);
    const pair: Type = { kind: 'tuple', elements: [key, value] };
    this.set(s.variable, pair);
    this.probe.variables.set(s.variable.name, pair);
    this.loop(s.body);
  }

  /** `for ($i : start..end)`: both ends integers, evaluated once; `$i` an int64. */
  private forRange(s: A.ForRange): void {
    for (const bound of [s.start, s.end]) {
      const type = this.expr(bound, 'expression');
      if (type.kind !== 'int' && type.kind !== 'none')
        this.error(messages.rangeBoundNotInteger(type), bound.range);
    }
    this.set(s.variable, INT64);
    this.assignVariable(s.variable, INT64, s.start, s.variable.range);
    this.loop(s.body);
  }

  private declare(s: A.VariableDeclaration): void {
    let type: Type | undefined;
    if (s.type) {
      type = this.resolveType(s.type, s.type.range);
    }
    if (s.value) {
      const valueType = this.expr(s.value, 'assignment');
      if (type === undefined) type = valueType;
      else if (!mergeTypes(type, valueType)) {
        this.error(messages.variableTypeMismatch(s.variable.name, valueType, type), s.value.range);
      }
    }
    const final = type ?? NONE;
    this.set(s.variable, final);
    this.probe.variables.set(s.variable.name, final);
  }

  private assignVariable(
    variable: A.Variable,
    valueType: Type,
    value: A.Expression,
    statement?: A.SourceRange,
  ): void {
    // 0.17 locates `$x = v` at the `=`, a compound `$x op= v` over the whole statement.
    const at = statement ?? this.locator.token('=', variable.range.end, value.range.start);
    const known = this.probe.variables.get(variable.name);
    if (valueType.kind === 'none' && known !== undefined && known.kind !== 'none') {
      this.error(messages.variableTypeMismatch(variable.name, valueType, known), at);
      return;
    }
    if (valueType.kind === 'none') {
      if (!this.probe.variables.has(variable.name)) {
        this.error(messages.undefinedVariableAfterNone(variable.name), at, 'final');
      }
      this.error(messages.invalidAssignment(valueType), this.nodeRange(value), 'final');
      return;
    }
    const existing = this.probe.variables.get(variable.name);
    if (existing === undefined || existing.kind === 'none') {
      this.probe.variables.set(variable.name, valueType);
      this.set(variable, valueType);
      return;
    }
    this.sizeWarnings(existing, valueType, at);
    const merged = mergeTypes(existing, valueType);
    if (!merged) {
      if (existing.kind === 'tuple' && valueType.kind === 'tuple')
        this.error(messages.tupleTypeMismatch(existing, valueType), at, 'final');
      else this.error(messages.variableTypeMismatch(variable.name, valueType, existing), at);
      this.set(variable, existing);
      return;
    }
    this.probe.variables.set(variable.name, merged);
    this.set(variable, merged);
  }

  /** 0.17's first-pass warnings when a string or buffer goes into a variable of another
   *  size (a type mismatch error usually follows). */
  private sizeWarnings(existing: Type, value: Type, at: A.SourceRange): void {
    const width = (t: Type) => (t.kind === 'buffer' ? t.size + 1 : sizeOf(t));
    if (value.kind === 'string' && existing.kind !== 'string' && width(existing) < value.size) {
      this.warning(messages.stringSizeMismatch(width(existing), value.size), at, 'early');
    }
    if (value.kind === 'buffer' && width(existing) !== width(value)) {
      this.warning(messages.bufferSizeMismatch(width(existing), width(value)), at, 'early');
    }
  }

  private assignMap(s: A.AssignMap): void {
    const valueType = this.expr(s.value, 'map-assignment');
    this.mapKeys(s.map);
    if (valueType.kind === 'none') {
      const known = this.mapInfo(s.map.name);
      if (known && !(known.value.kind === 'value' && known.value.type.kind === 'none')) {
        // Typed earlier in this walk: the first pass sees it; else only the second does.
        const existing = valueKindType(known.value);
        const phase = this.assigned.has(s.map.name) ? 'early' : 'second';
        this.error(messages.mapTypeMismatch(s.map.name, valueType, existing), s.map.range, phase);
        return;
      }
      if (!this.hasValue(s.map.name))
        this.error(messages.undefinedMap(s.map.name), s.map.range, 'final');
      this.error(messages.invalidAssignment(valueType), this.nodeRange(s.value), 'final');
      return;
    }
    this.storeMapValue(s.map, valueType, s.value);
  }

  /** @param value the assigned expression, for a plain `@m = v` */
  private storeMapValue(map: A.MapAccess, valueType: Type, value?: A.Expression): void {
    this.assigned.add(map.name);
    const incoming: MapValueKind =
      valueType.kind === 'aggregation'
        ? { kind: 'aggregation', aggregation: valueType.aggregation }
        : { kind: 'value', type: storedValueType(valueType) };
    const info = this.maps.get(map.name);
    if (!info) {
      this.maps.set(map.name, { keyTypes: this.currentKeys(map), value: incoming });
      this.set(map, valueKindType(incoming));
      return;
    }
    const existing = valueKindType(info.value);
    const merged = mergeTypes(existing, valueKindType(incoming));
    if (!merged && value && existing.kind === 'tuple' && valueType.kind === 'tuple') {
      const at = this.locator.token('=', map.range.end, value.range.start);
      this.error(messages.tupleTypeMismatch(existing, valueType), at, 'final');
      this.set(map, existing);
      return;
    }
    if (!merged) {
      this.error(messages.mapTypeMismatch(map.name, valueType, existing), map.range);
      this.set(map, existing);
      return;
    }
    if (value && differentLhistBounds(existing, valueType)) {
      this.error(messages.differentLhistBounds(), this.nodeRange(value), 'final');
      this.set(map, existing);
      return;
    }
    info.value =
      merged.kind === 'aggregation'
        ? { kind: 'aggregation', aggregation: merged.aggregation }
        : { kind: 'value', type: merged };
    this.set(map, merged);
  }

  private compoundAssign(s: A.CompoundAssign): void {
    const valueType = this.expr(s.value, 'expression');
    const target = s.target;
    if (target.kind === 'Variable') {
      const current = this.readVariable(target);
      const result = this.binaryType(
        s.operator,
        current,
        valueType,
        target,
        s.value,
        s.range,
        true,
      );
      // An undefined `$x op= v` still gives $x the (unsigned) result type, as in 0.17.
      this.assignVariable(target, result, s.value, s.range);
      return;
    }
    this.mapKeys(target);
    const info = this.mapInfo(target.name);
    const current = info ? valueKindType(info.value) : INT64;
    if (current.kind === 'aggregation') {
      // 0.17 reports the store of the integer result into the aggregation map.
      this.error(messages.mapTypeMismatch(target.name, UINT64, current), target.range);
      return;
    }
    const result = binaryResult(s.operator, current, valueType);
    if (current.kind === 'int' && valueType.kind === 'int') {
      this.binaryType(s.operator, current, valueType, target, s.value, s.range, true);
    }
    this.storeMapValue(target, result);
  }

  // -------------------------------------------------------------------------------------
  // Maps

  private hasValue(name: string): boolean {
    const info = this.mapInfo(name);
    return info !== undefined && !(info.value.kind === 'value' && info.value.type.kind === 'none');
  }

  private mapInfo(name: string): ScriptMapInfo | undefined {
    return this.maps.get(name) ?? this.known.get(name);
  }

  /** Types the keys of a map access and checks them against the map's key types. */
  private mapKeys(map: A.MapAccess): void {
    const keys = this.currentKeys(map);
    for (let i = 0; i < map.keys.length; i++) {
      const t = this.types.get(map.keys[i].id);
      if (t?.kind === 'tuple') {
        this.error(messages.tupleMapKey(), map.range);
        return;
      }
      if (t?.kind === 'aggregation') return;
    }
    if (keys.some((k) => k.kind === 'none')) {
      map.keys.forEach((key, i) => {
        if (keys[i].kind === 'none')
          this.error(messages.invalidKey(), this.nodeRange(key), 'final');
      });
      return;
    }
    const info = this.maps.get(map.name);
    if (!info) {
      const known = this.known.get(map.name);
      this.maps.set(map.name, {
        keyTypes: keys,
        value: known?.value ?? { kind: 'value', type: NONE },
      });
      return;
    }
    const merged = mergeKeys(info.keyTypes, keys);
    if (!merged) {
      // Key types are fixed by a whole first pass and compared from the second.
      this.error(messages.mapArgumentMismatch(map.name, keys, info.keyTypes), map.range, 'second');
      return;
    }
    info.keyTypes = merged;
  }

  private currentKeys(map: A.MapAccess): Type[] {
    return map.keys.map((k) => {
      let t = this.types.get(k.id);
      if (t === undefined) t = this.expr(k, 'map-key');
      return keyPartType(t, k.kind === 'IntegerLiteral');
    });
  }

  /** A map read: its value type, or none (and "Undefined map") if never assigned. */
  private readMap(map: A.MapAccess): Type {
    for (const key of map.keys) this.expr(key, 'map-key');
    this.mapKeys(map);
    const info = this.mapInfo(map.name);
    const value =
      info && !(info.value.kind === 'value' && info.value.type.kind === 'none')
        ? info.value
        : undefined;
    if (!value) {
      this.error(messages.undefinedMap(map.name), map.range, 'final');
      return this.set(map, NONE);
    }
    return this.set(map, valueKindType(value));
  }

  // -------------------------------------------------------------------------------------
  // Expressions

  expr(e: A.Expression, position: Position): Type {
    return this.set(e, this.exprType(e, position));
  }

  private exprType(e: A.Expression, position: Position): Type {
    switch (e.kind) {
      case 'IntegerLiteral':
        return INT64;
      case 'BooleanLiteral':
        return { kind: 'bool' };
      case 'StringLiteral':
        if (e.value.length > MAX_STRING_LITERAL)
          this.error(messages.stringTooLong(e.value), e.range);
        return { kind: 'string', size: e.value.length + 1 };
      case 'PositionalParameter':
        return this.positional(e);
      case 'PositionalCount':
        this.constants.set(e.id, BigInt(this.options.params.length));
        return INT64;
      case 'Builtin':
        return this.builtin(e);
      case 'Identifier': {
        const value = this.enums.get(e.name);
        if (value === undefined) {
          this.error(messages.unknownIdentifier(e.name), e.range);
          return NONE;
        }
        this.constants.set(e.id, value);
        return UINT64;
      }
      case 'Variable':
        return this.readVariable(e);
      case 'MapAccess':
        return this.readMap(e);
      case 'Call':
        return this.call(e, position);
      case 'Sizeof':
        return this.sizeofExpr(e);
      case 'Offsetof':
        return this.offsetofExpr(e);
      case 'Binary': {
        const left = this.expr(e.left, 'expression');
        const right = this.expr(e.right, 'expression');
        return this.binaryType(e.operator, left, right, e.left, e.right, e.range);
      }
      case 'Unary':
        return this.unary(e);
      case 'IncDec':
        return this.incDec(e);
      case 'Ternary':
        return this.ternary(e);
      case 'FieldAccess':
        return this.field(e);
      case 'TupleAccess': {
        const t = this.expr(e.tuple, 'expression');
        if (t.kind !== 'tuple') {
          if (t.kind !== 'none')
            this.error(messages.tupleIndexOnNonTuple(e.index, t), this.nodeRange(e), 'final');
          return NONE;
        }
        if (e.index >= t.elements.length) {
          const message = messages.tupleIndexRange(e.index, t.elements.length);
          this.error(message, this.nodeRange(e), 'final');
          return NONE;
        }
        return t.elements[e.index];
      }
      case 'Index': {
        const t = this.expr(e.object, 'expression');
        this.expr(e.index, 'expression');
        if (t.kind === 'array') return t.element;
        if (t.kind === 'pointer') return t.to;
        if (t.kind !== 'none') this.error(messages.indexNonArray(t), e.range, 'final');
        return NONE;
      }
      case 'Cast':
        return this.cast(e);
      case 'Tuple':
        return { kind: 'tuple', elements: e.elements.map((el) => this.expr(el, 'expression')) };
      case 'BlockExpression':
        for (const s of e.statements) this.statement(s);
        return e.value ? this.expr(e.value, position) : NONE;
      case 'RecordLiteral':
        this.error(messages.constructsNotImplemented('records'), e.range);
        return NONE;
    }
  }

  private positional(e: A.PositionalParameter): Type {
    if (e.index < 1) {
      this.error(messages.paramOutOfRange(e.index), e.range);
      return INT64;
    }
    const text = this.options.params[e.index - 1];
    if (text === undefined) {
      this.constants.set(e.id, 0n);
      return INT64;
    }
    const value = parseBaseZero(text);
    if (value === undefined) {
      this.error(messages.paramNotNumber(e.index, text), e.range);
      return INT64;
    }
    this.constants.set(e.id, value);
    return INT64;
  }

  private readVariable(v: A.Variable): Type {
    const type = this.probe.variables.get(v.name);
    if (type === undefined) {
      this.error(messages.undefinedVariable(v.name), v.range);
      return this.set(v, NONE);
    }
    return this.set(v, type);
  }

  private builtin(e: A.Builtin): Type {
    const record = this.options.builtins.variable(e.name);
    if (!record) {
      this.error(messages.unknownIdentifier(e.name), e.range);
      return NONE;
    }
    if (!record.generate)
      this.errorExact(messages.notImplemented(`The builtin ${e.name}`), e.range, 'final');
    const restriction = record.restrict?.(this.probe.context, this.options);
    if (restriction) {
      this.error(restriction.message, e.range, restriction.phase ?? 'early');
      if (!restriction.keepsType) return NONE;
    }
    return record.type({ ...this.callbacks(), range: e.range });
  }

  private callbacks() {
    return {
      options: this.options,
      probe: this.probe.context,
      error: (message: string, range: A.SourceRange, phase?: Phase) =>
        this.error(message, range, phase),
      warning: (message: string, range: A.SourceRange) => this.warning(message, range),
    };
  }

  private call(e: A.Call, position: Position): Type {
    const record = this.options.builtins.function(e.name);
    if (!record) {
      this.error(messages.unknownFunction(e.name), e.nameRange, 'pre');
      for (const arg of e.args) this.expr(arg, 'expression');
      return NONE;
    }
    if (record.unsafe && !this.options.unsafe) this.error(messages.unsafeFunction(e.name), e.range);
    if (!record.generate && !record.aggregation)
      this.errorExact(messages.notImplemented(`The function ${e.name}()`), e.nameRange, 'final');
    let mapArgument: MapArgumentInfo | null = null;
    const argTypes = e.args.map((arg, i): Type => {
      if (i === 0 && record.mapArgument && arg.kind === 'MapAccess') {
        // `delete(@m)` on a keyed map is a keyless access to it.
        const keyless = e.name === 'delete' && e.args.length === 1;
        mapArgument = this.mapArgument(arg, keyless);
        return this.types.get(arg.id) ?? NONE;
      }
      if (record.identifierArguments && arg.kind === 'Identifier') return this.set(arg, NONE);
      if (i === 0 && e.name === 'str' && arg.kind === 'PositionalParameter')
        return this.positionalString(arg);
      if (
        i === 0 &&
        e.name === 'str' &&
        arg.kind === 'Binary' &&
        arg.left.kind === 'PositionalParameter'
      ) {
        return this.positionalStringOffset(arg);
      }
      if (i === record.formatArgument && arg.kind === 'StringLiteral') {
        return this.set(arg, { kind: 'string', size: arg.value.length + 1 });
      }
      if (record.mapArgument === 'element' && i === 1 && mapArgument) {
        return this.expr(arg, 'map-key');
      }
      return this.expr(arg, 'expression');
    });
    if (record.aggregation && position !== 'map-assignment') {
      this.error(messages.aggregationNotAssigned(e.name), e.range);
    }
    const check: CallCheck = {
      ...this.callbacks(),
      call: e,
      argTypes,
      position,
      mapArgument,
      inWhileLoop: this.probe.loops > 0,
      literalInteger: (arg) => this.literalInteger(arg),
      literalString: (arg) => (arg.kind === 'StringLiteral' ? arg.value : undefined),
    };
    return record.check(check);
  }

  private mapArgument(arg: A.MapAccess, keyless = false): MapArgumentInfo {
    for (const key of arg.keys) this.expr(key, 'map-key');
    const info = this.mapInfo(arg.name);
    const value =
      info && !(info.value.kind === 'value' && info.value.type.kind === 'none')
        ? info.value
        : undefined;
    if (!value) {
      this.error(messages.undefinedMap(arg.name), arg.range, 'final');
      this.set(arg, NONE);
    } else {
      if (arg.keys.length > 0 || keyless) this.mapKeys(arg);
      this.set(arg, valueKindType(value));
    }
    return { name: arg.name, indexed: arg.indexed || arg.keys.length > 0, value };
  }

  private positionalString(arg: A.PositionalParameter): Type {
    return this.set(arg, { kind: 'string', size: this.options.strlen });
  }

  private positionalStringOffset(arg: A.Binary): Type {
    const param = arg.left as A.PositionalParameter;
    const text = this.options.params[param.index - 1] ?? '';
    this.positionalString(param);
    const offset = arg.right.kind === 'IntegerLiteral' ? arg.right.value : undefined;
    this.expr(arg.right, 'expression');
    if (
      arg.operator !== '+' ||
      offset === undefined ||
      offset > BigInt(text.length) ||
      offset < 0n
    ) {
      // 0.17 locates it from the operator to the end of the offset.
      const op = this.locator.token(arg.operator, param.range.end, arg.right.range.start);
      this.error(messages.strOffsetParam(param.index, text.length), span(op.start, arg.range.end));
    }
    return this.set(arg, { kind: 'string', size: this.options.strlen });
  }

  /** An integer literal, a numeric positional parameter, or a negated literal. */
  private literalInteger(e: A.Expression): bigint | undefined {
    if (e.kind === 'IntegerLiteral') return e.value;
    if (e.kind === 'PositionalParameter') return this.constants.get(e.id);
    return undefined;
  }

  private sizeofExpr(e: A.Sizeof): Type {
    let type: Type | undefined;
    const operand = e.operand;
    if (operand.kind === 'TypeName') {
      type = this.resolveType(operand, e.range, true);
    } else if (operand.kind === 'Identifier' && !this.enums.has(operand.name)) {
      const asType = scriptIntType(operand.name);
      if (asType) type = asType;
      else this.error(messages.unknownIdentifier(operand.name), operand.range);
      this.set(operand, asType ?? NONE);
    } else {
      type = this.expr(operand, 'expression');
    }
    if (type && type.kind !== 'none') this.constants.set(e.id, BigInt(sizeOf(type)));
    return UINT64;
  }

  private offsetofExpr(e: A.Offsetof): Type {
    let type = this.resolveType(e.record, e.range);
    let offset = 0;
    for (const name of e.fields) {
      if (type?.kind !== 'record') break;
      const field = type.fields.find((f) => f.name === name);
      if (!field) {
        this.error(messages.noSuchField(type, name), e.range);
        return UINT64;
      }
      offset += field.offset;
      type = field.type;
    }
    if (type) this.constants.set(e.id, BigInt(offset));
    return UINT64;
  }

  /** A type as written in a cast/sizeof/let: script ints, or records defined in the script. */
  private resolveType(t: A.TypeName, at: A.SourceRange, sizeofContext = false): Type | undefined {
    let base: Type | undefined;
    if (t.record === 'struct' || t.record === 'union') {
      base = this.records.record(t.record, t.name);
      if (!base) {
        const name = `${t.record} ${t.name}`;
        this.error(
          sizeofContext ? messages.unknownIdentifier(name) : messages.unknownRecord(name),
          at,
        );
        return undefined;
      }
    } else if (t.record === 'enum') {
      base = { kind: 'int', size: 8, signed: false };
    } else {
      base = scriptIntType(t.name);
      if (!base) {
        this.error(
          sizeofContext ? messages.unknownIdentifier(t.name) : messages.unknownRecord(t.name),
          at,
        );
        return undefined;
      }
    }
    for (let i = 0; i < t.pointerDepth; i++) base = { kind: 'pointer', to: base };
    return base;
  }

  private cast(e: A.Cast): Type {
    const operand = this.expr(e.operand, 'expression');
    const header = span(
      e.range.start,
      this.locator.token(')', e.type.range.end, e.operand.range.start).end,
    );
    // An unknown struct value type is located over the whole cast, others at the `(…)`.
    const whole = e.type.record !== undefined && e.type.pointerDepth === 0;
    const target = this.resolveType(e.type, whole ? e.range : header);
    if (!target) return NONE;
    if (target.kind === 'int') {
      if (
        operand.kind !== 'int' &&
        operand.kind !== 'bool' &&
        operand.kind !== 'pointer' &&
        operand.kind !== 'none'
      ) {
        this.error(messages.castUnsupported(operand), header);
        return target; // 0.17 still types the cast: no follow-on errors
      }
    }
    return target;
  }

  private unary(e: A.Unary): Type {
    const t = this.expr(e.operand, 'expression');
    const at = span(e.range.start, shift(e.range.start, 1));
    const integer = t.kind === 'int' || t.kind === 'bool';
    switch (e.operator) {
      case '!':
        if (t.kind === 'int') return { kind: 'int', size: t.size, signed: false };
        if (t.kind === 'bool' || t.kind === 'pointer')
          return { kind: 'int', size: 8, signed: false };
        break;
      case '-':
      case '~':
        if (t.kind === 'int') return t;
        if (t.kind === 'bool') return INT64;
        break;
      case '*':
        if (t.kind === 'pointer') return t.to;
        if (integer) return INT64;
        if (t.kind !== 'none') this.error(messages.unaryInvalid('dereference', t), at, 'final');
        return NONE;
      case '&':
        return { kind: 'pointer', to: t };
    }
    if (t.kind === 'none') return NONE;
    this.error(messages.unaryInvalid(e.operator, t), at, 'final');
    return { kind: 'int', size: 8, signed: e.operator !== '!' };
  }

  private incDec(e: A.IncDec): Type {
    const target = e.target;
    // 0.17 locates `x++` as a whole, `++x` at the operator.
    const at = e.prefix ? span(e.range.start, shift(e.range.start, 2)) : e.range;
    if (target.kind === 'Variable') {
      const t = this.readVariable(target);
      if (t.kind !== 'int' && t.kind !== 'none' && t.kind !== 'bool')
        this.error(messages.unaryInvalid(e.operator, t), at, 'final');
      return t.kind === 'int' ? t : INT64;
    }
    for (const key of target.keys) this.expr(key, 'map-key');
    const info = this.mapInfo(target.name);
    const current =
      info && !(info.value.kind === 'value' && info.value.type.kind === 'none')
        ? valueKindType(info.value)
        : INT64;
    if (current.kind !== 'int') {
      this.error(messages.unaryInvalid(e.operator, current), at, 'final');
      return INT64;
    }
    this.mapKeys(target);
    this.storeMapValue(target, current);
    return current;
  }

  private ternary(e: A.Ternary): Type {
    this.expr(e.condition, 'expression');
    const a = this.expr(e.then, 'expression');
    const b = this.expr(e.else, 'expression');
    if (a.kind === 'none' || b.kind === 'none') return NONE;
    const ai = a.kind === 'int' || a.kind === 'bool';
    const bi = b.kind === 'int' || b.kind === 'bool';
    if (ai && bi) return { kind: 'int', size: 8, signed: isSigned(a) && isSigned(b) };
    if (a.kind === 'tuple' || b.kind === 'tuple') {
      this.error(messages.ternaryTuple(), e.range);
      return NONE;
    }
    // 0.17 sizes a string-valued ternary at 64 bytes, whatever BPFTRACE_STRLEN says.
    const strlen: Type = { kind: 'string', size: TERNARY_STRING_SIZE };
    if (a.kind === 'string' && b.kind === 'string') return strlen;
    const merged = mergeTypes(a, b);
    if (merged && a.kind === b.kind) return merged;
    this.error(messages.ternaryTypes(a, b), e.range, 'final');
    // 0.17 keeps the first branch's type, so no follow-on errors
    return a.kind === 'string' ? strlen : a;
  }

  private field(e: A.FieldAccess): Type {
    const t = this.expr(e.object, 'expression');
    if (t.kind === 'none') return NONE;
    const record = t.kind === 'pointer' ? t.to : t;
    // 0.17 locates field errors at the object and the `.`/`->` token.
    const at = span(e.range.start, shift(e.object.range.end, e.arrow ? 2 : 1));
    if (record.kind !== 'record') {
      this.error(messages.fieldOnNonRecord(e.field, t), at, 'final');
      return NONE;
    }
    const isArgs = e.object.kind === 'Builtin' && e.object.name === 'args'; // newer `args.f`
    if (t.kind === 'pointer' && !e.arrow && !isArgs) {
      this.error(messages.dotOnPointer(e.field, t), at);
      return NONE;
    }
    if (record.size === 0 && record.fields.length === 0) {
      this.error(messages.kernelTypesUnavailable(`struct ${record.name}`), at);
      return NONE;
    }
    const field = record.fields.find((f) => f.name === e.field);
    if (!field) {
      this.error(messages.noSuchField(record, e.field), e.range);
      return NONE;
    }
    return field.type;
  }

  /** Type of `left OP right` with 0.17's errors and warnings. */
  private binaryType(
    op: A.BinaryOperator,
    left: Type,
    right: Type,
    leftNode: A.Expression | A.MapAccess | A.Variable,
    rightNode: A.Expression,
    range: A.SourceRange,
    compound = false,
  ): Type {
    if (left.kind === 'none' || right.kind === 'none') {
      if (COMPARISONS.has(op)) {
        this.error(messages.binaryTypeMismatch(op, left, right), range, 'final');
        return UINT64;
      }
      const other = left.kind === 'none' ? right : left;
      // 0.17 types `none OP int` as an unsigned int64 (an undefined operand is not signed).
      return other.kind === 'int' || other.kind === 'none' ? UINT64 : NONE;
    }
    const opText = compound ? `${op}=` : op;
    const opRange = () => this.locator.token(opText, leftNode.range.end, rightNode.range.start);
    const li = left.kind === 'int' || left.kind === 'bool';
    const ri = right.kind === 'int' || right.kind === 'bool';
    if (li && ri) {
      const ls = isSigned(left);
      const rs = isSigned(right);
      if (ls !== rs) {
        const signedNode = ls ? leftNode : rightNode;
        if (!isNonNegativeLiteral(signedNode)) {
          if (COMPARISONS.has(op))
            this.warning(messages.warnSignsComparison(left, right), opRange());
          else if (ARITHMETIC_WARNED.has(op))
            this.warning(messages.warnSignsArithmetic(left, right), opRange());
        }
      }
      if (
        (op === '/' || op === '%') &&
        ((ls && !isNonNegativeLiteral(leftNode)) || (rs && !isNonNegativeLiteral(rightNode)))
      ) {
        this.warning(messages.warnSignedDivision(op), opRange());
      }
      return binaryResult(op, left, right);
    }
    if (left.kind === 'string' && right.kind === 'string') {
      if (op === '==' || op === '!=') {
        this.literalLongerWarning(leftNode, left, rightNode, right, range);
        return UINT64;
      }
      this.error(messages.stringOperator(op, left, right), opRange(), 'final');
      return UINT64;
    }
    if (left.kind === 'pointer' && ri && (op === '+' || op === '-')) return left;
    if (left.kind === 'pointer' && (right.kind === 'pointer' || ri) && COMPARISONS.has(op))
      return UINT64;
    if (left.kind === 'pointer' && !ri && right.kind !== 'pointer') {
      // Pointer arithmetic is checked in the first pass.
      this.error(messages.stringOperator(op, left, right), opRange());
      return left;
    }
    if ((op === '&&' || op === '||') && isCondition(left) && isCondition(right)) return INT64;
    this.error(messages.binaryTypeMismatch(op, left, right), range, 'final');
    return binaryResult(op, left, right); // 0.17 still types the result: no follow-on errors
  }

  private literalLongerWarning(
    leftNode: A.Expression | A.MapAccess | A.Variable,
    left: Type,
    rightNode: A.Expression,
    right: Type,
    range: A.SourceRange,
  ): void {
    const check = (
      lit: typeof leftNode,
      litType: Type,
      other: typeof leftNode,
      otherType: Type,
    ) => {
      if (
        lit.kind === 'StringLiteral' &&
        other.kind !== 'StringLiteral' &&
        litType.kind === 'string' &&
        otherType.kind === 'string' &&
        litType.size > otherType.size
      ) {
        this.warning(messages.literalLonger(otherType.size), range);
      }
    };
    check(rightNode, right, leftNode, left);
    check(leftNode, left, rightNode, right);
  }
}

function isSigned(t: Type): boolean {
  return t.kind === 'int' && t.signed;
}

function isCondition(t: Type): boolean {
  return t.kind === 'int' || t.kind === 'bool' || t.kind === 'pointer';
}

function isNonNegativeLiteral(e: { kind: string; value?: unknown }): boolean {
  return e.kind === 'IntegerLiteral' && typeof e.value === 'bigint' && e.value >= 0n;
}

/** 64-bit result, signed only if both are (shifts: the left's sign). */
function binaryResult(op: A.BinaryOperator, left: Type, right: Type): Type {
  // 0.17's aggregation types are signed integers underneath (`count() + 1` is an int64).
  const sign = (t: Type) => isSigned(t) || t.kind === 'aggregation';
  const signed = op === '<<' || op === '>>' ? sign(left) : sign(left) && sign(right);
  return { kind: 'int', size: 8, signed };
}

function mergeKeys(existing: Type[], incoming: Type[]): Type[] | undefined {
  if (existing.length !== incoming.length) return undefined;
  const merged: Type[] = [];
  for (let i = 0; i < existing.length; i++) {
    const m = mergeTypes(existing[i], incoming[i]);
    if (!m) return undefined;
    merged.push(m);
  }
  return merged;
}

/** strtoll with base 0 over the whole text, within int64. */
export function parseBaseZero(text: string): bigint | undefined {
  const m = /^\s*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (!m) return undefined;
  const digits = m[2];
  let value: bigint;
  if (/^0[xX]/.test(digits)) value = BigInt(digits);
  else if (digits.length > 1 && digits.startsWith('0')) value = BigInt('0o' + digits.slice(1));
  else value = BigInt(digits);
  if (m[1] === '-') value = -value;
  if (value > 9223372036854775807n || value < -9223372036854775808n) return undefined;
  return value;
}

/** One lhist map has one set of buckets: 0.17 refuses a second lhist() with other bounds. */
function differentLhistBounds(existing: Type, incoming: Type): boolean {
  if (existing.kind !== 'aggregation' || incoming.kind !== 'aggregation') return false;
  const a = existing.aggregation;
  const b = incoming.aggregation;
  return (
    a.kind === 'lhist' &&
    b.kind === 'lhist' &&
    (a.min !== b.min || a.max !== b.max || a.step !== b.step)
  );
}

/** `$N` in an attach point is replaced by the Nth parameter's text (empty when not given), as
 *  0.17 does before parsing it; any other `$` (`$#`, `$0`) is refused (undefined). */
function expandPositionals(raw: string, params: readonly string[]): string | undefined {
  if (!raw.includes('$')) return raw;
  let bad = false;
  const text = raw.replace(/\$(\d*)/g, (_, digits: string) => {
    const index = digits === '' ? 0 : Number(digits);
    if (index < 1) bad = true;
    return params[index - 1] ?? '';
  });
  return bad ? undefined : text;
}
