// Shape ops against numpy (test/fixtures/gen_shape.py), their static types and printing, and
// gradients by finite differences.
import { strict as assert } from "node:assert";
import { runtime } from "../../../mod.ts";
import { Variable, disconnected } from "../../../core/graph.ts";
import { NDArray } from "../../../core/ndarray.ts";
import { type DType, TensorType, fmtShape } from "../../../core/types.ts";
import { type FixArray, assertClose, assertThrowsMatching, fromFixture, loadFixture } from "../../helpers.ts";
import { SpecifyShape, shapeFunctions } from "../../../plugins/ops/shape.ts";
import { Join, Shape, Size, Split } from "../../../plugins/ops/shape_core.ts";
import { grad, verifyGradWith } from "../../../plugins/ops/gradient.ts";
import { shapeBuilders } from "./fixture_builders.ts";
import { mul } from "../../../plugins/ops/elemwise.ts";
import { reduceFunctions } from "../../../plugins/ops/reduce.ts";

const { reshape, flatten, concatenate, stack, shape, shapeI, size, specifyShape } = shapeFunctions;
const { sum } = reduceFunctions;

interface Case {
  op: string;
  note: string;
  inputs: FixArray[];
  args: Record<string, unknown>;
  expected?: FixArray;
  error?: string[];
}
const { cases } = loadFixture<{ cases: Case[] }>("shape.json");

const sym = (dtype: DType, shp: readonly (number | null)[], name = "x") => new Variable(new TensorType(dtype, shp), null, 0, name);
const interp = (inputs: Variable[], out: Variable) => runtime.pt.fn(inputs, out, { mode: "interp" });
const verify = (f: (...xs: Variable[]) => Variable, point: unknown[]) =>
  verifyGradWith(runtime.pt, f, point as number[][], { mode: "interp" });

const builders = shapeBuilders;

describe("shape: numpy fixtures", () => {
  for (const c of cases) {
    const title = `${c.op}(${c.inputs.map((i) => `${i.dtype} ${fmtShape(i.shape)}`).join(", ")}, ${JSON.stringify(c.args)})${c.note ? ` — ${c.note}` : ""}`;
    it(title, () => {
      // static shapes known (errors may come from make) or unknown (errors from perform)
      for (const known of [true, false]) {
        // squeeze without axes drops only the axes statically known to be 1, as in PyTensor
        if (!known && c.op === "squeeze" && c.args.axis === undefined) continue;
        const names = c.inputs.length === 1 ? ["x"] : c.inputs.map((_, i) => "abcdef"[i]);
        const xs = c.inputs.map((inp, i) => sym(inp.dtype, known ? inp.shape : inp.shape.map(() => null), names[i]));
        const values = c.inputs.map(fromFixture);
        const run = (out: Variable) => interp(xs, out)(...values);
        if (c.error) {
          assertThrowsMatching(() => run(builders[c.op](xs, c.args)), ...c.error);
          continue;
        }
        const out = builders[c.op](xs, c.args);
        const exp = fromFixture(c.expected!);
        assertClose(run(out), exp, { what: title });
        assert.equal(out.dtype, exp.dtype, "static dtype");
        assert.equal(out.ndim, exp.ndim, "static ndim");
        out.type.shape.forEach((d, i) => assert.ok(d === null || d === exp.shape[i], `static shape ${fmtShape(out.type.shape)} vs ${fmtShape(exp.shape)}`));
        if (known) assert.deepEqual(out.type.shape, exp.shape, "fully known inputs give a fully known output shape");
      }
    });
  }

  // the same reshape cases with the target shape as an int32 vector input
  for (const c of cases.filter((k) => k.op === "reshape")) {
    it(`reshape with a symbolic shape: ${JSON.stringify(c.args.shape)}${c.note ? ` — ${c.note}` : ""}`, () => {
      const target = c.args.shape as number[];
      const x = sym(c.inputs[0].dtype, c.inputs[0].shape);
      const s = sym("int32", [target.length], "s");
      const out = reshape(x, s);
      assert.deepEqual(out.type.shape, target.map(() => null), "only the rank is known statically");
      const run = () => interp([x, s], out)(fromFixture(c.inputs[0]), NDArray.from(target, "int32"));
      if (c.error) assertThrowsMatching(run, ...c.error);
      else assertClose(run(), fromFixture(c.expected!));
    });
  }
});

