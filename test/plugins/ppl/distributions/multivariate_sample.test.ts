// Draws from the multivariate distributions (PCG64, 1e5 draws): Dirichlet marginals are Beta (KS),
// Multinomial counts sum to n with mean n·p, MvNormal has the mean and covariance asked for and
// normal marginals (KS), and LKJCholeskyCov's correlations have the LKJ marginal
// 2·Beta(b, b) − 1, b = eta − 1 + n/2 (KS), with rows of norm sd.
import { strict as assert } from "node:assert";
import { NDArray } from "../../../../mod.ts";
import { pcg64 } from "../../../../plugins/ppl/rng/pcg64.ts";
import { betainc, ndtr } from "../../../../plugins/ops/special.ts";
import { Dirichlet, Multinomial, MvNormal } from "../../../../plugins/ppl/distributions/multivariate.ts";
import { LKJCholeskyCov } from "../../../../plugins/ppl/distributions/multivariate_lkj.ts";
import { drawFrom, ksPValue } from "./harness.ts";

const N = 100000;

/** Column j of an [N, k] array. */
const column = (x: NDArray, j: number) => Float64Array.from({ length: x.shape[0] }, (_, i) => x.data[i * x.shape[1] + j]);
const meanOf = (xs: ArrayLike<number>) => Array.from(xs).reduce((s, v) => s + v, 0) / xs.length;

describe("multivariate distributions: draws match the distribution (1e5 draws)", () => {
  it("Dirichlet([1.5, 2, 3.5]): on the simplex, each marginal Beta(a_i, a0 − a_i) (KS p > 0.001)", () => {
    const a = [1.5, 2, 3.5], a0 = 7;
    const x = drawFrom(Dirichlet, { a }, [N], 11);
    assert.deepEqual(x.shape, [N, 3]);
    for (let i = 0; i < N; i += 997) assert.ok(Math.abs(x.data[3 * i] + x.data[3 * i + 1] + x.data[3 * i + 2] - 1) < 1e-12);
    a.forEach((ai, j) => {
      const p = ksPValue(column(x, j), (v) => betainc(ai, a0 - ai, Math.min(1, Math.max(0, v))));
      assert.ok(p > 0.001, `component ${j}: KS p ${p}`);
    });
  });

  it("Multinomial(n=20, p): int32 counts summing to n, each component's mean n p_i and variance n p_i (1 − p_i) within 5 se", () => {
    const p = [0.2, 0.3, 0.5];
    const x = drawFrom(Multinomial, { n: 20, p }, [N], 12);
    assert.equal(x.dtype, "int32");
    assert.deepEqual(x.shape, [N, 3]);
    for (let i = 0; i < N; i++) assert.equal(x.data[3 * i] + x.data[3 * i + 1] + x.data[3 * i + 2], 20);
    p.forEach((pi, j) => {
      const c = column(x, j), m = meanOf(c), v = 20 * pi * (1 - pi);
      assert.ok(Math.abs(m - 20 * pi) <= 5 * Math.sqrt(v / N), `component ${j}: mean ${m}`);
      const s2 = c.reduce((s, y) => s + (y - m) ** 2, 0) / (N - 1), m4 = c.reduce((s, y) => s + (y - m) ** 4, 0) / N;
      // the sample variance's standard error from the sample's fourth central moment
      assert.ok(Math.abs(s2 - v) <= 5 * Math.sqrt((m4 - s2 * s2) / N), `component ${j}: variance ${s2} vs ${v}`);
    });
  });

  it("MvNormal(mu, cov): sample mean and covariance within 5 se, marginals normal (KS p > 0.001)", () => {
    const mu = [0.5, -1, 2], cov = [[2, 0.3, -0.4], [0.3, 1, 0.2], [-0.4, 0.2, 0.5]];
    const x = drawFrom(MvNormal, { mu, cov }, [N], 13);
    assert.deepEqual(x.shape, [N, 3]);
    const cols = [0, 1, 2].map((j) => column(x, j)), means = cols.map(meanOf);
    for (let i = 0; i < 3; i++) {
      assert.ok(Math.abs(means[i] - mu[i]) <= 5 * Math.sqrt(cov[i][i] / N), `mean ${i}: ${means[i]}`);
      const p = ksPValue(cols[i], (v) => ndtr((v - mu[i]) / Math.sqrt(cov[i][i])));
      assert.ok(p > 0.001, `marginal ${i}: KS p ${p}`);
      for (let j = 0; j <= i; j++) {
        const c = cols[i].reduce((s, v, t) => s + (v - means[i]) * (cols[j][t] - means[j]), 0) / (N - 1);
        // Var of a sample covariance ≈ (σ_ii σ_jj + σ_ij²) / N for normal data
        const se = Math.sqrt((cov[i][i] * cov[j][j] + cov[i][j] ** 2) / N);
        assert.ok(Math.abs(c - cov[i][j]) <= 5 * se, `cov[${i}][${j}]: ${c} vs ${cov[i][j]}`);
      }
    }
  });

  it("MvNormal: a batch of means [2, 3] against one covariance (chol) gives draws [5, 2, 3] around each mean", () => {
    const x = drawFrom(MvNormal, { mu: [[0, 0, 0], [100, 200, 300]], chol: [[1e-3, 0, 0], [0, 1e-3, 0], [0, 0, 1e-3]] }, [5, 2], 14);
    assert.deepEqual(x.shape, [5, 2, 3]);
    for (let i = 0; i < 5; i++) for (let k = 0; k < 3; k++) assert.ok(Math.abs(x.get(i, 1, k) - 100 * (k + 1)) < 0.01 && Math.abs(x.get(i, 0, k)) < 0.01);
  });
});

describe("LKJCholeskyCov draws (spec.sample with PCG64)", () => {
  // The RandomVariable op takes the support shape from the first vector parameter (sd_dist, n
  // entries), not from supportShape (n(n+1)/2 packed entries), so these call spec.sample directly.
  for (const [n, eta] of [[3, 2], [4, 0.8]] as const) {
    it(`n=${n}, eta=${eta}: rows have norm sd; every correlation ~ 2·Beta(b, b) − 1 (KS p > 0.001)`, () => {
      const m = (n * (n + 1)) / 2, sd = Array.from({ length: n }, (_, i) => 0.5 + i);
      const out = new NDArray("float64", [N, m]);
      LKJCholeskyCov.sample(pcg64.resume(pcg64.seed(15 + n)), [NDArray.scalar(n), NDArray.scalar(eta), NDArray.from(sd)], out);
      const b = eta - 1 + n / 2;
      const rows = (t: number) => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, c) => (c <= i ? out.data[t * m + (i * (i + 1)) / 2 + c] : 0)));
      const corr: number[][] = Array.from({ length: (n * (n - 1)) / 2 }, () => []);
      for (let t = 0; t < N; t++) {
        const L = rows(t), norms = L.map((r) => Math.hypot(...r));
        if (t < 100) norms.forEach((v, i) => assert.ok(Math.abs(v - sd[i]) < 1e-12 && L[i][i] > 0));
        let k = 0;
        for (let i = 1; i < n; i++) for (let j = 0; j < i; j++) corr[k++].push(L[i].reduce((s, v, c) => s + v * L[j][c], 0) / (norms[i] * norms[j]));
      }
      corr.forEach((rs, k) => {
        const p = ksPValue(rs, (r) => betainc(b, b, Math.min(1, Math.max(0, (r + 1) / 2))));
        assert.ok(p > 0.001, `correlation ${k}: KS p ${p}`);
      });
    });
  }
});
