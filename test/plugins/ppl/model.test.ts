import { strict as assert } from "node:assert";
import { NDArray, pm, pt, type Variable } from "../../../mod.ts";
import { cloneReplace } from "../../../core/walk.ts";
import { assertClose, assertThrowsMatching, loadFixture } from "../../helpers.ts";

interface SeedExpectations {
  pytensor_intro_003: {
    normal_logp_vector: { logp: number[] };
    normal_logp_scalar: { logp: number };
    model_2: { value_vars: string[]; point: Record<string, number>; logp_sum_false: number[] };
  };
}
const seed = loadFixture<SeedExpectations>("seed_expectations.json").pytensor_intro_003;

describe("pm: seed 003 'PyMC'", () => {
  it("a RandomVariable evaluates to the same value each time; pm.draw gives new ones", () => {
    const x = pm.Normal.dist({ mu: 0, sigma: 1 });
    const a = x.eval().item(), b = x.eval().item();
    assert.equal(a, b);
    const d1 = pm.draw(x) as NDArray, d2 = pm.draw(x) as NDArray;
    assert.notEqual(d1.item(), d2.item());
    const many = pm.draw(x, { draws: 1000, seed: 1 }) as NDArray;
    assert.deepEqual(many.shape, [1000]);
    assert.ok(new Set(many.data).size === 1000);
  });

  it("same seed, same draws", () => {
    const z = pm.Normal.dist({ mu: [0, 0], sigma: [1, 2] });
    const a = pm.draw(z, { draws: 5, seed: 42 }) as NDArray, b = pm.draw(z, { draws: 5, seed: 42 }) as NDArray;
    assert.deepEqual(a.shape, [5, 2]);
    assert.deepEqual(Array.from(a.data), Array.from(b.data));
  });

  it("z ~ Normal([0, 0], [1, 2]): logp at [0, 0] is [-0.91893853, -1.61208571]", () => {
    const model = pm.model(() => {
      pm.Normal("z", { mu: [0, 0], sigma: [1, 2] });
    });
    const z = model.basicRVs[0];
    const zValue = pt.vector("z");
    const lp = pm.logp(z, zValue);
    assert.equal(lp.name, "z_logprob");
    assert.match(pt.dprint(lp), /^Check\{sigma > 0\} \[id A\] 'z_logprob'/);
    assertClose(lp.eval(new Map([[zValue, [0, 0]]])), seed.normal_logp_vector.logp, { rtol: 1e-8 });
    const point = model.initialPoint();
    assertClose(point.z, [0, 0]);
    const [terms] = model.compileLogp({ sum: false })(point) as NDArray[];
    assertClose(terms, seed.normal_logp_vector.logp, { rtol: 1e-8 });
  });

  it("pm.logp(Normal(0, 1), 1.25) = -1.7001885332046727", () => {
    assertClose(pm.logp(pm.Normal.dist({ mu: 0, sigma: 1 }), 1.25).eval(), seed.normal_logp_scalar.logp, { rtol: 1e-15 });
  });

  it("model_2: value variables and elementwise logp", () => {
    const m2 = pm.model(() => {
      const mu = pm.Normal("mu", { mu: 0, sigma: 2 });
      const sigma = pm.HalfNormal("sigma", { sigma: 3 });
      pm.Normal("x", { mu, sigma });
    });
    assert.deepEqual(m2.valueVars.map((v) => v.name), seed.model_2.value_vars);
    const terms = m2.logp({ sum: false }) as ReturnType<typeof pt.vector>[];
    const stacked = pt.stack(terms);
    const values = new Map(m2.valueVars.map((v) => [v, seed.model_2.point[v.name!]]));
    assertClose(stacked.eval(values), seed.model_2.logp_sum_false, { rtol: 1e-8 });
    const fromCompiled = m2.compileLogp({ sum: false })(seed.model_2.point) as NDArray[];
    assertClose(NDArray.from(fromCompiled.map((a) => a.item())), seed.model_2.logp_sum_false, { rtol: 1e-8 });
    const total = m2.compileLogp()(seed.model_2.point) as number;
    assertClose(NDArray.scalar(total), seed.model_2.logp_sum_false.reduce((a, b) => a + b), { rtol: 1e-8 });
  });

  it("dlogp passes verifyGrad and d2logp is its negated Jacobian", () => {
    const m = pm.model(() => {
      const mu = pm.Normal("mu", { mu: 0, sigma: 2 });
      const sigma = pm.HalfNormal("sigma", { sigma: 3 });
      pm.Normal("x", { mu, sigma, observed: [0.3, -1.2, 2.2] });
    });
    const { view } = m.dlogp();
    const [lp] = view.over([m.logp() as ReturnType<typeof pt.scalar>]);
    pt.verifyGrad((theta) => cloneLp(lp, view.theta, theta), [[0.4, -0.3]]);
    const g = m.compileDlogp()({ mu: 0.4, sigma_log__: -0.3 });
    const h = m.compileD2logp()({ mu: 0.4, sigma_log__: -0.3 });
    assert.deepEqual(g.shape, [2]);
    assert.deepEqual(h.shape, [2, 2]);
    // symmetric, and −d²logp/dmu² = n/σ² + 1/4 for this model
    assertClose(NDArray.scalar(h.get(0, 1)), h.get(1, 0), { rtol: 1e-12 });
    const s2 = Math.exp(-0.6);
    assertClose(NDArray.scalar(h.get(0, 0)), 3 / s2 + 1 / 4, { rtol: 1e-10 });
  });
});

function cloneLp(lp: Variable, theta: Variable, replacement: Variable): Variable {
  return cloneReplace([lp], new Map([[theta, replacement]]))[0];
}

describe("pm: bad input names the variable", () => {
  it("mu and sigma of different shapes", () => {
    assertThrowsMatching(() => pm.model(() => pm.Normal("x", { mu: [1, 2, 3, 4], sigma: [1, 2, 3] })), 'Normal("x")', "[4]", "[3]", "cannot be broadcast");
  });
  it("observed data with NaN", () => {
    assertThrowsMatching(() => pm.model(() => pm.Normal("y", { mu: 0, sigma: 1, observed: [1, NaN] })), 'Normal("y")', "NaN");
  });
  it("a negative constant sigma", () => {
    assertThrowsMatching(() => pm.model(() => pm.HalfNormal("s", { sigma: -1 })), 'HalfNormal("s")', "sigma > 0");
  });
  it("a negative sigma reaching logp at run time", () => {
    const m = pm.model(() => {
      const mu = pm.Normal("mu", { mu: 0, sigma: 1 });
      pm.Normal("x", { mu: 0, sigma: mu, observed: [1] });
    });
    assertThrowsMatching(() => m.compileLogp()({ mu: -1 }), 'Normal("x")', "sigma > 0");
    assert.equal(m.logDensity().logpAndGrad(new Float64Array([-1]), new Float64Array(1)), -Infinity);
  });
  it("a variable created outside any model", () => {
    assertThrowsMatching(() => pm.Normal("loose", { mu: 0, sigma: 1 }), "no model in context");
  });
});
