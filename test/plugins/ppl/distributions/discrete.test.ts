import { strict as assert } from "node:assert";
import { NDArray, pt } from "../../../../mod.ts";
import { Constant, Variable } from "../../../../core/graph.ts";
import { TensorType } from "../../../../core/types.ts";
import { sum } from "../../../../plugins/ops/reduce.ts";
import type { DistributionSpec } from "../../../../plugins/ppl/distributions/types.ts";
import { discreteDistributions } from "../../../../plugins/ppl/distributions/discrete.ts";
import { discreteCountsDistributions } from "../../../../plugins/ppl/distributions/discrete_counts.ts";
import { type FixNested, assertClose, assertThrowsMatching, loadFixture, nested } from "../../../helpers.ts";
import { fixtureArgs, guarded, run } from "./harness.ts";

interface Case {
  name: string;
  args: Record<string, FixNested>;
  value: FixNested;
  logp: FixNested;
  logcdf?: FixNested;
}
const fixture = loadFixture<Record<string, Case[]>>("discrete.json");
const specs: Record<string, DistributionSpec> = { ...discreteDistributions, ...discreteCountsDistributions };

const constArgs = (args: Record<string, FixNested>) => Object.fromEntries(Object.entries(args).map(([k, v]) => [k, new Constant(nested(v))]));

// The log of a CDF within ~1e-15 of 1 is below the CDF's own resolution: compared absolutely there.
const CDF_ATOL = 1e-15;

describe("discrete distributions: logp and logcdf against scipy.stats", () => {
  for (const [dist, cases] of Object.entries(fixture)) {
    if (dist === "meta") continue;
    const spec = specs[dist];
    describe(dist, () => {
      for (const c of cases) {
        // constant parameters, then the same as graph inputs fed at run time (PyMC rescales only constant p)
        for (const symbolic of c.name.includes("rescaled") ? [false] : [false, true]) {
          it(`${c.name}: logp${c.logcdf !== undefined ? " and logcdf" : ""}, ${symbolic ? "symbolic" : "constant"} parameters`, () => {
            const { args, inputs, feeds } = fixtureArgs(c.args, symbolic);
            const params = spec.parametrize(args, dist);
            const value = nested(c.value);
            const x = new Variable(new TensorType("float64", value.shape));
            const lp = guarded(spec, x, params);
            const got = run([x, ...inputs], lp, value, ...feeds);
            assertClose(got, nested(c.logp), { rtol: 1e-10, what: `${dist} logp` });
            if (!symbolic) assert.deepEqual(lp.type.shape, got.shape, "static shape of logp");
            if (c.logcdf !== undefined) {
              const lc = run([x, ...inputs], guarded(spec, x, params, "logcdf"), value, ...feeds);
              assertClose(lc, nested(c.logcdf), { rtol: 1e-10, atol: CDF_ATOL, what: `${dist} logcdf` });
            }
          });
        }
      }
      it("int32 values give the same logp as float ones", () => {
        const c = cases.find((k) => nested(k.value).data.every(Number.isInteger))!;
        const params = spec.parametrize(constArgs(c.args), dist);
        const value = nested(c.value, "int32");
        const x = new Variable(new TensorType("int32", value.shape));
        assertClose(run([x], guarded(spec, x, params), value), nested(c.logp), { rtol: 1e-10 });
      });
    });
  }
});

