// Continuous distributions with closed-form CDFs: Uniform, Flat, HalfFlat, Laplace, Logistic,
// Cauchy, HalfCauchy, Exponential, Weibull, LogNormal. Formulas and checks follow PyMC's
// pymc/distributions/continuous.py; a few CDF tails are rearranged to keep full precision.
import { type Variable, asVariable } from "../../../core/graph.ts";
import { abs, add, and, div, eq, ge, gt, le, lt, mul, neg, second, sign, sub, switchOp, zerosLike } from "../../ops/elemwise.ts";
import { arctan, exp, gammaln, log, log1mexp, log1p, pow, reciprocal, softplus, sqr } from "../../ops/elemwise_math.ts";
import { logNdtr, xlogy } from "../../ops/elemwise_special.ts";
import type { DistributionSpec } from "./types.ts";
import { type Args, oneOf, param, sampleScalar } from "./common.ts";
import { fillTo } from "./normal.ts";
import { interval, logTransform } from "../transforms/elementwise.ts";
import { cauchy, halfCauchy, laplace, logistic, lognormal, standardExponential, uniform, weibull } from "../rng/sample.ts";

const LOG_PI = Math.log(Math.PI);
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** `x` broadcast against the other parameters (PyMC's moments broadcast_arrays them). */
export function broadcastWith(x: Variable, ...others: Variable[]): Variable {
  return others.reduce((acc, o) => second(o, acc), x);
}

/**
 * sigma from sigma | <precision key> (tau for Normal-likes, lam for StudentT), default 1. A
 * negative precision gives a negative sigma, so the `sigma > 0` check still catches it (PyMC does
 * the same in get_tau_sigma).
 */
export function sigmaOr(args: Args, precision: string, rv: string): Variable {
  const alt = oneOf(args, ["sigma", precision], rv);
  if (!alt) return param(args, "sigma", rv, 1);
  return alt[0] === "sigma" ? alt[1] : mul(pow(abs(alt[1]), -0.5), sign(alt[1]));
}

export const Uniform: DistributionSpec = {
  name: "Uniform", rvName: "uniform_rv", params: ["lower", "upper"], ndimsParams: [0, 0], ndimSupp: 0, dtype: "float64",
  parametrize: (args, rv) => [param(args, "lower", rv, 0), param(args, "upper", rv, 1)],
  sample: (g, params, out) => sampleScalar(g, params, out, uniform),
  logp: (x, [lower, upper]) => switchOp(and(ge(x, lower), le(x, upper)), neg(log(sub(upper, lower))), -Infinity),
  logcdf: (x, [lower, upper]) =>
    switchOp(lt(x, lower), -Infinity, switchOp(lt(x, upper), sub(log(sub(x, lower)), log(sub(upper, lower))), 0)),
  checks: ([lower, upper]) => [[le(lower, upper), "lower <= upper"]],
  moment: ([lower, upper], shape) => fillTo(div(add(lower, upper), 2), shape),
  transform: ([lower, upper]) => interval(lower, upper),
};

/** The improper uniform density on ℝ; it cannot be sampled (as in PyMC). */
export const Flat: DistributionSpec = {
  name: "Flat", rvName: "flat_rv", params: [], ndimsParams: [], ndimSupp: 0, dtype: "float64",
  parametrize: () => [],
  sample: () => {
    throw new Error("Flat: cannot sample from an improper flat distribution");
  },
  logp: (x) => zerosLike(x),
  logcdf: (x) => switchOp(eq(x, -Infinity), -Infinity, switchOp(eq(x, Infinity), 0, Math.log(0.5))),
  moment: (_p, shape) => fillTo(asVariable(0, "float64"), shape),
};

/** The improper uniform density on [0, ∞); it cannot be sampled (as in PyMC). */
export const HalfFlat: DistributionSpec = {
  name: "HalfFlat", rvName: "half_flat_rv", params: [], ndimsParams: [], ndimSupp: 0, dtype: "float64",
  parametrize: () => [],
  sample: () => {
    throw new Error("HalfFlat: cannot sample from an improper flat distribution");
  },
  logp: (x) => switchOp(lt(x, 0), -Infinity, zerosLike(x)),
  logcdf: (x) => switchOp(eq(x, Infinity), 0, -Infinity),
  moment: (_p, shape) => fillTo(asVariable(1, "float64"), shape),
  transform: () => logTransform,
};

export const Laplace: DistributionSpec = {
  name: "Laplace", rvName: "laplace_rv", params: ["mu", "b"], ndimsParams: [0, 0], ndimSupp: 0, dtype: "float64",
  parametrize: (args, rv) => [param(args, "mu", rv), param(args, "b", rv)],
  sample: (g, params, out) => sampleScalar(g, params, out, laplace),
  logp: (x, [mu, b]) => sub(neg(log(mul(2, b))), div(abs(sub(x, mu)), b)),
  // log1p(−½e^−y) on the right for all y > 0 (PyMC switches to it only for y > 1)
  logcdf: (x, [mu, b]) => {
    const y = div(sub(x, mu), b);
    return switchOp(le(x, mu), sub(y, Math.LN2), log1p(mul(-0.5, exp(neg(y)))));
  },
  checks: ([, b]) => [[gt(b, 0), "b > 0"]],
  moment: ([mu, b], shape) => fillTo(broadcastWith(mu, b), shape),
};

export const Logistic: DistributionSpec = {
  name: "Logistic", rvName: "logistic_rv", params: ["mu", "s"], ndimsParams: [0, 0], ndimSupp: 0, dtype: "float64",
  parametrize: (args, rv) => [param(args, "mu", rv, 0), param(args, "s", rv, 1)],
  sample: (g, params, out) => sampleScalar(g, params, out, logistic),
  // −z − log s − 2 log(1 + e^−z), written with |z| (the density is symmetric) and softplus so
  // that e^−z never overflows and z = ±∞ gives −∞ rather than ∞ − ∞
  logp: (x, [mu, s]) => {
    const z = abs(div(sub(x, mu), s));
    return sub(sub(neg(z), log(s)), mul(2, softplus(neg(z))));
  },
  logcdf: (x, [mu, s]) => neg(softplus(neg(div(sub(x, mu), s)))),
  checks: ([, s]) => [[gt(s, 0), "s > 0"]],
  moment: ([mu, s], shape) => fillTo(broadcastWith(mu, s), shape),
};

/** log(1 + z²), as 2 log|z| + log1p(z⁻²) past |z| = 1 so that z² cannot overflow. */
function log1pSquare(z: Variable): Variable {
  const big = gt(abs(z), 1);
  const zb = switchOp(big, z, 2);
  return switchOp(big, add(mul(2, log(abs(zb))), log1p(pow(zb, -2))), log1p(sqr(z)));
}

/** log(½ + arctan(z)/π) without the cancellation of ½ + arctan(z)/π in either tail. */
function cauchyLogcdf(z: Variable): Variable {
  // for z < 0, ½ + arctan(z)/π = arctan(−1/z)/π; for z ≥ 0 it is 1 − arctan(1/z)/π
  return switchOp(lt(z, 0), sub(log(arctan(neg(reciprocal(z)))), LOG_PI), log1p(neg(div(arctan(reciprocal(z)), Math.PI))));
}

export const Cauchy: DistributionSpec = {
  name: "Cauchy", rvName: "cauchy_rv", params: ["alpha", "beta"], ndimsParams: [0, 0], ndimSupp: 0, dtype: "float64",
  parametrize: (args, rv) => [param(args, "alpha", rv), param(args, "beta", rv)],
  sample: (g, params, out) => sampleScalar(g, params, out, cauchy),
  logp: (x, [alpha, beta]) => sub(sub(-LOG_PI, log(beta)), log1pSquare(div(sub(x, alpha), beta))),
  logcdf: (x, [alpha, beta]) => cauchyLogcdf(div(sub(x, alpha), beta)),
  checks: ([, beta]) => [[gt(beta, 0), "beta > 0"]],
  moment: ([alpha, beta], shape) => fillTo(broadcastWith(alpha, beta), shape),
};

export const HalfCauchy: DistributionSpec = {
  name: "HalfCauchy", rvName: "halfcauchy_rv", params: ["beta"], ndimsParams: [0], ndimSupp: 0, dtype: "float64",
  parametrize: (args, rv) => [param(args, "beta", rv)],
  sample: (g, params, out) => sampleScalar(g, params, out, halfCauchy),
  logp: (x, [beta]) => {
    const lp = sub(sub(Math.LN2 - LOG_PI, log(beta)), log1pSquare(div(x, beta)));
    return switchOp(ge(x, 0), lp, -Infinity);
  },
  // (2/π)·arctan(z), written as 1 − (2/π)·arctan(1/z) past z = 1 so the right tail keeps its digits
  logcdf: (x, [beta]) => {
    const z = div(x, beta);
    const body = switchOp(gt(z, 1), log1p(mul(-2 / Math.PI, arctan(reciprocal(z)))), log(mul(2 / Math.PI, arctan(z))));
    return switchOp(lt(x, 0), -Infinity, body);
  },
  checks: ([beta]) => [[gt(beta, 0), "beta > 0"]],
  moment: ([beta], shape) => fillTo(beta, shape),
  transform: () => logTransform,
};

/** Parametrized by lam | scale (default scale 1); the canonical parameter is the scale, `mu` in PyMC. */
export const Exponential: DistributionSpec = {
  name: "Exponential", rvName: "exponential_rv", params: ["mu"], ndimsParams: [0], ndimSupp: 0, dtype: "float64",
  parametrize: (args, rv) => {
    const alt = oneOf(args, ["lam", "scale"], rv);
    if (!alt) return [asVariable(1, "float64")];
    return [alt[0] === "lam" ? reciprocal(alt[1]) : alt[1]];
  },
  sample: (g, params, out) => sampleScalar(g, params, out, (g, mu) => mu * standardExponential(g)),
  logp: (x, [mu]) => switchOp(ge(x, 0), sub(neg(log(mu)), div(x, mu)), -Infinity),
  logcdf: (x, [mu]) => switchOp(lt(x, 0), -Infinity, log1mexp(neg(div(x, mu)))),
  checks: ([mu]) => [[ge(mu, 0), "mu >= 0"]],
  moment: ([mu], shape) => fillTo(mu, shape),
  transform: () => logTransform,
};

export const Weibull: DistributionSpec = {
  name: "Weibull", rvName: "weibull_rv", params: ["alpha", "beta"], ndimsParams: [0, 0], ndimSupp: 0, dtype: "float64",
  parametrize: (args, rv) => [param(args, "alpha", rv), param(args, "beta", rv)],
  sample: (g, params, out) => sampleScalar(g, params, out, weibull),
  // xlogy keeps (α − 1)·log(x/β) at 0 for α = 1, x = 0 (PyMC's product gives NaN there)
  logp: (x, [alpha, beta]) => {
    const z = div(x, beta);
    const lp = sub(sub(log(alpha), log(beta)), sub(pow(z, alpha), xlogy(sub(alpha, 1), z)));
    return switchOp(ge(x, 0), lp, -Infinity);
  },
  // log(1 − e^−t), t = (x/β)^α; below t = 1e-5 as log t − t/2 + t²/24, which survives t underflowing
  logcdf: (x, [alpha, beta]) => {
    const logT = mul(alpha, log(div(x, beta))), t = exp(logT);
    const small = add(sub(logT, mul(0.5, t)), div(sqr(t), 24));
    return switchOp(lt(x, 0), -Infinity, switchOp(lt(logT, -11.5), small, log1mexp(neg(t))));
  },
  checks: ([alpha, beta]) => [[gt(alpha, 0), "alpha > 0"], [gt(beta, 0), "beta > 0"]],
  moment: ([alpha, beta], shape) => fillTo(mul(beta, exp(gammaln(add(1, reciprocal(alpha))))), shape),
  transform: () => logTransform,
};

export const LogNormal: DistributionSpec = {
  name: "LogNormal", rvName: "lognormal_rv", params: ["mu", "sigma"], ndimsParams: [0, 0], ndimSupp: 0, dtype: "float64",
  parametrize: (args, rv) => [param(args, "mu", rv, 0), sigmaOr(args, "tau", rv)],
  sample: (g, params, out) => sampleScalar(g, params, out, lognormal),
  logp: (x, [mu, sigma]) => {
    const lx = log(x);
    const lp = sub(sub(sub(mul(-0.5, pow(div(sub(lx, mu), sigma), 2)), LOG_SQRT_2PI), log(sigma)), lx);
    return switchOp(gt(x, 0), lp, -Infinity);
  },
  logcdf: (x, [mu, sigma]) => switchOp(le(x, 0), -Infinity, logNdtr(div(sub(log(x), mu), sigma))),
  checks: ([, sigma]) => [[gt(sigma, 0), "sigma > 0"]],
  moment: ([mu, sigma], shape) => fillTo(exp(add(mu, mul(0.5, pow(sigma, 2)))), shape),
  transform: () => logTransform,
};

export const continuousDistributions = { Uniform, Flat, HalfFlat, Laplace, Logistic, Cauchy, HalfCauchy, Exponential, Weibull, LogNormal };
