// Reductions, softmax family and cumulative ops against numpy/scipy (test/fixtures/gen_reduce.py),
// their static types, printing, and gradients by finite differences.
import { strict as assert } from "node:assert";
import { runtime } from "../../../mod.ts";
import { NotImplementedGrad, Variable, disconnected } from "../../../core/graph.ts";
import { NDArray } from "../../../core/ndarray.ts";
import { type DType, TensorType, fmtShape } from "../../../core/types.ts";
import { type FixArray, assertClose, assertThrowsMatching, fromFixture, loadFixture } from "../../helpers.ts";
import { All, Argmax, Argmin, Any, Max, reduceFunctions } from "../../../plugins/ops/reduce.ts";
import { softmaxFunctions } from "../../../plugins/ops/softmax.ts";
import { CumOp, CumOpGrad, cumulativeFunctions } from "../../../plugins/ops/cumulative.ts";
import { grad, verifyGradWith } from "../../../plugins/ops/gradient.ts";
import { mul, sub } from "../../../plugins/ops/elemwise.ts";
import { sqr } from "../../../plugins/ops/elemwise_math.ts";

const { sum, prod, mean, max, min, argmax, all, var: variance, std } = reduceFunctions;
const { logsumexp, softmax, logSoftmax } = softmaxFunctions;
const { cumsum, cumprod } = cumulativeFunctions;

interface Case {
  op: string;
  note: string;
  args: { axis?: number | number[] | null; keepdims?: boolean; ddof?: number };
  input: FixArray;
  expected?: FixArray;
  error?: string[];
}
type Fn = (x: Variable, opts: object) => Variable;
const fns = { ...reduceFunctions, ...softmaxFunctions, ...cumulativeFunctions } as unknown as Record<string, Fn>;
const { cases } = loadFixture<{ cases: Case[] }>("reduce.json");

const sym = (dtype: DType, shape: readonly (number | null)[], name = "x") => new Variable(new TensorType(dtype, shape), null, 0, name);
const interp = (inputs: Variable[], out: Variable) => runtime.pt.fn(inputs, out, { mode: "interp" });
const verify = (f: (...xs: Variable[]) => Variable, point: number[] | number[][] | number[][][], opts = {}) =>
  verifyGradWith(runtime.pt, f, [point], { mode: "interp", ...opts });

describe("reduce: numpy/scipy fixtures", () => {
  for (const c of cases) {
    const title = `${c.op}(${c.input.dtype} ${fmtShape(c.input.shape)}, ${JSON.stringify(c.args)})${c.note ? ` — ${c.note}` : ""}`;
    it(title, () => {
      // once with the static shape known (errors may come from make), once unknown (from perform)
      for (const known of [true, false]) {
        const x = sym(c.input.dtype, known ? c.input.shape : c.input.shape.map(() => null));
        const build = () => fns[c.op](x, c.args);
        const run = (out: Variable) => interp([x], out)(fromFixture(c.input));
        if (c.error) {
          assertThrowsMatching(() => run(build()), ...c.error);
          continue;
        }
        const out = build();
        const res = run(out);
        const exp = fromFixture(c.expected!);
        assert.equal(out.dtype, exp.dtype, "static dtype");
        assert.equal(out.ndim, exp.ndim, "static ndim");
        out.type.shape.forEach((d, i) => assert.ok(d === null || d === exp.shape[i], `static shape ${fmtShape(out.type.shape)} vs ${fmtShape(exp.shape)}`));
        if (known) assert.deepEqual(out.type.shape, exp.shape, "a fully known input gives a fully known output shape");
        // float32: numpy accumulates in float32, we in float64 before rounding — a few ulps apart
        assertClose(res, exp, { rtol: c.input.dtype === "float32" ? 1e-5 : 1e-12, what: title });
      }
    });
  }
});