describe("discrete distributions: invalid parameters", () => {
  const bad: [string, Record<string, number | number[]>, string][] = [
    ["Bernoulli", { p: 1.5 }, "0 <= p <= 1"],
    ["Binomial", { n: -1, p: 0.5 }, "n >= 0"],
    ["Binomial", { n: 3, p: -0.1 }, "0 <= p <= 1"],
    ["Poisson", { mu: -1 }, "mu >= 0"],
    ["NegativeBinomial", { mu: 2, alpha: -1 }, "n > 0"],
    ["NegativeBinomial", { n: 2, p: 1.2 }, "0 <= p <= 1"],
    ["Geometric", { p: -0.2 }, "0 <= p <= 1"],
    ["DiscreteUniform", { lower: 5, upper: 2 }, "lower <= upper"],
    ["ZeroInflatedPoisson", { psi: 1.2, mu: 1 }, "0 <= psi <= 1"],
    ["ZeroInflatedPoisson", { psi: 0.5, mu: -1 }, "mu >= 0"],
  ];
  for (const [dist, args, msg] of bad) {
    it(`${dist}(${JSON.stringify(args)}) raises "${msg}" in logp and logcdf`, () => {
      const spec = specs[dist], params = spec.parametrize(constArgs(args), dist);
      const x = new Variable(new TensorType("float64", []));
      assertThrowsMatching(() => run([x], guarded(spec, x, params), NDArray.scalar(1)), msg, dist);
      assertThrowsMatching(() => run([x], guarded(spec, x, params, "logcdf"), NDArray.scalar(1)), msg);
    });
  }

  it("Categorical: a symbolic p not summing to 1 raises sum(p) = 1; a negative constant p is an error at once", () => {
    const p = new Variable(new TensorType("float64", [3]));
    const spec = specs.Categorical, params = spec.parametrize({ p }, "Categorical");
    const x = new Variable(new TensorType("float64", []));
    const f = pt.fn([x, p], guarded(spec, x, params), { mode: "interp" });
    assertClose(f(NDArray.scalar(1), [0.2, 0.3, 0.5]), Math.log(0.3), { rtol: 1e-12, dtype: false });
    assertThrowsMatching(() => f(NDArray.scalar(1), [0.2, 0.3, 0.6]), "sum(p) = 1");
    assertThrowsMatching(() => spec.parametrize({ p: [0.5, -0.1, 0.6] }, "Categorical"), "Negative `p`");
  });

  it("alternative parametrizations: exactly one of p | logit_p, mu | p, alpha | n", () => {
    assertThrowsMatching(() => specs.Bernoulli.parametrize({ p: 0.2, logit_p: 0 }, "Bernoulli"), "only one of p, logit_p");
    assertThrowsMatching(() => specs.Bernoulli.parametrize({}, "Bernoulli"), "Must specify either p or logit_p");
    assertThrowsMatching(() => specs.NegativeBinomial.parametrize({ mu: 2 }, "NegativeBinomial"), "either alpha or n");
    assertThrowsMatching(() => specs.NegativeBinomial.parametrize({ alpha: 2 }, "NegativeBinomial"), "either mu or p");
    assertThrowsMatching(() => specs.NegativeBinomial.parametrize({ alpha: 2, n: 2, mu: 1 }, "NegativeBinomial"), "only one of n, alpha");
    assertThrowsMatching(() => specs.Poisson.parametrize({}, "Poisson"), "missing parameter 'mu'");
  });
});

