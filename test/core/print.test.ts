import { strict as assert } from "node:assert";
import { pt } from "../../mod.ts";

// Seed 003 prints its graphs with the indentation stripped; compare modulo whitespace runs.
const norm = (s: string) => s.split("\n").map((l) => l.trim().replace(/\s+/g, " "));

describe("dprint (seed 003 layout)", () => {
  it("prints log(x + y) like PyTensor", () => {
    const x = pt.scalar("x"), y = pt.vector("y");
    const z = pt.add(x, y, { name: "x + y" });
    const w = pt.log(z, { name: "log(x + y)" });
    const text = pt.dprint(w);
    assert.deepEqual(norm(text), [
      "Log [id A] 'log(x + y)'",
      "└─ Add [id B] 'x + y'",
      "├─ ExpandDims{axis=0} [id C]",
      "│ └─ x [id D]",
      "└─ y [id E]",
    ]);
    // the real layout indents children under their parent
    assert.equal(text.split("\n")[2], "   ├─ ExpandDims{axis=0} [id C]");
  });

  it("reuses ids for shared variables, as in b * (a / b)", () => {
    const a = pt.scalar("a"), b = pt.scalar("b");
    const c = pt.div(a, b, { name: "a / b" });
    const d = pt.mul(b, c, { name: "b * c" });
    assert.deepEqual(norm(pt.dprint(d)), [
      "Mul [id A] 'b * c'",
      "├─ b [id B]",
      "└─ True_div [id C] 'a / b'",
      "├─ a [id D]",
      "└─ b [id B]",
    ]);
  });

  it("marks an already printed subtree with ···", () => {
    const x = pt.vector("x");
    const e = pt.exp(x);
    const s = pt.add(e, e);
    assert.deepEqual(norm(pt.dprint(s)), ["Add [id A]", "├─ Exp [id B]", "│ └─ x [id C]", "└─ Exp [id B]", "└─ ···"]);
  });

  it("prints a clone-replaced graph like the seed", () => {
    const x = pt.scalar("x"), y = pt.vector("y");
    const z = pt.add(x, y, { name: "x + y" });
    const w = pt.log(z, { name: "log(x + y)" });
    const [nw] = pt.cloneReplace([w], new Map([[z, pt.exp(z, { name: "exp(x + y)" })]]));
    nw.name = "log(exp(x + y))";
    assert.deepEqual(norm(pt.dprint(nw)), [
      "Log [id A] 'log(exp(x + y))'",
      "└─ Exp [id B] 'exp(x + y)'",
      "└─ Add [id C] 'x + y'",
      "├─ ExpandDims{axis=0} [id D]",
      "│ └─ x [id E]",
      "└─ y [id F]",
    ]);
  });

  it("prints types on request", () => {
    const x = pt.scalar("x");
    assert.match(pt.dprint(pt.exp(x), { printType: true }), /Exp \[id A\] <Scalar\(float64, shape=\(\)\)>/);
  });
});
