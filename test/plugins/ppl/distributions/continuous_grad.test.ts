// Gradients of the continuous log-densities (verifyGrad: symbolic vs finite differences), the
// support points samplers start from, and the default transforms.
import { strict as assert } from "node:assert";
import { Constant, NDArray, type Variable, pt } from "../../../../mod.ts";
import { continuousDistributions } from "../../../../plugins/ppl/distributions/continuous.ts";
import { continuousSpecialDistributions } from "../../../../plugins/ppl/distributions/continuous_special.ts";
import { truncatedDistributions } from "../../../../plugins/ppl/distributions/truncated.ts";
import type { DistributionSpec } from "../../../../plugins/ppl/distributions/types.ts";
import { grad } from "../../../../plugins/ops/gradient.ts";
import { assertThrowsMatching } from "../../../helpers.ts";

const specs: Record<string, DistributionSpec> = { ...continuousDistributions, ...continuousSpecialDistributions, ...truncatedDistributions };
type Point = (number | number[])[];

/** Interior points: [value, ...canonical parameters]. Vector entries exercise broadcasting in the pullbacks. */
const POINTS: Record<string, Point[]> = {
  Laplace: [[[-1.2, 0.4, 3], 0.5, 1.7], [0.9, [0.1, 2], [0.5, 3]]],
  Logistic: [[[-1.2, 0.4, 3], 0.5, 0.7]],
  Cauchy: [[[-5, 0.4, 3], -0.5, 2]],
  HalfCauchy: [[[0.2, 1.5, 9], 1.3], [0.7, [0.5, 4]]],
  Exponential: [[[0.2, 1.5, 9], 2.5]],
  Weibull: [[[0.2, 1.5, 3], 1.7, 2.2], [0.8, [0.6, 3], 1.1]],
  LogNormal: [[[0.2, 1.5, 9], 0.3, 0.8]],
  Gamma: [[[0.2, 1.5, 9], 2.5, 0.7], [1.1, [0.6, 30], [2, 0.1]]],
  InverseGamma: [[[0.2, 1.5, 9], 3, 2], [0.8, [0.7, 12], 1.5]],
  Beta: [[[0.1, 0.5, 0.97], 2, 3.5], [0.3, [0.6, 40], [0.8, 60]]],
  StudentT: [[[-4, 0.5, 7], 3, 1, 2], [0.3, [0.7, 80], -0.5, 1.5]],
  HalfStudentT: [[[0.1, 1.5, 9], 3, 1.5], [2, [0.8, 50], 0.7]],
  TruncatedNormal: [[[-0.5, 0.5, 2.5], 0.5, 2, -1, 3], [[8.2, 8.7], 0, 1, 8, 9], [[-1.5, 0.3], 0.7, 1.2, -3, 0.6]],
};

describe("continuous distributions: logp gradients (verifyGrad) w.r.t. the value and every parameter", () => {
  const flatInValue = ["Uniform", "Flat", "HalfFlat"];
  it("has points for every distribution whose density varies with the value", () =>
    assert.deepEqual([...Object.keys(POINTS), ...flatInValue].sort(), Object.keys(specs).sort()));
  it("Uniform: w.r.t. the bounds; Flat, HalfFlat and Uniform are constant in the value (a zero gradient)", () => {
    const u = specs.Uniform;
    pt.verifyGrad((lo, hi) => u.logp(pt.constant([0.3, -0.5, 1.9]), [lo, hi]), [-1, [2, 3, 4]]);
    for (const name of flatInValue) {
      const x = pt.vector("x");
      const params = specs[name].parametrize({}, name);
      const g = grad(pt.sum(specs[name].logp(x, params)), x, { disconnectedInputs: "ignore" });
      assert.deepEqual(Array.from(pt.fn([x], g, { mode: "interp" })([0.1, 0.5, 0.9]).data), [0, 0, 0]);
    }
  });
  for (const [name, points] of Object.entries(POINTS)) {
    points.forEach((point, k) => {
      it(`${name} #${k}`, () => pt.verifyGrad((x, ...ps) => specs[name].logp(x, ps), point));
    });
  }
  it("TruncatedNormal with one constant bound (the lowerBound / upperBound forms)", () => {
    const tn = specs.TruncatedNormal;
    const inf = (v: number) => new Constant(NDArray.scalar(v));
    pt.verifyGrad((x, mu, s, lo) => tn.logp(x, [mu, s, lo, inf(Infinity)]), [[0.2, 3, 40], 1, 2, 0.1]);
    pt.verifyGrad((x, mu, s, hi) => tn.logp(x, [mu, s, inf(-Infinity), hi]), [[-9, -2.5, -2.1], 1, 0.8, -2]);
    pt.verifyGrad((x, mu, s) => tn.logp(x, [mu, s, inf(-Infinity), inf(Infinity)]), [[-9, 0.5], 1, 0.8]);
  });
});