describe("reduce: ops and types", () => {
  it("prints PyTensor-style axis props and merges equal normalized axes", () => {
    const x = sym("float64", [2, 3, 4]);
    assert.equal(String(sum(x).owner!.op), "Sum{axes=None}");
    assert.equal(String(max(x, { axis: -1 }).owner!.op), "Max{axis=2}");
    assert.equal(String(prod(x, { axis: [2, 0] }).owner!.op), "Prod{axes=[0, 2]}");
    assert.equal(String(softmax(x, { axis: 1 }).owner!.op), "Softmax{axis=1}");
    assert.equal(String(cumsum(x, { axis: 0 }).owner!.op), "CumOp{axis=0, mode='add'}");
    assert.ok(mean(x, { axis: -1 }).owner!.op.equals(mean(x, { axis: 2 }).owner!.op));
    assert.ok(!mean(x, { axis: 1 }).owner!.op.equals(mean(x, { axis: 2 }).owner!.op));
  });

  it("keeps null static lengths and gives keepdims axes length 1", () => {
    const x = sym("float32", [null, 3, 4]);
    assert.deepEqual(sum(x, { axis: 1 }).type.shape, [null, 4]);
    assert.deepEqual(sum(x, { axis: [0, 2], keepdims: true }).type.shape, [1, 3, 1]);
    assert.deepEqual(cumsum(x).type.shape, [null]);
    assert.deepEqual(cumsum(sym("float64", [2, 3])).type.shape, [6]);
    assert.equal(sum(x).dtype, "float32");
    assert.equal(mean(sym("int32", [3])).dtype, "float64");
    assert.equal(sum(sym("bool", [3])).dtype, "int32");
    assert.equal(argmax(x, { axis: 0 }).dtype, "int32");
    assert.equal(all(x).dtype, "bool");
  });

  it("takes plain JS values and names its result", () => {
    const out = sum([[1, 2], [3, 4]], { axis: 0, name: "colsums" });
    assert.equal(out.name, "colsums");
    assertClose(interp([], out)(), NDArray.from([4, 6]));
    const v = variance([1, 2, 3, 4], { ddof: 1, name: "s2", keepdims: true });
    assert.equal(v.name, "s2");
    assertClose(interp([], v)(), NDArray.from([5 / 3]));
  });

  it("rejects an out-of-range axis at construction of the op itself", () => {
    assertThrowsMatching(() => new Max([0, 2]).call([sym("float64", [2, 3], "m")]), "axis 2 is out of range", "'m' with shape [2, 3]", "ndim 2");
    assertThrowsMatching(() => new Max([1, 0]), "sorted, distinct and non-negative");
  });
});

