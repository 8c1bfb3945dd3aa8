// Continuous distributions whose normalizers and CDFs need special functions: Gamma, InverseGamma
// (incomplete gamma), Beta, StudentT, HalfStudentT (incomplete beta, log B). Formulas and checks
// follow PyMC's pymc/distributions/continuous.py; xlogy keeps 0·log 0 = 0 at the support's edge.
import type { Variable } from "../../../core/graph.ts";
import { add, and, div, ge, gt, le, lt, mul, neg, sign, sub, switchOp } from "../../ops/elemwise.ts";
import { gammaln, log, log1p, reciprocal, sqr } from "../../ops/elemwise_math.ts";
import { betainc, betaln, gammainc, gammaincc, xlog1py, xlogy } from "../../ops/elemwise_special.ts";
import type { DistributionSpec } from "./types.ts";
import { type Args, param, sampleScalar } from "./common.ts";
import { fillTo } from "./normal.ts";
import { broadcastWith, sigmaOr } from "./continuous.ts";
import { logTransform, logoddsTransform } from "../transforms/elementwise.ts";
import { beta as betaDraw, halfStudentT, inverseGamma, standardGamma, studentT } from "../rng/sample.ts";

/** Which of the alternative groups of keyword arguments was given (exactly one must be complete). */
function pickGroup(args: Args, groups: readonly (readonly string[])[], rv: string): readonly string[] {
  const given = groups.filter((g) => g.every((k) => args[k] !== undefined));
  const names = groups.map((g) => g.join(" and ")).join(", or ");
  if (given.length === 0) throw new TypeError(`${rv}: incompatible parametrization; give ${names}`);
  if (given.length > 1) throw new TypeError(`${rv}: give only one of ${names}`);
  return given[0];
}

/**
 * log CDF from the CDF and the survival function: log(cdf) below ½, log1p(−sf) above, so a CDF
 * within rounding of 1 still gives its tiny negative log. Each branch sees a harmless stand-in
 * where it is not taken, so its gradient cannot turn the switch's zero into NaN.
 */
export function logCdfFrom(cdf: Variable, sf: Variable): Variable {
  const low = lt(cdf, 0.5);
  return switchOp(low, log(switchOp(low, cdf, 0.5)), log1p(neg(switchOp(low, 0.5, sf))));
}

/** Gamma's canonical parameters are (alpha, scale), as PyTensor's gamma op takes them. */
export const Gamma: DistributionSpec = {
  name: "Gamma", rvName: "gamma_rv", params: ["alpha", "scale"], ndimsParams: [0, 0], ndimSupp: 0, dtype: "float64",
  parametrize: (args, rv) => {
    const group = pickGroup(args, [["alpha", "beta"], ["mu", "sigma"]], rv);
    if (group[0] === "alpha") return [param(args, "alpha", rv), reciprocal(param(args, "beta", rv))];
    const mu = param(args, "mu", rv), sigma = param(args, "sigma", rv);
    // the sign of sigma keeps a negative sigma from passing as a valid alpha
    return [mul(div(sqr(mu), sqr(sigma)), sign(sigma)), div(sqr(sigma), mu)];
  },
  sample: (g, params, out) => sampleScalar(g, params, out, (g, alpha, scale) => scale * standardGamma(g, alpha)),
  logp: (x, [alpha, scale]) => {
    const beta = reciprocal(scale);
    const lp = add(sub(sub(xlogy(alpha, beta), gammaln(alpha)), mul(beta, x)), xlogy(sub(alpha, 1), x));
    return switchOp(ge(x, 0), lp, -Infinity);
  },
  logcdf: (x, [alpha, scale]) => {
    const z = div(x, scale);
    return switchOp(lt(x, 0), -Infinity, logCdfFrom(gammainc(alpha, z), gammaincc(alpha, z)));
  },
  checks: ([alpha, scale]) => [[gt(alpha, 0), "alpha > 0"], [gt(reciprocal(scale), 0), "beta > 0"]],
  moment: ([alpha, scale], shape) => fillTo(mul(alpha, scale), shape),
  transform: () => logTransform,
};

export const InverseGamma: DistributionSpec = {
  name: "InverseGamma", rvName: "invgamma_rv", params: ["alpha", "beta"], ndimsParams: [0, 0], ndimSupp: 0, dtype: "float64",
  parametrize: (args, rv) => {
    if (args.alpha !== undefined && args.mu === undefined && args.sigma === undefined) {
      return [param(args, "alpha", rv), param(args, "beta", rv, 1)];
    }
    pickGroup(args, [["alpha"], ["mu", "sigma"]], rv);
    const mu = param(args, "mu", rv), s2 = sqr(param(args, "sigma", rv));
    const alpha = mul(div(add(mul(2, s2), sqr(mu)), s2), sign(param(args, "sigma", rv)));
    return [alpha, div(mul(mu, add(sqr(mu), s2)), s2)];
  },
  sample: (g, params, out) => sampleScalar(g, params, out, inverseGamma),
  // support x > 0: at x = 0 the density's two infinite terms would meet, so it is cut off before them
  logp: (x, [alpha, beta]) => {
    const lp = sub(sub(xlogy(alpha, beta), gammaln(alpha)), sub(div(beta, x), xlogy(sub(neg(alpha), 1), x)));
    return switchOp(gt(x, 0), lp, -Infinity);
  },
  logcdf: (x, [alpha, beta]) => {
    const z = div(beta, x);
    return switchOp(le(x, 0), -Infinity, logCdfFrom(gammaincc(alpha, z), gammainc(alpha, z)));
  },
  checks: ([alpha, beta]) => [[gt(alpha, 0), "alpha > 0"], [gt(beta, 0), "beta > 0"]],
  // the mean where it exists (alpha > 1), else the mode
  moment: ([alpha, beta], shape) => fillTo(switchOp(gt(alpha, 1), div(beta, sub(alpha, 1)), div(beta, add(alpha, 1))), shape),
  transform: () => logTransform,
};