/** logcdf gradients: w.r.t. everything for closed forms; the value (and scale) only where shapes enter incomplete gamma/beta. */
const CDF_POINTS: Record<string, { point: Point; wrt: "all" | number[] }[]> = {
  Uniform: [{ point: [[0.3, -0.5, 1.9], -1, 2], wrt: "all" }],
  Laplace: [{ point: [[-1.2, 0.4, 3], 0.5, 1.7], wrt: "all" }],
  Logistic: [{ point: [[-30, 0.4, 3], 0.5, 0.7], wrt: "all" }],
  Cauchy: [{ point: [[-50, -0.6, 0.4, 3], -0.5, 2], wrt: "all" }],
  HalfCauchy: [{ point: [[0.2, 1.5, 90], 1.3], wrt: "all" }],
  Exponential: [{ point: [[1e-3, 1.5, 9], 2.5], wrt: "all" }],
  Weibull: [{ point: [[1e-4, 1.5, 3], 1.7, 2.2], wrt: "all" }],
  LogNormal: [{ point: [[1e-3, 1.5, 9], 0.3, 0.8], wrt: "all" }],
  Gamma: [{ point: [[0.2, 1.5, 9], 2.5, 0.7], wrt: [0, 2] }],
  InverseGamma: [{ point: [[0.2, 1.5, 9], 3, 2], wrt: [0, 2] }],
  Beta: [{ point: [[0.1, 0.5, 0.97], 2, 3.5], wrt: [0] }],
  StudentT: [{ point: [[-4, 0.5, 7], 3, 1, 2], wrt: [0, 2, 3] }],
  TruncatedNormal: [{ point: [[-0.5, 0.5, 2.5], 0.5, 2, -1, 3], wrt: "all" }, { point: [[8.2, 8.7], 0, 1, 8, 9], wrt: "all" }],
};

describe("continuous distributions: logcdf gradients (verifyGrad)", () => {
  for (const [name, list] of Object.entries(CDF_POINTS)) {
    list.forEach(({ point, wrt }, k) => {
      it(`${name} #${k} w.r.t. ${wrt === "all" ? "the value and every parameter" : `inputs ${wrt.join(", ")}`}`, () => {
        if (wrt === "all") return pt.verifyGrad((x, ...ps) => specs[name].logcdf!(x, ps), point);
        // the other inputs are fixed constants inside the function
        const fixed = point.map((p) => new Constant(NDArray.from(p)));
        const f = (...free: Variable[]) => {
          const all: Variable[] = fixed.slice();
          wrt.forEach((i, j) => (all[i] = free[j]));
          return specs[name].logcdf!(all[0], all.slice(1));
        };
        pt.verifyGrad(f, wrt.map((i) => point[i]));
      });
    });
  }
  it("derivatives w.r.t. incomplete gamma/beta shape parameters are reported as not implemented", () => {
    const alpha = pt.scalar("alpha");
    const lc = specs.Gamma.logcdf!(pt.constant(1.5), [alpha, pt.constant(1)]);
    assertThrowsMatching(() => grad(lc, alpha), "not implemented", "gammainc", "shape parameter a");
    const nu = pt.scalar("nu");
    const lt = specs.StudentT.logcdf!(pt.constant(0.5), [nu, pt.constant(0), pt.constant(1)]);
    assertThrowsMatching(() => grad(lt, nu), "not implemented", "betainc");
  });
});

/** Parameters (canonical) to take moments at, with a batch of 3 where the family allows it. */
const MOMENT_PARAMS: Record<string, number[][]> = {
  Uniform: [[-1, 0, 5], [2, 3, 6]], Flat: [], HalfFlat: [], Laplace: [[0, 1, -2], [1, 2, 3]], Logistic: [[0, 1, -2], [1, 2, 3]],
  Cauchy: [[0, 1, -2], [1, 2, 3]], HalfCauchy: [[0.5, 1, 3]], Exponential: [[0.5, 1, 3]], Weibull: [[0.5, 1, 3], [1, 2, 0.1]],
  LogNormal: [[0, 1, -2], [0.1, 1, 2]], Gamma: [[0.5, 1, 30], [1, 2, 0.1]], InverseGamma: [[0.5, 1, 3], [1, 2, 0.1]],
  Beta: [[0.5, 1, 30], [0.7, 2, 0.1]], StudentT: [[0.5, 1, 30], [0, 2, -1], [1, 2, 3]], HalfStudentT: [[0.5, 1, 30], [1, 2, 3]],
  TruncatedNormal: [[0, 1, 5], [1, 2, 1], [-Infinity, -1, 2], [Infinity, 0, 3]],
};

