import { strict as assert } from "node:assert";
import { NDArray, pt, type Variable } from "../../../mod.ts";
import { assertClose, assertThrowsMatching } from "../../helpers.ts";

describe("scan", () => {
  it("a running sum equals cumsum", () => {
    const xs = pt.vector("xs");
    const [acc] = pt.scan({ fn: (x, h) => pt.add(h, x), sequences: [xs], outputsInfo: [pt.constant(0)] });
    assertClose(pt.fn([xs], acc, { mode: "interp" })([1, 2, 3, 4]), [1, 3, 6, 10]);
    assert.equal(String(acc.owner!.op), "Scan{scan_fn}");
  });

  it("recurrence with a matrix state, a non-sequence and a captured variable", () => {
    const W = pt.matrix("W"), xs = pt.matrix("xs"), h0 = pt.vector("h0"), b = pt.vector("b");
    const [hs] = pt.scan({
      fn: (x, h, w) => pt.tanh(pt.add(pt.add(pt.dot(w, h), x), b)), // b is captured from outside
      sequences: [xs], outputsInfo: [h0], nonSequences: [W],
    });
    const Wv = [[0.5, -0.2], [0.1, 0.3]], xv = [[0.1, 0.2], [-0.3, 0.4], [0.5, -0.6]], hv = [0.05, -0.1], bv = [0.01, 0.02];
    // reference loop in plain JS
    let h = hv.slice();
    const want: number[][] = [];
    for (const x of xv) {
      h = [0, 1].map((i) => Math.tanh(Wv[i][0] * h[0] + Wv[i][1] * h[1] + x[i] + bv[i]));
      want.push(h);
    }
    assertClose(pt.fn([W, xs, h0, b], hs, { mode: "interp" })(Wv, xv, hv, bv), NDArray.from(want), { rtol: 1e-14 });
    pt.verifyGrad((w, x, h, bb) => {
      const [out] = pt.scan({ fn: (xt, ht, ww) => pt.tanh(pt.add(pt.add(pt.dot(ww, ht), xt), bb)), sequences: [x], outputsInfo: [h], nonSequences: [w] });
      return pt.sum(pt.sqr(out));
    }, [Wv, xv, hv, bv]);
  });

  it("non-recurrent outputs and nSteps shorter than the sequence", () => {
    const xs = pt.vector("xs");
    const [sq, acc] = pt.scan({ fn: (x, h) => [pt.sqr(x), pt.add(h, x)], sequences: [xs], outputsInfo: [null, pt.constant(0)], nSteps: 3 });
    const [a, c] = pt.fn([xs], [sq, acc], { mode: "interp" })([1, 2, 3, 4, 5]);
    assertClose(a, [1, 4, 9]);
    assertClose(c, [1, 3, 6]);
    pt.verifyGrad((x) => {
      const [s2, ac] = pt.scan({ fn: (xt: Variable, h: Variable) => [pt.sqr(xt), pt.mul(h, xt)], sequences: [x], outputsInfo: [null, pt.constant(1)], nSteps: 3 });
      return pt.add(pt.sum(s2), pt.sum(ac));
    }, [[0.5, 1.5, -0.7, 2]]);
  });

  it("a gradient of a gradient goes through the reverse scan", () => {
    const x = pt.vector("x", { shape: [3] });
    const [p] = pt.scan({ fn: (xt, h) => pt.mul(h, pt.exp(xt)), sequences: [x], outputsInfo: [pt.constant(1)] });
    const cost = pt.index(p, [-1]); // exp(Σx)
    const H = pt.fn([x], pt.hessian(cost, x), { mode: "interp" })([0.1, 0.2, 0.3]);
    const e = Math.exp(0.6);
    assertClose(H, NDArray.from([[e, e, e], [e, e, e], [e, e, e]]), { rtol: 1e-12 });
  });

  it("reverse runs from the last step and keeps outputs in step order (JAX's reverse=True)", () => {
    const xs = pt.vector("xs");
    const [acc] = pt.scan({ fn: (x, h) => pt.add(h, x), sequences: [xs], outputsInfo: [pt.constant(0)], reverse: true });
    assertClose(pt.fn([xs], acc, { mode: "interp" })([1, 2, 3, 4]), [10, 9, 7, 4]);
    const [short] = pt.scan({ fn: (x, h) => pt.add(h, x), sequences: [xs], outputsInfo: [pt.constant(0)], nSteps: 3, reverse: true });
    assertClose(pt.fn([xs], short)([1, 2, 3, 4, 5]), [6, 5, 3]); // the first 3 rows, summed from the back
    pt.verifyGrad((x, h) => {
      const [hs, sq] = pt.scan({
        fn: (xt: Variable, ht: Variable) => [pt.tanh(pt.add(pt.mul(ht, 0.7), xt)), pt.sqr(pt.mul(ht, xt))],
        sequences: [x], outputsInfo: [h, null], nSteps: 3, reverse: true,
      });
      return pt.add(pt.sum(pt.mul(hs, pt.constant([1, -2, 3]))), pt.sum(sq));
    }, [[0.3, -0.4, 0.8, 9], 0.2]);
  });

  it("second derivatives through a nonlinear recurrence match finite differences of the gradient", () => {
    const cost = (x: Variable, w: Variable) => {
      const [hs] = pt.scan({ fn: (xt, ht, wt) => pt.tanh(pt.add(pt.mul(wt, ht), xt)), sequences: [x], outputsInfo: [pt.constant(0.1)], nonSequences: [w] });
      return pt.sum(pt.sqr(hs));
    };
    // the gradient's own gradient runs the reverse scan's pullback: a forward scan over its residuals
    pt.verifyGrad((x, w) => {
      const [gx, gw] = pt.grad(cost(x, w), [x, w]);
      return pt.add(pt.sum(pt.mul(gx, pt.constant([0.5, -1, 2]))), gw);
    }, [[0.3, -0.2, 0.5], 0.8]);
  });

  it("says what does not fit", () => {
    const xs = pt.vector("xs");
    assertThrowsMatching(() => pt.scan({ fn: (x, h) => pt.stack([h, x]), sequences: [xs], outputsInfo: [pt.constant(0)] }), "scan", "initial state");
    assertThrowsMatching(() => pt.scan({ fn: () => pt.constant(1), outputsInfo: [null] }), "give nSteps");
  });
});
