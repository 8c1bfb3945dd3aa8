// CumOp (cumsum, cumprod): a scan along one axis, the running value stored at every step; the
// other axes outside. CumOpGrad runs its perform (its shape is x's).
import type { Apply } from "../../../core/graph.ts";
import { CumOp, CumOpGrad } from "../../ops/cumulative.ts";
import { isFloat } from "../../../core/types.ts";
import { type JsLowering, rowMajor, sizeOfDims, type LoweringEntry } from "./lowering.ts";
import { LoopNest } from "./nest.ts";

const cumLowering: JsLowering = {
  shape: (node, q) => {
    const x = q.shapes[0], axis = (node.op as CumOp).axis;
    if (axis === null) return [[sizeOfDims(x)]];
    return axis < x.length ? [[...x]] : null;
  },
  absorbs: () => true,
  emit(node: Apply, cx) {
    const op = node.op as CumOp, x = node.inputs[0], out = node.outputs[0];
    const shape = cx.shape(x), rm = rowMajor(shape);
    // axis null: x flattened in row-major order is one lane
    const perm = op.axis === null ? shape.map((_, i) => i) : [...shape.keys()].filter((a) => a !== op.axis).concat(op.axis);
    const nest = new LoopNest(cx.src, perm.map((a) => shape[a]), op.axis === null ? 0 : shape.length - 1);
    const elem = cx.tree(x, perm, nest);
    const buf = cx.buffer(out);
    const o = nest.access(buf.name, 0, perm.map((a) => rm[a]));
    const acc = cx.src.fresh("acc"), int = !isFloat(x.dtype), add = op.mode === "add";
    const v = nest.value(elem);
    const step = add ? (int ? `(${acc} + ${v}) | 0` : `${acc} + ${v}`) : int ? `Math.imul(${acc}, ${v})` : `${acc} * ${v}`;
    nest.init.push(`let ${acc} = ${add ? 0 : 1};`);
    nest.effect(0, `${acc} = ${step};`, `${buf.name}[${nest.at(o)}] = ${acc};`);
    nest.emit(cx.depth);
  },
};

export const cumulativeLowerings: LoweringEntry[] = [
  [CumOp, cumLowering],
  [CumOpGrad, { shape: (_n, q) => [[...q.shapes[0]]] }],
];