export const Beta: DistributionSpec = {
  name: "Beta", rvName: "beta_rv", params: ["alpha", "beta"], ndimsParams: [0, 0], ndimSupp: 0, dtype: "float64",
  parametrize: (args, rv) => {
    const group = pickGroup(args, [["alpha", "beta"], ["mu", "sigma"], ["mu", "nu"]], rv);
    if (group[0] === "alpha") return [param(args, "alpha", rv), param(args, "beta", rv)];
    const mu = param(args, "mu", rv);
    const kappa = group[1] === "sigma" ? sub(div(mul(mu, sub(1, mu)), sqr(param(args, "sigma", rv))), 1) : param(args, "nu", rv);
    return [mul(mu, kappa), mul(sub(1, mu), kappa)];
  },
  sample: (g, params, out) => sampleScalar(g, params, out, betaDraw),
  // log B(α, β) via betaln rather than three gammaln terms: no cancellation for large α, β
  logp: (x, [alpha, beta]) => {
    const lp = sub(add(xlogy(sub(alpha, 1), x), xlog1py(sub(beta, 1), neg(x))), betaln(alpha, beta));
    return switchOp(and(ge(x, 0), le(x, 1)), lp, -Infinity);
  },
  logcdf: (x, [alpha, beta]) => {
    const inside = logCdfFrom(betainc(alpha, beta, x), betainc(beta, alpha, sub(1, x)));
    return switchOp(lt(x, 0), -Infinity, switchOp(lt(x, 1), inside, 0));
  },
  checks: ([alpha, beta]) => [[gt(alpha, 0), "alpha > 0"], [gt(beta, 0), "beta > 0"]],
  moment: ([alpha, beta], shape) => fillTo(div(alpha, add(alpha, beta)), shape),
  transform: () => logoddsTransform,
};

/** log Γ((ν+1)/2) − log Γ(ν/2) − ½ log ν − log σ, through log B(ν/2, ½) so large ν keeps its digits. */
function studentTNorm(nu: Variable, sigma: Variable): Variable {
  return sub(sub(neg(betaln(mul(nu, 0.5), 0.5)), mul(0.5, log(nu))), log(sigma));
}

export const StudentT: DistributionSpec = {
  name: "StudentT", rvName: "t_rv", params: ["nu", "mu", "sigma"], ndimsParams: [0, 0, 0], ndimSupp: 0, dtype: "float64",
  parametrize: (args, rv) => [param(args, "nu", rv), param(args, "mu", rv, 0), sigmaOr(args, "lam", rv)],
  sample: (g, params, out) => sampleScalar(g, params, out, studentT),
  logp: (x, [nu, mu, sigma]) => {
    const z = div(sub(x, mu), sigma);
    return sub(studentTNorm(nu, sigma), mul(mul(add(nu, 1), 0.5), log1p(div(sqr(z), nu))));
  },
  // the tail beyond |z| is ½·I_{ν/(ν+z²)}(ν/2, ½); taking it directly (rather than PyMC's
  // I_x(ν/2, ν/2) with x = (z + √(z²+ν))/(2√(z²+ν))) avoids cancellation in both tails
  logcdf: (x, [nu, mu, sigma]) => {
    const z = div(sub(x, mu), sigma);
    const tail = mul(0.5, betainc(mul(nu, 0.5), 0.5, div(nu, add(nu, sqr(z)))));
    return switchOp(lt(z, 0), log(tail), log1p(neg(tail)));
  },
  checks: ([nu, , sigma]) => [[gt(nu, 0), "nu > 0"], [gt(sigma, 0), "sigma > 0"]],
  moment: ([nu, mu, sigma], shape) => fillTo(broadcastWith(mu, nu, sigma), shape),
};

export const HalfStudentT: DistributionSpec = {
  name: "HalfStudentT", rvName: "halfstudentt_rv", params: ["nu", "sigma"], ndimsParams: [0, 0], ndimSupp: 0, dtype: "float64",
  parametrize: (args, rv) => [param(args, "nu", rv), sigmaOr(args, "lam", rv)],
  sample: (g, params, out) => sampleScalar(g, params, out, halfStudentT),
  logp: (x, [nu, sigma]) => {
    const lp = sub(add(studentTNorm(nu, sigma), Math.LN2), mul(mul(add(nu, 1), 0.5), log1p(div(sqr(div(x, sigma)), nu))));
    return switchOp(lt(x, 0), -Infinity, lp);
  },
  checks: ([nu, sigma]) => [[gt(sigma, 0), "sigma > 0"], [gt(nu, 0), "nu > 0"]],
  moment: ([nu, sigma], shape) => fillTo(broadcastWith(sigma, nu), shape),
  transform: () => logTransform,
};

export const continuousSpecialDistributions = { Gamma, InverseGamma, Beta, StudentT, HalfStudentT };
