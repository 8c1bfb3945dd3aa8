// Discrete families on finite or simple supports: Bernoulli, Binomial, Geometric,
// DiscreteUniform and Categorical, with PyMC's parametrizations, checks and support points.
import { Constant, type Variable } from "../../../core/graph.ts";
import { NDArray } from "../../../core/ndarray.ts";
import { add, div, eq, ge, gt, le, lt, maximum, minimum, mul, neg, onesLike, or, second, sub, switchOp } from "../../ops/elemwise.ts";
import { floor, log, log1mexp, log1p, round, sigmoid } from "../../ops/elemwise_math.ts";
import { argmax, sum } from "../../ops/reduce.ts";
import { softmax } from "../../ops/softmax.ts";
import { cumsum } from "../../ops/cumulative.ts";
import { expandDims } from "../../ops/dimshuffle.ts";
import { betainc } from "../../ops/elemwise_special.ts";
import type { DistributionSpec } from "./types.ts";
import { param, sampleScalar } from "./common.ts";
import { binomln, intMoment, isCloseTo, logPowPair, logProbs, logpow, normaliseConstantP, onSupport, probabilities, unitInterval } from "./discrete_math.ts";
import { coreOffsets } from "./multivariate_batch.ts";
import { bernoulli, binomial, categorical, discreteUniform, geometric } from "../rng/sample.ts";

const P_CHECK = "0 <= p <= 1";

export const Bernoulli: DistributionSpec = {
  name: "Bernoulli", rvName: "bernoulli", params: ["p"], ndimsParams: [0], ndimSupp: 0, dtype: "int32",
  parametrize: (args, rv) => [probabilities(args, rv, sigmoid)],
  sample: (g, params, out) => sampleScalar(g, params, out, bernoulli),
  logp: (x, [p]) => {
    const [lp, l1mp] = logProbs(p);
    return onSupport(x, or(lt(x, 0), gt(x, 1)), switchOp(eq(x, 1), lp, l1mp));
  },
  logcdf: (x, [p]) => switchOp(lt(x, 0), -Infinity, switchOp(lt(x, 1), logProbs(p)[1], 0)),
  checks: ([p]) => [[unitInterval(p), P_CHECK]],
  moment: ([p], shape) => intMoment(switchOp(lt(p, 0.5), 0, 1), shape),
};

export const Binomial: DistributionSpec = {
  name: "Binomial", rvName: "binomial", params: ["n", "p"], ndimsParams: [0, 0], ndimSupp: 0, dtype: "int32",
  parametrize: (args, rv) => [param(args, "n", rv), probabilities(args, rv, sigmoid)],
  sample: (g, params, out) => sampleScalar(g, params, out, binomial),
  logp: (x, [n, p]) => {
    const [success, failure] = logPowPair(p, x, sub(n, x));
    return onSupport(x, or(lt(x, 0), gt(x, n)), add(add(binomln(n, x), success), failure));
  },
  // P(X ≤ k) = I_{1−p}(n − k, k + 1) for 0 ≤ k < n
  logcdf: (x, [n, p]) => {
    const k = floor(x);
    const inner = switchOp(lt(k, n), log(betainc(maximum(sub(n, k), 1), add(maximum(k, 0), 1), sub(1, p))), 0);
    return switchOp(lt(k, 0), -Infinity, inner);
  },
  checks: ([n, p]) => [[ge(n, 0), "n >= 0"], [unitInterval(p), P_CHECK]],
  moment: ([n, p], shape) => intMoment(round(mul(n, p)), shape),
};

export const Geometric: DistributionSpec = {
  name: "Geometric", rvName: "geometric", params: ["p"], ndimsParams: [0], ndimSupp: 0, dtype: "int32",
  parametrize: (args, rv) => [param(args, "p", rv)],
  sample: (g, params, out) => sampleScalar(g, params, out, geometric),
  logp: (x, [p]) => onSupport(x, lt(x, 1), add(log(p), logpow(sub(1, p), sub(x, 1)))),
  // log(1 − (1−p)^⌊x⌋); PyMC does not floor, which is wrong between integers
  logcdf: (x, [p]) => {
    const k = floor(x);
    return switchOp(lt(k, 1), -Infinity, log1mexp(mul(log1p(neg(p)), maximum(k, 1))));
  },
  checks: ([p]) => [[unitInterval(p), P_CHECK]],
  moment: ([p], shape) => intMoment(round(div(1, p)), shape),
};

