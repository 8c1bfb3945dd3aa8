// Broadcasting ops: BroadcastTo / BroadcastLike are views with zero strides along the spread
// axes; SumToShape is a reduction over them, adding in the order the reference loop does.
import type { Variable } from "../../../core/graph.ts";
import { BroadcastLike, BroadcastTo, SumToShape } from "../../ops/broadcast.ts";
import type { DType } from "../../../core/types.ts";
import { type Dims, type EmitContext, type JsLowering, type Kernel, rowMajor, sizeOfDims, type LoweringEntry } from "./lowering.ts";
import { emitReduction } from "./reduce.ts";
import { convert } from "./source.ts";

/** x's shape spread to `target` (NumPy rules, x right-aligned), or null when it cannot be. */
function fits(x: Dims, target: Dims): boolean {
  const off = target.length - x.length;
  return off >= 0 && x.every((d, i) => d === 1 || d === target[off + i]);
}

function spreadView(cx: EmitContext, x: Variable, out: Variable): void {
  const loc = cx.loc(x);
  if (loc.kind !== "buf") return cx.define(out, loc);
  const xs = cx.shape(x), target = cx.shape(out), off = target.length - xs.length;
  const strides = target.map((_, ax) => (ax < off || xs[ax - off] === 1 ? 0 : loc.strides[ax - off]));
  cx.define(out, { ...loc, strides });
}

const same = (a: Dims, b: Dims) => a.length === b.length && a.every((d, i) => d === b[i]);

/** Spreading to the shape x already has changes nothing. */
const unchanged = (_node: unknown, q: { shapes: readonly Dims[] }, [out]: readonly Dims[]) => (same(q.shapes[0], out) ? 0 : null);

const broadcastToLowering: JsLowering = {
  shape: (node, q) => {
    const target = (node.op as BroadcastTo).shape;
    return fits(q.shapes[0], target) ? [[...target]] : null;
  },
  alias: unchanged,
  emit: (node, cx) => spreadView(cx, node.inputs[0], node.outputs[0]),
};

const broadcastLikeLowering: JsLowering = {
  shape: (_node, q) => (fits(q.shapes[0], q.shapes[1]) ? [[...q.shapes[1]]] : null),
  alias: unchanged,
  shapeOnly: [1],
  emit: (node, cx) => spreadView(cx, node.inputs[0], node.outputs[0]),
};

/** The reference adds into a typed array: every partial sum is stored, hence converted. */
const sumKernel = (dtype: DType): Kernel => ({
  init: (n) => [`let ${n.acc} = 0;`],
  passes: [(x, n) => [`${n.acc} = ${convert(dtype, `${n.acc} + ${x}`)};`]],
  result: (n) => n.acc,
});

const sumToShapeLowering: JsLowering = {
  shape: (_node, q) => (fits(q.shapes[1], q.shapes[0]) ? [[...q.shapes[1]]] : null),
  alias: unchanged,
  shapeOnly: [1],
  absorbs: (_node, i) => i === 0,
  emit(node, cx) {
    const [g, ref] = node.inputs, out = node.outputs[0];
    const gs = cx.shape(g), rs = cx.shape(ref), off = gs.length - rs.length;
    const reduced = gs.map((_, ax) => ax).filter((ax) => ax < off || (rs[ax - off] === 1 && gs[ax] !== 1));
    const rm = rowMajor(rs);
    const keptStrides = gs.map((_, ax) => ax).filter((ax) => !reduced.includes(ax)).map((ax) => rm[ax - off]);
    emitReduction(cx, g, out, reduced, sumKernel(out.dtype), keptStrides);
  },
  // summed down to one value: a whole-array reduction that can share a loop
  reduction: (node, q) => (sizeOfDims(q.shapes[1]) === 1 && !same(q.shapes[0], q.shapes[1]) ? sumKernel(node.outputs[0].dtype) : null),
  // summed along some axes: added into the output from inside the producer's loop
  scatter(node, q) {
    const [gs, rs] = q.shapes, off = gs.length - rs.length;
    if (node.outputs[0].dtype !== "float64" || sizeOfDims(rs) === 1 || same(gs, rs) || !fits(rs, gs)) return null;
    const rm = rowMajor(rs);
    return { from: 0, strides: gs.map((d, ax) => (ax < off || (rs[ax - off] === 1 && d !== 1) ? 0 : rm[ax - off])) };
  },
};

export const broadcastLowerings: LoweringEntry[] = [
  [BroadcastTo, broadcastToLowering],
  [BroadcastLike, broadcastLikeLowering],
  [SumToShape, sumToShapeLowering],
];
