import { strict as assert } from "node:assert";
import { NDArray, pt, type Variable } from "../../../mod.ts";
import { LogSumExpSoftmax } from "../../../plugins/ops/logsumexp_softmax.ts";
import { assertClose } from "../../helpers.ts";

const both = (x: Variable, axis: number[] | null) => new LogSumExpSoftmax(axis).apply([x]).outputs;
const x3 = [[[0.1, -2, 3], [1, 1, 1]], [[-700, 5, 2], [0.5, -0.5, 40]]];

describe("LogSumExpSoftmax", () => {
  for (const axis of [[0], [1], [2], [0, 2], null]) {
    it(`equals logsumexp and softmax over axes ${JSON.stringify(axis)}, under js and interp`, () => {
      const x = pt.tensor3("x");
      const [lse, w] = both(x, axis);
      for (const mode of ["js", "interp"]) {
        const [l, s] = pt.fn([x], [lse, w], { mode })(x3);
        const [l2, s2] = pt.fn([x], [pt.logsumexp(x, { axis }), pt.softmax(x, { axis })], { mode: "interp" })(x3);
        assertClose(l, l2, { rtol: 1e-14, what: `lse (${mode})` });
        assertClose(s, s2, { rtol: 1e-14, atol: 1e-300, what: `softmax (${mode})` });
      }
    });
  }
  it("keeps scipy's special values: NaN lanes, −inf lanes, +inf", () => {
    const x = pt.matrix("x");
    const [lse, w] = both(x, [1]);
    const [l, s] = pt.fn([x], [lse, w], { mode: "js" })([[NaN, 1], [-Infinity, -Infinity], [Infinity, 1]]);
    assert.ok(Number.isNaN(l.data[0]) && l.data[1] === -Infinity && l.data[2] === Infinity);
    assert.ok(Array.from(s.data).every((v) => Number.isNaN(v) || v === 0));
  });
  it("has a gradient through both outputs", () => {
    pt.verifyGrad((v) => {
      const [lse, w] = both(v, [1]);
      return pt.add(pt.sum(pt.mul(lse, 1.5)), pt.sum(pt.mul(w, pt.constant([[1, 2, 3]]))));
    }, [[[0.3, -1, 2], [1, 0.5, -0.5]]]);
  });
  it("is what an HMM-style forward step compiles to", () => {
    const a = pt.matrix("a");
    const lse = pt.logsumexp(a, { axis: 1, keepdims: true });
    const f = pt.fn([a], [lse, pt.exp(pt.sub(a, lse))]);
    assert.ok(f.fgraph.nodes.some((n) => n.op instanceof LogSumExpSoftmax));
    const [l, w] = f([[1, 2], [3, 4]]);
    assertClose(l, NDArray.from([[2 + Math.log1p(Math.exp(-1))], [4 + Math.log1p(Math.exp(-1))]]), { rtol: 1e-15 });
    assertClose(w, NDArray.from([[1 / (1 + Math.E), Math.E / (1 + Math.E)], [1 / (1 + Math.E), Math.E / (1 + Math.E)]]), { rtol: 1e-15 });
  });
});
