// Draws from the discrete distributions through the RandomVariable op (PCG64): 1e5 draws per
// parameter set have the mean and variance of the distribution within 5 standard errors (the
// variance's standard error estimated from the sample's fourth central moment), and the batch
// shape and int32 dtype the op promises.
import { strict as assert } from "node:assert";
import type { DistributionSpec } from "../../../../plugins/ppl/distributions/types.ts";
import { discreteDistributions } from "../../../../plugins/ppl/distributions/discrete.ts";
import { discreteCountsDistributions } from "../../../../plugins/ppl/distributions/discrete_counts.ts";
import { drawFrom } from "./harness.ts";

const specs: Record<string, DistributionSpec> = { ...discreteDistributions, ...discreteCountsDistributions };
const N = 100000;

/** Sample mean and variance agree with (mean, variance) within 5 standard errors. */
function assertMoments(xs: ArrayLike<number>, mean: number, variance: number, what: string): void {
  const n = xs.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += xs[i];
  m /= n;
  let m2 = 0, m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = (xs[i] - m) ** 2;
    m2 += d;
    m4 += d * d;
  }
  const s2 = m2 / (n - 1);
  m4 /= n;
  const seMean = Math.sqrt(variance / n), seVar = Math.sqrt(Math.max(m4 - s2 * s2, 1e-300) / n);
  assert.ok(Math.abs(m - mean) <= 5 * seMean + 1e-12, `${what}: mean ${m}, expected ${mean} (se ${seMean})`);
  assert.ok(Math.abs(s2 - variance) <= 5 * seVar + 1e-12, `${what}: variance ${s2}, expected ${variance} (se ${seVar})`);
}

const p4 = [0.1, 0.2, 0.3, 0.4];
const catMean = p4.reduce((s, p, i) => s + i * p, 0), catVar = p4.reduce((s, p, i) => s + i * i * p, 0) - catMean ** 2;
const zipMoments = (psi: number, mu: number): [number, number] => [psi * mu, psi * mu * (1 + mu - psi * mu)];

/** [distribution, keyword arguments, mean, variance]. */
const MOMENTS: [string, Record<string, number | number[]>, number, number][] = [
  ["Bernoulli", { p: 0.3 }, 0.3, 0.21],
  ["Bernoulli", { logit_p: -2 }, 1 / (1 + Math.exp(2)), Math.exp(2) / (1 + Math.exp(2)) ** 2],
  ["Binomial", { n: 20, p: 0.35 }, 7, 20 * 0.35 * 0.65],
  ["Binomial", { n: 1000, p: 0.02 }, 20, 1000 * 0.02 * 0.98],
  ["Poisson", { mu: 3.5 }, 3.5, 3.5],
  ["Poisson", { mu: 250 }, 250, 250],
  ["NegativeBinomial", { mu: 4, alpha: 2 }, 4, 4 + 16 / 2],
  ["NegativeBinomial", { n: 3, p: 0.6 }, 2, 3 * 0.4 / 0.36],
  ["Geometric", { p: 0.25 }, 4, 0.75 / 0.0625],
  ["Geometric", { p: 0.9 }, 1 / 0.9, 0.1 / 0.81],
  ["DiscreteUniform", { lower: -3, upper: 6 }, 1.5, (10 * 10 - 1) / 12],
  ["Categorical", { p: p4 }, catMean, catVar],
  ["ZeroInflatedPoisson", { psi: 0.7, mu: 3 }, ...zipMoments(0.7, 3)],
];

describe("discrete distributions: draws have the distribution's mean and variance (1e5 draws, 5 se)", () => {
  MOMENTS.forEach(([name, args, mean, variance], k) => {
    it(`${name}(${JSON.stringify(args)})`, () => {
      const x = drawFrom(specs[name], args, [N], 500 + k);
      assert.equal(x.dtype, "int32");
      assert.deepEqual(x.shape, [N]);
      assertMoments(x.data as Int32Array, mean, variance, name);
    });
  });

  it("covers every discrete distribution", () => {
    assert.deepEqual([...new Set(MOMENTS.map(([n]) => n))].sort(), Object.keys(specs).sort());
  });

  it("Categorical: each category's frequency within 5 se of p", () => {
    const x = drawFrom(specs.Categorical, { p: p4 }, [N], 77);
    p4.forEach((p, i) => {
      const f = Array.from(x.data).filter((v) => v === i).length / N;
      assert.ok(Math.abs(f - p) <= 5 * Math.sqrt((p * (1 - p)) / N), `category ${i}: ${f} vs ${p}`);
    });
  });
});

describe("discrete distributions: draw shapes", () => {
  it("parameters [3,1] × [4] give a [3, 4] batch with each entry in its own support", () => {
    const x = drawFrom(specs.Binomial, { n: [[2], [5], [9]], p: [0.1, 0.4, 0.6, 0.9] }, [3, 4], 3);
    assert.deepEqual(x.shape, [3, 4]);
    const ns = [2, 5, 9];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 4; j++) assert.ok(x.get(i, j) >= 0 && x.get(i, j) <= ns[i]);
  });
  it("Categorical with a batch of p [2, 3] and size [5, 2]", () => {
    const x = drawFrom(specs.Categorical, { p: [[1, 0, 0], [0, 0, 1]] }, [5, 2], 4);
    assert.deepEqual(x.shape, [5, 2]);
    for (let i = 0; i < 5; i++) assert.deepEqual([x.get(i, 0), x.get(i, 1)], [0, 2]);
  });
  it("the same seed gives the same draws", () => {
    const a = drawFrom(specs.NegativeBinomial, { mu: 3, alpha: 1.5 }, [50], 9), b = drawFrom(specs.NegativeBinomial, { mu: 3, alpha: 1.5 }, [50], 9);
    assert.deepEqual(Array.from(a.data), Array.from(b.data));
  });
});
