// Multivariate samplers: parameters are flat arrays, the draw is written into `out` (length k),
// e.g. a subarray of an NDArray's data, so a batch of draws allocates nothing.
import type { BitGenerator } from "./types.ts";
import { checkParam, logStandardGamma, standardGamma, standardNormal } from "./sample_continuous.ts";
import { binomial } from "./sample_discrete.ts";
import * as dm from "./detmath.ts";

/** A writable numeric vector (a typed array or number[]). */
export interface OutVec {
  readonly length: number;
  [i: number]: number;
}

/** Dirichlet(alpha): independent Gamma(alpha_i, 1) normalized. With any alpha_i < 1 the gammas are
 * normalized in log space (max-shifted), so even alpha ≈ 1e-3, where every U^{1/α} underflows, gives a
 * proper point of the simplex instead of 0/0. */
export function dirichlet(g: BitGenerator, alpha: ArrayLike<number>, out: OutVec): void {
  const k = alpha.length;
  checkLength("dirichlet", k, out.length);
  let small = false;
  for (let i = 0; i < k; i++) {
    checkParam(alpha[i] > 0, "dirichlet", `alpha[${i}] must be > 0`, alpha[i]);
    if (alpha[i] < 1) small = true;
  }
  let total = 0;
  if (!small) {
    for (let i = 0; i < k; i++) total += out[i] = standardGamma(g, alpha[i]);
  } else {
    let max = -Infinity;
    for (let i = 0; i < k; i++) max = Math.max(max, (out[i] = logStandardGamma(g, alpha[i])));
    for (let i = 0; i < k; i++) total += out[i] = dm.exp(out[i] - max);
  }
  for (let i = 0; i < k; i++) out[i] /= total;
}

/** Multinomial(n, p) by sequential conditional binomials: x_i ~ Binomial(n − Σ_{j<i} x_j, p_i / Σ_{j≥i} p_j).
 * `p` is normalized here; the last category takes what remains. */
export function multinomial(g: BitGenerator, n: number, p: ArrayLike<number>, out: OutVec): void {
  const k = p.length;
  checkLength("multinomial", k, out.length);
  checkParam(Number.isSafeInteger(n) && n >= 0, "multinomial", "n must be a non-negative integer", n);
  let rest = 0;
  for (let i = 0; i < k; i++) {
    checkParam(p[i] >= 0, "multinomial", `p[${i}] must be ≥ 0`, p[i]);
    rest += p[i];
  }
  checkParam(rest > 0 && rest < Infinity, "multinomial", "the probabilities must have a positive finite sum", rest);
  let left = n;
  for (let i = 0; i < k - 1; i++) {
    const x = left > 0 && rest > 0 ? binomial(g, left, Math.min(1, p[i] / rest)) : 0;
    out[i] = x;
    left -= x;
    rest -= p[i];
  }
  out[k - 1] = left;
}

/** MvNormal(mu, L Lᵀ) given the lower Cholesky factor `chol` (k×k, row-major; the upper triangle is
 * ignored): mu + L·z. z is written into `out` first and overwritten from the last row up, since row i
 * reads only z_0..z_i. */
export function multivariateNormal(g: BitGenerator, mu: ArrayLike<number>, chol: ArrayLike<number>, out: OutVec): void {
  const k = mu.length;
  checkLength("multivariateNormal", k, out.length);
  if (chol.length !== k * k) throw new RangeError(`multivariateNormal: chol has ${chol.length} entries, mu has length ${k}: expected ${k * k}`);
  for (let i = 0; i < k; i++) out[i] = standardNormal(g);
  for (let i = k - 1; i >= 0; i--) {
    let s = mu[i];
    for (let j = 0; j <= i; j++) s += chol[i * k + j] * out[j];
    out[i] = s;
  }
}

function checkLength(sampler: string, k: number, outLength: number): void {
  if (k === 0 || outLength !== k) throw new RangeError(`${sampler}: the parameter vector has length ${k}, out has length ${outLength}; need equal and ≥ 1`);
}
