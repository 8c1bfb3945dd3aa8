// Elementwise transforms to ℝ: log (positive), logodds ((0, 1)), interval (a, b) and one-sided
// bounds. Formulas as in PyMC's pymc/logprob/transforms.py.
import { type Variable, asVariable } from "../../../core/graph.ts";
import type { ArrayLike } from "../../../core/ndarray.ts";
import { add, mul, neg, sub } from "../../ops/elemwise.ts";
import { exp, log, logit, sigmoid, softplus } from "../../ops/elemwise_math.ts";
import type { Transform } from "./types.ts";

type Bound = Variable | ArrayLike;

export const logTransform: Transform = {
  name: "log",
  ndimSupp: 0,
  forward: (x) => log(x),
  backward: (y) => exp(y),
  logJacDet: (y) => y,
};

export const logoddsTransform: Transform = {
  name: "logodds",
  ndimSupp: 0,
  forward: (x) => logit(x),
  backward: (y) => sigmoid(y),
  // log σ(y) + log(1 − σ(y)), each as a stable softplus
  logJacDet: (y) => neg(add(softplus(neg(y)), softplus(y))),
};

/** (lower, upper) ↔ ℝ by a scaled logistic. */
export function interval(lower: Bound, upper: Bound): Transform {
  const a = asVariable(lower), b = asVariable(upper);
  return {
    name: "interval",
    ndimSupp: 0,
    forward: (x) => sub(log(sub(x, a)), log(sub(b, x))),
    backward: (y) => add(mul(sub(b, a), sigmoid(y)), a),
    logJacDet: (y) => sub(log(sub(b, a)), add(softplus(neg(y)), softplus(y))),
  };
}

/** (lower, ∞) ↔ ℝ: a shifted log. */
export function lowerBound(lower: Bound): Transform {
  const a = asVariable(lower);
  return { name: "lowerbound", ndimSupp: 0, forward: (x) => log(sub(x, a)), backward: (y) => add(exp(y), a), logJacDet: (y) => y };
}

/** (−∞, upper) ↔ ℝ: a reflected, shifted log. */
export function upperBound(upper: Bound): Transform {
  const b = asVariable(upper);
  return { name: "upperbound", ndimSupp: 0, forward: (x) => log(sub(b, x)), backward: (y) => sub(b, exp(y)), logJacDet: (y) => y };
}
