// arange, zeros, ones, full, eye and linspace against numpy (test/fixtures/gen_creation.py),
// plus full over a symbolic value and its gradient.
import { strict as assert } from "node:assert";
import { runtime } from "../../../mod.ts";
import { Variable } from "../../../core/graph.ts";
import { NDArray } from "../../../core/ndarray.ts";
import { TensorType } from "../../../core/types.ts";
import { type FixArray, assertClose, assertThrowsMatching, fromFixture, loadFixture } from "../../helpers.ts";
import { arange, creationFunctions, eye, full, linspace, zeros } from "../../../plugins/ops/creation.ts";
import { verifyGradWith, vjp } from "../../../plugins/ops/gradient.ts";
import { type CreationOpts, creationBuilders } from "./fixture_builders.ts";

type Opts = CreationOpts;
interface Case {
  name: string;
  fn: string;
  args: unknown[];
  opts: Opts;
  value?: FixArray;
  expected?: FixArray;
  error?: string[];
}
const fx = loadFixture<{ cases: Case[] }>("creation.json");

const BUILD = creationBuilders;

describe("creation", () => {
  it("exports its tensor functions", () => {
    assert.deepEqual(Object.keys(creationFunctions).sort(), ["arange", "eye", "fill", "full", "linspace", "ones", "zeros"]);
    assert.equal(creationFunctions.fill, full);
  });

  describe("numpy fixtures", () => {
    for (const c of fx.cases) {
      it(c.name + (c.value ? ` with a ${c.value.dtype} value of shape [${c.value.shape}]` : ""), () => {
        const value = c.value && new Variable(new TensorType(c.value.dtype, c.value.shape), null, 0, "v");
        const inputs = value ? [value] : [];
        const go = () => {
          const out = BUILD[c.fn](c.args, c.opts, value);
          return { out, res: runtime.pt.fn(inputs, out, { mode: "interp" })(...(c.value ? [fromFixture(c.value)] : [])) };
        };
        if (c.error) return assertThrowsMatching(go, ...c.error);
        const { out, res } = go();
        const exp = fromFixture(c.expected!);
        // numpy's float32 arange/linspace round in a different order; the float64 ones agree to 1e-12
        assertClose(res, exp, { rtol: exp.dtype === "float32" ? 1e-6 : 1e-12, what: c.name });
        assert.deepEqual([...out.type.shape], [...exp.shape], "static shape");
        assert.equal(out.type.dtype, exp.dtype, "static dtype");
      });
    }
  });

  it("creation ops have no inputs and print their parameters", () => {
    const a = arange(0, 5, 2);
    assert.equal(a.owner!.inputs.length, 0);
    assert.equal(String(a.owner!.op), "ARange{start=0, stop=5, step=2, dtype='int32'}");
    assert.equal(String(eye(3, { k: 1 }).owner!.op), "Eye{n=3, m=3, k=1, dtype='float64'}");
    assert.equal(String(zeros([2, 3]).owner!.op), "Alloc{shape=(2, 3), dtype='float64'}");
  });

  it("options may follow any number of positional arguments", () => {
    const run = (v: Variable) => runtime.pt.fn([], v, { mode: "interp" })();
    assertClose(run(arange(3, { dtype: "float32" })), NDArray.from([0, 1, 2], "float32"));
    assertClose(run(arange(1, 3, { dtype: "float64" })), NDArray.from([1, 2]));
    assertClose(run(linspace(0, 1, { endpoint: false })), NDArray.from(Array.from({ length: 50 }, (_, i) => i / 50)));
    assertThrowsMatching(() => arange(), "arange: takes 1 to 3 numbers");
  });

  it("full's result is a fresh array, not the value's buffer", () => {
    const v = new Variable(new TensorType("float64", [2]), null, 0, "v");
    const input = NDArray.from([1, 2]);
    const res = runtime.pt.fn([v], full([2], v), { mode: "interp" })(input);
    assert.notEqual(res.data, input.data);
    assertClose(res, input);
  });

  it("full over a symbolic value with an unknown shape checks it at run time", () => {
    const v = new Variable(new TensorType("float64", [null]), null, 0, "v");
    const f = runtime.pt.fn([v], full([2, 3], v), { mode: "interp" });
    assertClose(f([1, 2, 3]), NDArray.from([[1, 2, 3], [1, 2, 3]]));
    assertThrowsMatching(() => f([1, 2]), "cannot broadcast", "[2, 3]");
  });

  describe("gradients", () => {
    it("full sums the gradient over the broadcast axes", () => {
      verifyGradWith(runtime.pt, (v) => full([2, 3], v), [[[0.5], [-1.25]]], { mode: "interp" });
      verifyGradWith(runtime.pt, (v) => full([4, 3], v), [[0.5, 2, -3]], { mode: "interp" });
    });
    it("full of a float32 value gives a float32 gradient", () => {
      const v = new Variable(new TensorType("float32", [3]), null, 0, "v");
      const out = full([2, 3], v, { dtype: "float64" });
      const gOut = new Variable(new TensorType("float64", [2, 3]), null, 0, "g");
      const [g] = vjp(out, gOut, [v]);
      assert.equal(g.dtype, "float32");
      const f = runtime.pt.fn([gOut, v], g, { mode: "interp" });
      const args = [[[1, 2, 3], [10, 20, 30]], NDArray.from([0, 0, 0], "float32")];
      assertClose(f(...args), NDArray.from([11, 22, 33], "float32"));
    });
  });
});
