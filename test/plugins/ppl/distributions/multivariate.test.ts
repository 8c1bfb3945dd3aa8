import { strict as assert } from "node:assert";
import { NDArray, pt } from "../../../../mod.ts";
import { Constant, Variable } from "../../../../core/graph.ts";
import { TensorType } from "../../../../core/types.ts";
import { matmul, mT } from "../../../../plugins/ops/linalg.ts";
import type { DistributionSpec } from "../../../../plugins/ppl/distributions/types.ts";
import { multivariateDistributions } from "../../../../plugins/ppl/distributions/multivariate.ts";
import { type FixNested, assertClose, assertThrowsMatching, loadFixture, nested } from "../../../helpers.ts";
import { fixtureArgs, guarded, run } from "./harness.ts";

interface Case {
  name: string;
  args: Record<string, FixNested>;
  value: FixNested;
  logp: FixNested;
}
const fixture = loadFixture<Record<string, Case[]>>("multivariate.json");
const specs: Record<string, DistributionSpec> = multivariateDistributions;

describe("multivariate distributions: logp against scipy.stats", () => {
  for (const dist of ["Dirichlet", "Multinomial", "MvNormal"]) {
    const spec = specs[dist];
    describe(dist, () => {
      for (const c of fixture[dist]) {
        for (const symbolic of [false, true]) {
          it(`${c.name}, ${symbolic ? "symbolic parameters and value of unknown shape" : "constant parameters"}`, () => {
            const { args, inputs, feeds } = fixtureArgs(c.args, symbolic);
            const params = spec.parametrize(args, dist);
            const value = nested(c.value);
            const x = new Variable(new TensorType("float64", symbolic ? value.shape.map(() => null) : value.shape));
            const lp = guarded(spec, x, params);
            const got = run([x, ...inputs], lp, value, ...feeds);
            assertClose(got, nested(c.logp), { rtol: 1e-10, what: `${dist} logp` });
            if (!symbolic) assert.deepEqual(lp.type.shape, got.shape, "static shape of logp");
          });
        }
      }
    });
  }
});

describe("multivariate distributions: parameters", () => {
  it("Dirichlet: a > 0", () => {
    const params = specs.Dirichlet.parametrize({ a: [1, -2, 3] }, "Dirichlet");
    const x = new Variable(new TensorType("float64", [3]));
    assertThrowsMatching(() => run([x], guarded(specs.Dirichlet, x, params), NDArray.from([0.2, 0.3, 0.5])), "a > 0");
    assertThrowsMatching(() => specs.Dirichlet.parametrize({ a: 2 }, "Dirichlet"), "at least one dimension");
  });

  it("Multinomial: n >= 0, a negative constant p is an error at once, a constant p off the simplex is rescaled", () => {
    const x = new Variable(new TensorType("float64", [3]));
    const bad = specs.Multinomial.parametrize({ n: -1, p: [0.2, 0.3, 0.5] }, "Multinomial");
    assertThrowsMatching(() => run([x], guarded(specs.Multinomial, x, bad), NDArray.from([0, 0, 0])), "n >= 0");
    assertThrowsMatching(() => specs.Multinomial.parametrize({ n: 3, p: [0.2, -0.3, 0.5] }, "Multinomial"), "Negative `p`");
    const scaled = specs.Multinomial.parametrize({ n: 10, p: [2, 3, 5] }, "Multinomial");
    assertClose(run([x], guarded(specs.Multinomial, x, scaled), NDArray.from([2, 3, 5])), nested(fixture.Multinomial[0].logp), { rtol: 1e-12, dtype: false });
  });

  it("Multinomial: a symbolic p off the simplex fails sum(p) = 1", () => {
    const p = new Variable(new TensorType("float64", [3])), x = new Variable(new TensorType("float64", [3]));
    const params = specs.Multinomial.parametrize({ n: 4, p }, "Multinomial");
    assertThrowsMatching(() => pt.fn([x, p], guarded(specs.Multinomial, x, params), { mode: "interp" })([1, 1, 2], [0.2, 0.2, 0.2]), "sum(p) = 1");
  });

  it("MvNormal: exactly one of cov, chol, tau, each at least a matrix", () => {
    const cov = [[1, 0], [0, 1]];
    assertThrowsMatching(() => specs.MvNormal.parametrize({ mu: [0, 0], cov, tau: cov }, "MvNormal"), "Specify exactly one of tau, cov, or chol");
    assertThrowsMatching(() => specs.MvNormal.parametrize({ mu: [0, 0] }, "MvNormal"), "Specify exactly one");
    assertThrowsMatching(() => specs.MvNormal.parametrize({ mu: [0, 0], cov: [1, 1] }, "MvNormal"), "cov must be at least two dimensional");
  });

  it("MvNormal: an upper chol with lower: false", () => {
    const c = fixture.MvNormal.find((k) => k.name === "chol parametrization")!;
    const upper = NDArray.from(nested(c.args.chol).toArray() as number[][]);
    const U = run([], mT(new Constant(upper)));
    const params = specs.MvNormal.parametrize({ mu: new Constant(nested(c.args.mu)), chol: U, lower: false as never }, "MvNormal");
    const x = new Variable(new TensorType("float64", [3]));
    assertClose(run([x], specs.MvNormal.logp(x, params), nested(c.value)), nested(c.logp), { rtol: 1e-10 });
  });

  it("MvNormal: a covariance that is not positive definite is an error naming it", () => {
    const params = specs.MvNormal.parametrize({ mu: [0, 0], cov: [[1, 2], [2, 1]] }, "MvNormal");
    const x = new Variable(new TensorType("float64", [2]));
    assertThrowsMatching(() => run([x], specs.MvNormal.logp(x, params), NDArray.from([0, 0])), "not positive definite");
  });
});

