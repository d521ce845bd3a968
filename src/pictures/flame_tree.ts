// Stack samples merged into a tree: a node per distinct path of frames from the root, its
// value the sum of the samples that pass through it. Children are in name order, as flame
// graphs draw them (the x axis is not time).

import type { Frame, FrameKind, StackProfile } from './stacks';

export interface FlameNode {
  name: string;
  kind: FrameKind | 'root';
  value: bigint;
  children: FlameNode[];
}

export function flameTree(profile: StackProfile): FlameNode {
  const root: FlameNode = { name: 'all', kind: 'root', value: 0n, children: [] };
  const index = new Map<FlameNode, Map<string, FlameNode>>();
  const child = (parent: FlameNode, frame: Frame): FlameNode => {
    let byName = index.get(parent);
    if (!byName) index.set(parent, (byName = new Map()));
    const id = `${frame.kind}:${frame.name}`;
    let node = byName.get(id);
    if (!node) {
      node = { name: frame.name, kind: frame.kind, value: 0n, children: [] };
      byName.set(id, node);
      parent.children.push(node);
    }
    return node;
  };
  for (const sample of profile.samples) {
    let node = root;
    root.value += sample.count;
    for (const frame of sample.frames) {
      node = child(node, frame);
      node.value += sample.count;
    }
  }
  sortChildren(root);
  return root;
}

function sortChildren(node: FlameNode): void {
  node.children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const c of node.children) sortChildren(c);
}

export interface PlacedNode {
  node: FlameNode;
  depth: number;
  /** Sum of the values left of this node at its depth within the root's span. */
  start: bigint;
}

/** Nodes with their depth and start, parents before children. */
export function placeNodes(root: FlameNode): PlacedNode[] {
  const placed: PlacedNode[] = [];
  const visit = (node: FlameNode, depth: number, start: bigint): void => {
    placed.push({ node, depth, start });
    let offset = start;
    for (const c of node.children) {
      visit(c, depth + 1, offset);
      offset += c.value;
    }
  };
  visit(root, 0, 0n);
  return placed;
}
