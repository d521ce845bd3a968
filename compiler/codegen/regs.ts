// Integer temporaries. r6 holds the context for the whole program; r7-r9 (preserved across
// helper calls) hold temporaries; when they are all taken a temporary lives in a stack slot.
// r0-r5 are scratch: valid only within one operation, since every call clobbers them.

import { Reg, Size } from '../isa/opcode';
import type { Emitter } from './emitter';
import type { Frame } from './frame';

export const CTX = Reg.R6;
const POOL = [Reg.R7, Reg.R8, Reg.R9] as const;

export type Temp = { reg: Reg; slot?: undefined } | { slot: number; reg?: undefined };

export class Registers {
  private readonly free: Reg[] = [...POOL];
  private readonly freeSlots: number[] = [];

  constructor(
    private readonly emitter: Emitter,
    private readonly frame: Frame,
  ) {}

  alloc(): Temp {
    const reg = this.free.shift();
    if (reg !== undefined) return { reg };
    const slot = this.freeSlots.pop() ?? this.frame.alloc(8);
    return { slot };
  }

  release(temp: Temp): void {
    if (temp.reg !== undefined) {
      if (!this.free.includes(temp.reg)) this.free.unshift(temp.reg);
    } else this.freeSlots.push(temp.slot);
  }

  /** Spill slots belong to the statement that created them; forget them when it ends. */
  resetSlots(): void {
    this.freeSlots.length = 0;
  }

  /** A register holding `temp`'s value: its own, or `scratch` loaded from its slot. */
  read(temp: Temp, scratch: Reg): Reg {
    if (temp.reg !== undefined) return temp.reg;
    this.emitter.load(Size.DW, scratch, Reg.R10, temp.slot);
    return scratch;
  }

  /** Writes register `src` into `temp`. */
  write(temp: Temp, src: Reg): void {
    if (temp.reg !== undefined) this.emitter.mov(temp.reg, src);
    else this.emitter.store(Size.DW, Reg.R10, temp.slot, src);
  }

  /** The register to compute into for `temp`: its own, or `scratch` (then call write). */
  target(temp: Temp, scratch: Reg): Reg {
    return temp.reg ?? scratch;
  }
}
