// Draws from the continuous distributions through the RandomVariable op (PCG64): 1e5 draws per
// parameter set pass a Kolmogorov–Smirnov test against the exact CDF (p > 0.001), and draws have
// the batch shape and dtype the op promises.
import { strict as assert } from "node:assert";
import { Constant, NDArray } from "../../../../mod.ts";
import { RandomVariable } from "../../../../plugins/ppl/rv.ts";
import { pcg64 } from "../../../../plugins/ppl/rng/pcg64.ts";
import { continuousDistributions } from "../../../../plugins/ppl/distributions/continuous.ts";
import { continuousSpecialDistributions } from "../../../../plugins/ppl/distributions/continuous_special.ts";
import { truncatedDistributions } from "../../../../plugins/ppl/distributions/truncated.ts";
import type { DistributionSpec } from "../../../../plugins/ppl/distributions/types.ts";
import { betainc, gammainc, gammaincc, ndtr } from "../../../../plugins/ops/special.ts";
import { assertThrowsMatching } from "../../../helpers.ts";
import { drawFrom, floats, ksPValue } from "./harness.ts";

const specs: Record<string, DistributionSpec> = { ...continuousDistributions, ...continuousSpecialDistributions, ...truncatedDistributions };
type Args = Record<string, number | number[] | number[][]>;

const tCdf = (z: number, nu: number) => {
  const tail = 0.5 * betainc(nu / 2, 0.5, nu / (nu + z * z));
  return z < 0 ? tail : 1 - tail;
};
const truncCdf = (mu: number, s: number, lo: number, hi: number) => (x: number) => {
  const [a, b, z] = [(lo - mu) / s, (hi - mu) / s, (x - mu) / s];
  // survival functions on the right, so far-right intervals keep their digits
  return a > 0 ? (ndtr(-a) - ndtr(-z)) / (ndtr(-a) - ndtr(-b)) : (ndtr(z) - ndtr(a)) / (ndtr(b) - ndtr(a));
};

/** [distribution, keyword arguments, exact CDF]. */
const KS: [string, Args, (x: number) => number][] = [
  ["Uniform", { lower: -2, upper: 3 }, (x) => (x + 2) / 5],
  ["Laplace", { mu: 1, b: 2 }, (x) => (x < 1 ? 0.5 * Math.exp((x - 1) / 2) : 1 - 0.5 * Math.exp(-(x - 1) / 2))],
  ["Logistic", { mu: -1, s: 0.7 }, (x) => 1 / (1 + Math.exp(-(x + 1) / 0.7))],
  ["Cauchy", { alpha: 0.5, beta: 2 }, (x) => 0.5 + Math.atan((x - 0.5) / 2) / Math.PI],
  ["HalfCauchy", { beta: 1.5 }, (x) => (2 / Math.PI) * Math.atan(x / 1.5)],
  ["Exponential", { lam: 2 }, (x) => -Math.expm1(-2 * x)],
  ["Exponential", { scale: 3 }, (x) => -Math.expm1(-x / 3)],
  ["Weibull", { alpha: 1.7, beta: 2.2 }, (x) => -Math.expm1(-Math.pow(x / 2.2, 1.7))],
  ["Weibull", { alpha: 0.5, beta: 1 }, (x) => -Math.expm1(-Math.sqrt(x))],
  ["LogNormal", { mu: 0.3, sigma: 0.8 }, (x) => ndtr((Math.log(x) - 0.3) / 0.8)],
  ["Gamma", { alpha: 2.5, beta: 1.5 }, (x) => gammainc(2.5, 1.5 * x)],
  ["Gamma", { alpha: 0.3, beta: 2 }, (x) => gammainc(0.3, 2 * x)],
  ["Gamma", { mu: 3, sigma: 1.5 }, (x) => gammainc(4, (4 / 3) * x)],
  ["InverseGamma", { alpha: 3, beta: 2 }, (x) => gammaincc(3, 2 / x)],
  ["Beta", { alpha: 2, beta: 3.5 }, (x) => betainc(2, 3.5, x)],
  ["Beta", { alpha: 0.4, beta: 0.6 }, (x) => betainc(0.4, 0.6, x)],
  ["StudentT", { nu: 3, mu: 1, sigma: 2 }, (x) => tCdf((x - 1) / 2, 3)],
  ["StudentT", { nu: 0.8 }, (x) => tCdf(x, 0.8)],
  ["HalfStudentT", { nu: 3, sigma: 1.5 }, (x) => 2 * tCdf(x / 1.5, 3) - 1],
  ["TruncatedNormal", { mu: 0.5, sigma: 2, lower: -1, upper: 3 }, truncCdf(0.5, 2, -1, 3)],
  ["TruncatedNormal", { mu: 0, sigma: 1, lower: 2 }, truncCdf(0, 1, 2, Infinity)],
  ["TruncatedNormal", { mu: 1, sigma: 1, upper: -2 }, truncCdf(1, 1, -Infinity, -2)],
  ["TruncatedNormal", { mu: 0, sigma: 1, lower: 8, upper: 9 }, truncCdf(0, 1, 8, 9)],
];

