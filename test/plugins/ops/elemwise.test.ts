import { strict as assert } from "node:assert";
import { pt, type Variable } from "../../../mod.ts";
import { Exp } from "../../../plugins/ops/elemwise_math.ts";
import { lift } from "../../../plugins/ops/elemwise_base.ts";
import { type FixArray, assertClose, assertThrowsMatching, fromFixture, loadFixture } from "../../helpers.ts";

interface Case {
  fn: string;
  inputs: FixArray[];
  out: FixArray;
}
const { cases } = loadFixture<{ cases: Case[] }>("elemwise.json");
const fns = pt as unknown as Record<string, (...xs: unknown[]) => Variable>;
const call = (name: string, xs: Variable[]): Variable => {
  if (name.startsWith("cast_")) return pt.cast(xs[0], name.slice(5) as "int32");
  return fns[name](...xs);
};
// special functions are series/rational approximations: a few ulps more than libm
const RTOL: Record<string, number> = { erfinv: 1e-11, trigamma: 1e-11, digamma: 1e-12, gammaln: 1e-12, erfcx: 1e-12, tan: 1e-12 };

describe("elementwise ops vs numpy", () => {
  for (const mode of ["interp"]) {
    for (const [k, c] of cases.entries()) {
      const shapes = c.inputs.map((i) => JSON.stringify(i.shape)).join(" ");
      it(`${c.fn} ${shapes} (${mode}) #${k}`, () => {
        const vars = c.inputs.map((i, n) => pt.tensor(`x${n}`, { dtype: i.dtype, ndim: i.shape.length }));
        const out = call(c.fn, vars);
        const f = pt.fn(vars, out, { mode });
        const got = f(...c.inputs.map(fromFixture));
        assertClose(got, fromFixture(c.out), { rtol: RTOL[c.fn] ?? 1e-13, atol: 1e-300, what: c.fn });
      });
    }
  }
});

describe("elementwise typing", () => {
  it("broadcasts static shapes like numpy, with explicit ExpandDims", () => {
    const a = pt.tensor("a", { shape: [3, 1] }), b = pt.tensor("b", { shape: [1, 4] });
    assert.deepEqual(pt.add(a, b).type.shape, [3, 4]);
    const s = pt.scalar("s"), v = pt.tensor("v", { shape: [null] });
    const sv = pt.mul(s, v);
    assert.deepEqual(sv.type.shape, [null]);
    assert.equal(String(sv.owner!.inputs[0].owner!.op), "ExpandDims{axis=0}");
    assert.deepEqual(pt.add(pt.tensor("z", { shape: [0] }), pt.tensor("o", { shape: [1] })).type.shape, [0]);
  });

  it("keeps float32 with weak JS numbers and upcasts int32 + float32 to float64", () => {
    const f = pt.vector("f", { dtype: "float32" }), i = pt.vector("i", { dtype: "int32" });
    assert.equal(pt.add(f, 1).dtype, "float32");
    assert.equal(pt.mul(i, 2).dtype, "int32");
    assert.equal(pt.mul(i, 2.5).dtype, "float64");
    assert.equal(pt.add(i, f).dtype, "float64");
    assert.equal(pt.div(i, i).dtype, "float64");
    assert.equal(pt.exp(i).dtype, "float64");
    assert.equal(pt.lt(f, 0).dtype, "bool");
  });

  it("names the shapes on a run-time broadcasting error", () => {
    const a = pt.vector("a"), b = pt.vector("b");
    const f = pt.fn([a, b], pt.add(a, b), { mode: "interp" });
    assertThrowsMatching(() => f([1, 2, 3], [1, 2]), "Add", "[3]", "[2]", "cannot be broadcast");
  });

  it("takes an options object for the name", () => {
    assert.equal(pt.exp(pt.scalar("x"), { name: "e" }).name, "e");
    assert.equal(pt.switch(pt.scalar("c", { dtype: "bool" }), 1, 2, { name: "w" }).name, "w");
  });
});

describe("elementwise gradients (verifyGrad)", () => {
  const rand = (n: number, lo: number, hi: number, seed: number) =>
    Array.from({ length: n }, (_, i) => lo + ((Math.sin(seed * 12.9898 + i * 78.233) * 43758.5453) % 1 + 1) % 1 * (hi - lo));
  const UNARY: [string, number, number][] = [
    ["neg", -3, 3], ["abs", 0.2, 3], ["exp", -2, 2], ["exp2", -2, 2], ["expm1", -2, 2], ["log", 0.2, 4], ["log2", 0.2, 4],
    ["log10", 0.2, 4], ["log1p", -0.5, 3], ["log1mexp", -3, -0.1], ["sqrt", 0.2, 4], ["sqr", -2, 2], ["reciprocal", 0.3, 3],
    ["sin", -3, 3], ["cos", -3, 3], ["tan", -1, 1], ["arcsin", -0.8, 0.8], ["arccos", -0.8, 0.8], ["arctan", -3, 3],
    ["sinh", -2, 2], ["cosh", -2, 2], ["tanh", -2, 2], ["sigmoid", -4, 4], ["softplus", -4, 4], ["logit", 0.1, 0.9],
    ["erf", -2, 2], ["erfc", -2, 2], ["erfcx", -1, 3], ["erfinv", -0.8, 0.8], ["gammaln", 0.3, 6], ["digamma", 0.3, 6],
  ];
  for (const [name, lo, hi] of UNARY) {
    it(name, () => pt.verifyGrad((x) => fns[name](x), [rand(5, lo, hi, name.length)]));
  }
  const BINARY: [string, [number, number], [number, number]][] = [
    ["add", [-2, 2], [-2, 2]], ["sub", [-2, 2], [-2, 2]], ["mul", [-2, 2], [-2, 2]], ["div", [-2, 2], [0.5, 2]],
    ["pow", [0.3, 3], [-2, 2]], ["maximum", [-2, 2], [-2, 2]], ["minimum", [-2, 2], [-2, 2]], ["mod", [0.1, 5], [0.7, 2]],
  ];
  for (const [name, ra, rb] of BINARY) {
    it(`${name} with broadcasting [3,1] · [1,4] and scalar · vector`, () => {
      const a = [0, 1, 2].map((i) => [rand(1, ra[0], ra[1], i + 1)[0]]);
      const b = [rand(4, rb[0], rb[1], 7)];
      pt.verifyGrad((x, y) => fns[name](x, y), [a, b]);
      pt.verifyGrad((x, y) => fns[name](x, y), [rand(1, ra[0], ra[1], 3)[0], rand(3, rb[0], rb[1], 5)]);
    });
  }
  it("switch routes the gradient to the chosen branch", () => {
    pt.verifyGrad((a, b) => pt.switch(pt.gt(a, 0), pt.mul(a, b), pt.sqr(b)), [[-1, 2, -3], [0.5, 1.5, 2.5]]);
  });
  it("verifyGrad reports a wrong gradient with the worst entry", () => {
    // exp with a deliberately wrong derivative, 2·exp(x)
    const BadExp = { ...Exp, name: "BadExp", pullback: (_i: readonly Variable[], o: Variable, g: Variable) => [pt.mul(g, pt.mul(o, 2))] };
    const badExp = lift(BadExp);
    assertThrowsMatching(() => pt.verifyGrad((v) => badExp(v), [[0.3, 0.7]]), "gradient mismatch at input 0", "entry", "finite differences");
  });
});