describe("shape: static types and printing", () => {
  it("prints PyTensor-like names", () => {
    const x = sym("float64", [2, 3]);
    assert.equal(String(reshape(x, [3, 2]).owner!.op), "Reshape{ndim=2}");
    assert.equal(String(concatenate([x, x], { axis: 1 }).owner!.op), "Join{axis=1}");
    assert.equal(String(specifyShape(x, [2, null]).owner!.op), "SpecifyShape{shape=(2, None)}");
    assert.equal(String(shape(x).owner!.op), "Shape");
    assert.equal(String(shapeI(x, -1).owner!.op), "Shape_i{i=1}");
    assert.equal(String(size(x).owner!.op), "Size");
  });

  it("reshape to shape(y) takes y's static shape; mixed numbers and int32 scalars work", () => {
    const x = sym("float64", [null]), y = sym("float64", [2, null, 4], "y");
    assert.deepEqual(reshape(x, shape(y)).type.shape, [2, null, 4]);
    const n = sym("int32", [], "n");
    const out = reshape(x, [n, -1]);
    assert.deepEqual(out.type.shape, [null, null]);
    assertClose(interp([x, n], out)([0, 1, 2, 3, 4, 5], 3), NDArray.from([[0, 1], [2, 3], [4, 5]]));
    assert.deepEqual(reshape(sym("float64", [6]), [shapeI(y, 0), -1]).type.shape, [2, 3], "-1 resolved through Shape_i");
  });

  it("flatten keeps what is known of the merged length", () => {
    assert.deepEqual(flatten(sym("float64", [null, 3, 4]), { ndim: 2 }).type.shape, [null, 12]);
    assert.deepEqual(flatten(sym("float64", [5, null, 4]), { ndim: 2 }).type.shape, [5, null]);
    const x = sym("float64", [null, null, null]);
    assertClose(interp([x], flatten(x, { ndim: 2 }))(NDArray.zeros("float64", [2, 0, 3])), NDArray.zeros("float64", [2, 0]));
  });

  it("specifyShape refines the static type and its run-time error names the variable", () => {
    const x = sym("float64", [null, null]);
    assert.deepEqual(specifyShape(x, [2, null]).type.shape, [2, null]);
    assertThrowsMatching(() => specifyShape(sym("float64", [3, 4]), [3, 5]), "SpecifyShape", "'x' with shape [3, 4]", "[3, 5]");
  });

  it("concatenate names the offending input and handles unknown lengths", () => {
    const a = sym("float64", [2, 3], "a"), b = sym("float64", [null, 4], "b");
    assertThrowsMatching(() => concatenate([a, b]), "Join{axis=0}: input 1 'b' with shape [?, 4]", "'a' with shape [2, 3]", "axis 1");
    assert.deepEqual(concatenate([a, sym("float64", [null, null])]).type.shape, [null, 3]);
    assert.deepEqual(concatenate([a, sym("float64", [null, 3])], { axis: 1 }).type.shape, [2, 6]);
    assert.deepEqual(stack([sym("float64", [null]), sym("float64", [3])]).type.shape, [2, 3]);
  });
});

describe("shape: gradients", () => {
  it("reshape and flatten", () => {
    verify((x) => reshape(x, [3, -1]), [[[1, 2, 3], [4, 5, 6]]]);
    verify((x) => flatten(x), [[[[1, 2], [3, 4]], [[5, 6], [7, 8]]]]);
    verify((x) => flatten(x, { ndim: 2 }), [[[[1, 2], [3, 4]], [[5, 6], [7, 8]]]]);
    verify((x) => mul(reshape(x, [2, 2]), reshape(x, [2, 2])), [[1, -2, 3, 0.5]]);
  });

  it("concatenate (through Split) and stack", () => {
    verify((a, b) => concatenate([a, b]), [[1, 2, 3], [4, 5]]);
    verify((a, b, c) => concatenate([a, b, c], { axis: 1 }), [[[1], [2]], [[3, 4], [5, 6]], [[7, 8, 9], [1, 2, 3]]]);
    verify((a, b) => stack([a, b], { axis: 1 }), [[1, 2, 3], [4, 5, 6]]);
    verify((a, b) => mul(stack([a, b]), stack([b, a])), [[[1, 2], [3, 4]], [[0.5, -1], [2, 3]]]);
  });

  it("concatenate: an int input is disconnected, a float32 input gets a float32 gradient", () => {
    const a = sym("float64", [null], "a"), i = sym("int32", [2], "i"), f = sym("float32", [null], "f");
    const j = new Join(0).apply([a, i, f]);
    const terms = j.op.pullback!(j.inputs, j.outputs, [sym("float64", [null], "g")]);
    assert.equal(terms[1], disconnected);
    assert.equal((terms[2] as Variable).dtype, "float32");
    const g = grad(sum(mul(concatenate([a, i, f]), concatenate([a, i, f]))), f) as Variable;
    assertClose(interp([a, i, f], g)([1], [2, 3], [4, 5]), NDArray.from([8, 10], "float32"));
  });

  it("Split: pieces without a gradient count as zeros", () => {
    const x = sym("float64", [null]);
    const sizes = stack([2, 1].map((n) => NDArray.scalar(n, "int32")));
    const [p0] = new Split(0, 2).apply([x, sizes]).outputs;
    assert.deepEqual(p0.type.shape, [2]);
    const g = grad(sum(mul(p0, p0)), x) as Variable;
    assertClose(interp([x], g)([1, 2, 3]), [2, 4, 0]);
    assertThrowsMatching(() => interp([x], p0)([1, 2]), "Split{axis=0, nSplits=2}", "[2]");
  });

  it("specifyShape is the identity; shape and size are disconnected", () => {
    verify((x) => specifyShape(x, [2, null]), [[[1, 2], [3, 4]]]);
    const x = sym("float64", [null]);
    assert.deepEqual(new Shape().apply([x]).op.pullback!([x], [], [null]), [disconnected]);
    assert.deepEqual(new Size().apply([x]).op.pullback!([x], [], [null]), [disconnected]);
    assert.ok(new SpecifyShape([null]).pullback([x], [], [x])[0] instanceof Variable);
  });
});
