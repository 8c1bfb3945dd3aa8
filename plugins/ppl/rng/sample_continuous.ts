// Continuous samplers: pure functions of a BitGenerator and scalar parameters, parametrized as the
// matching PyMC distribution. Where numpy's Generator has the same algorithm (uniform, the
// ziggurat normal and exponential, Marsaglia–Tsang gamma for shape ≥ 1, chi-square, Student t,
// Cauchy, Laplace, logistic, lognormal) the stream is consumed in numpy's order, so draws track
// numpy's to rounding. Invalid parameters throw a RangeError naming the sampler and parameter.
// exp/log/pow come from ./detmath.ts, not Math, so draws are bit-identical on every JS engine.
import type { BitGenerator } from "./types.ts";
import { openUniform, standardExponential, standardNormal } from "./ziggurat.ts";
import * as dm from "./detmath.ts";

export { openUniform, standardExponential, standardNormal } from "./ziggurat.ts";

const SQRT_2PI = 2.5066282746310002;
const SQRT_E = 1.6487212707001282;

/** Throw unless `ok` (written so that NaN parameters fail too). */
export function checkParam(ok: boolean, sampler: string, what: string, value: number): void {
  if (!ok) throw new RangeError(`${sampler}: ${what}, got ${value}`);
}

/** U(lower, upper): lower + (upper − lower)·U, exactly numpy's `uniform`. */
export function uniform(g: BitGenerator, lower: number, upper: number): number {
  checkParam(Number.isFinite(upper - lower), "uniform", "needs finite bounds; upper − lower", upper - lower);
  return lower + (upper - lower) * g.nextDouble();
}

export function normal(g: BitGenerator, mu: number, sigma: number): number {
  checkParam(sigma >= 0, "normal", "sigma must be ≥ 0", sigma);
  return mu + sigma * standardNormal(g);
}

export function halfNormal(g: BitGenerator, sigma: number): number {
  checkParam(sigma >= 0, "halfNormal", "sigma must be ≥ 0", sigma);
  return sigma * Math.abs(standardNormal(g));
}

export function lognormal(g: BitGenerator, mu: number, sigma: number): number {
  checkParam(sigma >= 0, "lognormal", "sigma must be ≥ 0", sigma);
  return dm.exp(mu + sigma * standardNormal(g));
}

/** Exponential with rate `lam` (PyMC's Exponential(lam)). */
export function exponential(g: BitGenerator, lam: number): number {
  checkParam(lam > 0, "exponential", "lam must be > 0", lam);
  return standardExponential(g) / lam;
}

/** Gamma(alpha, 1). Marsaglia–Tsang (2000) squeeze-rejection on a cubed normal for alpha ≥ 1, as numpy;
 * for alpha < 1 their boost Γ(α) = Γ(α+1)·U^{1/α}; alpha = 1 is an exponential, alpha = 0 gives 0. */
export function standardGamma(g: BitGenerator, alpha: number): number {
  checkParam(alpha >= 0, "gamma", "alpha must be ≥ 0", alpha);
  if (alpha === 1) return standardExponential(g);
  if (alpha < 1) {
    if (alpha === 0) return 0;
    return marsagliaTsang(g, alpha + 1) * dm.pow(openUniform(g), 1 / alpha);
  }
  return marsagliaTsang(g, alpha);
}

/** log Gamma(alpha, 1), which stays finite when the draw itself underflows (alpha ≪ 1: U^{1/α} → 0);
 * Dirichlet and Beta normalize in log space with it. */
export function logStandardGamma(g: BitGenerator, alpha: number): number {
  checkParam(alpha > 0, "gamma", "alpha must be > 0", alpha);
  if (alpha >= 1) return dm.log(standardGamma(g, alpha));
  return dm.log(marsagliaTsang(g, alpha + 1)) + dm.log(openUniform(g)) / alpha;
}

function marsagliaTsang(g: BitGenerator, alpha: number): number {
  const d = alpha - 1 / 3, c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number, v: number;
    do {
      x = standardNormal(g);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = g.nextDouble();
    if (u < 1 - 0.0331 * (x * x) * (x * x)) return d * v;
    if (dm.log(u) < 0.5 * x * x + d * (1 - v + dm.log(v))) return d * v;
  }
}

/** Gamma with shape alpha and rate beta (PyMC's Gamma(alpha, beta)). */
export function gamma(g: BitGenerator, alpha: number, beta: number): number {
  checkParam(beta > 0, "gamma", "beta must be > 0", beta);
  return standardGamma(g, alpha) / beta;
}

/** InverseGamma(alpha, beta) = beta / Gamma(alpha, 1). */
export function inverseGamma(g: BitGenerator, alpha: number, beta: number): number {
  checkParam(alpha > 0, "inverseGamma", "alpha must be > 0", alpha);
  checkParam(beta > 0, "inverseGamma", "beta must be > 0", beta);
  return beta / standardGamma(g, alpha);
}

export function chiSquare(g: BitGenerator, nu: number): number {
  checkParam(nu > 0, "chiSquare", "nu must be > 0", nu);
  return 2 * standardGamma(g, nu / 2);
}

/** Beta(alpha, beta) = X/(X+Y) for independent gammas; below shape 1 as σ(log X − log Y), so tiny
 * shapes (where both gammas underflow to 0) still give a value, not 0/0. */
