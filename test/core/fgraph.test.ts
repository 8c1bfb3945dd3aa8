// FunctionGraph edited in place: owning copies, swapping variables, dropping unread nodes, merging.
import { strict as assert } from "node:assert";
import { type Apply, pt, type Variable } from "../../mod.ts";
import { FunctionGraph } from "../../core/fgraph.ts";
import { mergeEquivalent } from "../../core/rewrite/merge.ts";
import { LogSumExpSoftmax } from "../../plugins/ops/logsumexp_softmax.ts";

/** Readers of every variable, recomputed from the node list: the bookkeeping must agree with it. */
function readersFromScratch(fg: FunctionGraph): Map<Variable, string[]> {
  const m = new Map<Variable, string[]>();
  for (const n of fg.nodes) n.inputs.forEach((x, i) => m.set(x, [...(m.get(x) ?? []), `${fg.nodes.indexOf(n)}:${i}`]));
  return m;
}
function assertConsistent(fg: FunctionGraph): void {
  const fresh = readersFromScratch(fg);
  for (const n of fg.nodes) {
    assert.ok(fg.contains(n));
    for (const x of [...n.inputs, ...n.outputs]) {
      const kept = fg.clients(x).map(([m, i]) => `${fg.nodes.indexOf(m)}:${i}`).sort();
      assert.deepEqual(kept, (fresh.get(x) ?? []).sort(), `readers of ${x}`);
    }
  }
}

describe("FunctionGraph: editing in place", () => {
  it("own() copies the nodes: edits never reach the caller's graph", () => {
    const x = pt.vector("x");
    const y = pt.exp(pt.log(x, { name: "lx" }), { name: "y" });
    const before = pt.dprint(y);
    const fg = new FunctionGraph([x], [y]);
    fg.own();
    assert.notEqual(fg.outputs[0], y);
    assert.equal(fg.outputs[0].name, "y");
    assert.equal(pt.dprint(fg.outputs[0]), before, "the copy prints like the original");
    fg.swap(fg.outputs[0].owner!.inputs[0], x);
    assert.equal(pt.dprint(y), before, "the original is untouched");
    assert.equal(String(fg.outputs[0].owner), "Exp(x)");
  });

  it("swap() points every reader at the replacement and drops the nodes left unread", () => {
    const x = pt.vector("x");
    const a = pt.sqr(x, { name: "a" });
    const b = pt.add(a, 1, { name: "b" });
    const c = pt.mul(a, b, { name: "c" });
    const fg = new FunctionGraph([x], [c]);
    fg.own();
    const aa = fg.nodes.find((n) => n.outputs[0].name === "a")!.outputs[0];
    assert.equal(fg.clients(aa).length, 2);
    const twice = pt.mul(x, x, { name: "x*x" });
    fg.swap(aa, twice);
    assert.equal(fg.clients(aa).length, 0);
    assert.equal(fg.contains(aa.owner!), false, "the square is unread, so it left");
    assert.deepEqual(fg.nodes.map((n: Apply) => n.outputs[0].name).filter((s) => s !== undefined), ["x*x", "b", "c"]);
    assertConsistent(fg);
    // the graph still computes c with a = x*x: [1,2] → (x²)(x²+1) = [2, 20]
    assert.deepEqual([...pt.fn([x], fg.outputs[0], { rewrites: { none: true } })([1, 2]).data], [2, 20]);
  });

  it("a replacement that reads the old variable keeps reading it", () => {
    const x = pt.vector("x");
    const a = pt.exp(x, { name: "a" });
    const out = pt.sum(a);
    const fg = new FunctionGraph([x], [out]);
    fg.own();
    const aa = fg.nodes[0].outputs[0];
    const wrapped = pt.add(aa, 0, { name: "a+0" });
    fg.swap(aa, wrapped);
    assert.equal(wrapped.owner!.inputs[0], aa);
    assert.equal(fg.outputs[0].owner!.inputs[0], wrapped);
    assertConsistent(fg);
  });

  it("swap() checks types, and only owned graphs are edited", () => {
    const x = pt.vector("x"), m = pt.matrix("m");
    const fg = new FunctionGraph([x, m], [pt.exp(x)]);
    assert.throws(() => fg.swap(x, x), /only a graph that owns its nodes/);
    fg.own();
    assert.throws(() => fg.swap(fg.outputs[0], m), /cannot stand for/);
  });

  it("merging makes equal constants and equal nodes one, and touches only what changed", () => {
    const x = pt.vector("x");
    const p = pt.add(pt.mul(x, 2), pt.mul(x, 2));
    const fg = new FunctionGraph([x], [p]);
    assert.equal(fg.nodes.filter((n) => n.op.name === "Mul").length, 2);
    assert.equal(mergeEquivalent(fg), true);
    const muls = fg.nodes.filter((n) => n.op.name === "Mul");
    assert.equal(muls.length, 1);
    assert.deepEqual(fg.outputs[0].owner!.inputs, [muls[0].outputs[0], muls[0].outputs[0]]);
    assertConsistent(fg);
    assert.equal(mergeEquivalent(fg), false, "nothing left to merge");
  });

  it("pt.fn rewrites a copy: the graph it was given still compiles alike", () => {
    const x = pt.vector("x");
    const y = pt.sum(pt.log(pt.add(1, pt.exp(x))));
    const before = pt.dprint(y);
    const f = pt.fn([x], y), g = pt.fn([x], y);
    assert.equal(pt.dprint(y), before);
    assert.equal(f([0, 1]).item(), g([0, 1]).item());
    // log(1 + e^0) + log(1 + e^1)
    assert.ok(Math.abs(f([0, 1]).item() - (Math.log(2) + Math.log(1 + Math.E))) < 1e-15);
  });

  it("an input some node computes is a stand-in: rewrites never look above it, nor edit the caller's nodes", () => {
    // log(y) with y = exp(−(q·1)) given as an input is log of the given y (log_exp must not see
    // through it), and the caller's graph of y is left as it was
    const q = pt.vector("q");
    const y = pt.exp(pt.neg(pt.mul(q, 1)), { name: "y" });
    const before = pt.dprint(y);
    for (const mode of ["interp", "js"] as const) {
      const f = pt.fn([y, q], pt.log(y), { mode });
      assert.deepEqual([...f([1, 2], [3, 4]).data], [0, Math.log(2)], mode);
    }
    assert.equal(pt.dprint(y), before);
  });

  it("an input that is one output of a node is read as given, for every reader, rewritten or not", () => {
    const x = pt.vector("x");
    const [lse, sm] = new LogSumExpSoftmax(null).apply([x]).outputs;
    for (const mode of ["interp", "js"] as const) {
      for (const rewrites of [{}, { none: true }]) {
        const [a, b] = pt.fn([x, sm], [lse, pt.mul(sm, 2)], { mode, rewrites })([0, 0], [10, 10]);
        assert.deepEqual([...a.data], [Math.log(2)], `${mode} lse`);
        assert.deepEqual([...b.data], [20, 20], `${mode} 2·sm, sm given`);
      }
    }
  });
});
