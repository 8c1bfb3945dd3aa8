// The hierarchical benchmark compares like with like: the compiled graph and the hand-written
// loop give the same log-density and gradient.
import { NDArray } from "../../core/ndarray.ts";
import { J, data, graph, makeHand } from "../../bench/hierarchical.bench.ts";
import { pt } from "../../mod.ts";
import { assertClose } from "../helpers.ts";

describe("bench: hierarchical model", () => {
  it("the compiled logp and gradient equal the hand-written loop's", () => {
    const { g, y } = data();
    const { inputs, outs } = graph(g, y);
    const f = pt.fn(inputs, outs);
    const mu = Float64Array.from({ length: J }, (_, j) => Math.cos(j) * 1.3);
    const hand = makeHand(g, y);
    const lp = hand.logpGrad(mu, -0.4, 0.25, -0.1);
    const [flp, gmu, gmu0, glt, gls] = f(NDArray.from(mu), -0.4, 0.25, -0.1);
    assertClose(flp, lp, { rtol: 1e-12 });
    assertClose(gmu, Array.from(hand.grad.subarray(0, J)), { rtol: 1e-10, atol: 1e-12 });
    assertClose(NDArray.from([gmu0.item(), glt.item(), gls.item()]), Array.from(hand.grad.subarray(J)), { rtol: 1e-10 });
  });
});
