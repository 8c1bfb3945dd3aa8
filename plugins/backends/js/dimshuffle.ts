// DimShuffle as a view: permuting, inserting and dropping axes only changes strides, so nothing
// is copied; loops downstream read through the new strides.
import { DimShuffle } from "../../ops/dimshuffle.ts";
import { type JsLowering, sameDims, type LoweringEntry } from "./lowering.ts";

export const dimshuffleLowering: JsLowering = {
  shape: (node, q) => {
    const op = node.op as DimShuffle, x = q.shapes[0];
    if (op.dropped.some((d) => x[d] !== 1)) return null;
    return [op.order.map((o) => (o === "x" ? 1 : x[o]))];
  },
  // moving only length-1 axes: the same elements in the same order
  alias: (node, q, [out]) => ((node.op as DimShuffle).isReshapeOnly && sameDims(q.shapes[0], out) ? 0 : null),
  emit(node, cx) {
    const op = node.op as DimShuffle;
    const loc = cx.loc(node.inputs[0]);
    if (loc.kind !== "buf") return cx.define(node.outputs[0], loc);
    cx.define(node.outputs[0], { ...loc, strides: op.order.map((o) => (o === "x" ? 0 : loc.strides[o])) });
  },
};

export const dimshuffleLowerings: LoweringEntry[] = [[DimShuffle, dimshuffleLowering]];
