import { strict as assert } from "node:assert";
import { pt } from "../../mod.ts";
import { hmmLogp, loadHmmFixture, trueArgs } from "../../bench/hmm_graph.ts";
// the hand-fused reference from shared/reference (an independent implementation)
import { makeHmmLogpGrad } from "../../bench/reference/hmm_fused.mjs";

const fx = loadHmmFixture();
const args = trueArgs(fx);

describe("seed HMM as a tensorloom graph", () => {
  const g = hmmLogp(fx.emission_observed);
  const wrt = [g.signal, g.noise, g.logPInit, g.logPTrans];
  const f = pt.fn(wrt, [g.logp, ...pt.grad(g.logp, wrt)], { mode: "interp" });
  const [lp, dSignal, dNoise, dInit, dTrans] = f(...args);

  it("logp at the true parameters is -37.00348857 (seed 000)", () => {
    assert.ok(Math.abs(lp.item() - fx.expected.vec_hmm_logp_all_sequences_at_true_params) < 1e-8 * 37, `${lp.item()}`);
  });
  it("the first sequence alone gives -3.93533794", () => {
    const one = hmmLogp([fx.emission_observed[0]]);
    const v = pt.fn([one.signal, one.noise, one.logPInit, one.logPTrans], one.logp, { mode: "interp" })(...args).item();
    assert.ok(Math.abs(v - fx.expected.hmm_logp_first_sequence_at_true_params) < 1e-8 * 4, `${v}`);
  });
  it("d/d emission_signal = -297.86490611 (seed 000)", () => {
    assert.ok(Math.abs(dSignal.item() - fx.expected.grad_wrt_emission_signal_at_true_params) < 1e-8 * 300, `${dSignal.item()}`);
  });
  it("all 14 gradient entries agree with finite differences (1e-6 relative)", () => {
    const flat = [dSignal.item(), dNoise.item(), ...dInit.data, ...dTrans.data];
    const x0 = [args[0], args[1], ...args[2], ...args[3].flat()];
    const value = (x: number[]) => f(x[0], x[1], x.slice(2, 5), [x.slice(5, 8), x.slice(8, 11), x.slice(11, 14)])[0].item();
    x0.forEach((_, i) => {
      const h = 1e-5 * Math.max(1, Math.abs(x0[i]));
      const up = x0.slice(), dn = x0.slice();
      up[i] += h;
      dn[i] -= h;
      const num = (value(up) - value(dn)) / (2 * h);
      assert.ok(Math.abs(flat[i] - num) <= 1e-6 * Math.max(1, Math.abs(num)), `entry ${i}: symbolic ${flat[i]}, finite differences ${num}`);
    });
  });
  it("matches the hand-fused reference implementation", () => {
    const ref = makeHmmLogpGrad(fx.emission_observed);
    const grad = new Float64Array(14);
    const v = ref(args[0], args[1], new Float64Array(args[2]), new Float64Array(args[3].flat()), grad);
    assert.ok(Math.abs(v - lp.item()) < 1e-10 * 37);
    const ours = [dSignal.item(), dNoise.item(), ...dInit.data, ...dTrans.data];
    ours.forEach((o, i) => assert.ok(Math.abs(o - grad[i]) <= 1e-9 * Math.max(1, Math.abs(grad[i])), `entry ${i}: ${o} vs reference ${grad[i]}`));
  });
});
