// Transforms acting on the last axis jointly: simplex (PyMC's log-ratio to the centred log),
// ordered and positive-ordered (cumulative exp increments), and composition of transforms.
import type { Variable } from "../../../core/graph.ts";
import { add, div, mul, neg, sub } from "../../ops/elemwise.ts";
import { exp, log } from "../../ops/elemwise_math.ts";
import { sum } from "../../ops/reduce.ts";
import { logsumexp, softmax } from "../../ops/softmax.ts";
import { cumsum } from "../../ops/cumulative.ts";
import { concatenate, shapeI } from "../../ops/shape_core.ts";
import { cast, zerosLike } from "../../ops/elemwise.ts";
import { index, slice } from "../../ops/subtensor.ts";
import type { Transform } from "./types.ts";

const last = (x: Variable, s: ReturnType<typeof slice> | number) => index(x, [...Array(x.ndim - 1).fill(slice()), s]);
/** Length of the last axis as a float scalar (static when known). */
const lastLength = (x: Variable, plus = 0): Variable | number => {
  const d = x.type.shape[x.ndim - 1];
  return d !== null ? d + plus : add(cast(shapeI(x, x.ndim - 1), x.dtype), plus);
};

/** K-simplex ↔ ℝ^(K−1): y = log x[:-1] − mean(log x), x = softmax([y, −Σy]). */
export const simplexTransform: Transform = {
  name: "simplex",
  ndimSupp: 1,
  valueShape: (shape) => [...shape.slice(0, -1), shape[shape.length - 1] === null ? null : (shape[shape.length - 1] as number) - 1],
  forward: (x) => {
    const lx = log(x);
    const shift = div(sum(lx, { axis: -1, keepdims: true }), lastLength(x));
    return sub(last(lx, slice(null, -1)), shift);
  },
  backward: (y) => softmax(concatenate([y, neg(sum(y, { axis: -1, keepdims: true }))], { axis: -1 }), { axis: -1 }),
  // log K + K·Σy − K·logsumexp([y + Σy, 0]), from the Jacobian of the softmax parametrization
  logJacDet: (y) => {
    const K = lastLength(y, 1);
    const s = sum(y, { axis: -1, keepdims: true });
    const expanded = concatenate([add(y, s), zerosLike(s)], { axis: -1 });
    const res = sub(add(log(K), mul(K, s)), mul(K, logsumexp(expanded, { axis: -1, keepdims: true })));
    return sum(res, { axis: -1 });
  },
};

/** Increasing vectors ↔ ℝ^K: y₀ = x₀, yᵢ = log(xᵢ − xᵢ₋₁). */
export const orderedTransform: Transform = {
  name: "ordered",
  ndimSupp: 1,
  forward: (x) => concatenate([last(x, slice(0, 1)), log(sub(last(x, slice(1, null)), last(x, slice(null, -1))))], { axis: -1 }),
  backward: (y) => cumsum(concatenate([last(y, slice(0, 1)), exp(last(y, slice(1, null)))], { axis: -1 }), { axis: -1 }),
  logJacDet: (y) => sum(last(y, slice(1, null)), { axis: -1 }),
};

/** Positive increasing vectors ↔ ℝ^K: every entry, the first included, through log. */
export const positiveOrderedTransform: Transform = {
  name: "positive_ordered",
  ndimSupp: 1,
  forward: (x) => concatenate([log(last(x, slice(0, 1))), log(sub(last(x, slice(1, null)), last(x, slice(null, -1))))], { axis: -1 }),
  backward: (y) => cumsum(exp(y), { axis: -1 }),
  logJacDet: (y) => sum(y, { axis: -1 }),
};

/** Apply transforms in order: forward t₁ then t₂ …; the Jacobian terms add up. */
export function chain(...ts: Transform[]): Transform {
  if (ts.length === 0) throw new TypeError("chain: needs at least one transform");
  const ndimSupp = Math.max(...ts.map((t) => t.ndimSupp));
  return {
    name: ts.map((t) => t.name).join("_"),
    ndimSupp,
    valueShape: (shape) => ts.reduce((s, t) => (t.valueShape ? t.valueShape(s) : [...s]), [...shape]),
    forward: (x) => ts.reduce((v, t) => t.forward(v), x),
    backward: (y) => ts.reduceRight((v, t) => t.backward(v), y),
    logJacDet: (y) => {
      let total: Variable | null = null;
      let v = y;
      for (let k = ts.length - 1; k >= 0; k--) {
        const t = ts[k];
        let term = t.logJacDet(v);
        // an elementwise term under a vector transform sums over the support axis
        if (t.ndimSupp < ndimSupp) term = sum(term, { axis: -1 });
        total = total ? add(total, term) : term;
        v = t.backward(v);
      }
      return total!;
    },
  };
}