describe("continuous distributions: moments (PyMC's support_point)", () => {
  for (const [name, ps] of Object.entries(MOMENT_PARAMS)) {
    it(`${name}: has the draw's shape [2, 3] and lies in the support`, () => {
      const spec = specs[name];
      const params = ps.map((p) => new Constant(NDArray.from(p)));
      const m = spec.moment(params, [2, 3]);
      assert.deepEqual(m.type.shape, [2, 3]);
      const value = m.eval();
      assert.deepEqual(value.shape, [2, 3]);
      const lp = spec.logp(new Constant(value), params).eval();
      assert.ok(Array.from(lp.data).every((v) => Number.isFinite(v)), `${name}: logp at the moment ${Array.from(value.data)} is ${Array.from(lp.data)}`);
    });
  }
  it("values follow PyMC (Gamma α/β, Beta α/(α+β), Exponential 1/λ, Uniform midpoint, InverseGamma mean or mode, TruncatedNormal)", () => {
    const at = (name: string, args: Record<string, number>) => Array.from(specs[name].moment(specs[name].parametrize(args, name), [1]).eval().data);
    assert.deepEqual(at("Gamma", { alpha: 3, beta: 2 }), [1.5]);
    assert.deepEqual(at("Beta", { alpha: 1, beta: 3 }), [0.25]);
    assert.deepEqual(at("Exponential", { lam: 4 }), [0.25]);
    assert.deepEqual(at("Uniform", { lower: -1, upper: 5 }), [2]);
    assert.deepEqual(at("InverseGamma", { alpha: 3, beta: 4 }), [2]);
    assert.deepEqual(at("InverseGamma", { alpha: 0.5, beta: 3 }), [2]);
    assert.deepEqual(at("TruncatedNormal", { mu: 7, lower: 0 }), [1]);
    assert.deepEqual(at("TruncatedNormal", { mu: 7, upper: 0 }), [-1]);
    assert.deepEqual(at("TruncatedNormal", { mu: 7 }), [7]);
    assert.deepEqual(at("HalfFlat", {}), [1]);
    assert.deepEqual(at("Flat", {}), [0]);
  });
});

describe("continuous distributions: default transforms", () => {
  const expected: Record<string, string | null> = {
    Uniform: "interval", Flat: null, HalfFlat: "log", Laplace: null, Logistic: null, Cauchy: null, HalfCauchy: "log",
    Exponential: "log", Weibull: "log", LogNormal: "log", Gamma: "log", InverseGamma: "log", Beta: "logodds",
    StudentT: null, HalfStudentT: "log", TruncatedNormal: "interval",
  };
  for (const [name, want] of Object.entries(expected)) {
    it(`${name}: ${want ?? "none"}, and every unconstrained value maps into the support`, () => {
      const spec = specs[name];
      const params = spec.parametrize(name === "TruncatedNormal" ? { lower: -1, upper: 2 } : DEFAULT_ARGS[name] ?? {}, name);
      const t = spec.transform?.(params) ?? null;
      assert.equal(t?.name ?? null, want);
      if (!t) return;
      const y = pt.vector("y");
      const x = t.backward(y);
      const lp = pt.fn([y], spec.logp(x, params), { mode: "interp" })([-30, -2, 0, 0.5, 3, 30]);
      assert.ok(Array.from(lp.data).every((v) => v > -Infinity), `${name}: logp of backward(y) = ${Array.from(lp.data)}`);
    });
  }
  it("TruncatedNormal picks interval, lowerBound, upperBound or none from which bounds are given", () => {
    const tn = specs.TruncatedNormal;
    const name = (args: Record<string, number>) => tn.transform!(tn.parametrize(args, "tn"))?.name ?? null;
    assert.equal(name({ lower: 0, upper: 1 }), "interval");
    assert.equal(name({ lower: 0 }), "lowerbound");
    assert.equal(name({ upper: 0 }), "upperbound");
    assert.equal(name({}), null);
    assert.equal(name({ lower: -Infinity, upper: Infinity }), null);
    assert.equal(name({ lower: -Infinity, upper: 3 }), "upperbound");
    // a symbolic bound might be finite, so it keeps its side of the transform
    assert.equal(tn.transform!([pt.scalar(), pt.scalar(), pt.scalar("lo"), pt.constant(Infinity)])?.name, "lowerbound");
  });
});

const DEFAULT_ARGS: Record<string, Record<string, number>> = {
  Uniform: { lower: -1, upper: 2 }, Laplace: { mu: 0, b: 1 }, Cauchy: { alpha: 0, beta: 1 }, HalfCauchy: { beta: 1 },
  Weibull: { alpha: 1.5, beta: 2 }, Gamma: { alpha: 2, beta: 1 }, InverseGamma: { alpha: 2 }, Beta: { alpha: 2, beta: 3 },
  StudentT: { nu: 3 }, HalfStudentT: { nu: 3 },
};
