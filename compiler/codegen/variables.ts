// Scratch variables, with constant propagation: a variable assigned a constant (an integer,
// or a string's bytes) keeps it at compile time and is written to its stack slot only when control flow needs
// the slot ("flush": before a branch that may assign it, at a loop's back edge, at break/
// continue). Inside loops and conditional expressions that assign a variable, it is
// "pinned": every assignment is stored at once and every read loads.

import type { Node } from '../../grammar/ast';
import { Reg } from '../isa/opcode';
import type { Type } from '../types';
import { blockSize } from './frame';
import { isScalar, slotSize } from './layout';
import type { ProbeGen } from './probe-gen';
import { relaidBytes, writeValue } from './store';
import { constant, inMemory, knownBytes, resized, type Value } from './value';

type Known = { value: bigint | Uint8Array; dirty: boolean };

interface Slot {
  offset: number;
  type: Type;
  /** The value known at compile time; `dirty` when the stack slot does not hold it yet. */
  known?: Known;
  pins: number;
}

export class Variables {
  private readonly slots = new Map<string, Slot>();

  constructor(private readonly g: ProbeGen) {}

  /** Allocates every variable at entry; each starts as zero (unwritten until needed). */
  declare(name: string, type: Type): void {
    const offset = this.g.frame.alloc(slotSize(type));
    const zero = isScalar(type) ? 0n : new Uint8Array(slotSize(type));
    this.slots.set(name, { offset, type, known: { value: zero, dirty: true }, pins: 0 });
  }

  /** Forgets every known value: the slots already hold the variables (a callback's copy). */
  assumeStored(): void {
    for (const slot of this.slots.values()) slot.known = undefined;
  }

  /** Every variable's slot, in declaration order. */
  layout(): { name: string; offset: number; size: number }[] {
    return [...this.slots].map(([name, s]) => ({ name, offset: s.offset, size: slotSize(s.type) }));
  }

  has(name: string): boolean {
    return this.slots.has(name);
  }

  type(name: string): Type {
    return this.slot(name).type;
  }

  read(name: string): Value {
    const slot = this.slot(name);
    const known = slot.known?.value;
    if (typeof known === 'bigint') return constant(known);
    if (known) return knownBytes(known);
    if (!isScalar(slot.type)) return inMemory(slot.offset);
    return this.g.loadInt(Reg.R10, slot.offset, 8, false);
  }

  /** The integer value known at compile time, if any (no code emitted). */
  peek(name: string): bigint | undefined {
    const known = this.slot(name).known?.value;
    return typeof known === 'bigint' ? known : undefined;
  }

  /** Stores `value` (of type `from`); does not release it. */
  assign(name: string, value: Value, from: Type): void {
    const slot = this.slot(name);
    if (slot.pins === 0) {
      if (isScalar(slot.type) && value.kind === 'const') {
        slot.known = { value: value.value, dirty: true };
        return;
      }
      if (value.kind === 'bytes') {
        slot.known = {
          value: resized(relaidBytes(value.bytes, from, slot.type), slotSize(slot.type)),
          dirty: true,
        };
        return;
      }
    }
    // A partial write (a relaid tuple) must not leave bytes of the slot uninitialised.
    if (!isScalar(slot.type)) this.flush(new Set([name]));
    slot.known = undefined;
    writeValue(this.g, value, from, { base: Reg.R10, offset: slot.offset, type: slot.type });
  }

  /** Writes pending constants of `names` (all when omitted) to their slots. */
  flush(names?: ReadonlySet<string>): void {
    for (const [name, slot] of this.slots) {
      if (names && !names.has(name)) continue;
      if (!slot.known?.dirty) continue;
      const value = slot.known.value;
      if (typeof value === 'bigint') this.g.storeInt(constant(value), Reg.R10, slot.offset, 8);
      // The slot is a whole frame block: its padding is written too when that saves stores.
      else this.g.writeBytes(slot.offset, value, blockSize(value.length));
      slot.known.dirty = false;
    }
  }

  /** What is known now, to restore at a merge point. */
  snapshot(): Map<string, Slot['known']> {
    return new Map([...this.slots].map(([name, slot]) => [name, slot.known && { ...slot.known }]));
  }

  /** Restores a snapshot, then forgets the values of `assigned` (their slots hold them). */
  merge(snapshot: Map<string, Slot['known']>, assigned: ReadonlySet<string>): void {
    for (const [name, slot] of this.slots)
      slot.known = assigned.has(name) ? undefined : snapshot.get(name);
  }

  /** Runs `body` with `names` pinned to their stack slots. */
  pinned<T>(names: ReadonlySet<string>, body: () => T): T {
    if (names.size === 0) return body();
    this.flush(names);
    for (const name of names) {
      const slot = this.slots.get(name);
      if (!slot) continue;
      slot.pins++;
      slot.known = undefined;
    }
    try {
      return body();
    } finally {
      for (const name of names) {
        const slot = this.slots.get(name);
        if (slot) slot.pins--;
      }
    }
  }

  private slot(name: string): Slot {
    const slot = this.slots.get(name);
    if (!slot) throw new Error(`internal: undeclared variable ${name}`);
    return slot;
  }
}

/** Names of the scratch variables a subtree may assign. */
export function assignedIn(node: Node | null | undefined): Set<string> {
  const names = new Set<string>();
  const visit = (value: unknown): void => {
    if (!value || typeof value !== 'object') return;
    if (Array.isArray(value)) return value.forEach(visit);
    const n = value as Node;
    if (n.kind === 'AssignVariable' || n.kind === 'VariableDeclaration') names.add(n.variable.name);
    if ((n.kind === 'CompoundAssign' || n.kind === 'IncDec') && n.target.kind === 'Variable')
      names.add(n.target.name);
    for (const child of Object.values(value)) if (typeof child === 'object') visit(child);
  };
  visit(node);
  return names;
}
