// TruncatedNormal(mu, sigma, lower, upper) with PyMC's parametrization: a missing bound is a
// constant ±inf, and a bound known to be infinite when the graph is built drops out of the
// normalizer, the support checks and the transform (interval, lowerBound, upperBound or none).
import { Constant, type Variable, asVariable } from "../../../core/graph.ts";
import { add, div, eq, ge, gt, le, lt, mul, neg, not, or, sub, switchOp } from "../../ops/elemwise.ts";
import { erf, log, log1mexp, pow } from "../../ops/elemwise_math.ts";
import { logNdtr } from "../../ops/elemwise_special.ts";
import type { DistributionSpec } from "./types.ts";
import { truncatedNormal } from "../rng/sample.ts";
import { param, sampleScalar } from "./common.ts";
import { fillTo } from "./normal.ts";
import { broadcastWith, sigmaOr } from "./continuous.ts";
import { interval, lowerBound, upperBound } from "../transforms/elementwise.ts";

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** A constant whose every entry is `value` (how PyMC decides a bound is absent). */
function constantAll(v: Variable, value: number): boolean {
  return v instanceof Constant && v.value.size > 0 && Array.from(v.value.data as ArrayLike<number>).every((x) => x === value);
}
const bounded = (lower: Variable, upper: Variable) => ({ lb: !constantAll(lower, -Infinity), ub: !constantAll(upper, Infinity) });

/** log Z, the normal mass between the bounds; null when neither bound is finite. */
function logNormalizer(mu: Variable, sigma: Variable, lower: Variable, upper: Variable): Variable | null {
  const { lb, ub } = bounded(lower, upper);
  const std = (v: Variable) => div(sub(v, mu), sigma);
  return lb && ub ? logDiffNdtr(std(upper), std(lower)) : lb ? logNdtr(neg(std(lower))) : ub ? logNdtr(std(upper)) : null;
}

/**
 * log(Φ(hi) − Φ(lo)) for hi ≥ lo, standardized. Both in the right tail: through the survival
 * function Φ(−·); both in the left: through log Φ; straddling 0 the erf difference has no
 * cancellation. The straddling branch gets harmless inputs elsewhere, so its gradient stays finite
 * (0·∞ would turn the switch's zero into NaN).
 */
export function logDiffNdtr(hi: Variable, lo: Variable): Variable {
  const right = ge(lo, 0), left = le(hi, 0);
  const rightVal = add(logNdtr(neg(lo)), log1mexp(sub(logNdtr(neg(hi)), logNdtr(neg(lo)))));
  const leftVal = add(logNdtr(hi), log1mexp(sub(logNdtr(lo), logNdtr(hi))));
  const mid = not(or(right, left));
  const hiM = switchOp(mid, hi, 1), loM = switchOp(mid, lo, -1);
  const midVal = log(mul(0.5, sub(erf(mul(hiM, Math.SQRT1_2)), erf(mul(loM, Math.SQRT1_2)))));
  return switchOp(right, rightVal, switchOp(left, leftVal, midVal));
}

export const TruncatedNormal: DistributionSpec = {
  name: "TruncatedNormal", rvName: "truncated_normal_rv", params: ["mu", "sigma", "lower", "upper"],
  ndimsParams: [0, 0, 0, 0], ndimSupp: 0, dtype: "float64",
  parametrize: (args, rv) => [
    param(args, "mu", rv, 0),
    sigmaOr(args, "tau", rv),
    args.lower === undefined ? asVariable(-Infinity, "float64") : param(args, "lower", rv),
    args.upper === undefined ? asVariable(Infinity, "float64") : param(args, "upper", rv),
  ],
  sample: (g, params, out) => sampleScalar(g, params, out, truncatedNormal),
  logp: (x, [mu, sigma, lower, upper]) => {
    const { lb, ub } = bounded(lower, upper);
    const norm = logNormalizer(mu, sigma, lower, upper);
    let lp = sub(sub(mul(-0.5, pow(div(sub(x, mu), sigma), 2)), LOG_SQRT_2PI), log(sigma));
    if (norm) lp = sub(lp, norm);
    if (lb) lp = switchOp(lt(x, lower), -Infinity, lp);
    if (ub) lp = switchOp(gt(x, upper), -Infinity, lp);
    return lp;
  },
  logcdf: (x, [mu, sigma, lower, upper]) => {
    const { lb, ub } = bounded(lower, upper);
    const std = (v: Variable) => div(sub(v, mu), sigma);
    const z = std(x), norm = logNormalizer(mu, sigma, lower, upper);
    // the log mass below x, and above x; log F is taken from the first while F < ½, else as
    // log(1 − mass above), so a CDF within rounding of 1 keeps its tiny negative log
    let below = lb ? logDiffNdtr(z, std(lower)) : logNdtr(z);
    let above = ub ? logDiffNdtr(std(upper), z) : logNdtr(neg(z));
    if (norm) [below, above] = [sub(below, norm), sub(above, norm)];
    const low = lt(below, -Math.LN2);
    let lc = switchOp(low, below, log1mexp(switchOp(low, -1, above)));
    if (lb) lc = switchOp(lt(x, lower), -Infinity, lc);
    if (ub) lc = switchOp(le(x, upper), lc, 0);
    return lc;
  },
  checks: ([, sigma, lower, upper]) => [[gt(sigma, 0), "sigma > 0"], [le(lower, upper), "lower_bound <= upper_bound"]],
  // PyMC's support point: mu, one unit inside a single bound, or the midpoint of two
  moment: ([mu, sigma, lower, upper], shape) => {
    const [m, lo, hi] = [broadcastWith(mu, sigma, lower, upper), broadcastWith(lower, mu), broadcastWith(upper, mu)];
    const noLower = eq(lo, -Infinity), noUpper = eq(hi, Infinity);
    const pt = switchOp(noLower, switchOp(noUpper, m, sub(hi, 1)), switchOp(noUpper, add(lo, 1), div(add(lo, hi), 2)));
    return fillTo(pt, shape);
  },
  transform: ([, , lower, upper]) => {
    const { lb, ub } = bounded(lower, upper);
    return lb && ub ? interval(lower, upper) : lb ? lowerBound(lower) : ub ? upperBound(upper) : null;
  },
};

export const truncatedDistributions = { TruncatedNormal };
