import { strict as assert } from "node:assert";
import { NDArray, pm, pt, type Variable } from "../../../mod.ts";
import { cloneReplace } from "../../../core/walk.ts";
import { readFileSync, writeFileSync } from "node:fs";
import type { PmModel } from "../../../plugins/ppl/pm_model.ts";
import { assertClose, assertThrowsMatching } from "../../helpers.ts";

/** verifyGrad of a model's flat log-density at a jittered initial point. */
function checkModelGradient(model: PmModel, seed = 1): void {
  const { view } = model.dlogp();
  const [lp] = view.over([model.logp() as Variable]);
  const x0 = view.flatten(model.initialPoint({ jitter: true, seed }));
  pt.verifyGrad((theta) => cloneReplace([lp], new Map([[view.theta, theta]]))[0], [Array.from(x0)]);
}

describe("pm: models beyond the seeds", () => {
  it("Deterministic, coords and dims, and the graphviz layout", () => {
    const m = pm.model(() => {
      const mu = pm.Normal("mu", { mu: 0, sigma: 1, dims: ["group"] });
      pm.Deterministic("mu2", pt.mul(mu, 2), { dims: ["group"] });
      pm.Normal("y", { mu, sigma: 1, observed: [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]] });
    }, { coords: { group: ["a", "b", "c"] } });
    assert.deepEqual(m.freeRVs[0].type.shape, [3]);
    const dot = m.toGraphviz();
    assert.match(dot, /subgraph cluster\d+ \{\n\t\tmu \[label="mu\\n~\\nNormal" shape=ellipse\]\n\t\tmu2 \[label="mu2\\n~\\nDeterministic" shape=box\]\n\t\tlabel="group \(3\)"/);
    assert.match(dot, /y \[label="y\\n~\\nNormal" shape=ellipse style=filled\]/);
    assert.match(dot, /\tmu -> mu2\n/);
    assert.match(dot, /\tmu -> y\n/);
    checkModelGradient(m);
  });

  it("pm.Data with setData changes the likelihood without rebuilding", () => {
    const m = pm.model(() => {
      const x = pm.Data("x", [1, 2, 3]);
      const b = pm.Normal("b", { mu: 0, sigma: 1 });
      pm.Normal("y", { mu: pt.mul(b, x), sigma: 1, observed: x });
    });
    const f = m.compileLogp();
    const at = { b: 1 };
    // y = x exactly at b = 1: each term is log N(0 | 0, 1)
    const base = -0.5 * Math.log(2 * Math.PI);
    assertClose(NDArray.scalar(f(at) as number), base - 0.5 + 3 * base, { rtol: 1e-12 });
    m.setData("x", [1, 2, 3, 4, 5]);
    assertClose(NDArray.scalar(f(at) as number), base - 0.5 + 5 * base, { rtol: 1e-12 });
    assertThrowsMatching(() => m.setData("nope", [1]), "no data variable 'nope'");
  });

  it("transform: null, initval and toValuePoint", () => {
    const m = pm.model(() => {
      pm.HalfNormal("s", { sigma: 1, transform: null, initval: 2 });
      pm.Beta("p", { alpha: 2, beta: 3 });
      pm.Normal("o", { mu: 0, sigma: 1, shape: [2], transform: pm.transforms.ordered, initval: [-1, 1] });
    });
    assert.deepEqual(m.valueVars.map((v) => v.name), ["s", "p_logodds__", "o_ordered__"]);
    const ip = m.initialPoint();
    assertClose(ip.s, 2);
    assertClose(ip.o_ordered__, [-1, Math.log(2)], { rtol: 1e-15 });
    const vp = m.toValuePoint({ s: 0.5, p: 0.2, o: [0, 3] });
    assertClose(vp.p_logodds__, Math.log(0.2 / 0.8), { rtol: 1e-14 });
    assertClose(vp.o_ordered__, [0, Math.log(3)], { rtol: 1e-14 });
    checkModelGradient(m);
  });

  it("jittered initial points are seeded and within ±1 of the plain one", () => {
    const m = pm.model(() => {
      pm.Normal("a", { mu: 3, sigma: 1, shape: [4] });
    });
    const p1 = m.initialPoint({ jitter: true, seed: 5 }), p2 = m.initialPoint({ jitter: true, seed: 5 });
    assert.deepEqual(Array.from(p1.a.data), Array.from(p2.a.data));
    for (const v of p1.a.data) assert.ok(Math.abs(v - 3) <= 1 && v !== 3);
  });

  it("prior and posterior predictive draws", () => {
    const m = pm.model(() => {
      const mu = pm.Normal("mu", { mu: 10, sigma: 0.1 });
      pm.Normal("y", { mu, sigma: 0.01, observed: [1, 2, 3] });
    });
    const { prior, priorPredictive } = pm.samplePriorPredictive({ model: m, draws: 200, seed: 3 });
    assert.deepEqual(prior.mu.shape, [1, 200]);
    assert.deepEqual(priorPredictive.y.shape, [1, 200, 3]);
    const meanMu = Array.from(prior.mu.data).reduce((a, b) => a + b) / 200;
    assert.ok(Math.abs(meanMu - 10) < 5 * 0.1 / Math.sqrt(200), `${meanMu}`);
    // posterior predictive: y follows the given mu draws closely (sigma 0.01)
    const posterior = { mu: NDArray.from([[[1], [2]], [[3], [4]]].map((c) => c.map((d) => d[0]))) };
    const pp = pm.samplePosteriorPredictive(posterior, { model: m, seed: 4 });
    assert.deepEqual(pp.y.shape, [2, 2, 3]);
    for (let i = 0; i < 4; i++) for (let j = 0; j < 3; j++) assert.ok(Math.abs(pp.y.data[i * 3 + j] - (i + 1)) < 0.1);
  });

  it("dlogp passes verifyGrad for discrete-free models with vector transforms", () => {
    const m = pm.model(() => {
      const p = pm.Dirichlet("p", { a: [1, 2, 3] });
      const sd = pm.Exponential("sd", { lam: 1 });
      pm.Normal("y", { mu: pt.dot(p, pt.constant([1, 2, 3])), sigma: sd, observed: [2.1, 1.9] });
      pm.StudentT("t", { nu: 4, mu: 0, sigma: 1 });
      pm.Gamma("g", { alpha: 2, beta: 1 });
    });
    checkModelGradient(m, 7);
  });
});

