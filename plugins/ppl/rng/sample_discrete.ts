// Discrete samplers (integer results as numbers), parametrized as numpy / PyMC. Small means use
// inversion (sequential search from 0); large means use Hörmann's transformed rejection: BTRD for
// the binomial, PTRS for the Poisson (the latter consumes the stream exactly as numpy's does).
// exp/log come from ./detmath.ts, not Math, so draws are bit-identical on every JS engine.
import type { BitGenerator } from "./types.ts";
import { lgammaCorr } from "../../ops/special.ts";
import * as dm from "./detmath.ts";
import { checkParam, standardGamma } from "./sample_continuous.ts";

export function bernoulli(g: BitGenerator, p: number): number {
  checkParam(p >= 0 && p <= 1, "bernoulli", "p must be in [0, 1]", p);
  return g.nextDouble() < p ? 1 : 0;
}

/** Integers lower..upper inclusive, uniformly: Lemire's multiply-shift with rejection on numpy's
 * buffered 32-bit stream — the same draws as numpy's `integers(lower, upper + 1)`. */
export function discreteUniform(g: BitGenerator, lower: number, upper: number): number {
  const range = upper - lower;
  checkParam(Number.isSafeInteger(lower) && Number.isSafeInteger(upper) && range >= 0 && range <= 0xffffffff,
    "discreteUniform", "needs integers lower ≤ upper with upper − lower < 2^32; upper − lower", range);
  if (range === 0) return lower;
  if (range === 0xffffffff) return lower + g.nextUint32();
  const n = range + 1;
  let u = g.nextUint32();
  let leftover = Math.imul(u, n) >>> 0; // low 32 bits of u·n
  if (leftover < n) {
    const threshold = (0xffffffff - range) % n; // 2³² mod n
    while (leftover < threshold) {
      u = g.nextUint32();
      leftover = Math.imul(u, n) >>> 0;
    }
  }
  return lower + mulHigh32(u, n);
}

/** ⌊u·n / 2³²⌋ for uint32 u, n, exactly (u·n itself may exceed 2⁵³). */
function mulHigh32(u: number, n: number): number {
  const uh = u >>> 16, ul = u & 0xffff;
  return Math.floor((uh * n + Math.floor((ul * n) / 65536)) / 65536);
}

/** Categorical over indices 0..k−1 with weights `p` (normalized here): inversion by a linear scan. */
export function categorical(g: BitGenerator, p: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < p.length; i++) {
    checkParam(p[i] >= 0, "categorical", `p[${i}] must be ≥ 0`, p[i]);
    total += p[i];
  }
  checkParam(total > 0 && total < Infinity, "categorical", "the probabilities must have a positive finite sum", total);
  const u = g.nextDouble() * total;
  let acc = 0, last = 0;
  for (let i = 0; i < p.length; i++) {
    if (p[i] === 0) continue;
    acc += p[i];
    last = i;
    if (u < acc) return i;
  }
  return last; // u rounded past the accumulated total
}

/** Number of trials up to and including the first success, on {1, 2, …}: ⌊log V / log(1−p)⌋ + 1 with
 * V = 1 − U ∈ (0, 1], since P(K > k) = (1−p)^k. */
export function geometric(g: BitGenerator, p: number): number {
  checkParam(p > 0 && p <= 1, "geometric", "p must be in (0, 1]", p);
  return Math.floor(dm.log(1 - g.nextDouble()) / dm.log1p(-p)) + 1;
}

export function poisson(g: BitGenerator, mu: number): number {
  checkParam(mu >= 0 && mu < 1e15, "poisson", "mu must be in [0, 1e15)", mu);
  if (mu === 0) return 0;
  return mu < 10 ? poissonInversion(g, mu) : poissonPtrs(g, mu);
}

/** Sequential search from 0 on one uniform; a run past k = 200 (probability < 1e-150 for mu < 10,
 * reachable only through rounding) restarts. */
function poissonInversion(g: BitGenerator, mu: number): number {
  const p0 = dm.exp(-mu);
  for (;;) {
    let u = g.nextDouble(), p = p0, k = 0;
    while (u > p && k < 200) {
      u -= p;
      k++;
      p *= mu / k;
    }
    if (k < 200) return k;
  }
}

/** Hörmann (1993), "The transformed rejection method for generating Poisson random variables". */
function poissonPtrs(g: BitGenerator, mu: number): number {
  const slam = Math.sqrt(mu), loglam = dm.log(mu);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = g.nextDouble() - 0.5;
    const v = g.nextDouble();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + mu + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (dm.log(v) + dm.log(invalpha) - dm.log(a / (us * us) + b) <= -mu + k * loglam - logFactorial(k)) return k;
  }
}

export function binomial(g: BitGenerator, n: number, p: number): number {
  checkParam(Number.isSafeInteger(n) && n >= 0, "binomial", "n must be a non-negative integer", n);
  checkParam(p >= 0 && p <= 1, "binomial", "p must be in [0, 1]", p);
  if (p > 0.5) return n - binomialLow(g, n, 1 - p);
  return binomialLow(g, n, p);
}

function binomialLow(g: BitGenerator, n: number, p: number): number {
  if (n === 0 || p === 0) return 0;
  return n * p < 10 ? binomialInversion(g, n, p) : binomialBtrd(g, n, p);
}

