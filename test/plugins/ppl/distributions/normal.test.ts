// Normal and HalfNormal (plugins/ppl/distributions/normal.ts): logp and logcdf against scipy.stats
// (test/fixtures/gen_continuous.py), seed 003's printed numbers, tau, checks, gradients, moments.
import { strict as assert } from "node:assert";
import { Constant, NDArray, pt } from "../../../../mod.ts";
import { HalfNormal, Normal } from "../../../../plugins/ppl/distributions/normal.ts";
import { assertClose, assertThrowsMatching, loadFixture } from "../../../helpers.ts";
import { evaluate, fixture, fixtureSuite } from "./continuous_harness.ts";
import { drawFrom, floats, ksPValue } from "./harness.ts";
import { ndtr } from "../../../../plugins/ops/special.ts";

interface SeedExpectations {
  pytensor_intro_003: { normal_logp_vector: { logp: number[] }; normal_logp_scalar: { logp: number } };
}
const seed = loadFixture<SeedExpectations>("seed_expectations.json").pytensor_intro_003;

describe("Normal, HalfNormal: logp and logcdf vs scipy.stats", () => {
  fixtureSuite({ Normal, HalfNormal });
});

describe("Normal: seed 003", () => {
  it("logp of Normal(mu=[0, 0], sigma=[1, 2]) at [0, 0] is [-0.91893853, -1.61208571]", () => {
    const got = evaluate(Normal, "logp", { mu: [0, 0], sigma: [1, 2] }, [0, 0]);
    // the seed prints 8 decimals
    assertClose(got, seed.normal_logp_vector.logp, { rtol: 0, atol: 5e-9 });
    assert.deepEqual(seed.normal_logp_vector.logp, [-0.91893853, -1.61208571]);
  });
  it("logp(Normal(0, 1), 1.25) = -1.7001885332046727", () => {
    const got = evaluate(Normal, "logp", { mu: 0, sigma: 1 }, 1.25);
    assert.equal(got.item(), -1.7001885332046727);
    assert.equal(seed.normal_logp_scalar.logp, -1.7001885332046727);
  });
});

describe("Normal, HalfNormal: parametrizations and checks", () => {
  it("tau is the precision: Normal(tau=4) is Normal(sigma=0.5), HalfNormal likewise", () => {
    const xs = [-2, -0.1, 0, 0.3, 4];
    assertClose(evaluate(Normal, "logp", { mu: 1, tau: 4 }, xs), evaluate(Normal, "logp", { mu: 1, sigma: 0.5 }, xs), { rtol: 1e-15 });
    assertClose(evaluate(Normal, "logcdf", { tau: 4 }, xs), evaluate(Normal, "logcdf", { sigma: 0.5 }, xs), { rtol: 1e-15 });
    assertClose(evaluate(HalfNormal, "logp", { tau: 0.25 }, xs), evaluate(HalfNormal, "logp", { sigma: 2 }, xs), { rtol: 1e-15 });
    assertThrowsMatching(() => Normal.parametrize({ sigma: 1, tau: 1 }, "x"), "only one of sigma, tau");
  });
  it("defaults: mu = 0, sigma = 1; HalfNormal's loc is 0", () => {
    assert.deepEqual(Normal.parametrize({}, "x").map((v) => v.eval().item()), [0, 1]);
    assert.deepEqual(HalfNormal.parametrize({}, "x").map((v) => v.eval().item()), [0, 1]);
  });
  for (const e of fixture.errors.filter((e) => e.dist === "Normal" || e.dist === "HalfNormal")) {
    it(`${e.dist}(${JSON.stringify(e.args)}) raises '${e.message}' from logp and logcdf`, () => {
      const spec = e.dist === "Normal" ? Normal : HalfNormal;
      assertThrowsMatching(() => evaluate(spec, "logp", e.args, e.value), e.message, "does not hold");
      assertThrowsMatching(() => evaluate(spec, "logcdf", e.args, e.value), e.message);
    });
  }
});