export const DiscreteUniform: DistributionSpec = {
  name: "DiscreteUniform", rvName: "discrete_uniform", params: ["lower", "upper"], ndimsParams: [0, 0], ndimSupp: 0, dtype: "int32",
  parametrize: (args, rv) => [floor(param(args, "lower", rv)), floor(param(args, "upper", rv))],
  sample: (g, params, out) => sampleScalar(g, params, out, discreteUniform),
  logp: (x, [lower, upper]) => onSupport(x, or(lt(x, lower), gt(x, upper)), second(x, neg(log(add(sub(upper, lower), 1))))),
  // PyMC tests x <= lower for −inf, which drops the mass at lower itself; scipy's randint agrees with x < lower
  logcdf: (x, [lower, upper]) => {
    const inner = sub(log(add(sub(minimum(floor(x), upper), lower), 1)), log(add(sub(upper, lower), 1)));
    return switchOp(lt(x, lower), -Infinity, switchOp(lt(x, upper), inner, 0));
  },
  checks: ([lower, upper]) => [[le(lower, upper), "lower <= upper"]],
  moment: ([lower, upper], shape) => intMoment(maximum(floor(div(add(upper, lower), 2)), lower), shape),
};

/** 0, 1, …, K−1 along p's last axis (a constant when K is static). */
function categories(p: Variable): Variable {
  const k = p.type.shape[p.ndim - 1];
  if (k !== null) return new Constant(NDArray.from(Array.from({ length: k }, (_, i) => i)));
  return sub(cumsum(onesLike(p), { axis: -1 }), 1);
}

/** K − 1, the last category, as a constant or a float graph. */
function lastCategory(p: Variable): Variable | number {
  const k = p.type.shape[p.ndim - 1];
  return k !== null ? k - 1 : sub(sum(onesLike(p), { axis: -1 }), 1);
}

export const Categorical: DistributionSpec = {
  name: "Categorical", rvName: "categorical", params: ["p"], ndimsParams: [1], ndimSupp: 0, dtype: "int32",
  parametrize: (args, rv) => {
    const p = probabilities(args, rv, (l) => softmax(l, { axis: -1 }));
    if (p.ndim < 1) throw new TypeError(`${rv}: p ${p.describe()} needs a last axis of categories`);
    return [normaliseConstantP(p, rv)];
  },
  sample: (g, [p], out) => {
    const k = p.shape[p.ndim - 1], offs = coreOffsets(p, 1, out.shape, "Categorical");
    for (let i = 0; i < out.size; i++) out.data[i] = categorical(g, p.data.subarray(offs[i], offs[i] + k));
  },
  // p[x] picked by comparing x with 0…K−1, so no gradient flows to the other entries' logs
  logp: (x, [p]) => {
    const hit = eq(expandDims(x, x.ndim), categories(p));
    const px = sum(switchOp(hit, p, 0), { axis: -1 });
    return onSupport(x, or(lt(x, 0), gt(x, lastCategory(p))), log(px));
  },
  logcdf: (x, [p]) => {
    const below = le(categories(p), expandDims(x, x.ndim));
    const cdf = log(sum(switchOp(below, p, 0), { axis: -1 }));
    return switchOp(lt(x, 0), -Infinity, switchOp(ge(x, lastCategory(p)), 0, cdf));
  },
  checks: ([p]) => [[unitInterval(p), P_CHECK], [isCloseTo(sum(p, { axis: -1 }), 1), "sum(p) = 1"]],
  moment: ([p], shape) => intMoment(argmax(p, { axis: -1 }), shape),
};

export const discreteDistributions = { Bernoulli, Binomial, Geometric, DiscreteUniform, Categorical };
