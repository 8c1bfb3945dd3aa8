// Merging (common subexpression elimination), the rewrite pipeline's first phase and its step
// between passes: equal constants become one, and equal ops over equal inputs become one node.
import { type Apply, Constant, type Op, type Variable } from "../graph.ts";
import { type FunctionGraph, copyNode } from "../fgraph.ts";

/**
 * Structural merge (CSE) of an owned graph, in place: equal constants become one, and equal ops
 * over equal inputs become one node. A merger remembers the nodes it has seen, so merging again
 * after a rewrite pass looks only at the nodes that changed since. Returns whether anything merged.
 */
export class Merger {
  private lastLook = 0;
  /** nodes by a numeric hash of (op, inputs); equal hashes are checked for real equality */
  private readonly byHash = new Map<number, Apply[]>();
  private readonly constBySig = new Map<string, Constant>();
  /** a small number for each distinct op key, so that merging compares numbers, not strings */
  private readonly opIds = new Map<string, number>();

  private opId(key: string): number {
    let id = this.opIds.get(key);
    if (id === undefined) this.opIds.set(key, (id = this.opIds.size + 1));
    return id;
  }

  merge(fg: FunctionGraph): boolean {
    if (!fg.isOwned) return this.mergingCopy(fg);
    const todo = new Set(fg.changedSince(this.lastLook));
    let merged = false;
    for (const node of fg.nodes) {
      if (!todo.has(node) || !fg.contains(node)) continue;
      for (let i = 0; i < node.inputs.length; i++) {
        const first = this.canonical(node.inputs[i]);
        if (first !== node.inputs[i]) {
          fg.setInput(node, i, first);
          merged = true;
        }
      }
      const twin = this.twin(node.op, node.inputs, (m) => m !== node && fg.contains(m));
      if (twin) {
        // its readers read the twin now: they changed, and come later in this order
        node.outputs.forEach((o, k) => {
          for (const [reader] of fg.clients(o)) todo.add(reader);
          fg.swap(o, twin.outputs[k]);
        });
        merged = true;
      } else this.keep(node);
    }
    return this.outputs(fg) || merged;
  }

  /** The first merge of a graph it does not own yet: copy its nodes merged (see FunctionGraph.own). */
  private mergingCopy(fg: FunctionGraph): boolean {
    let merged = false;
    fg.own((node, inputs) => {
      for (let i = 0; i < inputs.length; i++) {
        const first = this.canonical(inputs[i]);
        if (first !== inputs[i]) merged = true;
        inputs[i] = first;
      }
      // every node kept so far is a copy in the graph
      const twin = this.twin(node.op, inputs, () => true);
      if (twin) {
        merged = true;
        return twin.outputs;
      }
      const outs = copyNode(node, inputs);
      this.keep(outs[0].owner!);
      return outs;
    });
    return this.outputs(fg) || merged;
  }

  /** Outputs that are constants become their first equals too; the merge's last step. */
  private outputs(fg: FunctionGraph): boolean {
    let merged = false;
    for (const o of [...fg.outputs]) {
      const first = this.canonical(o);
      if (first === o) continue;
      fg.swap(o, first);
      merged = true;
    }
    this.lastLook = fg.now();
    return merged;
  }

  /** A constant's first equal (by value), or the variable itself. */
  private canonical(v: Variable): Variable {
    if (!(v instanceof Constant)) return v;
    const first = this.constBySig.get(v.signature);
    if (first === undefined) this.constBySig.set(v.signature, v);
    return first ?? v;
  }

  private hash(op: Op, inputs: readonly Variable[]): number {
    let h = this.opId(op.key);
    for (const x of inputs) h = (Math.imul(h, 0x9e3779b1) ^ x.id) >>> 0;
    return h;
  }

  /** A kept node (that `usable` accepts) of an equal op over the same inputs. */
  private twin(op: Op, inputs: readonly Variable[], usable: (m: Apply) => boolean): Apply | undefined {
    const id = this.opId(op.key);
    for (const m of this.byHash.get(this.hash(op, inputs)) ?? []) {
      if (usable(m) && this.opId(m.op.key) === id && sameInputs(m.inputs, inputs)) return m;
    }
    return undefined;
  }

  private keep(node: Apply): void {
    const h = this.hash(node.op, node.inputs), bucket = this.byHash.get(h);
    if (!bucket) this.byHash.set(h, [node]);
    else if (!bucket.includes(node)) bucket.push(node);
  }
}

function sameInputs(a: readonly Variable[], b: readonly Variable[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

/** Merge a graph once (it becomes owned: see FunctionGraph.own). */
export function mergeEquivalent(fg: FunctionGraph): boolean {
  return new Merger().merge(fg);
}
