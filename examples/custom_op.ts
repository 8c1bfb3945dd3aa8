// A user plugin: its own op (forward, shape rule and gradient together), a function on `pt`, a
// lowering for the interpreter, and a rewrite that finds the op's formula written out by hand —
// registered in a runtime of its own, invisible to the default one.
// Run: node --import @swc-node/register/esm-register examples/custom_op.ts   (or deno run -A …)
import { createRuntime, NDArray, Op, patterns, pt, TensorType, type GradTerm, type Plugin, type RewriteRule, type Variable } from "../mod.ts";
import type { InterpBackend } from "../plugins/backends/interp/index.ts";

/** softsign(x) = x / (1 + |x|), elementwise. */
class Softsign extends Op {
  readonly name = "Softsign";
  make([x]: readonly Variable[]): TensorType[] {
    if (x.dtype !== "float64") throw new TypeError(`Softsign: ${x.describe()} must be float64, got ${x.dtype}`);
    return [new TensorType("float64", x.type.shape)];
  }
  perform([x]: NDArray[]): NDArray[] {
    const out = new NDArray("float64", x.shape);
    for (let i = 0; i < x.size; i++) out.data[i] = x.data[i] / (1 + Math.abs(x.data[i]));
    return [out];
  }
  // d softsign / dx = 1 / (1 + |x|)²
  pullback([x]: readonly Variable[], _out: readonly Variable[], [g]: readonly (Variable | null)[]): GradTerm[] {
    return [pt.div(g!, pt.sqr(pt.add(1, pt.abs(x))))];
  }
}

const softsign = (x: Variable) => new Softsign().call([x]);

// x / (1 + |x|) written out → softsign(x). Ops are told apart by name; `commuted` takes the sum in
// either order; the pattern knows which ops it can start from (root) and how deep it looks (depth).
const { any, commuted, constant, matchPattern, node } = patterns;
const named = (name: string) => (op: Op) => op.name === name;
const formula = node(named("True_div"), any("x"), commuted(named("Add"), constant(1), node(named("Abs"), any("x"))));
const softsignFormula: RewriteRule = {
  name: "softsign_formula",
  tags: ["canonicalize"],
  root: formula.root,
  reach: formula.depth, // 3: passes after the first offer it a node only when something this close changed
  match: (v) => matchPattern(formula, v),
  build: ({ x }) => softsign(x),
};

const softsignPlugin: Plugin = {
  name: "example/softsign",
  register(rt) {
    rt.ops.add("softsign", softsign);
    rt.rewrites.add(softsignFormula);
    // the interpreter would call perform anyway; a lowering can swap in another implementation
    (rt.backends.get("interp") as InterpBackend).lowerings.add(Softsign, (node) => (inputs) => {
      const [out] = node.op.perform(inputs);
      return [out];
    });
  },
};

const rt = createRuntime({ plugins: [softsignPlugin] });
const x = rt.pt.vector("x");
const y = (rt.ops.get("softsign") as typeof softsign)(x);
console.log(rt.pt.dprint(y));
console.log("softsign([1, -3, 0.5]) =", String(rt.pt.fn([x], y, { mode: "interp" })([1, -3, 0.5])));
console.log("gradient checks out:", (rt.pt.verifyGrad((v) => softsign(v), [[1, -3, 0.5]]), true));
console.log("in this runtime: pt.softsign is a", typeof (rt.pt as unknown as Record<string, unknown>).softsign);
console.log("in the default runtime: pt.softsign is", (pt as unknown as Record<string, unknown>).softsign);
const byHand = rt.pt.div(x, rt.pt.add(1, rt.pt.abs(x)));
const fired: string[] = [];
const g = rt.pt.fn([x], byHand, { mode: "interp", rewrites: { trace: (r) => fired.push(r) } });
console.log("x / (1 + |x|) compiles to:", rt.pt.dprint(g).split("\n")[0], "— rules fired:", fired.join(", "));
console.log("and computes", String(g([1, -3, 0.5])));
