// Specialization to one shape signature: every variable gets a concrete shape, values that depend
// only on shapes (Shape, Size, creation ops, anything over constants) are computed now, and each
// node is either lowered, fused into its consumer's loop, or left to its op's perform.
import { type Apply, Constant, type Variable } from "../../../core/graph.ts";
import type { NDArray } from "../../../core/ndarray.ts";
import type { FunctionGraph } from "../../../core/fgraph.ts";
import { checkOutputs } from "../../../core/backend.ts";
import type { LoweringTable } from "../../../core/registry.ts";
import { type Dims, type JsLowering, type ShapeQuery, sizeOfDims, treeOf } from "./lowering.ts";

/** Results larger than this are computed per call rather than kept as constants of the specialization. */
const FOLD_LIMIT = 100_000;
/** Longest chain of producers inlined into one loop (longer chains go through buffers). */
const MAX_INLINE_DEPTH = 32;

export interface Plan {
  readonly shapes: ReadonlyMap<Variable, Dims>;
  /** Values known before the run: constants and what was folded from them and from shapes. */
  readonly known: ReadonlyMap<Variable, NDArray>;
  /** Nodes whose outputs are all known: nothing to run. */
  readonly folded: ReadonlySet<Apply>;
  /** Nodes with generated code, and the lowering that writes it. */
  readonly lowered: ReadonlyMap<Apply, JsLowering>;
  /** Elementwise nodes computed inline inside their only consumer's loop. */
  readonly absorbed: ReadonlySet<Apply>;
  /** Nodes whose output shapes only a run could tell: their perform result is checked against them. */
  readonly discovered: ReadonlySet<Apply>;
  /** Outputs of identity views (same shape and values as an input), mapped to what they show. */
  readonly aliases: ReadonlyMap<Variable, Variable>;
  /** Who reads each value (seeing through aliases, not counting shape-only reads); null: a graph output. */
  readonly readers: ReadonlyMap<Variable, readonly (Apply | null)[]>;
}

/** v, or what it is an alias of. */
export function resolve(plan: Pick<Plan, "aliases">, v: Variable): Variable {
  return plan.aliases.get(v) ?? v;
}

export function makePlan(fg: FunctionGraph, inputs: readonly NDArray[], table: LoweringTable<JsLowering>): Plan {
  const shapes = new Map<Variable, Dims>();
  const known = new Map<Variable, NDArray>();
  const folded = new Set<Apply>(), discovered = new Set<Apply>();
  const lowered = new Map<Apply, JsLowering>();
  const aliases = new Map<Variable, Variable>();
  fg.inputs.forEach((v, i) => shapes.set(v, inputs[i].shape));
  const note = (v: Variable): void => {
    if (v instanceof Constant && !known.has(v)) {
      known.set(v, v.value);
      shapes.set(v, v.value.shape);
    }
  };
  const runs = new Interpreter(fg, inputs);

  for (const node of fg.nodes) {
    node.inputs.forEach(note);
    const q: ShapeQuery = { shapes: node.inputs.map((v) => shapes.get(v)!), known: node.inputs.map((v) => known.get(v)) };
    const lw = table.lookup(node.op);
    const values = foldable(node, q) ? performNow(node, q) : lw?.fold?.(node, q) ?? null;
    if (values) {
      folded.add(node);
      node.outputs.forEach((o, k) => (known.set(o, values[k]), shapes.set(o, values[k].shape)));
      continue;
    }
    // a rule's null means "ask a run", even where the static type looks complete
    let out = lw?.shape ? lw.shape(node, q) : staticShapes(node);
    if (!out) {
      // value-dependent (or invalid: then this perform throws the error an interpreter would)
      out = runs.outputs(node).map((a) => [...a.shape]);
      discovered.add(node);
    }
    node.outputs.forEach((o, k) => shapes.set(o, out[k]));
    if (!lw?.emit || !(lw.handles?.(node) ?? true) || (discovered.has(node) && !lw.whenDiscovered) || !(lw.supports?.(node, q, out) ?? true)) continue;
    lowered.set(node, lw);
    const same = lw.alias?.(node, q, out);
    if (same !== undefined && same !== null) aliases.set(node.outputs[0], aliases.get(node.inputs[same]) ?? node.inputs[same]);
  }
  fg.outputs.forEach(note);
  const readers = readersOf(fg, lowered, aliases);
  const absorbed = absorb(fg, shapes, known, lowered, aliases, readers);
  return { shapes, known, folded, lowered, discovered, absorbed, aliases, readers };
}

