// Share exponentials: logsumexp(x) and exp(x − logsumexp(x)) (its softmax, which LogSumExp's
// gradient builds) become the two outputs of one LogSumExpSoftmax node, so each entry of x is
// exponentiated once. Only where the softmax is a graph output (a scan body saving it for the
// backward pass): elsewhere it is cheaper fused, unmaterialized, into the loops that read it.
import type { Op, Variable } from "../../core/graph.ts";
import type { FunctionGraph } from "../../core/fgraph.ts";
import { type Pattern, any } from "../../core/rewrite/pattern.ts";
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
const restoredLse: Pattern = (v, b) => {
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
};

const combined = (x: Variable, axes: number[]) => new LogSumExpSoftmax(axes.length === x.ndim ? null : axes).apply([x]).outputs;

/** Does some client chain of `lse` compute exp(x − expandDims(lse))? */
function feedsSoftmax(lse: Variable, x: Variable, fg: FunctionGraph): boolean {
  const isExp = (op: Op) => isElem(Exp)(op);
  return fg.clients(lse).some(([ds]) => ds.op instanceof DimShuffle &&
    fg.clients(ds.outputs[0]).some(([s]) => isElem(Sub)(s.op) && s.inputs[0] === x && s.inputs[1] === ds.outputs[0] &&
      fg.clients(s.outputs[0]).some(([e]) => isExp(e.op) && fg.outputs.includes(e.outputs[0]))));
}

export const exponentialRules: RewriteRule[] = [
  rule({
    name: "softmax_shares_logsumexp", tags: ["specialize"], // exp(x − lse(x)) → softmax output of LogSumExpSoftmax(x)
    pattern: elem(Exp, elem(Sub, any("x"), restoredLse)),
    when: ({ x }, v, fg) => v.dtype === x.dtype && fg.outputs.includes(v),
    build: ({ x, lse }, v) => castTo(combined(x, lseAxes(lse)!)[1], v.dtype),
  }),
  rule({
    name: "logsumexp_shares_softmax", tags: ["specialize"], // lse(x), when exp(x − lse) is also taken
    pattern: (v, b) => {
      if (!(v.owner?.op instanceof LogSumExp)) return false;
      b.x = v.owner.inputs[0];
      return true;
    },
    when: ({ x }, v, fg) => v.dtype === x.dtype && feedsSoftmax(v, x, fg),
    build: ({ x }, v) => combined(x, lseAxes(v)!)[0],
  }),
];
