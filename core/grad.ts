// Reverse-mode differentiation over op pullbacks. The driver needs only a tiny algebra (add,
// zeros, cast) that the ops plugin supplies, so core stays free of op families; the bound
// `grad`/`verifyGrad`/`jacobian`/`hessian` users call live in plugins/ops/gradient.ts.
import { Constant, NotImplementedGrad, type Variable, disconnected } from "./graph.ts";
import { NDArray } from "./ndarray.ts";
import type { DType } from "./types.ts";
import { ancestors, toposort } from "./walk.ts";
import { fmtShape, isFloat } from "./types.ts";

export interface GradAlgebra {
  add(a: Variable, b: Variable): Variable;
  zerosLike(v: Variable): Variable;
  cast(v: Variable, dtype: DType): Variable;
}

export type DisconnectedPolicy = "raise" | "warn" | "ignore";

export interface GradOptions {
  /** What to do when the cost does not depend on a wrt variable (default "raise"). */
  disconnectedInputs?: DisconnectedPolicy;
  /** Gradients already known for some variables (PyTensor's known_grads); `cost` may then be null. */
  knownGrads?: ReadonlyMap<Variable, Variable>;
}

export function gradWith(alg: GradAlgebra, cost: Variable | null, wrt: readonly Variable[], opts: GradOptions = {}): Variable[] {
  const policy = opts.disconnectedInputs ?? "raise";
  for (const w of wrt) {
    if (!isFloat(w.dtype)) throw new TypeError(`grad: cannot differentiate with respect to ${w.describe()}: its dtype ${w.dtype} is not a float`);
  }
  const contributions = new Map<Variable, Variable[]>();
  const push = (v: Variable, g: Variable) => {
    const list = contributions.get(v);
    if (list) list.push(g);
    else contributions.set(v, [g]);
  };
  const roots: Variable[] = [];
  if (cost) {
    if (cost.ndim !== 0) throw new TypeError(`grad: the cost must be a scalar, ${cost.describe()} is not; sum it or use jacobian`);
    if (!isFloat(cost.dtype)) throw new TypeError(`grad: the cost ${cost.describe()} has dtype ${cost.dtype}; it must be a float`);
    push(cost, new Constant(NDArray.scalar(1, cost.dtype)));
    roots.push(cost);
  }
  for (const [v, g] of opts.knownGrads ?? []) {
    push(v, g);
    roots.push(v);
  }

  // only nodes on a path from some wrt to the cost matter
  const wrtSet = new Set(wrt);
  const dependsOnWrt = new Set<Variable>();
  for (const v of ancestors(roots, wrtSet)) {
    if (wrtSet.has(v) || (v.owner && v.owner.inputs.some((i) => dependsOnWrt.has(i)))) dependsOnWrt.add(v);
  }
  const nodes = toposort(roots, wrtSet).filter((n) => n.outputs.some((o) => dependsOnWrt.has(o)));

  for (let k = nodes.length - 1; k >= 0; k--) {
    const node = nodes[k];
    const outGrads = node.outputs.map((o) => total(alg, contributions.get(o)));
    if (outGrads.every((g) => g === null)) continue;
    const needed = node.inputs.map((i) => dependsOnWrt.has(i) && isFloat(i.dtype));
    if (!needed.some(Boolean)) continue;
    if (!node.op.pullback) {
      const i = needed.indexOf(true);
      throw new Error(`grad: ${node.op} has no gradient (no pullback) but its input ${i} ${node.inputs[i].describe()} needs one`);
    }
    const terms = node.op.pullback(node.inputs, node.outputs, outGrads);
    if (terms.length !== node.inputs.length) {
      throw new Error(`grad: ${node.op}.pullback returned ${terms.length} terms for ${node.inputs.length} inputs`);
    }
    terms.forEach((t, i) => {
      if (!needed[i] || t === disconnected) return;
      const inp = node.inputs[i];
      if (t instanceof NotImplementedGrad) {
        throw new Error(`grad: the gradient of ${node.op} with respect to its input ${i} ${inp.describe()} is not implemented: ${t.reason}`);
      }
      if (t.ndim !== inp.ndim) {
        throw new TypeError(`grad: ${node.op}.pullback gave input ${i} a gradient with shape ${fmtShape(t.type.shape)}, the input has shape ${fmtShape(inp.type.shape)}`);
      }
      push(inp, t.dtype === inp.dtype ? t : alg.cast(t, inp.dtype));
    });
  }

  return wrt.map((w) => {
    const g = total(alg, contributions.get(w));
    if (g) return g;
    const msg = `grad: the cost does not depend on ${w.describe()} (disconnected input)`;
    if (policy === "raise") throw new Error(`${msg}; pass { disconnectedInputs: "ignore" } to get zeros`);
    if (policy === "warn") console.warn(msg);
    return alg.zerosLike(w);
  });
}

/** Sum the gradient contributions pairwise (a balanced tree keeps graphs shallow). */
function total(alg: GradAlgebra, list: Variable[] | undefined): Variable | null {
  if (!list || list.length === 0) return null;
  let level = list;
  while (level.length > 1) {
    const next: Variable[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? alg.add(level[i], level[i + 1]) : level[i]);
    level = next;
  }
  return level[0];
}
