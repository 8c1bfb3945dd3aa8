// Shape family: Shape / Shape_i / Size are known as soon as the input shapes are; Reshape and
// SpecifyShape are views; Join copies each input into its slice of the output.
import { NDArray } from "../../../core/ndarray.ts";
import { Reshape, SpecifyShape } from "../../ops/shape.ts";
import { Join, Shape, ShapeI, Size } from "../../ops/shape_core.ts";
import { type JsLowering, rowMajor, sameDims, sizeOfDims, type LoweringEntry } from "./lowering.ts";
import { LoopNest } from "./nest.ts";

/** The target shape with its -1 resolved, or null when it does not fit (perform then says why). */
function reshapeTarget(from: readonly number[], spec: ArrayLike<number>): number[] | null {
  const target = Array.from(spec);
  const free = target.indexOf(-1);
  if (target.some((d, i) => !Number.isInteger(d) || d < -1 || (d === -1 && i !== free))) return null;
  const n = sizeOfDims(from);
  const known = target.reduce((p, d) => (d === -1 ? p : p * d), 1);
  if (free >= 0) {
    if (known === 0 || n % known !== 0) return null;
    target[free] = n / known;
  } else if (known !== n) return null;
  return target;
}

const reshapeLowering: JsLowering = {
  shape: (node, q) => {
    const spec = q.known[1];
    if (!spec || spec.size !== (node.op as Reshape).ndim) return null;
    const out = reshapeTarget(q.shapes[0], spec.data);
    return out && [out];
  },
  alias: (_n, q, [out]) => (sameDims(q.shapes[0], out) ? 0 : null),
  emit(node, cx) {
    const loc = cx.contiguous(node.inputs[0]);
    const out = node.outputs[0];
    cx.define(out, loc.kind === "buf" ? { ...loc, strides: rowMajor(cx.shape(out)) } : loc);
  },
};

const specifyShapeLowering: JsLowering = {
  shape: (node, q) => {
    const want = (node.op as SpecifyShape).shape, x = q.shapes[0];
    return x.length === want.length && want.every((d, i) => d === null || d === x[i]) ? [[...x]] : null;
  },
  alias: () => 0,
  emit: () => {},
};

const int32 = (values: readonly number[], shape: readonly number[]) => new NDArray("int32", shape, Int32Array.from(values));

const shapeQueries: LoweringEntry[] = [
  [Shape, { fold: (_n, q) => [int32(q.shapes[0], [q.shapes[0].length])] }],
  [ShapeI, { fold: (n, q) => [int32([q.shapes[0][(n.op as ShapeI).i]], [])] }],
  [Size, { fold: (_n, q) => [int32([sizeOfDims(q.shapes[0])], [])] }],
];

const joinLowering: JsLowering = {
  shape: (node, q) => {
    const ax = (node.op as Join).axis, ref = q.shapes[0];
    if (q.shapes.some((s) => s.length !== ref.length || s.some((d, i) => i !== ax && d !== ref[i]))) return null;
    const out = [...ref];
    out[ax] = q.shapes.reduce((t, s) => t + s[ax], 0);
    return [out];
  },
  emit(node, cx) {
    const ax = (node.op as Join).axis, out = node.outputs[0];
    const buf = cx.buffer(out), os = rowMajor(cx.shape(out));
    let start = 0;
    for (const x of node.inputs) {
      const shape = cx.shape(x);
      const nest = new LoopNest(cx.src, shape);
      const value = cx.tree(x, shape.map((_, i) => i), nest);
      const o = nest.access(buf.name, start * os[ax], os);
      nest.effect(0, `${buf.name}[${nest.at(o)}] = ${nest.value(value)};`);
      nest.emit(cx.depth);
      start += shape[ax];
    }
  },
};

export const shapeLowerings: LoweringEntry[] = [
  [Reshape, reshapeLowering],
  [SpecifyShape, specifyShapeLowering],
  [Join, joinLowering],
  ...shapeQueries,
];