describe("discrete distributions: moments", () => {
  const cases: [string, Record<string, number | number[]>, number][] = [
    ["Bernoulli", { p: [0.2, 0.7, 0.5] }, 3],
    ["Binomial", { n: 10, p: [0.26, 0.5, 0.99] }, 3],
    ["Poisson", { mu: [0.3, 4.7, 100] }, 3],
    ["NegativeBinomial", { mu: [0.5, 4.2, 30], alpha: 2 }, 3],
    ["Geometric", { p: [0.05, 0.5, 1] }, 3],
    ["DiscreteUniform", { lower: [-3, 0, 4], upper: 4 }, 3],
    ["Categorical", { p: [0.1, 0.6, 0.3] }, 4],
    ["ZeroInflatedPoisson", { psi: [0.1, 0.6, 1], mu: 5.5 }, 3],
  ];
  for (const [dist, args, n] of cases) {
    it(`${dist}: an int32 point of the draw's shape inside the support`, () => {
      const spec = specs[dist], params = spec.parametrize(constArgs(Object.fromEntries(Object.entries(args).map(([k, v]) => [k, v as FixNested]))), dist);
      const m = run([], spec.moment(params, [n]));
      assert.equal(m.dtype, "int32");
      assert.deepEqual(m.shape, [n]);
      const x = new Variable(new TensorType("int32", [n]));
      const lp = run([x], spec.logp(x, params), m);
      assert.ok(lp.data.every(Number.isFinite), `${dist}: logp at the moment ${m} is ${lp}`);
    });
  }
  it("PyMC's support points: Poisson floor(mu), Binomial round(n p), Geometric round(1/p), DiscreteUniform mid", () => {
    const at = (dist: string, args: Record<string, FixNested>) => Array.from(run([], specs[dist].moment(specs[dist].parametrize(constArgs(args), dist), [])).data);
    assert.deepEqual(at("Poisson", { mu: 4.7 }), [4]);
    assert.deepEqual(at("Binomial", { n: 10, p: 0.26 }), [3]);
    assert.deepEqual(at("Geometric", { p: 0.3 }), [3]);
    assert.deepEqual(at("DiscreteUniform", { lower: -3, upper: 4 }), [0]);
    assert.deepEqual(at("Categorical", { p: [0.1, 0.6, 0.3] }), [1]);
    assert.deepEqual(at("NegativeBinomial", { n: 2, p: 0.3 }), [4]);
  });
});

describe("discrete distributions: gradients of logp and logcdf w.r.t. float parameters", () => {
  const x = (v: number[]) => new Constant(NDArray.from(v));
  const grads: [string, string, (...ps: Variable[]) => Record<string, Variable>, number[][], number[], boolean][] = [
    ["Bernoulli", "p", (p) => ({ p }), [[0.2, 0.7]], [0, 1], true],
    ["Bernoulli", "logit_p", (l) => ({ logit_p: l }), [[-1.3, 2.1]], [0, 1], true],
    ["Binomial", "p", (p) => ({ n: new Constant(NDArray.scalar(7)), p }), [[0.3, 0.55, 0.8]], [0, 3, 6], true],
    ["Poisson", "mu", (mu) => ({ mu }), [[0.4, 3.2, 11]], [0, 2, 15], true],
    ["NegativeBinomial", "mu, alpha", (mu, alpha) => ({ mu, alpha }), [[0.8, 4.5], [1.7, 0.6]], [1, 6], false],
    ["NegativeBinomial", "p", (p) => ({ n: new Constant(NDArray.scalar(2.5)), p }), [[0.3, 0.75]], [0, 4], true],
    ["Geometric", "p", (p) => ({ p }), [[0.15, 0.6]], [1, 4], true],
    ["Categorical", "logit_p", (l) => ({ logit_p: l }), [[0.3, -1.1, 2.0]], [2], true],
    ["ZeroInflatedPoisson", "psi, mu", (psi, mu) => ({ psi, mu }), [[0.3, 0.8], [1.2, 3.3]], [0, 2], true],
  ];
  for (const [dist, wrt, build, point, xs, cdf] of grads) {
    it(`${dist}: d logp / d(${wrt})${cdf ? " and d logcdf" : ""}`, () => {
      const spec = specs[dist];
      pt.verifyGrad((...ps) => spec.logp(x(xs), spec.parametrize(build(...ps), dist)), point, { rtol: 1e-5 });
      if (cdf) pt.verifyGrad((...ps) => spec.logcdf!(x(xs), spec.parametrize(build(...ps), dist)), point, { rtol: 1e-5 });
    });
  }
  it("the Bernoulli(logit_p) log-mass stays finite and smooth at logit 40", () => {
    pt.verifyGrad((l) => sum(specs.Bernoulli.logp(x([0, 1]), [specs.Bernoulli.parametrize({ logit_p: l }, "B")[0]])), [[40]]);
  });
});
