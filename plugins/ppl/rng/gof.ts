// Goodness-of-fit statistics for checking samplers against exact distributions: the one-sample
// Kolmogorov–Smirnov test (continuous) and Pearson's chi-square test (discrete), as in scipy.stats.
import { gammaincc } from "../../ops/special.ts";

export interface TestResult {
  statistic: number;
  pValue: number;
}

/** KS test of `samples` against the continuous CDF `cdf`. The p-value is Kolmogorov's limit law with
 * Stephens' small-sample correction, λ = (√n + 0.12 + 0.11/√n)·D — accurate to ~1e-3 absolute for n ≥ 100. */
export function ksTest(samples: ArrayLike<number>, cdf: (x: number) => number): TestResult {
  const n = samples.length;
  if (n === 0) throw new RangeError("ksTest: no samples");
  const xs = Float64Array.from(samples).sort();
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(xs[i]);
    if (!(f >= 0 && f <= 1)) throw new RangeError(`ksTest: cdf(${xs[i]}) = ${f} is not a probability`);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  const sn = Math.sqrt(n);
  return { statistic: d, pValue: kolmogorovSurvival((sn + 0.12 + 0.11 / sn) * d) };
}

/** P(K > λ) for Kolmogorov's K: 2 Σ_{j≥1} (−1)^{j−1} e^{−2j²λ²}; the series is useless below λ ≈ 0.2,
 * where the probability is 1 to double precision anyway. */
export function kolmogorovSurvival(lambda: number): number {
  if (lambda < 0.2) return 1;
  let sum = 0;
  for (let j = 1; j <= 100; j++) {
    const term = Math.exp(-2 * j * j * lambda * lambda);
    sum += j % 2 ? term : -term;
    if (term < 1e-17) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

/** Pearson's chi-square test of observed counts against expected counts (same total); `ddof` extra
 * degrees of freedom removed for estimated parameters. */
export function chiSquareTest(observed: ArrayLike<number>, expected: ArrayLike<number>, ddof = 0): TestResult & { df: number } {
  if (observed.length !== expected.length) throw new RangeError(`chiSquareTest: ${observed.length} observed vs ${expected.length} expected cells`);
  let stat = 0;
  for (let i = 0; i < observed.length; i++) {
    if (!(expected[i] > 0)) throw new RangeError(`chiSquareTest: expected count ${expected[i]} in cell ${i} must be > 0`);
    stat += (observed[i] - expected[i]) ** 2 / expected[i];
  }
  const df = observed.length - 1 - ddof;
  if (df < 1) throw new RangeError(`chiSquareTest: ${observed.length} cells leave no degrees of freedom`);
  return { statistic: stat, df, pValue: gammaincc(df / 2, stat / 2) };
}

/** Merge adjacent cells (in order) until each expected count is ≥ `min` (the last cell absorbs a short tail). */
export function poolCells(observed: ArrayLike<number>, expected: ArrayLike<number>, min = 5): { observed: number[]; expected: number[] } {
  const o: number[] = [], e: number[] = [];
  let co = 0, ce = 0;
  for (let i = 0; i < expected.length; i++) {
    co += observed[i];
    ce += expected[i];
    if (ce >= min) {
      o.push(co);
      e.push(ce);
      co = ce = 0;
    }
  }
  if (ce > 0 || co > 0) {
    if (e.length === 0) return { observed: [co], expected: [ce] };
    o[o.length - 1] += co;
    e[e.length - 1] += ce;
  }
  return { observed: o, expected: e };
}
