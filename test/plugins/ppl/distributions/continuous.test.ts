// logp / logcdf of the continuous distributions against scipy.stats (mpmath where scipy is inexact),
// PyMC's parameter checks and keyword-argument handling. Fixture: test/fixtures/gen_continuous.py.
import { strict as assert } from "node:assert";
import { pt } from "../../../../mod.ts";
import { continuousDistributions } from "../../../../plugins/ppl/distributions/continuous.ts";
import { continuousSpecialDistributions } from "../../../../plugins/ppl/distributions/continuous_special.ts";
import { truncatedDistributions } from "../../../../plugins/ppl/distributions/truncated.ts";
import type { DistributionSpec } from "../../../../plugins/ppl/distributions/types.ts";
import { assertThrowsMatching } from "../../../helpers.ts";
import { assertLogcdfCoverage, evaluate, fixture, fixtureSuite } from "./continuous_harness.ts";

const specs: Record<string, DistributionSpec> = { ...continuousDistributions, ...continuousSpecialDistributions, ...truncatedDistributions };

describe("continuous distributions: logp and logcdf vs scipy.stats", () => {
  it("every distribution has fixture cases, with logcdf values where it defines a logcdf", () => assertLogcdfCoverage(specs));
  // rtol 1e-10 (the brief's bar); every case also holds at 1e-12 today
  fixtureSuite(specs);
});

describe("continuous distributions: invalid parameters (PyMC's check_parameters)", () => {
  for (const e of fixture.errors.filter((e) => e.dist in specs)) {
    const spec = specs[e.dist];
    it(`${e.dist}(${JSON.stringify(e.args)}): logp raises '${e.message}'`, () => {
      assertThrowsMatching(() => evaluate(spec, "logp", e.args, e.value), e.message, "does not hold", e.dist);
    });
    if (spec.logcdf) {
      it(`${e.dist}(${JSON.stringify(e.args)}): logcdf raises '${e.message}'`, () => {
        assertThrowsMatching(() => evaluate(spec, "logcdf", e.args, e.value), e.message);
      });
    }
  }
});

describe("continuous distributions: keyword arguments", () => {
  const rv = "X";
  it("required parameters are named when missing", () => {
    assertThrowsMatching(() => specs.Laplace.parametrize({ mu: 0 }, rv), "missing parameter 'b'");
    assertThrowsMatching(() => specs.Cauchy.parametrize({ beta: 1 }, rv), "missing parameter 'alpha'");
    assertThrowsMatching(() => specs.StudentT.parametrize({ mu: 0 }, rv), "missing parameter 'nu'");
    assertThrowsMatching(() => specs.Weibull.parametrize({ alpha: 1 }, rv), "missing parameter 'beta'");
    assertThrowsMatching(() => specs.HalfCauchy.parametrize({}, rv), "missing parameter 'beta'");
  });
  it("alternative parametrizations are exclusive", () => {
    assertThrowsMatching(() => specs.LogNormal.parametrize({ sigma: 1, tau: 1 }, rv), "only one of sigma, tau");
    assertThrowsMatching(() => specs.StudentT.parametrize({ nu: 1, sigma: 1, lam: 1 }, rv), "only one of sigma, lam");
    assertThrowsMatching(() => specs.Exponential.parametrize({ lam: 1, scale: 1 }, rv), "only one of lam, scale");
    assertThrowsMatching(() => specs.Gamma.parametrize({ alpha: 1, beta: 1, mu: 1, sigma: 1 }, rv), "only one of alpha and beta, or mu and sigma");
  });
  it("incomplete parametrizations say which groups are accepted", () => {
    assertThrowsMatching(() => specs.Gamma.parametrize({ alpha: 2 }, rv), "incompatible parametrization", "alpha and beta", "mu and sigma");
    assertThrowsMatching(() => specs.Beta.parametrize({ mu: 0.5 }, rv), "alpha and beta, or mu and sigma, or mu and nu");
    assertThrowsMatching(() => specs.InverseGamma.parametrize({ beta: 2 }, rv), "alpha, or mu and sigma");
  });
  it("defaults follow PyMC", () => {
    const ev = (vs: ReturnType<DistributionSpec["parametrize"]>) => vs.map((v) => v.eval().item());
    assert.deepEqual(ev(specs.Uniform.parametrize({}, rv)), [0, 1]);
    assert.deepEqual(ev(specs.Logistic.parametrize({}, rv)), [0, 1]);
    assert.deepEqual(ev(specs.Exponential.parametrize({}, rv)), [1]);
    assert.deepEqual(ev(specs.Exponential.parametrize({ lam: 4 }, rv)), [0.25]);
    assert.deepEqual(ev(specs.LogNormal.parametrize({}, rv)), [0, 1]);
    assert.deepEqual(ev(specs.StudentT.parametrize({ nu: 3 }, rv)), [3, 0, 1]);
    assert.deepEqual(ev(specs.InverseGamma.parametrize({ alpha: 3 }, rv)), [3, 1]);
    assert.deepEqual(ev(specs.TruncatedNormal.parametrize({}, rv)), [0, 1, -Infinity, Infinity]);
    assert.deepEqual(ev(specs.Gamma.parametrize({ alpha: 2, beta: 4 }, rv)), [2, 0.25]);
  });
  it("integer arguments become float64 parameters", () => {
    const [nu] = specs.StudentT.parametrize({ nu: pt.constant([3, 4], { dtype: "int32" }) }, rv);
    assert.equal(nu.dtype, "float64");
  });
});