describe("multivariate distributions: moments", () => {
  it("Dirichlet: a / sum(a), of the draw's shape", () => {
    const params = specs.Dirichlet.parametrize({ a: [1, 3, 4] }, "Dirichlet");
    const m = run([], specs.Dirichlet.moment(params, [2, 3]));
    assertClose(m, NDArray.from([[0.125, 0.375, 0.5], [0.125, 0.375, 0.5]]), { rtol: 1e-15 });
  });
  it("Multinomial: round(n p) with the rounding error on the largest count; int32, sums to n", () => {
    const params = specs.Multinomial.parametrize({ n: [10, 7], p: [[0.33, 0.33, 0.34], [0.5, 0.25, 0.25]] }, "Multinomial");
    const m = run([], specs.Multinomial.moment(params, [2, 3]));
    assert.equal(m.dtype, "int32");
    assert.deepEqual(m.toArray(), [[3, 3, 4], [3, 2, 2]]);
    const x = new Variable(new TensorType("int32", [2, 3]));
    assert.ok(run([x], specs.Multinomial.logp(x, params), m).data.every(Number.isFinite));
  });
  it("MvNormal: mu broadcast to the draw's shape; a scalar mu becomes a vector", () => {
    const params = specs.MvNormal.parametrize({ mu: 1.5, cov: [[1, 0.2], [0.2, 2]] }, "MvNormal");
    assert.deepEqual(specs.MvNormal.supportShape!(params), [2]);
    assertClose(run([], specs.MvNormal.moment(params, [3, 2])), NDArray.from([[1.5, 1.5], [1.5, 1.5], [1.5, 1.5]]));
  });
});

describe("multivariate distributions: gradients", () => {
  const mvn = fixture.MvNormal[0];
  it("Dirichlet: d logp / d(value, a)", () => {
    pt.verifyGrad((x, a) => specs.Dirichlet.logp(x, [a]), [[0.2, 0.3, 0.5], [1.5, 2.2, 0.7]], { rtol: 1e-5 });
  });
  it("Multinomial: d logp / d p", () => {
    pt.verifyGrad((p) => specs.Multinomial.logp(new Constant(NDArray.from([2, 0, 5])), [new Constant(NDArray.scalar(7)), p]), [[0.2, 0.3, 0.5]], { rtol: 1e-5 });
  });
  it("MvNormal: d logp / d(value, mu) for a batch of values", () => {
    const cov = new Constant(nested(mvn.args.cov));
    pt.verifyGrad((x, mu) => specs.MvNormal.logp(x, [mu, cov]), [[[1, -0.5, 1.5], [0.3, 0.2, 0.1]], [0.5, -1, 2]], { rtol: 1e-5 });
  });
  it("MvNormal: d logp / d chol (through cov = L Lᵀ and the Cholesky pullback)", () => {
    const L0 = [[1.2, 0, 0], [0.3, 0.9, 0], [-0.4, 0.25, 0.6]];
    const x = new Constant(NDArray.from([[1, -0.5, 1.5], [0.3, 0.2, 0.1]])), mu = new Constant(NDArray.from([0.5, -1, 2]));
    pt.verifyGrad((L) => specs.MvNormal.logp(x, [mu, matmul(L, mT(L))]), [L0], { rtol: 1e-5 });
  });
});
