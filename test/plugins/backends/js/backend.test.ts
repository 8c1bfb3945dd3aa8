// The js backend's own promises: fused loops, views without copies, buffers reused per shape
// signature, respecialization, perform fallbacks, the reference's dtype and error behaviour, and
// long graphs cut into functions V8 optimizes. Values are checked against interp.
import { strict as assert } from "node:assert";
import { NDArray } from "../../../../core/ndarray.ts";
import type { FunctionGraph } from "../../../../core/fgraph.ts";
import { Variable } from "../../../../core/graph.ts";
import { TensorType } from "../../../../core/types.ts";
import { JsBackend } from "../../../../plugins/backends/js/index.ts";
import { cholesky, inv, solveTriangular } from "../../../../plugins/ops/linalg_decomp.ts";
import { shapeFunctions } from "../../../../plugins/ops/shape.ts";
import { incSubtensor, index, setSubtensor, slice, take } from "../../../../plugins/ops/subtensor.ts";
import { assertClose, assertThrowsMatching } from "../../../helpers.ts";
import { agree, pt, rt } from "../../../conformance/compare.ts";

const backend = rt.backends.get("js") as JsBackend;
const source = (fg: FunctionGraph): string => backend.debugSource(fg).join("\n");
const loops = (src: string): number => (src.match(/\bfor \(/g) ?? []).length;
const vec = (...xs: number[]) => NDArray.from(xs);

describe("js backend: code generation", () => {
  it("is registered as 'js', reuses its buffers, and compiles a graph to one generated function", () => {
    assert.ok(backend instanceof JsBackend);
    assert.equal(backend.reusesBuffers, true);
    const x = pt.vector("x");
    const f = pt.fn([x], pt.exp(x), { mode: "js" });
    assert.equal(f.mode, "js");
    assertClose(f([0, 1]), [1, Math.E]);
    assert.match(source(f.fgraph), /return function tensorloom_js\(inputs\)/);
  });

  it("computes sum(composite(...)) in one pass without a buffer for the composite", () => {
    const x = pt.vector("x"), y = pt.scalar("y");
    const f = pt.fn([x, y], pt.sum(pt.add(pt.mul(pt.exp(x), y), pt.sin(x))), { mode: "js" });
    assert.match(f.fgraph.nodes.map(String).join(" "), /Sum\{axes=None\}\(Composite/);
    // five entries: shorter loops are written out unrolled
    assertClose(f([1, 2, 3, 4, 5], 2), [1, 2, 3, 4, 5].reduce((s, v) => s + 2 * Math.exp(v) + Math.sin(v), 0));
    const src = source(f.fgraph);
    assert.equal(loops(src), 1);
    assert.doesNotMatch(src, /const buf/);
  });

  it("computes a log-density and its whole gradient in one loop, storing only what is read later", () => {
    const x = pt.vector("x"), mu = pt.scalar("mu"), sigma = pt.scalar("sigma");
    const z = pt.div(pt.sub(x, mu), sigma);
    const logp = pt.sum(pt.sub(pt.mul(-0.5, pt.sqr(z)), pt.add(pt.log(sigma), 0.5 * Math.log(2 * Math.PI))));
    const outs = [logp, ...pt.grad(logp, [x, mu, sigma])];
    const f = pt.fn([x, mu, sigma], outs, { mode: "js" });
    const args = [vec(0.5, -1, 2.5, 3, 0.25), NDArray.scalar(0.3), NDArray.scalar(1.7)];
    f(...args);
    const src = source(f.fgraph);
    assert.equal(loops(src), 1);
    assert.equal(src.match(/const buf/g)?.length, 1, "one buffer: the gradient with respect to x");
    agree([x, mu, sigma], outs, [args]);
  });

  it("writes short innermost loops out (three states: three copies with the index fixed)", () => {
    const x = pt.matrix("x"), w = pt.vector("w");
    const out = pt.logsumexp(pt.add(x, w), { axis: 1 });
    const f = pt.fn([x, w], out, { mode: "js" });
    const X = NDArray.from([[0.5, -1, 2], [3, 0, -2], [1, 1, 1], [-4, 2, 0.5], [0, 0, 7]]), W = vec(0.1, -0.2, 0.3);
    f(X, W);
    const src = source(f.fgraph);
    assert.equal(loops(src), 1, "the loop over the 5 rows stays; the 3 entries of each row are unrolled");
    assert.equal(src.match(/\{ const i2 = [012];/g)?.length, 6, "two passes (max, then the sum) of three copies");
    agree([x, w], [out], [[X, W]]);
  });

  it("adds partial sums into their outputs from inside the producer's loop", () => {
    // the gradient of logsumexp-style broadcasts: one product summed along each axis in turn
    const a = pt.matrix("a"), b = pt.matrix("b");
    const prod = pt.mul(pt.expandDims(a, 2), pt.expandDims(b, 0)); // [n, k, m]
    const outs = [pt.sum(prod, { axis: 2 }), pt.sum(prod, { axis: [0, 2] }), pt.sum(prod, { axis: 0 }), pt.sum(prod)];
    const f = pt.fn([a, b], outs, { mode: "js" });
    const A = NDArray.from([[1, 2], [3, -4], [0.5, 6]]), B = NDArray.from([[1, -1, 2], [0.25, 3, 1]]);
    const [r2, r02, r0, all] = f(A, B);
    const p = (i: number, j: number, k: number) => A.get(i, j) * B.get(j, k);
    const idx = (n: number) => [...Array(n).keys()];
    assertClose(r2, NDArray.from(idx(3).map((i) => idx(2).map((j) => idx(3).reduce((s, k) => s + p(i, j, k), 0)))));
    assertClose(r02, idx(2).map((j) => idx(3).reduce((s, i) => s + idx(3).reduce((t, k) => t + p(i, j, k), 0), 0)));
    assertClose(r0, NDArray.from(idx(2).map((j) => idx(3).map((k) => idx(3).reduce((s, i) => s + p(i, j, k), 0)))));
    assertClose(all, idx(3).reduce((s, i) => s + idx(2).reduce((t, j) => t + idx(3).reduce((u, k) => u + p(i, j, k), 0), 0), 0));
    const src = source(f.fgraph);
    assert.match(src, /one loop over \[3,2,3\]: [^\n]*Sum[^\n]*Sum[^\n]*Sum/);
    assert.equal(src.match(/\.fill\(0\)/g)?.length, 3, "the three partial sums are zeroed, then added into");
    agree([a, b], outs, [[A, B], [NDArray.from([[2]]), NDArray.from([[3]])]]);
  });

  it("emits loops that recur up to names (an unrolled recurrence) once, as a kernel called at each step", () => {
    const x = pt.matrix("x"), w = pt.matrix("w");
    let h: Variable = x;
    for (let t = 0; t < 6; t++) h = pt.logsumexp(pt.add(pt.expandDims(pt.mul(h, pt.constant([[t + 1, 0.5, -t]])), 2), w), { axis: 1 });
    const f = pt.fn([x, w], pt.sum(h), { mode: "js" });
    const X = NDArray.from([[0.1, -2, 3], [1, 0, 0.5]]), W = NDArray.from([[0, 1, -1], [2, 0.5, 0], [-3, 1, 1]]);
    f(X, W);
    const src = source(f.fgraph);
    const defs = src.match(/^function \$kernel\d+\(/gm) ?? [];
    const calls = src.match(/\$kernel\d+\(/g) ?? [];
    assert.ok(defs.length >= 1 && calls.length - defs.length >= 6, src);
    agree([x, w], [pt.sum(h)], [[X, W]]);
  });

  it("keeps readers of a reduction out of the loop that computes it", () => {
    const x = pt.vector("x");
    const centred = pt.sub(x, pt.mean(x));
    const outs = [pt.sum(pt.sqr(centred)), pt.exp(pt.mul(centred, pt.max(x))), pt.softmax(x)];
    for (const none of [false, true]) agree([x], outs, [[vec(1, 4, -2, 0.5)], [vec(3)]], { rewrites: { none } });
  });

  it("fuses elementwise chains itself when the fusion rewrite is off", () => {
    const x = pt.vector("x");
    const f = pt.fn([x], pt.sum(pt.add(pt.mul(pt.exp(x), 2), 1)), { mode: "js", rewrites: { none: true } });
    assert.deepEqual(f.fgraph.nodes.map((n) => n.op.name).filter((n) => n !== "DimShuffle"), ["Exp", "Mul", "Add", "Sum"]);
    assertClose(f([1, 2, 0, 0, 0]), 2 * Math.E + 2 * Math.exp(2) + 6 + 5);
    assert.equal(loops(source(f.fgraph)), 1);
  });

  it("hoists broadcast operands out of the loop and calls special functions from the closure", () => {
    const x = pt.vector("x"), s = pt.scalar("s");
    const f = pt.fn([x, s], pt.mul(x, pt.erf(pt.log(s))), { mode: "js" });
    f([1, 2, 3, 4, 5], 2);
    const src = source(f.fgraph);
    assert.match(src, /const erf = K\[\d+\];/);
    const loopAt = src.indexOf("for (");
    assert.ok(src.indexOf("Math.log(") < loopAt && src.indexOf("erf(") < loopAt, src);
  });

  it("keeps scalar graphs in locals: no loops, no buffers but the returned one", () => {
    const a = pt.scalar("a"), b = pt.scalar("b");
    const f = pt.fn([a, b], pt.sub(pt.mul(pt.exp(a), b), pt.tanh(a)), { mode: "js", rewrites: { exclude: ["elemwise_fusion"] } });
    assertClose(f(0.3, 0.7), Math.exp(0.3) * 0.7 - Math.tanh(0.3));
    const src = source(f.fgraph);
    assert.equal(loops(src), 0);
    assert.doesNotMatch(src, /const buf/);
  });
});

describe("js backend: views, buffers and specializations", () => {
  it("reshape, transpose, expandDims and basic indexing are views: no loop, no copy", () => {
    const x = pt.vector("x");
    const { reshape } = shapeFunctions;
    const f = pt.fn([x], [reshape(x, [2, 3]), pt.transpose(reshape(x, [3, 2])), index(pt.expandDims(x, 0), [0, slice(1, null, 2)])], { mode: "js", borrow: true });
    const X = vec(0, 1, 2, 3, 4, 5);
    const [r, t, s] = f(X);
    assert.equal(r.data, X.data, "the reshape shares the input's data");
    assertClose(t, NDArray.from([[0, 2, 4], [1, 3, 5]]));
    assertClose(s, [1, 3, 5]);
    // the transpose and the strided slice are copied out only because they are outputs
    assert.equal(source(f.fgraph).match(/contiguous copy/g)?.length, 2);
  });

  it("writes through an index in place when nothing else reads the array it updates", () => {
    const x = pt.vector("x");
    let acc = pt.mul(x, 2);
    const first = acc;
    for (let k = 0; k < 3; k++) acc = incSubtensor(index(acc, [k]), 1.5);
    const f = pt.fn([x], acc, { mode: "js" });
    assertClose(f([1, 2, 3, 4, 5, 6]), [3.5, 5.5, 7.5, 8, 10, 12]);
    assert.equal(loops(source(f.fgraph)), 1, "one loop (the product), no copies");
    // the product is read again after the writes: the first write must copy it
    agree([x], [acc, pt.mul(first, acc)], [[vec(1, 2, 3, 4)]]);
    // through a view the buffer has readers the view does not see: no writing in place
    const M = pt.matrix("M"), a = pt.vector("a"), y = pt.dot(M, a);
    const viewed = incSubtensor(index(pt.expandDims(y, 0), [0, slice(0, 2)]), 100);
    const eye = NDArray.from([[1, 0, 0], [0, 1, 0], [0, 0, 1]]), av = vec(0.1, 0.2, 0.3);
    for (const outs of [[pt.exp(y), viewed], [viewed, pt.dot(y, y)]]) agree([M, a], outs, [[eye, av]]);
  });

  it("binds plain numbers for scalar inputs without changing results (float32 rounds, outputs are copies)", () => {
    const a = pt.scalar("a"), b = pt.scalar("b", { dtype: "float32" });
    const f = pt.fn([a, b], [pt.add(a, 1), pt.mul(b, 1)], { mode: "js" });
    const [r1, s1] = f(0.1, 0.1), [r2] = f(2, 3);
    assert.equal(r1.item(), 1.1);
    assert.equal(s1.item(), Math.fround(0.1));
    assert.equal(r2.item(), 3);
    const id = pt.fn([a], a, { mode: "js" });
    const i1 = id(5);
    id(6);
    assert.equal(i1.item(), 5, "an output that is an input is still a copy");
    assertThrowsMatching(() => f(1), "expected 2 arguments");
  });

  it("allocates buffers once per shape signature and reuses them (copies unless borrow)", () => {
    const x = pt.vector("x");
    const borrowed = pt.fn([x], pt.mul(x, 2), { mode: "js", borrow: true });
    const r1 = borrowed([1, 2]), r2 = borrowed([3, 4]);
    assert.equal(r1.data, r2.data);
    assertClose(r1, [6, 8]);
    const copied = pt.fn([x], pt.mul(x, 2), { mode: "js" });
    const c1 = copied([1, 2]), c2 = copied([3, 4]);
    assert.notEqual(c1.data, c2.data);
    assertClose(c1, [2, 4]);
  });

  it("specializes per input-shape signature and goes back to earlier ones", () => {
    const x = pt.vector("x");
    const f = pt.fn([x], pt.sum(pt.sqr(x)), { mode: "js" });
    assertClose(f([1, 2, 3]), 14);
    assertClose(f([1, 2, 3, 4, 5]), 55);
    assertClose(f([2, 2, 2]), 12);
    assert.equal(backend.debugSource(f.fgraph).length, 2);
    assert.match(backend.debugSource(f.fgraph)[1], /i1 < 5;/, "loop bounds are constants");
  });

  it("checks shapes only a run can tell on every call (reshape to a shape input, masks)", () => {
    const x = pt.vector("x"), s = new Variable(new TensorType("int32", [2]), null, 0, "s");
    const f = pt.fn([x, s], pt.mul(shapeFunctions.reshape(x, s), 2), { mode: "js" });
    const X = vec(0, 1, 2, 3, 4, 5);
    assert.deepEqual(f(X, NDArray.from([2, 3], "int32")).shape, [2, 3]);
    assert.deepEqual(f(X, NDArray.from([3, 2], "int32")).shape, [3, 2]);
    assert.deepEqual(f(X, NDArray.from([2, 3], "int32")).shape, [2, 3]);
    const m = new Variable(new TensorType("bool", [null]), null, 0, "m");
    agree([x, m], [pt.sum(index(x, [m]))], [[X, NDArray.from([1, 0, 1, 1, 0, 0], "bool")], [X, NDArray.from([0, 0, 0, 0, 0, 1], "bool")]]);
  });
});

describe("js backend: fallbacks, semantics and errors", () => {
  it("lists the nodes it runs through their op's perform", () => {
    const a = pt.matrix("a"), k = pt.vector("k", { dtype: "int32" });
    // an index array given as an input (not data in the graph) is only known at run time
    const f = pt.fn([a, k], pt.sum(take(pt.cumsum(inv(a), { axis: 0 }), k, { axis: 1 })), { mode: "js" });
    assert.deepEqual(f.fallbacks().map((s) => s.replace(/[{(].*/, "")), ["MatrixInverse", "AdvancedSubtensor"]);
    const args = [NDArray.from([[4, 2], [2, 3]]), NDArray.from([1, 0], "int32")];
    agree([a, k], [f.fgraph.outputs[0]], [args]);
    f(...args);
    assert.equal(source(f.fgraph).match(/\.perform\(\[/g)?.length, 2);
    const x = pt.vector("x");
    assert.deepEqual(pt.fn([x], pt.logsumexp(pt.exp(x)), { mode: "js" }).fallbacks(), []);
  });

  it("gathers and scatters through index arrays that are data (a hierarchical model's group index)", () => {
    const mu = pt.vector("mu"), y = pt.vector("y"), m = pt.matrix("m");
    const group = pt.constant(NDArray.from([0, 2, 2, 1, -1, 0, 3], "int32"));
    const resid = pt.sub(y, take(mu, group));
    const logp = pt.sum(pt.mul(-0.5, pt.sqr(resid)));
    const cols = take(m, pt.constant(NDArray.from([[1, 0], [1, 1]], "int32")), { axis: 1 });
    // written through the take: a scalar spread over the region, and y's own entries (last write wins)
    const outs = [logp, ...pt.grad(logp, [mu, y]), cols, pt.grad(pt.sum(pt.sqr(cols)), m), setSubtensor(take(m, group, { axis: 1 }), 2),
      setSubtensor(take(mu, group), pt.mul(y, 2)), incSubtensor(take(mu, group), pt.exp(y))];
    const f = pt.fn([mu, y, m], outs, { mode: "js" });
    assert.deepEqual(f.fallbacks(), []);
    const args = [vec(0.5, -1, 2, 0.25), vec(1, 2, 3, 4, 5, 6, 7), NDArray.from([[1, 2, 3, 4], [5, 6, 7, 8]])];
    agree([mu, y, m], outs, [args]);
    // repeated indices add up: d logp / d mu_k = Σ over the entries of group k of the residual
    const [, gmu] = f(...args);
    const g = [0, 2, 2, 1, 3, 0, 3], r = [1, 2, 3, 4, 5, 6, 7].map((v, i) => v - [0.5, -1, 2, 0.25][g[i]]);
    assertClose(gmu, [0, 1, 2, 3].map((k) => r.reduce((s, v, i) => s + (g[i] === k ? v : 0), 0)));
  });

  it("generates Cholesky and triangular solves (strided views, both triangles, transposed, unit diagonal) with the reference's errors", () => {
    const a = pt.matrix("a"), b = pt.matrix("b"), v = pt.vector("v");
    const L = cholesky(a), U = cholesky(pt.transpose(a), { lower: false });
    const outs = [L, U, solveTriangular(L, b), solveTriangular(U, v, { lower: false }), solveTriangular(L, v, { transA: true }),
      solveTriangular(pt.transpose(L), b, { lower: false, unitDiagonal: true })];
    const f = pt.fn([a, b, v], outs, { mode: "js" });
    assert.deepEqual(f.fallbacks(), []);
    const A = NDArray.from([[4, 2, 0.4], [2, 3, -1], [0.4, -1, 2.5]]), B = NDArray.from([[1, 2], [0, -1], [3, 0.5]]), V = vec(1, -2, 0.5);
    // L·Lᵀ = A (a mathematical identity, checked here on the generated code's own result)
    const [l] = f(A, B, V);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
      const s = [0, 1, 2].reduce((acc, k) => acc + l.get(i, k) * l.get(j, k), 0);
      assertClose(NDArray.scalar(s), A.get(i, j), { rtol: 1e-14, atol: 1e-15 });
    }
    agree([a, b, v], outs, [[A, B, V]]);
    assertThrowsMatching(() => f(NDArray.from([[1, 2, 0], [2, 1, 0], [0, 0, 1]]), B, V), "Cholesky", "not positive definite", "pivot 1");
    const g = pt.fn([a, v], solveTriangular(a, v), { mode: "js" });
    assertThrowsMatching(() => g(NDArray.from([[1, 0, 0], [1, 0, 0], [0, 1, 1]]), V), "SolveTriangular", "singular", "diagonal entry 1");
  });

  it("stores like the reference: int32 wraps, float32 rounds, bool sums store 2", () => {
    const i = pt.vector("i", { dtype: "int32" }), f = pt.vector("f", { dtype: "float32" }), b = pt.vector("b", { dtype: "bool" });
    const v = pt.scalar("v");
    // products inlined into a sum must be rounded (float32) or wrapped (int32) as a buffer would
    const ii = pt.mul(i, i), ff = pt.mul(f, 1.1);
    const outs = [pt.add(pt.mul(i, 3), i), pt.sum(ii), ii, pt.add(ii, 1), pt.div(pt.add(f, 0.1), 3), pt.sum(pt.mul(f, f)), ff, pt.sub(ff, f), pt.add(b, b),
      pt.prod(i), pt.full([2, 3], v, { dtype: "int32" }), pt.full([2], v, { dtype: "bool" }), pt.full([2], v, { dtype: "float32" })];
    const I = NDArray.from([-7, 2 ** 30 + 3, 5], "int32"), F = NDArray.from([0.3, 1e30, -2.1], "float32"), B = NDArray.from([1, 0, 1], "bool");
    const args = [-2.7, 0.5, 1e-50].map((x) => [I, F, B, NDArray.scalar(x)]);
    for (const none of [false, true]) agree([i, f, b, v], outs, args, { rewrites: { none } });
  });

  it("throws the interpreter's errors (broadcasting, empty max, reshape)", () => {
    const a = pt.vector("a"), b = pt.vector("b");
    const f = pt.fn([a, b], pt.add(a, b), { mode: "js" });
    assertThrowsMatching(() => f([1, 2, 3], [1, 2]), "Add", "[3]", "[2]", "cannot be broadcast");
    assertThrowsMatching(() => pt.fn([a], pt.max(a), { mode: "js" })([]), "Max", "no entries");
    agree([a], [shapeFunctions.reshape(a, [2, 2])], [[vec(1, 2, 3)]], { errorsAllowed: true });
  });

  it("cuts long graphs into several functions, passing values between them", () => {
    const x = pt.vector("x"), s = pt.scalar("s"), m = pt.matrix("m");
    const early = pt.sum(pt.exp(x)), chol = cholesky(m);
    let acc = pt.mul(x, s);
    for (let k = 0; k < 1200; k++) acc = k % 2 ? pt.add(acc, early) : pt.mul(pt.sin(acc), 0.5);
    const outs = [pt.add(acc, pt.sum(chol)), early, chol];
    const f = pt.fn([x, s, m], outs, { mode: "js", rewrites: { exclude: ["elemwise_fusion"] } });
    const args = [vec(0.1, 0.2, 0.3), NDArray.scalar(1.5), NDArray.from([[2, 1], [1, 3]])];
    f(...args);
    assert.match(source(f.fgraph), /function tensorloom_js_1\(inputs\)/);
    agree([x, s, m], outs, [args], { rewrites: { exclude: ["elemwise_fusion"] } });
  });
});