describe("pm: seeded draws are identical on Node and Deno", () => {
  // a cross-runtime regression reference recorded on Node (regenerate with TENSORLOOM_WRITE_PM_DRAWS=1 on
  // Node); correctness of the distributions is tested against scipy elsewhere
  const file = new URL("../../fixtures/pm_draws_node.json", import.meta.url);
  const draws = () => {
    const out: Record<string, number[]> = {};
    const vars: Record<string, Variable> = {
      normal: pm.Normal.dist({ mu: [0, 10], sigma: [1, 0.5] }),
      gamma: pm.Gamma.dist({ alpha: 0.7, beta: 2 }),
      beta: pm.Beta.dist({ alpha: 0.5, beta: 3 }),
      poisson: pm.Poisson.dist({ mu: 4.5 }),
      dirichlet: pm.Dirichlet.dist({ a: [0.5, 1, 2] }),
      studentt: pm.StudentT.dist({ nu: 3, mu: 0, sigma: 2 }),
    };
    for (const [k, v] of Object.entries(vars)) out[k] = Array.from((pm.draw(v, { draws: 4, seed: 11 }) as NDArray).data);
    return out;
  };
  it("matches the Node recording bit for bit", () => {
    const got = draws();
    const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env;
    if (env?.TENSORLOOM_WRITE_PM_DRAWS === "1" && !("Deno" in globalThis)) writeFileSync(file, JSON.stringify(got, null, 1) + "\n");
    const want = JSON.parse(readFileSync(file, "utf8")) as Record<string, number[]>;
    for (const k of Object.keys(want)) assert.deepEqual(got[k], want[k], k);
  });
});