describe("Normal: logcdf in the far left tail", () => {
  it("log Φ(z) stays finite and accurate down to z = -1e5 (no underflow of Φ)", () => {
    // mpmath: log Φ(−40) = −804.60844201375378…, log Φ(−1e5) = −5000000012.43186399…
    const got = evaluate(Normal, "logcdf", { mu: 0, sigma: 1 }, [-40, -1e5]);
    assertClose(got, [-804.6084420137538, -5000000012.431864], { rtol: 1e-14 });
  });
  it("is continuous across the switch at z = -1", () => {
    const got = Array.from(evaluate(Normal, "logcdf", { mu: 0, sigma: 1 }, [-1 - 1e-12, -1, -1 + 1e-12]).data);
    assert.ok(Math.abs(got[0] - got[1]) < 1e-11 && Math.abs(got[2] - got[1]) < 1e-11, `${got}`);
  });
});

describe("Normal, HalfNormal: gradients (verifyGrad)", () => {
  it("Normal logp w.r.t. value, mu and sigma", () => {
    pt.verifyGrad((x, mu, s) => Normal.logp(x, [mu, s]), [[-3, 0.2, 5], 0.5, 1.7]);
    pt.verifyGrad((x, mu, s) => Normal.logp(x, [mu, s]), [0.4, [0, 1, -2], [[0.5], [3]]]);
  });
  it("Normal logcdf w.r.t. value, mu and sigma, including the left tail", () => {
    pt.verifyGrad((x, mu, s) => Normal.logcdf!(x, [mu, s]), [[-60, -3, 0.2, 5], 0.5, 1.7]);
  });
  it("HalfNormal logp and logcdf w.r.t. value and sigma", () => {
    const loc = new Constant(NDArray.scalar(0));
    pt.verifyGrad((x, s) => HalfNormal.logp(x, [loc, s]), [[0.1, 1, 6], 1.3]);
    pt.verifyGrad((x, s) => HalfNormal.logcdf!(x, [loc, s]), [[0.1, 1, 6], 1.3]);
  });
});

describe("Normal, HalfNormal: moments and transforms", () => {
  it("moments: Normal mu, HalfNormal loc + sigma, with the draw's shape", () => {
    const m = Normal.moment(Normal.parametrize({ mu: [1, 2, 3], sigma: 2 }, "x"), [2, 3]);
    assert.deepEqual(m.eval().shape, [2, 3]);
    assert.deepEqual(Array.from(m.eval().data), [1, 2, 3, 1, 2, 3]);
    const h = HalfNormal.moment(HalfNormal.parametrize({ sigma: [0.5, 2] }, "x"), [3, 2]);
    assert.deepEqual(Array.from(h.eval().data), [0.5, 2, 0.5, 2, 0.5, 2]);
  });
  it("transforms: none for Normal, log for HalfNormal", () => {
    assert.equal(Normal.transform?.(Normal.parametrize({}, "x")) ?? null, null);
    assert.equal(HalfNormal.transform!(HalfNormal.parametrize({}, "x"))!.name, "log");
  });
});

describe("Normal, HalfNormal: draws (KS, 1e5 draws, p > 0.001)", () => {
  it("Normal(mu=-1, sigma=2.5)", () => {
    const x = drawFrom(Normal, { mu: -1, sigma: 2.5 }, [100000], 11);
    assert.ok(ksPValue(floats(x), (v) => ndtr((v + 1) / 2.5)) > 0.001);
  });
  it("Normal(tau=4)", () => {
    const x = drawFrom(Normal, { tau: 4 }, [100000], 12);
    assert.ok(ksPValue(floats(x), (v) => ndtr(v / 0.5)) > 0.001);
  });
  it("HalfNormal(sigma=1.3)", () => {
    const x = drawFrom(HalfNormal, { sigma: 1.3 }, [100000], 13);
    assert.ok(ksPValue(floats(x), (v) => 2 * ndtr(v / 1.3) - 1) > 0.001);
  });
  it("draws have the batch shape, broadcasting the parameters", () => {
    const x = drawFrom(Normal, { mu: [[0], [10]], sigma: [1, 2, 3] }, [2, 3], 14);
    assert.deepEqual(x.shape, [2, 3]);
    assert.equal(x.dtype, "float64");
  });
});