describe("continuous distributions: draws match the distribution (KS, 1e5 draws, p > 0.001)", () => {
  KS.forEach(([name, args, cdf], k) => {
    it(`${name}(${JSON.stringify(args)})`, () => {
      const x = drawFrom(specs[name], args, [100000], 1000 + k);
      assert.equal(x.dtype, "float64");
      const p = ksPValue(floats(x), cdf);
      assert.ok(p > 0.001, `${name}: KS p-value ${p}`);
    });
  });
  it("covers every distribution that can be sampled", () => {
    const sampled = new Set(KS.map(([n]) => n));
    assert.deepEqual(Object.keys(specs).filter((n) => !sampled.has(n)).sort(), ["Flat", "HalfFlat"]);
  });
});

describe("continuous distributions: draw shapes and seeds", () => {
  it("size gives the batch shape; parameters broadcast against it", () => {
    const x = drawFrom(specs.Gamma, { alpha: [1, 2, 3], beta: 2 }, [2, 3], 1);
    assert.deepEqual(x.shape, [2, 3]);
    assert.ok(Array.from(x.data).every((v) => v > 0));
  });
  it("parameters of shapes [3,1] and [4] broadcast into a [3, 4] batch, each draw within its own bounds", () => {
    const x = drawFrom(specs.TruncatedNormal, { mu: [[0], [1], [2]], lower: [-1, 0, 0.5, 1], upper: 3 }, [3, 4], 2);
    assert.deepEqual(x.shape, [3, 4]);
    const lows = [-1, 0, 0.5, 1];
    Array.from(x.data).forEach((v, i) => assert.ok(v >= lows[i % 4] && v <= 3, `draw ${v} outside [${lows[i % 4]}, 3]`));
  });
  it("the static type of the draw is known from a constant size", () => {
    const spec = specs.Beta;
    const draw = new RandomVariable(spec, pcg64).apply([
      new Constant(new NDArray("int32", [pcg64.stateSize], pcg64.seed(3))),
      new Constant(NDArray.from([4, 5], "int32")),
      ...spec.parametrize({ alpha: 2, beta: 3 }, "Beta"),
    ]).outputs[1];
    assert.deepEqual(draw.type.shape, [4, 5]);
    assert.equal(draw.dtype, "float64");
  });
  it("the same seed gives the same draws; another seed gives others", () => {
    const a = drawFrom(specs.StudentT, { nu: 4 }, [5], 7), b = drawFrom(specs.StudentT, { nu: 4 }, [5], 7);
    const c = drawFrom(specs.StudentT, { nu: 4 }, [5], 8);
    assert.deepEqual(Array.from(a.data), Array.from(b.data));
    assert.notDeepEqual(Array.from(a.data), Array.from(c.data));
  });
  it("Flat and HalfFlat cannot be sampled, as in PyMC", () => {
    assertThrowsMatching(() => drawFrom(specs.Flat, {}, [3], 1), "Flat", "cannot sample");
    assertThrowsMatching(() => drawFrom(specs.HalfFlat, {}, [3], 1), "HalfFlat", "cannot sample");
  });
});
