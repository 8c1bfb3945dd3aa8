// Log-mass building blocks shared by the discrete families (PyMC's dist_math): x·log p with the
// 0·log 0 = 0 convention, log-factorials and log-binomial coefficients through gammaln, the
// "outside the support or not an integer → −inf" guard, and moments filled to the draw's shape.
import { Constant, type Variable, isConstant } from "../../../core/graph.ts";
import { isFloat } from "../../../core/types.ts";
import { abs, add, and, cast, eq, ge, le, maximum, mul, neg, neq, or, sub, switchOp } from "../../ops/elemwise.ts";
import { Sigmoid, exp, floor, gammaln, log, log1p, softplus } from "../../ops/elemwise_math.ts";
import { Elemwise } from "../../ops/elemwise_base.ts";
import { broadcastTo } from "../../ops/broadcast.ts";
import { type Args, oneOf } from "./common.ts";

/** m·log x, with 0·log 0 = 0 and m·log 0 = −inf otherwise (PyMC's logpow). */
export function logpow(x: Variable, m: Variable): Variable {
  return switchOp(eq(x, 0), switchOp(eq(m, 0), 0, -Infinity), mul(m, log(x)));
}

/** w when p = sigmoid(w) (p given as logit_p), else null. */
export function logitOf(p: Variable): Variable | null {
  const op = p.owner?.op;
  return op instanceof Elemwise && op.scalar === Sigmoid ? p.owner!.inputs[0] : null;
}

/**
 * [x·log p, y·log(1 − p)] with 0·log 0 = 0. For p = sigmoid(w) the logs are −softplus(∓w), so
 * extreme logits keep their digits (PyMC gets the same from its stabilizing rewrites).
 */
export function logPowPair(p: Variable, x: Variable, y: Variable): [Variable, Variable] {
  const w = logitOf(p);
  if (w) return [mul(x, neg(softplus(neg(w)))), mul(y, neg(softplus(w)))];
  return [logpow(p, x), logpow(sub(1, p), y)];
}

/** [log p, log(1 − p)], through softplus for p = sigmoid(w). */
export function logProbs(p: Variable): [Variable, Variable] {
  const w = logitOf(p);
  return w ? [neg(softplus(neg(w))), neg(softplus(w))] : [log(p), log1p(neg(p))];
}

/** log x! = gammaln(x + 1). */
export const factln = (x: Variable): Variable => gammaln(add(x, 1));

/** log C(n, k) = gammaln(n+1) − gammaln(k+1) − gammaln(n−k+1). */
export function binomln(n: Variable, k: Variable): Variable {
  return sub(sub(gammaln(add(n, 1)), gammaln(add(k, 1))), gammaln(add(sub(n, k), 1)));
}

/** log(eᵃ + eᵇ), exact when one side is −inf. */
export function logaddexp(a: Variable, b: Variable): Variable {
  const m = maximum(a, b);
  const d = abs(sub(a, b));
  return switchOp(eq(d, Infinity), m, add(m, log1p(exp(mul(d, -1)))));
}

/** True where a float value is not a whole number (int32 values never are). */
export function notInteger(x: Variable): Variable | null {
  return isFloat(x.dtype) ? neq(floor(x), x) : null;
}

/** `lp` where the value is a whole number inside the support, −inf elsewhere. */
export function onSupport(x: Variable, outside: Variable, lp: Variable): Variable {
  const frac = notInteger(x);
  return switchOp(frac ? or(outside, frac) : outside, -Infinity, lp);
}

/** 0 ≤ p ≤ 1 as a bool tensor (PyMC spells the message "0 <= p <= 1"). */
export const unitInterval = (p: Variable): Variable => and(ge(p, 0), le(p, 1));

/** A moment of the draw's shape and integer dtype (shape entries may be unknown). */
export function intMoment(v: Variable, shape: readonly (number | null)[]): Variable {
  const filled = shape.every((d) => d !== null) && shape.length >= v.ndim ? broadcastTo(v, shape as number[]) : v;
  return cast(filled, "int32");
}

/** p from p | logit_p (sigmoid for one probability, softmax over the last axis for several). */
export function probabilities(args: Args, rv: string, fromLogits: (l: Variable) => Variable): Variable {
  const alt = oneOf(args, ["p", "logit_p"], rv);
  if (!alt) throw new TypeError(`${rv}: Incompatible parametrization. Must specify either p or logit_p.`);
  return alt[0] === "logit_p" ? fromLogits(alt[1]) : alt[1];
}

/**
 * Constant probability vectors are checked and normalised where they are written, as PyMC's
 * Categorical and Multinomial do: a negative entry is an error, rows not summing to 1 (numpy's
 * isclose) are rescaled. Symbolic p is left to the logp check "sum(p) = 1".
 */
export function normaliseConstantP(p: Variable, rv: string): Variable {
  if (!isConstant(p)) return p;
  const a = p.value, k = a.shape[a.ndim - 1] ?? 1;
  if (a.ndim === 0) throw new TypeError(`${rv}: p must have at least one dimension (the categories), got a scalar`);
  const vals = Array.from(a.data, Number);
  if (vals.some((v) => v < 0)) throw new RangeError(`${rv}: Negative \`p\` parameters are not valid, got: [${vals.join(", ")}]`);
  const rows = a.size / k;
  let needs = false;
  const sums: number[] = [];
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += a.data[r * k + j];
    sums.push(s);
    if (!isClose(s, 1)) needs = true;
  }
  if (!needs) return p;
  const out = a.copy();
  for (let r = 0; r < rows; r++) for (let j = 0; j < k; j++) out.data[r * k + j] = a.data[r * k + j] / sums[r];
  return new Constant(out);
}

/** numpy.isclose(a, b) with its defaults rtol 1e-5, atol 1e-8. */
export function isClose(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-8 + 1e-5 * Math.abs(b);
}

/** The symbolic numpy.isclose(x, b) with the same defaults. */
export function isCloseTo(x: Variable, b: number): Variable {
  return le(abs(sub(x, b)), 1e-8 + 1e-5 * Math.abs(b));
}
