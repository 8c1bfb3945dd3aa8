// Indexing against numpy (test/fixtures/gen_subtensor.py): basic, advanced and boolean indexing,
// take, set/inc through an index (np.add.at); static types, printing, errors and gradients.
import { strict as assert } from "node:assert";
import { runtime } from "../../../mod.ts";
import { Variable, disconnected } from "../../../core/graph.ts";
import { NDArray, type NestedArray } from "../../../core/ndarray.ts";
import { type DType, TensorType, fmtShape } from "../../../core/types.ts";
import { type FixArray, assertClose, assertThrowsMatching, fromFixture, loadFixture } from "../../helpers.ts";
import { type IndexEntry, subtensorFunctions } from "../../../plugins/ops/subtensor.ts";
import { IndexOp } from "../../../plugins/ops/subtensor_ops.ts";
import { grad, verifyGradWith } from "../../../plugins/ops/gradient.ts";
import { mul } from "../../../plugins/ops/elemwise.ts";
import { reduceFunctions } from "../../../plugins/ops/reduce.ts";

const { index, slice, take, setSubtensor, incSubtensor } = subtensorFunctions;
const { sum } = reduceFunctions;

type Entry = { int: number } | { slice: (number | null)[] } | { newaxis: true } | { array: FixArray } | { mask: FixArray };
interface Case {
  op: "index" | "take" | "set" | "inc";
  note: string;
  x: FixArray;
  entries?: Entry[];
  indices?: FixArray;
  axis?: number | null;
  y?: FixArray;
  expected?: FixArray;
  error?: string[];
}
const { cases } = loadFixture<{ cases: Case[] }>("subtensor.json");

const sym = (dtype: DType, shp: readonly (number | null)[], name: string) => new Variable(new TensorType(dtype, shp), null, 0, name);
const interp = (inputs: Variable[], out: Variable) => runtime.pt.fn(inputs, out, { mode: "interp" });
const verify = (f: (...xs: Variable[]) => Variable, point: unknown[]) =>
  verifyGradWith(runtime.pt, f, point as number[][], { mode: "interp" });

/**
 * The three ways a case is built: "const" (static x shape, entries as JS values), "dynamic"
 * (unknown x shape, JS values) and "symbolic" (unknown shapes; integers, slice bounds, index
 * arrays and masks as variables fed at run time).
 */
type Mode = "const" | "dynamic" | "symbolic";

function build(c: Case, mode: Mode) {
  const inputs: Variable[] = [], values: NDArray[] = [];
  const feed = (value: NDArray, name: string, dtype = value.dtype) => {
    const v = sym(dtype, mode === "const" ? value.shape : value.shape.map(() => null), name);
    inputs.push(v);
    values.push(value);
    return v;
  };
  const x = feed(fromFixture(c.x), "x");
  const scalar = (n: number | null): number | Variable | null =>
    n === null || mode !== "symbolic" ? n : feed(NDArray.scalar(n, "int32"), `i${inputs.length}`);
  const array = (a: FixArray): NestedArray | Variable =>
    mode === "symbolic" ? feed(fromFixture(a), `a${inputs.length}`) : fromFixture(a).toArray();
  const entry = (e: Entry): IndexEntry => {
    if ("int" in e) return scalar(e.int);
    if ("slice" in e) return slice(...(e.slice.map(scalar) as [number | Variable | null, number | Variable | null, number | Variable | null]));
    if ("newaxis" in e) return null;
    return array("array" in e ? e.array : e.mask);
  };
  const region = () => {
    if (c.entries) return index(x, c.entries.map(entry));
    const ind = mode === "symbolic" ? feed(fromFixture(c.indices!), "ind") : fromFixture(c.indices!);
    return take(x, ind, { axis: c.axis ?? undefined });
  };
  const out = () => {
    if (c.op === "index" || c.op === "take") return region();
    const r = region();
    const yv = fromFixture(c.y!);
    // a 0-d y in "const" mode goes in as a bare number, taking x's dtype
    const y = mode === "const" && yv.ndim === 0 ? yv.item() : feed(yv, "y");
    return c.op === "set" ? setSubtensor(r, y) : incSubtensor(r, y);
  };
  return { out, run: (o: Variable) => interp(inputs, o)(...values), x };
}

