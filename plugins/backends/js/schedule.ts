// Loop fusion across nodes: same-shape elementwise nodes (and reductions of a same-shape array,
// whole or along some axes) share one loop even when their values have several readers, e.g. a
// forward pass and its gradient. A member's value is stored only when something outside the loop
// reads it.
// Nodes that do not read the pending group are emitted before it and nodes that do (views of a
// reduction's result, perform calls) after it, so groups grow past both; the postponed nodes are
// then scheduled like any others (they may form a loop of their own).
import type { Apply, Variable } from "../../../core/graph.ts";
import type { FunctionGraph } from "../../../core/fgraph.ts";
import { type Dims, type ShapeQuery, sizeOfDims, treeOf } from "./lowering.ts";
import { type Plan, resolve } from "./plan.ts";

export type Step =
  | { readonly node: Apply }
  | { readonly group: readonly Apply[]; readonly shape: Dims; readonly stored: ReadonlySet<Variable> };

/** Members per loop: past this a loop body risks being too large for V8 to optimize. */
const MAX_GROUP = 256;

const same = (a: Dims, b: Dims) => a.length === b.length && a.every((d, i) => d === b[i]);

export function schedule(fg: FunctionGraph, plan: Plan): Step[] {
  const steps: Step[] = [];
  const query = (n: Apply): ShapeQuery => ({ shapes: n.inputs.map((v) => plan.shapes.get(v)!), known: n.inputs.map((v) => plan.known.get(v)) });
  /** The iteration shape a node can share a loop over, or null. */
  const loopShape = (n: Apply): Dims | null => {
    const lw = plan.lowered.get(n);
    if (!lw || plan.absorbed.has(n)) return null;
    if (treeOf(lw, n)) return plan.shapes.get(n.outputs[0])!;
    if (lw.reduction?.(n, query(n))) return plan.shapes.get(n.inputs[0])!;
    const sc = lw.scatter?.(n, query(n));
    return sc ? plan.shapes.get(n.inputs[sc.from])! : null;
  };
  /** The node whose code computes n: a fused producer lives in its only consumer's loop. */
  const home = (n: Apply): Apply => (plan.absorbed.has(n) ? home(plan.readers.get(n.outputs[0])![0]!) : n);
  /** Everything n's inline expression reads: its inputs and those of producers fused into it. */
  const reads = (n: Apply): Variable[] => {
    const shapeOnly = plan.lowered.get(n)?.shapeOnly ?? [];
    return n.inputs.filter((_, i) => !shapeOnly.includes(i)).map((v) => resolve(plan, v))
      .flatMap((v) => (v.owner && plan.absorbed.has(v.owner) ? [v, ...reads(v.owner)] : [v]));
  };

  let group: Apply[] = [], shape: Dims = [];
  /** Nodes that read the pending group but cannot be in its loop: they run right after it. */
  let after: Apply[] = [];
  const members = new Set<Apply>(), reducers = new Set<Apply>(), later = new Set<Apply>();
  /** Postponed nodes that read a sum the pending group computes. */
  const onSums = new Set<Apply>();
  const todo = fg.nodes.filter((n) => !(plan.folded.has(n) || plan.absorbed.has(n) || plan.aliases.has(n.outputs[0])));
  /** Close the pending group; the nodes that waited for it are scheduled again from position k. */
  const flush = (k: number): number => {
    if (group.length === 1) steps.push({ node: group[0] });
    else if (group.length > 1) {
      const stored = new Set<Variable>();
      for (const m of group) {
        const out = m.outputs[0];
        if ((plan.readers.get(out) ?? []).some((r) => r === null || !members.has(home(r)))) stored.add(out);
      }
      steps.push({ group, shape, stored });
    }
    todo.splice(k, 0, ...after);
    group = [];
    after = [];
    for (const set of [members, reducers, later, onSums]) set.clear();
    return k;
  };
  const start = (node: Apply, s: Dims, isReducer: boolean) => {
    group.push(node);
    members.add(node);
    if (isReducer) reducers.add(node);
    shape = s;
  };
  let k = 0;
  while (k < todo.length || group.length > 0) {
    if (k === todo.length) {
      k = flush(k);
      continue;
    }
    const node = todo[k];
    const s = loopShape(node), loop = s !== null && sizeOfDims(s) > 1;
    const isReducer = loop && !treeOf(plan.lowered.get(node), node);
    const from = reads(node).map((v) => v.owner).filter((o): o is Apply => o !== null);
    // a reduction's result exists only after the loop; postponed nodes only after that
    const blocked = from.some((o) => reducers.has(o) || later.has(o));
    // (a loop of another shape over a sum the group makes waits for it: the group can still grow)
    const waits = from.some((o) => reducers.has(o) || onSums.has(o));
    const readsGroup = from.some((o) => members.has(o) || later.has(o));
    if (loop && group.length > 0 && group.length < MAX_GROUP && same(s, shape) && !blocked) start(node, s, isReducer);
    else if (loop && group.length > 0 && !readsGroup && sizeOfDims(s) < sizeOfDims(shape)) {
      // a smaller loop that needs nothing from the pending one runs before it, alone: the large
      // loop stays open for what follows (a prior's loop over groups amid a likelihood's over data)
      steps.push({ node });
    } else if (loop && (same(s, shape) || !waits)) {
      // a new loop: first the nodes postponed behind the old one, which may group among themselves
      if (group.length > 0) {
        k = flush(k);
        continue;
      }
      start(node, s, isReducer);
    } else if (readsGroup) {
      after.push(node);
      later.add(node);
      if (waits) onSums.add(node);
    } else steps.push({ node });
    k++;
  }
  return steps;
}
