// Creation ops: ARange, Linspace and Eye have no inputs, so their values are computed once per
// specialization; Alloc spreads its value over the shape in one loop, cast as astype does.
import { ARange, Alloc, Eye, Linspace } from "../../ops/creation.ts";
import { type JsLowering, rowMajor, sizeOfDims, type LoweringEntry } from "./lowering.ts";
import { LoopNest, type Tree } from "./nest.ts";
import { convert } from "./source.ts";

const once: JsLowering = { fold: (node) => node.op.perform([]) };

const allocLowering: JsLowering = {
  shape: (node, q) => {
    const shape = (node.op as Alloc).shape, v = q.shapes[0], off = shape.length - v.length;
    return off >= 0 && v.every((d, i) => d === 1 || d === shape[off + i]) ? [[...shape]] : null;
  },
  emit(node, cx) {
    const out = node.outputs[0], shape = cx.shape(out), v = node.inputs[0];
    const off = shape.length - v.ndim;
    const nest = new LoopNest(cx.src, shape);
    const value = cx.tree(v, shape.map((_, i) => i - off), nest);
    const cast = out.dtype === v.dtype || out.dtype.startsWith("float") ? null
      : out.dtype === "int32" ? (a: string[]) => `Math.trunc(${a[0]})` : (a: string[]) => `(${a[0]} !== 0 ? 1 : 0)`;
    const tree: Tree = cast ? { t: "op", fmt: cast, args: [value] } : value;
    if (sizeOfDims(shape) === 1) {
      const name = cx.src.fresh("v");
      nest.effect(0, `const ${name} = ${convert(out.dtype, nest.value(tree))};`);
      nest.emit(cx.depth);
      return cx.define(out, { kind: "reg", name });
    }
    const buf = cx.buffer(out);
    const o = nest.access(buf.name, 0, rowMajor(shape));
    nest.effect(0, `${buf.name}[${nest.at(o)}] = ${nest.value(tree)};`);
    nest.emit(cx.depth);
  },
};

export const creationLowerings: LoweringEntry[] = [
  [ARange, once],
  [Linspace, once],
  [Eye, once],
  [Alloc, allocLowering],
];