describe("reduce: gradients", () => {
  const m = [[0.3, -1.2, 2.0, 0.7], [1.1, 0.4, -0.6, 1.9], [-0.8, 1.5, 0.2, -0.4]];
  const t = [[[0.5, -1.0, 0.25], [1.5, 0.75, -0.5]], [[-0.2, 0.9, 1.3], [0.1, -0.7, 0.6]]];

  it("sum and mean, over each kind of axis", () => {
    for (const axis of [null, 0, -1, [0, 1]]) {
      verify((x) => sum(x, { axis }), m);
      verify((x) => mean(x, { axis, keepdims: true }), m);
    }
    verify((x) => mean(x, { axis: [0, 2] }), t);
  });

  it("mean with static shapes divides by a constant count", () => {
    const x = sym("float64", [3, 4]);
    const g = grad(sum(mean(x, { axis: 1 })), x);
    assert.ok(!runtime.pt.dprint(g).includes("Second"), "no ones-tensor count when the lengths are static");
    assertClose(interp([x], g)(m), NDArray.from(m.map((r) => r.map(() => 0.25))));
  });

  it("prod, with no zeros, one zero and two zeros in a lane", () => {
    verify((x) => prod(x, { axis: 1 }), m);
    verify((x) => prod(x), [0.5, 1.5, -2.0]);
    verify((x) => prod(x, { axis: 1 }), [[2.0, 0.0, 3.0], [0.0, 0.0, 1.5], [1.0, 2.0, 0.5]]);
    verify((x) => prod(x, { axis: [0, 2] }), [[[0.0, 2.0], [1.5, 3.0]], [[-1.0, 0.5], [2.0, 0.0]]]);
    // exact values at zeros: the product of the others, never NaN
    const x = sym("float64", [4]);
    const g = interp([x], grad(prod(x), x))([2, 0, 3, 4]);
    assertClose(g, NDArray.from([0, 24, 0, 0]));
    assertClose(interp([x], grad(prod(x), x))([0, 0, 3, 4]), NDArray.from([0, 0, 0, 0]));
  });

  it("prod: second derivatives (through ProdWithoutZeros) away from and at one zero", () => {
    verify((x) => grad(prod(x), x), [0.5, 1.5, -2.0, 1.2]);
    verify((x) => grad(prod(x), x), [0.5, 0.0, -2.0, 1.2]);
  });

  it("max and min send the gradient to every entry equal to the extreme", () => {
    verify((x) => max(x, { axis: 1 }), m);
    verify((x) => min(x, { axis: [0, 1], keepdims: true }), m);
    const x = sym("float64", [2, 3]);
    assertClose(interp([x], grad(sum(max(x, { axis: 1 })), x))([[1, 3, 3], [2, 0, 1]]), NDArray.from([[0, 1, 1], [1, 0, 0]]));
    assertClose(interp([x], grad(min(x), x))([[1, 3, 3], [2, 1, 1]]), NDArray.from([[1, 0, 0], [0, 1, 1]]));
  });

  it("var and std, with ddof", () => {
    for (const ddof of [0, 1]) {
      verify((x) => variance(x, { axis: 1, ddof }), m);
      verify((x) => std(x, { axis: 0, ddof }), m);
    }
    verify((x) => std(x, { axis: [0, 2], keepdims: true }), t);
    const x = sym("float64", [3, 4]);
    verifyGradWith(runtime.pt, (y) => variance(y, { ddof: 1 }), [m], { mode: "interp" });
    assert.deepEqual(grad(variance(x, { ddof: 1 }), x).type.shape, [3, 4]);
  });

  it("logsumexp: exp(x − out) times the gradient, also for huge entries", () => {
    verify((x) => logsumexp(x, { axis: 1 }), m);
    verify((x) => logsumexp(x, { axis: [0, 2], keepdims: true }), t);
    verify((x) => logsumexp(x), [1000, 1000.5, 999]);
    const x = sym("float64", [2]);
    assertClose(interp([x], grad(logsumexp(x), x))([1000, 1000]), NDArray.from([0.5, 0.5]));
  });

  it("softmax and logSoftmax, and their second derivatives", () => {
    const w = [[0.4, -1.1, 0.7, 2.0], [1.3, 0.2, -0.5, 0.9], [-0.3, 0.8, 1.6, -1.2]];
    for (const axis of [null, 0, 1, [0, 1]]) {
      verify((x) => softmax(x, { axis }), m);
      verify((x) => logSoftmax(x, { axis }), m);
    }
    verify((x) => logSoftmax(x, { axis: -1 }), [1000, 1001, 999]);
    verify((x) => grad(sum(mul(softmax(x, { axis: 1 }), w)), x), m);
    verify((x) => grad(sum(mul(logSoftmax(x, { axis: 0 }), w)), x), m);
  });

  it("cumsum: the reverse cumulative sum, flattened or along an axis, to second order", () => {
    for (const axis of [null, 0, 1, -1]) verify((x) => cumsum(x, { axis }), m);
    verify((x) => cumsum(x, { axis: 1 }), t);
    verify((x) => grad(sum(sqr(cumsum(x))), x), m);
  });

  it("cumprod: exact at zeros (no division), flattened or along an axis", () => {
    for (const axis of [null, 0, 1]) verify((x) => cumprod(x, { axis }), m);
    verify((x) => cumprod(x, { axis: 1 }), [[2.0, 0.0, 3.0, 1.5], [0.0, 0.0, 1.5, 2.0], [1.0, 2.0, 0.5, 0.0]]);
    const x = sym("float64", [4]);
    // d/dx of sum(cumprod([2, 0, 3, 4])): x1 term = 2 + 2·3 + 2·3·4 = 32; the rest only reach zeros
    assertClose(interp([x], grad(sum(cumprod(x)), x))([2, 0, 3, 4]), NDArray.from([1, 32, 0, 0]));
  });

  it("says what is not a gradient: argmax/argmin/all/any disconnected, integer inputs disconnected", () => {
    const x = sym("float64", [3]);
    for (const op of [new Argmax(null), new Argmin(null), new All(null), new Any(null)]) {
      const node = op.apply([x]);
      assert.deepEqual(op.pullback!(node.inputs, node.outputs, [null]), [disconnected]);
    }
    const i = sym("int32", [3]);
    for (const out of [sum(i), prod(i), max(i), cumsum(i)]) {
      const node = out.owner!;
      assert.deepEqual(node.op.pullback!(node.inputs, node.outputs, [sym("float64", [])]), [disconnected]);
    }
  });

  it("cumprod's second derivative is reported as not implemented", () => {
    const x = sym("float64", [3]);
    const node = new CumOpGrad(0, "mul").apply([x, x]);
    const terms = node.op.pullback!(node.inputs, node.outputs, [x]);
    assert.ok(terms.every((t) => t instanceof NotImplementedGrad));
    assertThrowsMatching(() => grad(sum(grad(sum(cumprod(x)), x)), x), "second derivatives of cumprod");
    assert.ok(new CumOp(0, "mul").equals(new CumOp(0, "mul")));
  });

  it("float32 inputs get float32 gradients", () => {
    const x = sym("float32", [2, 3]);
    for (const out of [sum(x), mean(x, { axis: 0 }), max(x, { axis: 1 }), logsumexp(x), softmax(x), cumsum(x), prod(x)]) {
      const g = grad(sum(sub(out, 0)), x);
      assert.equal(g.dtype, "float32", String(out.owner!.op));
    }
  });
});
