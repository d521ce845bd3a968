// Folded stacks: one line per sample, `root;frame;...;leaf COUNT` — the format FlameGraph,
// inferno and speedscope read. Frames are written as printed (bytes as they are); a `;` inside
// a frame would split it, so it is written as `:`, and a line break as a space.

import type { StackProfile } from './stacks';

export function foldedFrame(name: string): string {
  return name.replace(/;/g, ':').replace(/[\r\n]/g, ' ');
}

/** The folded lines of a profile, one sample per line in the map's printed order. */
export function foldedText(profile: StackProfile): string {
  return profile.samples
    .map((s) => `${s.frames.map((f) => foldedFrame(f.name)).join(';')} ${s.count}\n`)
    .join('');
}