function readersOf(fg: FunctionGraph, lowered: Map<Apply, JsLowering>, aliases: Map<Variable, Variable>): Map<Variable, (Apply | null)[]> {
  const readers = new Map<Variable, (Apply | null)[]>();
  const add = (v: Variable, r: Apply | null) => {
    const src = aliases.get(v) ?? v;
    let list = readers.get(src);
    if (!list) readers.set(src, (list = []));
    list.push(r);
  };
  for (const node of fg.nodes) {
    if (aliases.has(node.outputs[0])) continue;
    const shapeOnly = lowered.get(node)?.shapeOnly ?? [];
    node.inputs.forEach((v, i) => shapeOnly.includes(i) || add(v, node));
  }
  for (const o of fg.outputs) add(o, null);
  return readers;
}

/** An elementwise producer whose value only one loop reads is computed inside that loop. */
function absorb(
  fg: FunctionGraph, shapes: Map<Variable, Dims>, known: Map<Variable, NDArray>, lowered: Map<Apply, JsLowering>,
  aliases: Map<Variable, Variable>, readers: Map<Variable, (Apply | null)[]>,
): Set<Apply> {
  const absorbed = new Set<Apply>();
  // how many producers deep each node's inline expression reaches (kept small: code is built recursively)
  const depth = new Map<Apply, number>();
  const inputs = fg.inputSet;
  for (const [node, lw] of lowered) {
    if (!lw.absorbs || aliases.has(node.outputs[0])) continue;
    const q: ShapeQuery = { shapes: node.inputs.map((v) => shapes.get(v)!), known: node.inputs.map((v) => known.get(v)) };
    const outShapes = node.outputs.map((o) => shapes.get(o)!);
    let d = 0;
    node.inputs.forEach((input, i) => {
      const v = aliases.get(input) ?? input, p = v.owner;
      if (!p || !treeOf(lowered.get(p), p) || inputs.has(v) || (depth.get(p) ?? 0) >= MAX_INLINE_DEPTH) return;
      const r = readers.get(v) ?? [];
      if (sizeOfDims(shapes.get(v)!) <= 1 || r.length !== 1 || r[0] !== node) return;
      if (!lw.absorbs!(node, i, q, outShapes)) return;
      absorbed.add(p);
      d = Math.max(d, depth.get(p) ?? 0);
    });
    depth.set(node, d + 1);
  }
  return absorbed;
}

function foldable(node: Apply, q: ShapeQuery): boolean {
  if (node.op.foldable === false || !q.known.every((k) => k !== undefined)) return false;
  const out = staticShapes(node);
  return node.inputs.length === 0 || (out !== null && out.every((s) => sizeOfDims(s) <= FOLD_LIMIT));
}

function performNow(node: Apply, q: ShapeQuery): NDArray[] {
  const res = node.op.perform(q.known as NDArray[]);
  checkOutputs(node, res);
  return res;
}

function staticShapes(node: Apply): number[][] | null {
  const out: number[][] = [];
  for (const o of node.outputs) {
    if (!o.type.shape.every((d) => d !== null)) return null;
    out.push(o.type.shape as number[]);
  }
  return out;
}

/** The reference evaluation of just the nodes a discovery needs, each computed once. */
class Interpreter {
  private readonly values = new Map<Variable, NDArray>();
  private readonly order: Map<Apply, number>;
  constructor(fg: FunctionGraph, inputs: readonly NDArray[]) {
    fg.inputs.forEach((v, i) => this.values.set(v, inputs[i]));
    this.order = new Map(fg.nodes.map((n, i) => [n, i]));
  }
  outputs(target: Apply): NDArray[] {
    const need = new Set<Apply>();
    const stack = [target];
    while (stack.length) {
      const n = stack.pop()!;
      if (need.has(n)) continue;
      need.add(n);
      for (const v of n.inputs) if (v.owner && !this.values.has(v)) stack.push(v.owner);
    }
    for (const n of [...need].sort((a, b) => this.order.get(a)! - this.order.get(b)!)) {
      if (n.outputs.every((o) => this.values.has(o))) continue;
      const ins = n.inputs.map((v) => (v instanceof Constant ? v.value : this.values.get(v)!));
      const res = n.op.perform(ins);
      checkOutputs(n, res);
      n.outputs.forEach((o, k) => this.values.set(o, res[k]));
    }
    return target.outputs.map((o) => this.values.get(o)!);
  }
}