describe("subtensor: numpy fixtures", () => {
  for (const c of cases) {
    const what = c.entries ? JSON.stringify(c.entries.map((e) => ("int" in e ? e.int : "slice" in e ? e.slice : "newaxis" in e ? "None" : "array" in e ? "array" : "mask")))
      : `take(${JSON.stringify(c.indices!.data)}, axis=${c.axis})`;
    const title = `${c.op} ${c.x.dtype} ${fmtShape(c.x.shape)} ${what}${c.note ? ` — ${c.note}` : ""}`;
    it(title, () => {
      for (const mode of ["const", "dynamic", "symbolic"] as Mode[]) {
        const b = build(c, mode);
        if (c.error) {
          assertThrowsMatching(() => b.run(b.out()), ...c.error);
          continue;
        }
        const out = b.out();
        const exp = fromFixture(c.expected!);
        assertClose(b.run(out), exp, { what: `${title} [${mode}]` });
        assert.equal(out.dtype, exp.dtype, "static dtype");
        assert.equal(out.ndim, exp.ndim, "static ndim");
        out.type.shape.forEach((d, i) => assert.ok(d === null || d === exp.shape[i], `[${mode}] static shape ${fmtShape(out.type.shape)} vs ${fmtShape(exp.shape)}`));
        if (mode === "const") assert.deepEqual(out.type.shape, exp.shape, "constant indices on a known shape give a known shape");
      }
    });
  }
});

describe("subtensor: printing, static types and errors", () => {
  const v = sym("float64", [null], "v"), m = sym("float64", [null, null], "m");
  const i = sym("int32", [], "i");

  it("prints PyTensor-like names with the index pattern", () => {
    const op = (o: Variable) => String(o.owner!.op);
    assert.equal(op(index(m, [1, slice(null, null, -1)])), "Subtensor{1, ::-1}");
    assert.equal(op(index(m, [i, slice(i, 3)])), "Subtensor{i, start:3}");
    assert.equal(op(index(v, [slice(null, i, i)])), "Subtensor{:stop:step}");
    assert.equal(op(take(m, [0, 1], { axis: 1 })), "AdvancedSubtensor{axis=1}");
    assert.equal(op(index(m, [[true, false]])), "AdvancedBooleanSubtensor{axis=0}");
    assert.equal(op(setSubtensor(index(v, [slice(1, 3)]), 0)), "SetSubtensor{1:3}");
    assert.equal(op(incSubtensor(index(v, [[0, 0]]), 1)), "AdvancedIncSubtensor{axis=0}");
    assert.equal(op(setSubtensor(index(v, [[true]]), 1)), "AdvancedBooleanSetSubtensor{axis=0}");
  });

  it("slices of known lengths have known lengths; symbolic bounds do not", () => {
    const x = sym("float64", [10, 3], "x");
    assert.deepEqual(index(x, [slice(2, 8, 3)]).type.shape, [2, 3]);
    assert.deepEqual(index(x, [slice(i)]).type.shape, [null, 3]);
    assert.deepEqual(index(x, [null, slice(), 1]).type.shape, [1, 10]);
    assert.deepEqual(take(x, sym("int32", [null, 2], "k"), { axis: 1 }).type.shape, [10, null, 2]);
    assert.deepEqual(index(x, [sym("bool", [10], "b")]).type.shape, [null, 3], "a symbolic mask: unknown count");
  });

  it("bare numbers take the indexed tensor's dtype", () => {
    const f = sym("float32", [null], "f");
    assert.equal(incSubtensor(index(f, [0]), 1).dtype, "float32");
    const n = sym("int32", [null], "n");
    assert.equal(setSubtensor(index(n, [0]), 2).dtype, "int32");
    assertThrowsMatching(() => setSubtensor(index(n, [0]), 2.5), "SetSubtensor{0}", "cannot write float64 values", "into int32 'n'");
  });

  it("rejects what it cannot index", () => {
    assertThrowsMatching(() => index(m, [[0], [1]]), "only one integer-array or boolean index");
    assertThrowsMatching(() => index(v, [1.5]), "entry 0 (1.5) is not an integer");
    assertThrowsMatching(() => index(v, [[0.5]]), "indices must be integers");
    assertThrowsMatching(() => index(v, [sym("float64", [], "s")]), "'s' with shape []", "must be int32 or bool");
    assertThrowsMatching(() => index(v, [slice(sym("float64", [], "s"))]), "slice bound 's'", "int32 scalar");
    assertThrowsMatching(() => take(m, [0], { axis: 2 }), "take: axis 2 is out of range");
    assertThrowsMatching(() => setSubtensor(mul(v, 2), 0), "setSubtensor: the first argument must be the result of index() or take()", "Mul");
    assertThrowsMatching(() => setSubtensor(v, 0), "'v' with shape [?] is not computed from anything");
    assertThrowsMatching(() => index(sym("float64", [3], "w"), [[true, false]]), "AdvancedBooleanSubtensor{axis=0}", "does not match");
    assertThrowsMatching(() => setSubtensor(index(sym("float64", [2, 3], "w"), [0]), sym("float64", [2], "y")), "cannot broadcast 'y' with shape [2]", "[3]");
  });

  it("a symbolic integer index is checked at run time", () => {
    const out = index(v, [i]);
    assertThrowsMatching(() => interp([v, i], out)([1, 2, 3], 3), "Subtensor{i}: index 3 is out of bounds for axis 0 with size 3");
    assertClose(interp([v, i], out)([1, 2, 3], -3), NDArray.scalar(1));
  });
});

