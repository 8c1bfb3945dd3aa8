import { strict as assert } from "node:assert";
import { type Variable, pt } from "../../../mod.ts";
import { specialFunctions } from "../../../plugins/ops/elemwise_special.ts";
import { grad } from "../../../plugins/ops/gradient.ts";
import { type FixArray, assertClose, assertThrowsMatching, fromFixture, loadFixture } from "../../helpers.ts";

// Reference values: test/fixtures/gen_elemwise_special.py (scipy.special with numpy broadcasting;
// betaln from mpmath, where scipy is inexact).
interface Case {
  fn: keyof typeof specialFunctions;
  inputs: FixArray[];
  out: FixArray;
}
const { cases } = loadFixture<{ cases: Case[] }>("elemwise_special.json");
const fns = specialFunctions as unknown as Record<string, (...xs: Variable[]) => Variable>;

// The scalar kernels are ≲2e-14 relative (test/plugins/ops/special.test.ts); 1e-12 leaves room for
// scipy's own rounding in the incomplete gamma/beta continued fractions.
const RTOL = 1e-12;

describe("elementwise special functions vs scipy.special", () => {
  for (const [k, c] of cases.entries()) {
    const shapes = c.inputs.map((i) => JSON.stringify(i.shape)).join(" ");
    it(`${c.fn} ${shapes} #${k}`, () => {
      const vars = c.inputs.map((i, n) => pt.tensor(`x${n}`, { dtype: i.dtype, ndim: i.shape.length }));
      const out = fns[c.fn](...vars);
      assert.equal(out.dtype, "float64");
      const got = pt.fn(vars, out, { mode: "interp" })(...c.inputs.map(fromFixture));
      assertClose(got, fromFixture(c.out), { rtol: RTOL, atol: 1e-300, what: c.fn });
    });
  }

  it("static shapes broadcast like numpy; bad shapes name the op and both inputs", () => {
    const a = pt.tensor("a", { shape: [3, 1] }), b = pt.tensor("b", { shape: [4] }), x = pt.tensor("x", { shape: [1, 4] });
    assert.deepEqual(specialFunctions.betainc(a, b, x).type.shape, [3, 4]);
    assert.deepEqual(specialFunctions.gammainc(2, b).type.shape, [4]);
    const c = pt.tensor("c", { shape: [3] });
    assertThrowsMatching(() => specialFunctions.xlogy(b, c), "Xlogy", "cannot broadcast", "'b'", "'c'");
  });

  it("prints like PyTensor's scalar ops", () => {
    const x = pt.vector("x");
    assert.equal(String(specialFunctions.logNdtr(x).owner!.op), "LogNdtr");
    assert.equal(String(specialFunctions.gammaincc(x, x).owner!.op), "GammaIncC");
  });
});

describe("elementwise special functions: gradients (verifyGrad)", () => {
  const s = specialFunctions;
  it("xlogy and xlog1py w.r.t. both inputs", () => {
    pt.verifyGrad((x, y) => s.xlogy(x, y), [[-1.5, 0.3, 2], [0.2, 1, 7]]);
    pt.verifyGrad((x, y) => s.xlog1py(x, y), [[-1.5, 0.3, 2], [-0.5, 1, 7]]);
    pt.verifyGrad((x, y) => s.xlogy(x, y), [[[0.5], [2]], [0.3, 4, 9]]);
  });
  it("betaln w.r.t. both inputs, with broadcasting", () => {
    pt.verifyGrad((a, b) => s.betaln(a, b), [[0.3, 2, 40], [0.7, 5, 60]]);
    pt.verifyGrad((a, b) => s.betaln(a, b), [[[0.5], [3]], [1, 2, 9]]);
  });
  it("gammainc / gammaincc w.r.t. x (both series and continued-fraction regions)", () => {
    for (const f of [s.gammainc, s.gammaincc]) {
      pt.verifyGrad((x) => f(pt.constant([0.5, 2.5, 10, 100]), x), [[0.3, 6, 4, 110]]);
      pt.verifyGrad((x) => f(pt.constant([[1.5], [7]]), x), [[0.5, 3, 12]]);
    }
  });
  it("betainc w.r.t. x on both sides of the mean", () => {
    pt.verifyGrad((x) => s.betainc(pt.constant([0.5, 2, 40]), pt.constant([0.7, 3, 60]), x), [[0.2, 0.8, 0.41]]);
  });
  it("ndtr and logNdtr, into the far left tail", () => {
    pt.verifyGrad((x) => s.ndtr(x), [[-3, -0.5, 0, 1.2, 4]]);
    pt.verifyGrad((x) => s.logNdtr(x), [[-300, -30, -3, -0.5, 0, 1.2, 6]]);
  });
  it("logNdtr's gradient is exact in the tails: φ(x)/Φ(x) → −x on the left, → 0 on the right", () => {
    const x = pt.vector("x");
    const g = pt.fn([x], grad(pt.sum(s.logNdtr(x)), x), { mode: "interp" })([-1e6, -40, 40, 1e3]);
    // mpmath: 1000000.000001, 40.024968847207264
    assertClose(g, [1000000.000001, 40.024968847207264, 0, 0], { rtol: 1e-12 });
  });
  it("derivatives w.r.t. incomplete gamma/beta shape parameters are reported as not implemented", () => {
    const a = pt.scalar("a"), b = pt.scalar("b");
    assertThrowsMatching(() => grad(s.gammainc(a, 2), a), "GammaInc", "not implemented", "shape parameter a");
    assertThrowsMatching(() => grad(s.gammaincc(a, 2), a), "GammaIncC", "not implemented");
    assertThrowsMatching(() => grad(s.betainc(a, 2, 0.3), a), "BetaInc", "not implemented", "shape parameter a");
    assertThrowsMatching(() => grad(s.betainc(2, b, 0.3), b), "BetaInc", "not implemented", "shape parameter b");
  });
});
