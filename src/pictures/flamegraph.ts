// An interactive SVG flame graph of a stack profile: one rectangle per tree node, the root
// ("all") at the bottom, widths proportional to counts. The file is self-contained (inline
// style and script, no network); FLAME_SCRIPT adds hover details, zoom and search. Nodes
// narrower than MIN_WIDTH pixels are left out, as their labels and colours could not be seen;
// their counts still make up their parents' widths.

import { FLAME_SCRIPT } from './flame_script';
import { flameTree, placeNodes, type FlameNode } from './flame_tree';
import type { StackProfile } from './stacks';
import { displayText, escapeMarkup, groupDigits, percent } from './text';

const WIDTH = 1200;
const PAD = 10;
const ROW = 17;
const FRAME_HEIGHT = 16;
const TOP = 40;
const BOTTOM = 30;
const MIN_WIDTH = 0.1;

export interface FlameOptions {
  /** Title line; default "Flame graph of @name". */
  title?: string;
}

/** A standalone SVG document (XML declaration, inline script). */
export function flameGraphSvg(profile: StackProfile, options: FlameOptions = {}): string {
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    flameGraphElement(
      profile,
      options,
      `<script><![CDATA[${FLAME_SCRIPT}
bpfscopeFlame(document.documentElement);
]]></script>\n`,
    )
  );
}

/** The <svg> element alone, for embedding in HTML; the page runs bpfscopeFlame on it. */
export function flameGraphElement(
  profile: StackProfile,
  options: FlameOptions = {},
  script = '',
): string {
  const root = flameTree(profile);
  const total = root.value;
  const placed = placeNodes(root).filter(
    (p) => total > 0n && (Number(p.node.value) / Number(total)) * WIDTH >= MIN_WIDTH,
  );
  const depth = placed.reduce((max, p) => Math.max(max, p.depth), 0);
  const height = TOP + (depth + 1) * ROW + BOTTOM;
  const unit = profile.unit;
  const title = options.title ?? `Flame graph of ${profile.map}`;
  const frames = placed.map((p) => {
    const x = PAD + (Number(p.start) / Number(total || 1n)) * WIDTH;
    const w = (Number(p.node.value) / Number(total || 1n)) * WIDTH;
    const y = TOP + (depth - p.depth) * ROW;
    const name = displayText(p.node.name);
    const tooltip = `${name} (${groupDigits(p.node.value)}${unit ? ` ${unit}` : ''}, ${percent(p.node.value, total)}%)`;
    return (
      `<g class="frame" data-name="${escapeMarkup(name)}" data-value="${p.node.value}" data-start="${p.start}" data-depth="${p.depth}" data-kind="${p.node.kind}">` +
      `<title>${escapeMarkup(tooltip)}</title>` +
      `<rect x="${x.toFixed(2)}" y="${y}" width="${Math.max(w - 0.5, 0.1).toFixed(2)}" height="${FRAME_HEIGHT}" rx="2" fill="${frameColour(p.node)}"/>` +
      `<text x="${(x + 3).toFixed(2)}" y="${y + 12}">${escapeMarkup(label(name, w))}</text></g>\n`
    );
  });
  const summary = `${groupDigits(total)}${unit ? ` ${unit}` : ''}`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="bpfscope-flame" width="${WIDTH + 2 * PAD}" height="${height}" ` +
    `viewBox="0 0 ${WIDTH + 2 * PAD} ${height}" data-total="${total}" data-width="${WIDTH}" data-pad="${PAD}" ` +
    `role="img" aria-label="${escapeMarkup(`${title}: ${summary}`)}">\n` +
    `<style>.bpfscope-flame text{font-family:Verdana,sans-serif;font-size:12px;fill:#000}` +
    `.bpfscope-flame .title{font-size:16px}.bpfscope-flame .button{cursor:pointer;fill:#1a5fb4}` +
    `.bpfscope-flame g.frame{cursor:pointer}.bpfscope-flame g.frame:hover rect{stroke:#000;stroke-width:0.5}` +
    `.bpfscope-flame g.frame text{pointer-events:none}</style>\n` +
    `<rect width="100%" height="100%" fill="#fdfdf8"/>\n` +
    `<text class="title" x="${PAD + WIDTH / 2}" y="22" text-anchor="middle">${escapeMarkup(`${title} — ${summary}`)}</text>\n` +
    `<text class="button reset" x="${PAD}" y="22" style="visibility:hidden">Reset zoom</text>\n` +
    `<text class="button search" x="${PAD + WIDTH}" y="22" text-anchor="end">Search</text>\n` +
    `<text class="details" x="${PAD}" y="${height - 10}"> </text>\n` +
    `<text class="matched" x="${PAD + WIDTH}" y="${height - 10}" text-anchor="end"> </text>\n` +
    `<g class="frames">\n${frames.join('')}</g>\n${script}</svg>\n`
  );
}

function label(name: string, width: number): string {
  const fits = Math.floor((width - 6) / 7);
  if (fits < 3) return '';
  return name.length <= fits ? name : `${name.slice(0, fits - 2)}..`;
}

/** Warm colours for kernel frames, yellow-green for user frames, blue for key frames; the
 *  shade comes from the name, so a function keeps its colour across graphs. */
function frameColour(node: FlameNode): string {
  const h = hash(node.name);
  const t = (h % 1000) / 1000;
  const u = ((h >>> 10) % 1000) / 1000;
  switch (node.kind) {
    case 'root':
      return 'rgb(200,200,200)';
    case 'missing':
      return 'rgb(180,180,180)';
    case 'key':
      return rgb(110 + 50 * t, 170 + 40 * u, 230);
    case 'user':
      return rgb(190 + 50 * t, 210 + 30 * u, 60 + 40 * t);
    case 'kernel':
      return rgb(230 + 25 * t, 90 + 100 * u, 40 + 30 * t);
  }
}

function rgb(r: number, g: number, b: number): string {
  return `rgb(${Math.round(r)},${Math.round(g)},${Math.round(b)})`;
}

/** FNV-1a over the name's chars. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
