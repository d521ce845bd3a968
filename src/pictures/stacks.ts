// Stack samples from maps keyed by kstack/ustack with a count() or sum() value, read from the
// same map contents the exit dump prints.
//
// Each entry becomes one sample whose frames run from the root outwards:
//   1. the map's other key parts, in key order, as they print (`comm`, `pid`, ...), the way
//      FlameGraph users put the process name at the base of each stack;
//   2. the user stack's frames, outermost first, then the kernel stack's (user code calls into
//      the kernel, so `@[kstack, ustack]` and `@[ustack, kstack]` fold alike);
//   3. when no stack part has a frame (a profile tick in user mode has an empty kstack), one
//      frame `[no kstack]` / `[no ustack]` / `[no stack]`, so the sample still counts.
// The sample's count is the entry's value as printed.

import type { ScriptMapInfo } from '../../compiler/program';
import type { Type } from '../../compiler/types';
import type { MapSnapshot } from '../output/snapshot';
import { framesOfStackText, isStackType } from '../output/stacks';
import { valueText, type Value } from '../output/values';

export type FrameKind = 'key' | 'user' | 'kernel' | 'missing';

export interface Frame {
  /** As printed: a byte string, one char per byte. */
  name: string;
  kind: FrameKind;
}

export interface StackSample {
  /** Root first. */
  frames: Frame[];
  count: bigint;
}

export interface StackProfile {
  /** The map's name (`@`, `@stacks`). */
  map: string;
  samples: StackSample[];
  total: bigint;
  /** What a count is: "samples" for count() maps, "" for sums. */
  unit: string;
}

export class StackMapError extends Error {}

/** True for a map keyed (at least partly) by kstack/ustack whose value is count() or sum(). */
export function isStackMap(info: ScriptMapInfo): boolean {
  const summed =
    info.value.kind === 'aggregation' &&
    (info.value.aggregation.kind === 'count' || info.value.aggregation.kind === 'sum');
  return summed && info.keyTypes.some(isStackType);
}

/** The stack samples of one stack map (see isStackMap); a negative sum cannot be drawn. */
export function stackProfile(snapshot: MapSnapshot): StackProfile {
  const { info, contents } = snapshot;
  if (!isStackMap(info) || contents.kind !== 'number') {
    throw new StackMapError(`${snapshot.name} is not keyed by kstack/ustack with count() or sum()`);
  }
  const samples: StackSample[] = [];
  let total = 0n;
  for (const entry of contents.entries) {
    if (entry.value < 0n) {
      throw new StackMapError(
        `${snapshot.name} holds a negative sum (${entry.value}); stacks can only be drawn from counts and non-negative sums`,
      );
    }
    if (entry.value === 0n) continue;
    samples.push({ frames: sampleFrames(info.keyTypes, entry.keyParts), count: entry.value });
    total += entry.value;
  }
  const unit =
    info.value.kind === 'aggregation' && info.value.aggregation.kind === 'count' ? 'samples' : '';
  return { map: snapshot.name, samples, total, unit };
}

function sampleFrames(keyTypes: Type[], parts: Value[]): Frame[] {
  const keys: Frame[] = [];
  const user: Frame[] = [];
  const kernel: Frame[] = [];
  const missing: string[] = [];
  keyTypes.forEach((type, i) => {
    const text = valueText(parts[i]);
    if (!isStackType(type)) {
      keys.push({ name: text === '' ? '[empty]' : text, kind: 'key' });
      return;
    }
    const isUser = type.name === 'ustack';
    const frames = framesOfStackText(text).reverse();
    if (frames.length === 0) missing.push(type.name);
    const into = isUser ? user : kernel;
    for (const name of frames) into.push({ name, kind: isUser ? 'user' : 'kernel' });
  });
  const frames = [...keys, ...user, ...kernel];
  if (user.length === 0 && kernel.length === 0) {
    const which = new Set(missing).size === 1 ? missing[0] : 'stack';
    frames.push({ name: `[no ${which}]`, kind: 'missing' });
  }
  return frames;
}

/** Every stack map's profile, in exit-dump order. */
export function stackProfiles(snapshots: MapSnapshot[]): StackProfile[] {
  return snapshots.filter((s) => isStackMap(s.info)).map(stackProfile);
}

/** Profiles merged into one: with several maps, each sample starts with its map's name. */
export function mergedProfile(profiles: StackProfile[]): StackProfile {
  if (profiles.length === 1) return profiles[0];
  const samples = profiles.flatMap((p) =>
    p.samples.map((s) => ({
      frames: [{ name: p.map, kind: 'key' as const }, ...s.frames],
      count: s.count,
    })),
  );
  return {
    map: profiles.map((p) => p.map).join(', '),
    samples,
    total: profiles.reduce((sum, p) => sum + p.total, 0n),
    unit: profiles.every((p) => p.unit === profiles[0].unit) ? profiles[0].unit : '',
  };
}