export function beta(g: BitGenerator, alpha: number, beta: number): number {
  checkParam(alpha > 0, "beta", "alpha must be > 0", alpha);
  checkParam(beta > 0, "beta", "beta must be > 0", beta);
  if (alpha >= 1 && beta >= 1) {
    const x = standardGamma(g, alpha);
    return x / (x + standardGamma(g, beta));
  }
  const lx = logStandardGamma(g, alpha);
  const d = logStandardGamma(g, beta) - lx;
  return d > 0 ? dm.exp(-d) / (1 + dm.exp(-d)) : 1 / (1 + dm.exp(d));
}

/** Standard Student t: √(ν/2)·Z/√Gamma(ν/2), numpy's `standard_t`. */
export function standardT(g: BitGenerator, nu: number): number {
  checkParam(nu > 0, "studentT", "nu must be > 0", nu);
  const z = standardNormal(g);
  return (Math.sqrt(nu / 2) * z) / Math.sqrt(standardGamma(g, nu / 2));
}

export function studentT(g: BitGenerator, nu: number, mu: number, sigma: number): number {
  checkParam(sigma >= 0, "studentT", "sigma must be ≥ 0", sigma);
  return mu + sigma * standardT(g, nu);
}

export function halfStudentT(g: BitGenerator, nu: number, sigma: number): number {
  checkParam(sigma >= 0, "halfStudentT", "sigma must be ≥ 0", sigma);
  return sigma * Math.abs(standardT(g, nu));
}

/** Cauchy(alpha, beta) (location, scale) as a ratio of normals, numpy's `standard_cauchy`. */
export function cauchy(g: BitGenerator, alpha: number, beta: number): number {
  checkParam(beta >= 0, "cauchy", "beta must be ≥ 0", beta);
  const n = standardNormal(g);
  return alpha + (beta * n) / standardNormal(g);
}

export function halfCauchy(g: BitGenerator, beta: number): number {
  checkParam(beta >= 0, "halfCauchy", "beta must be ≥ 0", beta);
  const n = standardNormal(g);
  return Math.abs((beta * n) / standardNormal(g));
}

/** Laplace(mu, b) by inversion of one open uniform, as numpy. */
export function laplace(g: BitGenerator, mu: number, b: number): number {
  checkParam(b >= 0, "laplace", "b must be ≥ 0", b);
  const u = openUniform(g);
  return u >= 0.5 ? mu - b * dm.log(2 - u - u) : mu + b * dm.log(u + u);
}

/** Logistic(mu, s) by inversion, as numpy. */
export function logistic(g: BitGenerator, mu: number, s: number): number {
  checkParam(s >= 0, "logistic", "s must be ≥ 0", s);
  const u = openUniform(g);
  return mu + s * dm.log(u / (1 - u));
}

/** Weibull(alpha, beta) (shape, scale) = beta·E^{1/alpha}, PyMC's `beta * rng.weibull(alpha)`. */
export function weibull(g: BitGenerator, alpha: number, beta: number): number {
  checkParam(alpha > 0, "weibull", "alpha must be > 0", alpha);
  checkParam(beta > 0, "weibull", "beta must be > 0", beta);
  return beta * dm.pow(standardExponential(g), 1 / alpha);
}

/** Normal(mu, sigma) truncated to [lower, upper] (either may be infinite), exact at any distance from
 * mu: Robert (1995) accept–reject on the standardized interval [a, b]. */
export function truncatedNormal(g: BitGenerator, mu: number, sigma: number, lower: number, upper: number): number {
  checkParam(sigma > 0, "truncatedNormal", "sigma must be > 0", sigma);
  checkParam(lower <= upper, "truncatedNormal", `needs lower ≤ upper; upper − lower`, upper - lower);
  if (lower === upper) return lower;
  const z = standardTruncatedNormal(g, (lower - mu) / sigma, (upper - mu) / sigma);
  return Math.min(upper, Math.max(lower, mu + sigma * z)); // the affine map may round past a bound
}

/** N(0,1) restricted to [a, b], a < b. */
export function standardTruncatedNormal(g: BitGenerator, a: number, b: number): number {
  if (b <= 0) return -awayFromZero(g, -b, -a);
  if (a >= 0) return awayFromZero(g, a, b);
  // a < 0 < b: normal rejection accepts Φ(b) − Φ(a); uniform proposal with ratio e^{−z²/2} accepts
  // √(2π)(Φ(b) − Φ(a))/(b − a): the better of the two.
  if (b - a >= SQRT_2PI) {
    for (;;) {
      const z = standardNormal(g);
      if (z >= a && z <= b) return z;
    }
  }
  for (;;) {
    const z = a + (b - a) * g.nextDouble();
    if (g.nextDouble() < dm.exp(-0.5 * z * z)) return z;
  }
}

/** N(0,1) on [a, b] with 0 ≤ a < b ≤ ∞: a shifted exponential proposal with Robert's optimal rate
 * λ = (a + √(a² + 4))/2, ratio e^{−(z−λ)²/2}; or, for an interval narrower than Robert's bound, a
 * uniform proposal with ratio e^{(a² − z²)/2}. */
function awayFromZero(g: BitGenerator, a: number, b: number): number {
  const s = Math.sqrt(a * a + 4);
  const lambda = (a + s) / 2;
  if (b - a < ((2 * SQRT_E) / (a + s)) * dm.exp((a * a - a * s) / 4)) {
    for (;;) {
      const z = a + (b - a) * g.nextDouble();
      if (g.nextDouble() < dm.exp(0.5 * (a - z) * (a + z))) return z;
    }
  }
  for (;;) {
    const z = a + standardExponential(g) / lambda;
    if (z > b) continue;
    const d = z - lambda;
    if (g.nextDouble() < dm.exp(-0.5 * d * d)) return z;
  }
}
