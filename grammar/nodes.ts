// AST node construction for one parse: ids in creation order, each node's height (so the
// depth limit needs no walk over the finished tree), and the errors the grammar cannot
// express, in the order the AST is built.

import type * as A from './ast';
import { error, type Diagnostic } from './diagnostics';
import { forEachChild } from './visit';

type NodeInit<N extends A.Node> = Omit<N, 'id' | 'range'>;

export function span(a: { range: A.SourceRange }, b: { range: A.SourceRange }): A.SourceRange {
  return { start: a.range.start, end: b.range.end };
}

export class NodeFactory {
  private nextId = 0;
  /** Height of each node by id: 1 for a leaf. */
  private heights: number[] = [];
  private tallestChild = 0;
  private readonly measureChild = (child: A.Node): void => {
    const height = this.heights[child.id]!;
    if (height > this.tallestChild) this.tallestChild = height;
  };
  /** Located errors found while building, the first one first. */
  diagnostics: Diagnostic[] = [];

  reset(): void {
    this.nextId = 0;
    this.heights = [];
    this.diagnostics = [];
  }

  make<N extends A.Node>(init: NodeInit<N>, range: A.SourceRange): N {
    const node = { id: this.nextId++, range, ...init } as N;
    this.tallestChild = 0;
    forEachChild(node, this.measureChild);
    this.heights[node.id] = this.tallestChild + 1;
    return node;
  }

  /** Give back the id of `node`, the last one made, because it is being replaced. */
  discard(node: A.Node): void {
    if (node.id === this.nextId - 1) this.nextId--;
  }

  fail(message: string, range: A.SourceRange | null, at = this.diagnostics.length): void {
    this.diagnostics.splice(at, 0, error(message, range));
  }

  /**
   * The node a depth-first walk that visits the last child first would meet first deeper
   * than `limit` (the root is at depth 1), found by following heights from the root.
   */
  firstNodeDeeperThan(root: A.Node, limit: number): A.Node | null {
    if (this.heights[root.id]! <= limit) return null;
    let node = root;
    for (let depth = 1; depth <= limit; depth++) {
      // A child (at depth + 1) reaches past the limit if its height exceeds limit - depth.
      let deeper: A.Node | undefined;
      forEachChild(node, (child) => {
        if (this.heights[child.id]! > limit - depth) deeper = child;
      });
      node = deeper!;
    }
    return node;
  }
}
