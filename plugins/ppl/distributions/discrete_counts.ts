// Count families on 0, 1, 2, …: Poisson, NegativeBinomial (mu, alpha | n, p) and
// ZeroInflatedPoisson (PyMC's two-component mixture of a point mass at 0 and a Poisson).
import type { Variable } from "../../../core/graph.ts";
import { add, and, div, eq, ge, gt, lt, maximum, mul, neg, sub, switchOp } from "../../ops/elemwise.ts";
import { exp, floor, log, log1p, round, sigmoid } from "../../ops/elemwise_math.ts";
import { betainc, gammaincc } from "../../ops/elemwise_special.ts";
import type { DistributionSpec } from "./types.ts";
import { type Args, oneOf, param, sampleScalar } from "./common.ts";
import { binomln, factln, intMoment, logPowPair, logProbs, logaddexp, logpow, onSupport, unitInterval } from "./discrete_math.ts";
import { negativeBinomial, poisson } from "../rng/sample.ts";

/** log Poisson(x | mu) for whole x ≥ 0, with Poisson(0 | 0) = 1. */
function poissonLogp(x: Variable, mu: Variable): Variable {
  const lp = sub(sub(logpow(mu, x), factln(x)), mu);
  return switchOp(and(eq(mu, 0), eq(x, 0)), 0, lp);
}

/** log P(X ≤ x) = log Q(⌊x⌋ + 1, mu), the upper regularized incomplete gamma. */
function poissonLogcdf(x: Variable, mu: Variable): Variable {
  const k = floor(x);
  const safeK = maximum(k, 0), safeMu = maximum(mu, 0);
  return switchOp(lt(k, 0), -Infinity, log(gammaincc(add(safeK, 1), safeMu)));
}

export const Poisson: DistributionSpec = {
  name: "Poisson", rvName: "poisson", params: ["mu"], ndimsParams: [0], ndimSupp: 0, dtype: "int32",
  parametrize: (args, rv) => [param(args, "mu", rv)],
  sample: (g, params, out) => sampleScalar(g, params, out, poisson),
  logp: (x, [mu]) => onSupport(x, lt(x, 0), poissonLogp(x, mu)),
  logcdf: (x, [mu]) => poissonLogcdf(x, mu),
  checks: ([mu]) => [[ge(mu, 0), "mu >= 0"]],
  moment: ([mu], shape) => intMoment(floor(mu), shape),
};

/** (n, p) from n | alpha and p | mu, as PyMC's get_n_p; p = n/(n+mu) is taken in logit space. */
function negBinomialNP(args: Args, rv: string): Variable[] {
  const n = oneOf(args, ["n", "alpha"], rv);
  if (!n) throw new TypeError(`${rv}: Incompatible parametrization. Must specify either alpha or n.`);
  const p = oneOf(args, ["p", "mu"], rv);
  if (!p) throw new TypeError(`${rv}: Incompatible parametrization. Must specify either mu or p.`);
  return [n[1], p[0] === "mu" ? sigmoid(sub(log(n[1]), log(p[1]))) : p[1]];
}

export const NegativeBinomial: DistributionSpec = {
  name: "NegativeBinomial", rvName: "nbinom", params: ["n", "p"], ndimsParams: [0, 0], ndimSupp: 0, dtype: "int32",
  parametrize: negBinomialNP,
  sample: (g, params, out) => sampleScalar(g, params, out, negativeBinomial),
  logp: (x, [n, p]) => {
    // past n = 1e10 the gammaln differences lose every digit: use the Poisson(mu) limit, as PyMC
    const [lp, l1mp] = logProbs(p);
    const mu = mul(n, exp(sub(l1mp, lp)));
    const limit = sub(sub(logpow(mu, x), mu), factln(x));
    const [success, failure] = logPowPair(p, n, x);
    const exact = add(add(binomln(sub(add(x, n), 1), x), failure), success);
    return onSupport(x, lt(x, 0), switchOp(gt(n, 1e10), limit, exact));
  },
  // P(X ≤ k) = I_p(n, k + 1)
  logcdf: (x, [n, p]) => {
    const k = floor(x);
    return switchOp(lt(k, 0), -Infinity, log(betainc(n, add(maximum(k, 0), 1), p)));
  },
  checks: ([n, p]) => [[unitInterval(p), "0 <= p <= 1"], [gt(n, 0), "n > 0"]],
  moment: ([n, p], shape) => intMoment(floor(div(mul(n, sub(1, p)), p)), shape),
};

export const ZeroInflatedPoisson: DistributionSpec = {
  name: "ZeroInflatedPoisson", rvName: "zero_inflated_poisson", params: ["psi", "mu"], ndimsParams: [0, 0], ndimSupp: 0, dtype: "int32",
  parametrize: (args, rv) => [param(args, "psi", rv), param(args, "mu", rv)],
  // with probability psi a Poisson(mu) draw, else the structural zero
  sample: (g, params, out) => sampleScalar(g, params, out, (g, psi, mu) => (g.nextDouble() < psi ? poisson(g, mu) : 0)),
  // the mixture logsumexp over [log(1−psi) + log δ₀(x), log psi + log Poisson(x | mu)]
  logp: (x, [psi, mu]) => {
    const fromPoisson = add(log(psi), poissonLogp(x, mu));
    const atZero = logaddexp(log1p(neg(psi)), fromPoisson);
    return onSupport(x, lt(x, 0), switchOp(eq(x, 0), atZero, fromPoisson));
  },
  logcdf: (x, [psi, mu]) => {
    const lc = logaddexp(log1p(neg(psi)), add(log(psi), poissonLogcdf(x, mu)));
    return switchOp(lt(x, 0), -Infinity, lc);
  },
  checks: ([psi, mu]) => [[unitInterval(psi), "0 <= psi <= 1"], [ge(mu, 0), "mu >= 0"]],
  // PyMC's mixture support point: the weights times the components' points, rounded
  moment: ([psi, mu], shape) => intMoment(round(mul(psi, floor(mu))), shape),
};

export const discreteCountsDistributions = { Poisson, NegativeBinomial, ZeroInflatedPoisson };
