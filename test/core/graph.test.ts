import { strict as assert } from "node:assert";
import { Constant, NDArray, pt, TensorType, type Variable } from "../../mod.ts";
import { assertClose, assertThrowsMatching } from "../helpers.ts";

describe("graph IR (seed 003 'Introduction to PyTensor')", () => {
  const x = pt.scalar("x"), y = pt.vector("y");
  const z = pt.add(x, y, { name: "x + y" });
  const w = pt.log(z, { name: "log(x + y)" });

  it("types print like PyTensor", () => {
    assert.equal(String(x.type), "Scalar(float64, shape=())");
    assert.equal(String(y.type), "Vector(float64, shape=(?,))");
    assert.equal(String(pt.matrix("m", { dtype: "int32" }).type), "Matrix(int32, shape=(?, ?))");
    assert.equal(String(pt.tensor("t", { shape: [2, null, 3] }).type), "Tensor3(float64, shape=(2, ?, 3))");
  });

  it("variables know their owner, inputs and op", () => {
    const node = z.owner!;
    assert.equal(String(node), "Add(ExpandDims{axis=0}.0, y)");
    assert.equal(String(node.op), "Add");
    assert.deepEqual(node.inputs.map(String), ["ExpandDims{axis=0}.0", "y"]);
    assert.deepEqual(node.outputs.map(String), ["x + y"]);
    assert.equal(String(node.inputs[0].type), "Vector(float64, shape=(1,))");
  });

  it("walks to the graph inputs", () => {
    assert.deepEqual(pt.graphInputs([w]), [x, y]);
    const order = pt.toposort([w]).map((n) => String(n.op));
    assert.deepEqual(order, ["ExpandDims{axis=0}", "Add", "Log"]);
  });

  it("evaluates: w.eval({x: 0, y: [1, e]}) = [0, 1]", () => {
    assertClose(w.eval({ x: 0, y: [1, Math.E] }), [0, 1], { rtol: 1e-15 });
    assertClose(w.eval(new Map<Variable, number | number[]>([[x, 0], [y, [1, Math.E]]])), [0, 1], { rtol: 1e-15 });
  });

  it("evaluates from an intermediate value: w.eval({z: [1, e]})", () => {
    assertClose(w.eval(new Map([[z, [1, Math.E]]])), [0, 1], { rtol: 1e-15 });
  });

  it("compiles with pt.fn, positional or keyword", () => {
    const f = pt.fn([x, y], w, { mode: "interp" });
    assertClose(f(0, [1, Math.E]), [0, 1], { rtol: 1e-15 });
    assertClose(f({ x: 0, y: [1, Math.E] }), [0, 1], { rtol: 1e-15 });
  });

  it("cloneReplace x → exp(x) leaves w alone and gives [1, e]", () => {
    const parent = w.owner!.inputs[0];
    const [nw] = pt.cloneReplace([w], new Map([[parent, pt.exp(parent)]]));
    assertClose(nw.eval({ x: 0, y: [1, Math.E] }), [1, 2.71828183], { rtol: 1e-8 });
    assertClose(w.eval({ x: 0, y: [1, Math.E] }), [0, 1], { rtol: 1e-15 });
  });

  it("constants print their value; NDArray prints like numpy", () => {
    assert.equal(String(pt.constant([1, 2])), "[1. 2.]");
    assert.equal(String(new Constant(NDArray.from([0, 0], "int32"))), "[0 0]");
    assert.equal(String(NDArray.from([1, Math.E])), "[1.         2.71828183]");
  });

  it("names a missing input", () => {
    assertThrowsMatching(() => pt.fn([x], w), "missing input", "'y'");
  });

  it("checks argument shapes and dtypes", () => {
    const f = pt.fn([x, y], w);
    assertThrowsMatching(() => f(0, [[1, 2]]), "'y'", "Vector(float64, shape=(?,))", "[1, 2]");
    assertThrowsMatching(() => f(0), "expected 2 arguments");
    const i = pt.vector("i", { dtype: "int32" });
    assertThrowsMatching(() => pt.fn([i], pt.add(i, 1))([1.5]), "'i'", "int32", "non-integer");
  });

  it("rejects bad broadcasting when the node is built, naming both inputs", () => {
    const a = pt.tensor("a", { shape: [3] }), b = pt.tensor("b", { shape: [4] });
    assertThrowsMatching(() => pt.add(a, b), "Add", "'a' with shape [3]", "'b' with shape [4]");
  });

  it("TensorType checks its shape", () => {
    assert.throws(() => new TensorType("float64", [-1]), /bad static dimension/);
  });
});

describe("shared variables", () => {
  it("are read at call time and can be updated by the function", () => {
    const w = pt.shared([1, 2], { name: "w" });
    const x = pt.vector("x");
    const f = pt.fn([x], pt.mul(w, x), { updates: [[w, pt.add(w, 1)]] });
    assertClose(f([3, 3]), [3, 6]);
    assertClose(w.value, [2, 3]);
    w.setValue([10, 20, 30]);
    assertClose(f([1, 1, 1]), [10, 20, 30]);
    assertThrowsMatching(() => w.setValue([[1]]), "'w'", "does not fit");
  });
});

describe("Variable methods", () => {
  it("x.add(y), x.sum(), x.T and friends build the same graphs as the functions", () => {
    const x = pt.matrix("x"), y = pt.matrix("y");
    const f = pt.fn([x, y], [x.add(y).mul(2).sum({ axis: 0 }), x.T, x.at(0, pt.slice(1)), x.dot(y).exp().log()], { mode: "interp" });
    const [s, t, r, d] = f([[1, 2], [3, 4]], [[1, 0], [0, 1]]);
    assertClose(s, [10, 14]); // 2·(x + y) summed over rows
    assertClose(t, NDArray.from([[1, 3], [2, 4]]));
    assertClose(r, [2]);
    assertClose(d, NDArray.from([[1, 2], [3, 4]]), { rtol: 1e-15 });
  });
});
