// Every case of the elemwise, reduce, linalg and creation fixture tables, compiled under interp
// and js: same values (or the same error), with static shapes known and unknown.
import { Variable } from "../../core/graph.ts";
import type { NDArray } from "../../core/ndarray.ts";
import { type DType, TensorType } from "../../core/types.ts";
import { type FixArray, fromFixture, loadFixture } from "../helpers.ts";
import { agree, pt } from "./compare.ts";
import { type CreationOpts, creationBuilders, linalgBuilders } from "../plugins/ops/fixture_builders.ts";
import { reduceFunctions } from "../../plugins/ops/reduce.ts";
import { softmaxFunctions } from "../../plugins/ops/softmax.ts";
import { cumulativeFunctions } from "../../plugins/ops/cumulative.ts";
import { dot, matmul } from "../../plugins/ops/linalg.ts";

const sym = (name: string, dtype: DType, shape: readonly (number | null)[]) => new Variable(new TensorType(dtype, shape), null, 0, name);
const symOf = (name: string, a: FixArray, known: boolean) => sym(name, a.dtype, known ? a.shape : a.shape.map(() => null));
/** Building can fail on static shapes (make's checks): that is the graph's error, not a backend's. */
const built = <T>(f: () => T): T | null => {
  try {
    return f();
  } catch {
    return null;
  }
};
const SHAPES = [true, false] as const;
const label = (known: boolean) => (known ? "static shapes" : "unknown shapes");

describe("conformance: elemwise fixtures (interp vs js)", () => {
  interface Case { fn: string; inputs: FixArray[]; out: FixArray }
  const { cases } = loadFixture<{ cases: Case[] }>("elemwise.json");
  const fns = pt as unknown as Record<string, (...xs: Variable[]) => Variable>;
  for (const [k, c] of cases.entries()) {
    it(`${c.fn} ${c.inputs.map((i) => JSON.stringify(i.shape)).join(" ")} #${k}`, () => {
      for (const known of SHAPES) {
        const xs = c.inputs.map((a, i) => symOf(`x${i}`, a, known));
        const out = built(() => (c.fn.startsWith("cast_") ? pt.cast(xs[0], c.fn.slice(5) as DType) : fns[c.fn](...xs)));
        if (out) agree(xs, [out], [c.inputs.map(fromFixture)], { errorsAllowed: true, what: `${c.fn} (${label(known)})` });
      }
    });
  }
});

describe("conformance: reduce fixtures (interp vs js)", () => {
  interface Case { op: string; note: string; args: object; input: FixArray }
  const { cases } = loadFixture<{ cases: Case[] }>("reduce.json");
  const fns = { ...reduceFunctions, ...softmaxFunctions, ...cumulativeFunctions } as unknown as Record<string, (x: Variable, o: object) => Variable>;
  for (const [k, c] of cases.entries()) {
    it(`${c.op}(${c.input.dtype} ${JSON.stringify(c.input.shape)}, ${JSON.stringify(c.args)}) #${k}`, () => {
      for (const known of SHAPES) {
        const x = symOf("x", c.input, known);
        const out = built(() => fns[c.op](x, c.args));
        if (out) agree([x], [out], [[fromFixture(c.input)]], { errorsAllowed: true, what: `${c.op} ${c.note} (${label(known)})` });
      }
    });
  }
});

describe("conformance: linalg fixtures (interp vs js)", () => {
  interface Case { name: string; op: string; opts: Record<string, number | boolean>; inputs: { name: string; array: FixArray }[] }
  const { cases } = loadFixture<{ cases: Case[] }>("linalg.json");
  const BUILD = linalgBuilders;
  for (const c of cases) {
    it(c.name, () => {
      for (const known of SHAPES) {
        const xs = c.inputs.map((i) => symOf(i.name, i.array, known));
        const out = built(() => BUILD[c.op](xs, c.opts));
        if (out) agree(xs, Array.isArray(out) ? out : [out], [c.inputs.map((i) => fromFixture(i.array))], { errorsAllowed: true, what: `${c.name} (${label(known)})` });
      }
    });
  }
  it("products of transposed, broadcast and batched operands", () => {
    const A = pt.tensor("A", { ndim: 3 }), B = pt.matrix("B"), v = pt.vector("v");
    // zeros on the left meet ±inf / NaN on the right: the reference skips those terms
    const outs = [matmul(A, pt.transpose(B)), matmul(pt.transpose(A, [0, 2, 1]), A), dot(pt.transpose(B), v), dot(v, B), matmul(A, v)];
    const a = pt.constant([[[1, 0, 2], [3, -1, 0.5]], [[0, 0, 1], [Infinity, 2, 1]]]).value;
    const b = pt.constant([[1, 2, 3], [0, NaN, 1], [4, 5, -6]]).value;
    agree([A, B, v], outs, [[a, b, pt.constant([0.5, Infinity, -2]).value]], { what: "products" });
  });
});

describe("conformance: creation fixtures (interp vs js)", () => {
  type Opts = CreationOpts;
  interface Case { name: string; fn: string; args: unknown[]; opts: Opts; value?: FixArray }
  const { cases } = loadFixture<{ cases: Case[] }>("creation.json");
  const BUILD = creationBuilders;
  for (const c of cases) {
    it(c.name, () => {
      const value = c.value && symOf("v", c.value, true);
      const out = built(() => BUILD[c.fn](c.args, c.opts, value));
      const args: NDArray[] = c.value ? [fromFixture(c.value)] : [];
      // without rewrites the creation ops themselves reach the backends (not folded constants)
      if (out) for (const none of [false, true]) agree(value ? [value] : [], [out], [args], { errorsAllowed: true, what: c.name, rewrites: { none } });
    });
  }
});
