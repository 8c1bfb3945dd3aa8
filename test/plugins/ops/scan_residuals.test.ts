import { strict as assert } from "node:assert";
import { createRuntime, pt, type Variable } from "../../../mod.ts";
import type { Apply } from "../../../core/graph.ts";
import type { FunctionGraph } from "../../../core/fgraph.ts";
import { Scan } from "../../../plugins/ops/scan.ts";
import { scanRules } from "../../../plugins/rewrites/scan.ts";
import { hmmLogp, loadHmmFixture, trueArgs } from "../../../bench/hmm_graph.ts";
import { assertClose } from "../../helpers.ts";

const fx = loadHmmFixture();
const args = trueArgs(fx);

// a runtime with the scan rules, whether or not the standard rewrites already register them
const rt = createRuntime();
if (!rt.rewrites.list().some((r) => r.name === "scan_forward_with_residuals")) rt.rewrites.add(...scanRules);

const scans = (fg: FunctionGraph): Apply[] => fg.nodes.filter((n) => n.op instanceof Scan);
const bodyOps = (n: Apply) => (n.op as Scan).inner.nodes.map((m) => String(m.op));

describe("scan gradients save residuals", () => {
  const g = hmmLogp(fx.emission_observed);
  const wrt = [g.signal, g.noise, g.logPInit, g.logPTrans];
  const outs = [g.logp, ...pt.grad(g.logp, wrt)];

  it("the HMM's logp+grad runs one forward scan (with residual outputs) and one backward scan", () => {
    const f = rt.pt.fn(wrt, outs);
    const [fwd, back] = scans(f.fgraph);
    assert.equal(scans(f.fgraph).length, 2);
    const op = fwd.op as Scan;
    assert.ok(op.primaryKey !== null && op.nPrimary === 1, "the forward scan is the one built for the gradient");
    assert.ok(fwd.outputs.length > 1, "it has outputs beyond alpha");
    const exponential = (s: string) => /^(Exp|LogSumExp|LogSumExpSoftmax)\b|exp\(/.test(s);
    assert.ok(bodyOps(fwd).some(exponential), "the forward body computes the softmax weights it saves");
    // nothing exponential is recomputed going backwards: the weights come in as a sequence
    assert.deepEqual(bodyOps(back).filter(exponential), []);
    assert.ok(back.inputs.includes(fwd.outputs[1]));
    const [lp, dSignal] = f(...args);
    assert.ok(Math.abs(lp.item() - fx.expected.vec_hmm_logp_all_sequences_at_true_params) < 1e-8 * 37, `${lp.item()}`);
    assert.ok(Math.abs(dSignal.item() - fx.expected.grad_wrt_emission_signal_at_true_params) < 1e-8 * 300, `${dSignal.item()}`);
  });

  it("gives the same values with the rule turned off (the forward scan then runs twice)", () => {
    const on = rt.pt.fn(wrt, outs, { mode: "interp" });
    const off = rt.pt.fn(wrt, outs, { mode: "interp", rewrites: { exclude: ["scan_forward_with_residuals"] } });
    assert.equal(scans(off.fgraph).length, 3);
    const a = on(...args), b = off(...args);
    a.forEach((x, i) => assertClose(x, b[i], { rtol: 1e-12 }));
  });

  it("the same gradient taken twice merges into one forward and one backward scan", () => {
    const again = pt.grad(g.logp, g.signal);
    const f = rt.pt.fn(wrt, [...outs, again]);
    assert.equal(scans(f.fgraph).length, 2);
    assert.ok(Math.abs(f(...args)[5].item() - fx.expected.grad_wrt_emission_signal_at_true_params) < 1e-8 * 300);
  });

  it("the HMM gradient through residuals matches finite differences (static shapes unknown)", () => {
    const small = fx.emission_observed.slice(0, 3).map((r) => r.slice(0, 8));
    rt.pt.verifyGrad((s: Variable, n: Variable, i: Variable, t: Variable) =>
      hmmLogp(small, { signal: s, noise: n, logPInit: i, logPTrans: t }).logp, [...args]);
  });
});
