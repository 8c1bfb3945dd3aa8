// The shape and subtensor fixture tables under interp and js: reshapes and indexing are views in
// js, so these also check offsets and strides against the copying reference.
import { Variable } from "../../core/graph.ts";
import { NDArray } from "../../core/ndarray.ts";
import { type DType, TensorType } from "../../core/types.ts";
import { type FixArray, fromFixture, loadFixture } from "../helpers.ts";
import { agree, pt } from "./compare.ts";
import { shapeBuilders } from "../plugins/ops/fixture_builders.ts";
import { shapeFunctions } from "../../plugins/ops/shape.ts";
import { type IndexEntry, index, incSubtensor, setSubtensor, slice, take } from "../../plugins/ops/subtensor.ts";

const { reshape } = shapeFunctions;
const sym = (name: string, dtype: DType, shp: readonly (number | null)[]) => new Variable(new TensorType(dtype, shp), null, 0, name);
const built = <T>(f: () => T): T | null => {
  try {
    return f();
  } catch {
    return null;
  }
};

describe("conformance: shape fixtures (interp vs js)", () => {
  interface Case { op: string; note: string; inputs: FixArray[]; args: Record<string, unknown> }
  const { cases } = loadFixture<{ cases: Case[] }>("shape.json");
  const BUILD = shapeBuilders;
  for (const [k, c] of cases.entries()) {
    it(`${c.op}(${c.inputs.map((i) => JSON.stringify(i.shape)).join(", ")}, ${JSON.stringify(c.args)}) #${k}`, () => {
      for (const known of [true, false]) {
        const xs = c.inputs.map((a, i) => sym(`x${i}`, a.dtype, known ? a.shape : a.shape.map(() => null)));
        const out = built(() => BUILD[c.op](xs, c.args));
        // the views again, read by a loop (an elementwise consumer) rather than copied out
        const consumed = out && out.dtype === "float64" && out.ndim > 0 ? [out, pt.mul(out, 2)] : out ? [out] : null;
        if (consumed) agree(xs, consumed, [c.inputs.map(fromFixture)], { errorsAllowed: true, what: `${c.op} ${c.note} (${known ? "static" : "unknown"})` });
      }
    });
  }
  for (const c of cases.filter((k) => k.op === "reshape")) {
    it(`reshape to a symbolic shape ${JSON.stringify(c.args.shape)}`, () => {
      const target = c.args.shape as number[];
      const x = sym("x", c.inputs[0].dtype, c.inputs[0].shape), s = sym("s", "int32", [target.length]);
      agree([x, s], [reshape(x, s)], [[fromFixture(c.inputs[0]), NDArray.from(target, "int32")]], { errorsAllowed: true, what: "reshape(x, s)" });
    });
  }
});

describe("conformance: subtensor fixtures (interp vs js)", () => {
  type Entry = { int: number } | { slice: (number | null)[] } | { newaxis: true } | { array: FixArray } | { mask: FixArray };
  interface Case {
    op: "index" | "take" | "set" | "inc";
    note: string;
    x: FixArray;
    y?: FixArray;
    entries?: Entry[];
    indices?: FixArray;
    axis?: number | null;
  }
  const { cases } = loadFixture<{ cases: Case[] }>("subtensor.json");
  const entry = (e: Entry): IndexEntry => {
    if ("int" in e) return e.int;
    if ("slice" in e) return slice(...e.slice);
    if ("newaxis" in e) return null;
    return fromFixture("array" in e ? e.array : e.mask);
  };
  const region = (c: Case, x: Variable) =>
    c.entries ? index(x, c.entries.map(entry)) : take(x, fromFixture(c.indices!), { axis: c.axis ?? undefined });
  for (const [k, c] of cases.entries()) {
    it(`${c.op} ${c.note || JSON.stringify(c.entries ?? c.indices!.shape)} #${k}`, () => {
      for (const known of [true, false]) {
        const x = sym("x", c.x.dtype, known ? c.x.shape : c.x.shape.map(() => null));
        const y = c.y && sym("y", c.y.dtype, known ? c.y.shape : c.y.shape.map(() => null));
        const out = built(() => {
          if (c.op === "index" || c.op === "take") return region(c, x);
          return (c.op === "set" ? setSubtensor : incSubtensor)(region(c, x), y!);
        });
        const inputs = y ? [x, y] : [x];
        const args = [fromFixture(c.x), ...(c.y ? [fromFixture(c.y)] : [])];
        if (out) agree(inputs, [out], [args], { errorsAllowed: true, what: `${c.op} ${c.note} (${known ? "static" : "unknown"})` });
      }
    });
  }
  it("indices given as int32 scalar inputs (known only at run time)", () => {
    const x = pt.matrix("x"), i = sym("i", "int32", []), j = sym("j", "int32", []);
    const outs = [index(x, [i]), index(x, [slice(i, null), j]), pt.mul(index(x, [slice(null, null, -1), slice(j, null)]), 2)];
    const X = NDArray.from([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
    const ints = (a: number, b: number) => [X, NDArray.scalar(a, "int32"), NDArray.scalar(b, "int32")];
    agree([x, i, j], outs, [ints(0, 1), ints(2, 0), ints(-1, 2), ints(1, -3), ints(3, 0)], { what: "x[i], x[i:, j]", errorsAllowed: true });
  });
});
