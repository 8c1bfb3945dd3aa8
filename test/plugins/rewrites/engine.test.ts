// The rewrite engine reaches a fixpoint: after it, no rule of the phases it ran matches anywhere.
// Passes after a phase's first look only near what changed (RewriteRule.reach), so this checks
// that they miss nothing: the whole pipeline, run again on its own result, fires no rule.
import { strict as assert } from "node:assert";
import { runtime } from "../../../mod.ts";
import { FunctionGraph } from "../../../core/fgraph.ts";
import type { Variable } from "../../../core/graph.ts";
import { randomGraph } from "../../conformance/random_graph.ts";
import { unrolledHmm } from "../../../bench/hmm.bench.ts";
import { loadHmmFixture } from "../../../bench/hmm_graph.ts";

const pt = runtime.pt;
// fusion is left out: its unused_softmax undoes what specialize's logsumexp_shares_softmax does,
// so the full pipeline is a fixpoint only of its phases taken one at a time
const opts = { exclude: ["fusion"] };

function firedAgain(inputs: readonly Variable[], outs: readonly Variable[]): string[] {
  const fg = new FunctionGraph(inputs, outs);
  runtime.rewrites.run(fg, opts);
  const again = new FunctionGraph(inputs, fg.outputs);
  const fired: string[] = [];
  runtime.rewrites.run(again, { ...opts, trace: (r) => fired.push(r) });
  return fired;
}

describe("rewrite engine: a fixpoint", () => {
  for (let seed = 1; seed <= 100; seed++) {
    it(`random graph ${seed}: a second run fires nothing`, () => {
      const { inputs, outs } = randomGraph(seed);
      assert.deepEqual(firedAgain(inputs, outs), []);
    });
  }

  it("x / −1: a rule's new node is folded in a later pass, which then enables another rule", () => {
    // specialize: x / [−1] → x · reciprocal([−1]); the next pass folds the reciprocal (a node that
    // is new, not a changed old one) and then x · [−1] → −x
    const x = pt.vector("x");
    const fg = new FunctionGraph([x], [pt.div(x, -1)]);
    runtime.rewrites.run(fg, opts);
    assert.equal(String(fg.outputs[0].owner), "Neg(x)");
    assert.deepEqual(firedAgain([x], [pt.div(x, -1)]), []);
  });

  it("a rule's reach is its pattern's depth", () => {
    const ruleNamed = (name: string) => runtime.rewrites.get(name);
    assert.equal(ruleNamed("neg_neg").reach, 2, "neg(neg(x))");
    assert.equal(ruleNamed("mul_one").reach, 1, "x · 1: a constant input is seen from its reader");
    assert.equal(ruleNamed("logsumexp_keepdims").reach, 4, "log(expandDims(sum(exp(x))))");
    assert.equal(ruleNamed("constant_folding").reach, 1);
    assert.equal(ruleNamed("scan_forward_with_residuals").reach, undefined, "looks through the whole graph");
    assert.equal(ruleNamed("unused_softmax").reach, undefined, "looks at readers");
  });

  it("the unrolled HMM forward algorithm and its gradient: a second run fires nothing", () => {
    const fx = loadHmmFixture();
    const g = unrolledHmm(fx.emission_observed.map((r) => r.slice(0, 8)));
    assert.deepEqual(firedAgain(g.inputs, [g.logp, ...pt.grad(g.logp, g.inputs)]), []);
  });
});