describe("subtensor: gradients", () => {
  const M = [[1, 2, 3], [4, 5, 6]];
  it("basic indexing: slices, negative steps, integers, newaxis", () => {
    verify((x) => index(x, [slice(1, null, -1)]), [[1, 2, 3, 4]]);
    verify((x) => index(x, [1, slice(null, null, -1)]), [M]);
    verify((x) => index(x, [null, slice(), 2]), [M]);
    verify((x) => mul(index(x, [slice(0, 2)]), index(x, [slice(2, 4)])), [[1, 2, 3, 4]]);
  });

  it("advanced indexing accumulates repeated indices", () => {
    verify((x) => index(x, [[0, 0, 2, -1]]), [[1, 2, 3, 4]]);
    verify((x) => index(x, [0, slice(), [0, 2]]), [[M, M]]);
    verify((x) => take(x, [[1, 1], [0, 2]], { axis: 1 }), [M]);
    verify((x) => take(x, [5, 0, 5]), [M]);
    verify((x) => index(x, [[[true, false, true], [false, true, true]]]), [M]);
    const x = sym("float64", [null], "x");
    const g = grad(sum(index(x, [[1, 1, 1, 0]])), x) as Variable;
    assertClose(interp([x], g)([5, 5, 5]), [1, 3, 0]);
  });

  it("symbolic integer and slice inputs are disconnected", () => {
    const x = sym("float64", [null], "x"), i = sym("int32", [], "i");
    const out = index(x, [slice(i, null, -1)]);
    const g = grad(sum(mul(out, 3)), x) as Variable;
    assertClose(interp([x, i], g)([1, 2, 3, 4], 2), [3, 3, 3, 0]);
    const node = out.owner!;
    assert.deepEqual(node.op.pullback!(node.inputs, node.outputs, [out]).slice(1), [disconnected]);
    const n = index(sym("int32", [null], "n"), [0]).owner!;
    assert.equal((n.op as IndexOp).pullback(n.inputs, n.outputs, [out])[0], disconnected, "an int32 x has no gradient");
  });

  it("setSubtensor: x gets g with the region zeroed, y the region summed to its shape", () => {
    verify((x, y) => setSubtensor(index(x, [slice(1, 3)]), y), [[1, 2, 3, 4], [10, 20]]);
    verify((x, y) => setSubtensor(index(x, [slice(), 1]), y), [M, 7]);
    verify((x, y) => setSubtensor(index(x, [0, slice(), [0, 2]]), y), [[M, M], [[1], [2]]]);
    verify((x, y) => setSubtensor(take(x, [4, 0]), y), [M, [8, 9]]);
    verify((x, y) => mul(setSubtensor(index(x, [[false, true, true, false]]), y), x), [[1, 2, 3, 4], 5]);
  });

  it("x[:] and x[None] are regions too", () => {
    verify((x, y) => setSubtensor(index(x, [slice()]), y), [[1, 2, 3], [4, 5, 6]]);
    verify((x, y) => incSubtensor(index(x, [null]), y), [[1, 2, 3], [[4, 5, 6]]]);
  });

  it("incSubtensor: x gets g, y the region summed (repeats counted)", () => {
    verify((x, y) => incSubtensor(index(x, [[0, 0, 2]]), y), [[1, 2, 3], [1, 2, 3]]);
    verify((x, y) => incSubtensor(index(x, [null, 1, slice(1)]), y), [M, [[1, 2]]]);
    verify((x, y) => mul(incSubtensor(take(x, [1, 1], { axis: 1 }), y), x), [M, 0.5]);
  });
});
