import { strict as assert } from "node:assert";
import { buildHmmModel } from "../../../examples/hmm_model.ts";
import { loadHmmFixture } from "../../../bench/hmm_graph.ts";
import { assertClose } from "../../helpers.ts";

const fx = loadHmmFixture();

describe("seed 000 HMM model", () => {
  const model = buildHmmModel(fx.emission_observed);
  const point = model.initialPoint();

  it("has PyMC's value variables and initial point", () => {
    assert.deepEqual(model.valueVars.map((v) => v.name), Object.keys(fx.expected.model_initial_point));
    for (const [k, v] of Object.entries(fx.expected.model_initial_point)) assertClose(point[k], v as number[], { what: k });
  });

  it("point logps at the initial point match the seed (1e-6 relative)", () => {
    const got = model.pointLogps(point);
    assert.deepEqual(Object.keys(got), Object.keys(fx.expected.point_logps_at_initial_point));
    for (const [k, v] of Object.entries(fx.expected.point_logps_at_initial_point)) {
      assert.ok(Math.abs(got[k] - v) <= 1e-6 * Math.abs(v), `${k}: ${got[k]} vs ${v}`);
    }
  });

  it("its flat log-density has a gradient that agrees with finite differences", () => {
    const ld = model.logDensity();
    assert.equal(ld.dim, 1 + 1 + 2 + 6);
    const x = new Float64Array(ld.dim).map((_, i) => 0.1 * Math.sin(i + 1));
    const g = new Float64Array(ld.dim);
    const lp = ld.logpAndGrad(x, g);
    assert.ok(Number.isFinite(lp));
    for (let i = 0; i < ld.dim; i++) {
      const up = x.slice(), dn = x.slice();
      up[i] += 1e-6;
      dn[i] -= 1e-6;
      const num = (ld.logpAndGrad(up, new Float64Array(ld.dim)) - ld.logpAndGrad(dn, new Float64Array(ld.dim))) / 2e-6;
      assert.ok(Math.abs(num - g[i]) <= 1e-5 * Math.max(1, Math.abs(num)), `entry ${i}: ${g[i]} vs ${num}`);
    }
  });
});
