// Share exponentials: logsumexp(x) and exp(x − logsumexp(x)) (its softmax, which LogSumExp's
// gradient builds) become the two outputs of one LogSumExpSoftmax node, so each entry of x is
// exponentiated once: storing the softmax and reading it back costs far less than a second exp.
import type { Op, Variable } from "../../core/graph.ts";
import type { FunctionGraph } from "../../core/fgraph.ts";
import { type Pattern, any, reaching } from "../../core/rewrite/pattern.ts";
import type { RewriteRule } from "../../core/rewrite/types.ts";
import { Sub } from "../ops/elemwise.ts";
import { Exp } from "../ops/elemwise_math.ts";
import { DimShuffle } from "../ops/dimshuffle.ts";
import { LogSumExp } from "../ops/softmax.ts";
import { LogSumExpSoftmax } from "../ops/logsumexp_softmax.ts";
import { castTo, elem, isElem, rule } from "./helpers.ts";

/** The axes a LogSumExp (or the lse output of the combined op) reduces, for x of ndim n. */
function lseAxes(v: Variable): number[] | null {
  const n = v.owner;
  if (!n) return null;
  if (n.op instanceof LogSumExp) return n.op.axesOf(n.inputs[0].ndim);
  if (n.op instanceof LogSumExpSoftmax && v.index === 0) return n.op.axesOf(n.inputs[0].ndim);
  return null;
}

/** expandDims(lse(x)) putting back exactly the reduced axes: binds x and lse. */
const restoredLse: Pattern = reaching(2, (v, b) => {
  const ds = v.owner;
  if (!ds || !(ds.op instanceof DimShuffle)) return false;
  const lse = ds.inputs[0], axes = lseAxes(lse);
  if (!axes) return false;
  const x = lse.owner!.inputs[0];
  const order = ds.op.order;
  let k = 0;
  const ok = order.length === x.ndim && order.every((o, i) => (axes.includes(i) ? o === "x" : o === k++));
  if (!ok) return false;
  if (b.x !== undefined && b.x !== x) return false;
  b.x = x;
  b.lse = lse;
  return true;
});

const combined = (x: Variable, axes: number[]) => new LogSumExpSoftmax(axes.length === x.ndim ? null : axes).apply([x]).outputs;

export const exponentialRules: RewriteRule[] = [
  rule({
    name: "softmax_shares_logsumexp", tags: ["specialize"], // exp(x − lse(x)) → softmax output of LogSumExpSoftmax(x)
    pattern: elem(Exp, elem(Sub, any("x"), restoredLse)),
    when: ({ x }, v) => v.dtype === x.dtype,
    build: ({ x, lse }, v) => castTo(combined(x, lseAxes(lse)!)[1], v.dtype),
  }),
  rule({
    // lse(x) → the lse output of LogSumExpSoftmax(x): whichever of the two rules fires first, the
    // other then yields the same node; where nothing reads the softmax, unused_softmax undoes this
    name: "logsumexp_shares_softmax", tags: ["specialize"],
    root: (op) => op instanceof LogSumExp,
    pattern: reaching(1, (v, b) => {
      if (!(v.owner?.op instanceof LogSumExp)) return false;
      b.x = v.owner.inputs[0];
      return true;
    }),
    when: ({ x }, v) => v.dtype === x.dtype,
    build: ({ x }, v) => combined(x, lseAxes(v)!)[0],
  }),
  rule({
    name: "unused_softmax", tags: ["fusion"], // LogSumExpSoftmax whose softmax nobody reads → LogSumExp
    root: (op) => op instanceof LogSumExpSoftmax,
    pattern: (v, b) => {
      const n = v.owner;
      if (!(n?.op instanceof LogSumExpSoftmax) || v.index !== 0) return false;
      b.x = n.inputs[0];
      return true;
    },
    whenInGraph: (_b, v, fg) => {
      const softmax = v.owner!.outputs[1];
      return fg.clients(softmax).length === 0 && !fg.outputs.includes(softmax);
    },
    build: ({ x }, v) => new LogSumExp((v.owner!.op as LogSumExpSoftmax).axis).apply([x]).outputs[0],
  }),
];
