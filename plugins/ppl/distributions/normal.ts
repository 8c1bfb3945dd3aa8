// Normal and HalfNormal: the worked example of a distribution definition.
import type { Variable } from "../../../core/graph.ts";
import { add, div, gt, lt, mul, neg, sub, switchOp } from "../../ops/elemwise.ts";
import { erf, erfc, log, log1p, pow, sqrt } from "../../ops/elemwise_math.ts";
import { logNdtr } from "../../ops/elemwise_special.ts";
import { broadcastTo } from "../../ops/broadcast.ts";
import type { DistributionSpec } from "./types.ts";
import { oneOf, param, sampleScalar } from "./common.ts";
import { logTransform } from "../transforms/elementwise.ts";
import { standardNormal } from "../rng/sample.ts";

const LOG_SQRT_2PI = Math.log(Math.sqrt(2 * Math.PI));

/** sigma from sigma | tau (precision), default 1. */
function scale(args: Parameters<DistributionSpec["parametrize"]>[0], rvName: string): Variable {
  const alt = oneOf(args, ["sigma", "tau"], rvName);
  if (!alt) return param(args, "sigma", rvName, 1);
  return alt[0] === "tau" ? pow(alt[1], -0.5) : alt[1];
}

/** A constant-or-graph filled to `shape` (moments must have the draw's shape). */
export function fillTo(v: Variable, shape: readonly (number | null)[]): Variable {
  return shape.every((d) => d !== null) && shape.length >= v.ndim ? broadcastTo(v, shape as number[]) : v;
}

export const Normal: DistributionSpec = {
  name: "Normal", rvName: "normal_rv", params: ["mu", "sigma"], ndimsParams: [0, 0], ndimSupp: 0, dtype: "float64",
  parametrize: (args, rv) => [param(args, "mu", rv, 0), scale(args, rv)],
  sample: (g, params, out) => sampleScalar(g, params, out, (g, mu, sigma) => mu + sigma * standardNormal(g)),
  // −½((x−μ)/σ)² − log √(2π) − log σ, laid out as PyMC builds it (seed 003's dprint)
  logp: (x, [mu, sigma]) => sub(sub(mul(-0.5, pow(div(sub(x, mu), sigma), 2)), log(sqrt(2 * Math.PI))), log(sigma)),
  logcdf: (x, [mu, sigma]) => normalLogcdf(div(sub(x, mu), sigma)),
  checks: ([, sigma]) => [[gt(sigma, 0), "sigma > 0"]],
  moment: ([mu], shape) => fillTo(mu, shape),
};

export const HalfNormal: DistributionSpec = {
  name: "HalfNormal", rvName: "halfnormal_rv", params: ["loc", "sigma"], ndimsParams: [0, 0], ndimSupp: 0, dtype: "float64",
  parametrize: (args, rv) => [param(args, "loc", rv, 0), scale(args, rv)],
  sample: (g, params, out) => sampleScalar(g, params, out, (g, loc, sigma) => loc + sigma * Math.abs(standardNormal(g))),
  logp: (x, [loc, sigma]) => {
    const z = div(sub(x, loc), sigma);
    const lp = sub(sub(mul(-0.5, pow(z, 2)), LOG_SQRT_2PI - Math.LN2), log(sigma));
    return switchOp(lt(x, loc), -Infinity, lp);
  },
  logcdf: (x, [loc, sigma]) => {
    // log erf(z): erf itself below z = ½ (1 − erfc(z) would cancel near 0), log1p(−erfc(z))
    // above, where erf ≈ 1; each branch gets a harmless stand-in where it is not taken
    const z = div(sub(x, loc), mul(sigma, Math.SQRT2));
    const small = lt(z, 0.5);
    const body = switchOp(small, log(erf(switchOp(small, z, 0.5))), log1p(neg(erfc(switchOp(small, 0.5, z)))));
    return switchOp(lt(x, loc), -Infinity, body);
  },
  checks: ([, sigma]) => [[gt(sigma, 0), "sigma > 0"]],
  moment: ([loc, sigma], shape) => fillTo(add(loc, sigma), shape),
  transform: () => logTransform,
};

/** log Φ(z), accurate in both tails (the LogNdtr op). */
export function normalLogcdf(z: Variable): Variable {
  return logNdtr(z);
}