/** Sequential search from 0 with f(k)/f(k−1) = (n−k+1)p/(kq); for np < 10, p ≤ ½ the start q^n ≥ e⁻²⁰.
 * A run past np + 10√(npq + 1) (probability < 1e-20) restarts, so rounding cannot run it to n. */
function binomialInversion(g: BitGenerator, n: number, p: number): number {
  const q = 1 - p, s = p / q, a = (n + 1) * s;
  const q0 = dm.exp(n * dm.log1p(-p));
  const bound = Math.min(n, n * p + 10 * Math.sqrt(n * p * q + 1));
  for (;;) {
    let u = g.nextDouble(), f = q0, k = 0;
    while (u > f && k <= bound) {
      u -= f;
      k++;
      f *= a / k - s;
    }
    if (k <= bound) return k;
  }
}

const LN_SQRT_2PI = 0.9189385332046728;
// log k! for k < 18 from the exact factorial (k! < 2⁵³)
const LOG_FACT_SMALL: number[] = [];
for (let k = 0, f = 1; k < 18; f *= ++k) LOG_FACT_SMALL.push(dm.log(f));

/** log k!: exact-factorial table, then Stirling with its remainder series (lgammaCorr, x ≥ 10). */
function logFactorial(k: number): number {
  if (k < 18) return LOG_FACT_SMALL[k];
  const x = k + 1;
  return (x - 0.5) * dm.log(x) - x + LN_SQRT_2PI + lgammaCorr(x);
}

/** log k! − Stirling's approximation of it, the fc(k) of BTRD. */
function stirlingTail(k: number): number {
  return k < 9 ? STIRLING_SMALL[k] : lgammaCorr(k + 1);
}
const STIRLING_SMALL = LOG_FACT_SMALL.slice(0, 9).map((lf, k) => lf - ((k + 0.5) * dm.log(k + 1) - (k + 1) + LN_SQRT_2PI));

/** Hörmann (1993), "The generation of binomial random variates" (BTRD): transformed rejection with a
 * decomposition, exact, O(1) expected time; for n·p ≥ 10, p ≤ ½. */
function binomialBtrd(g: BitGenerator, n: number, p: number): number {
  const q = 1 - p;
  const m = Math.floor((n + 1) * p);
  const r = p / q, nr = (n + 1) * r, npq = n * p * q;
  const sq = Math.sqrt(npq);
  const b = 1.15 + 2.53 * sq;
  const a = -0.0873 + 0.0248 * b + 0.01 * p;
  const c = n * p + 0.5;
  const alpha = (2.83 + 5.1 / b) * sq;
  const vr = 0.92 - 4.2 / b;
  const urvr = 0.86 * vr;
  let h = NaN; // step 3.3's constant, computed on first need
  for (;;) {
    let v = g.nextDouble();
    let u: number;
    if (v <= urvr) {
      u = v / vr - 0.43;
      return Math.floor(((2 * a) / (0.5 - Math.abs(u)) + b) * u + c);
    }
    if (v >= vr) {
      u = g.nextDouble() - 0.5;
    } else {
      u = v / vr - 0.93;
      u = Math.sign(u) * 0.5 - u;
      v = g.nextDouble() * vr;
    }
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + c);
    if (k < 0 || k > n) continue;
    v = (v * alpha) / (a / (us * us) + b);
    const km = Math.abs(k - m);
    if (km <= 15) {
      // f(k)/f(m) by the recurrence
      let f = 1;
      if (m < k) for (let i = m + 1; i <= k; i++) f *= nr / i - r;
      else if (m > k) for (let i = k + 1; i <= m; i++) v *= nr / i - r;
      if (v <= f) return k;
      continue;
    }
    // squeeze on log f(k)/f(m) ≈ −km²/(2npq), then the exact test with Stirling tails
    v = dm.log(v);
    const rho = (km / npq) * (((km / 3 + 0.625) * km + 1 / 6) / npq + 0.5);
    const t = (-km * km) / (2 * npq);
    if (v < t - rho) return k;
    if (v > t + rho) continue;
    const nm = n - m + 1;
    if (Number.isNaN(h)) h = (m + 0.5) * dm.log((m + 1) / (r * nm)) + stirlingTail(m) + stirlingTail(n - m);
    const nk = n - k + 1;
    if (v <= h + (n + 1) * dm.log(nm / nk) + (k + 0.5) * dm.log((nk * r) / (k + 1)) - stirlingTail(k) - stirlingTail(n - k)) return k;
  }
}

/** NegativeBinomial(n, p) (failures before the n-th success, real n > 0) as the Gamma–Poisson mixture
 * Poisson(Gamma(n, scale (1−p)/p)), as numpy. PyMC's (mu, alpha) is n = alpha, p = alpha/(mu + alpha). */
export function negativeBinomial(g: BitGenerator, n: number, p: number): number {
  checkParam(n > 0, "negativeBinomial", "n must be > 0", n);
  checkParam(p > 0 && p <= 1, "negativeBinomial", "p must be in (0, 1]", p);
  if (p === 1) return 0;
  return poisson(g, (standardGamma(g, n) * (1 - p)) / p);
}
