// Fusion: an elementwise node absorbs elementwise producers that feed only it, giving one
// Composite loop instead of a chain of temporaries.
import type { Variable } from "../../core/graph.ts";
import type { FunctionGraph } from "../../core/fgraph.ts";
import type { RewriteRule } from "../../core/rewrite/types.ts";
import { Elemwise } from "../ops/elemwise_base.ts";
import { CompositeScalar, type Ref, type Step, composite } from "../ops/composite.ts";

/** Same rank and the same axes of length 1: fusing cannot repeat work through broadcasting. */
function samePattern(a: Variable, b: Variable): boolean {
  return a.ndim === b.ndim && a.type.shape.every((d, i) => (d === 1) === (b.type.shape[i] === 1));
}

function fusable(p: Variable, consumer: Variable, fg: FunctionGraph): boolean {
  const n = p.owner;
  if (!n || !(n.op instanceof Elemwise) || n.outputs.length !== 1 || fg.inputSet.has(p)) return false;
  if (!samePattern(p, consumer)) return false;
  const clients = fg.clients(p);
  return clients.length === 1 && clients[0][0] === consumer.owner && !fg.outputs.includes(p);
}

export const fusionRule: RewriteRule = {
  name: "elemwise_fusion",
  tags: ["fusion"],
  root: (op) => op instanceof Elemwise,
  match: (v, fg) => {
    const n = v.owner;
    if (!n || !(n.op instanceof Elemwise)) return null;
    return n.inputs.some((i) => fusable(i, v, fg)) ? {} : null;
  },
  build: (_b, v, fg) => {
    const leaves: Variable[] = [];
    const leafIndex = new Map<Variable, number>();
    const steps: Step[] = [];
    const leafRef = (x: Variable): Ref => {
      let k = leafIndex.get(x);
      if (k === undefined) leafIndex.set(x, (k = leaves.push(x) - 1));
      return { leaf: k };
    };
    // inline each node's scalar program after those of the producers that only feed it: a
    // depth-first walk with explicit frames (fused chains can be thousands of nodes long)
    const frames: { node: Variable; args: Ref[] }[] = [{ node: v, args: [] }];
    let done: Ref | null = null;
    while (frames.length) {
      const top = frames[frames.length - 1];
      if (done) top.args.push(done);
      done = null;
      const ins = top.node.owner!.inputs;
      let pushed = false;
      while (top.args.length < ins.length && !pushed) {
        const i = ins[top.args.length];
        if (fusable(i, top.node, fg)) {
          frames.push({ node: i, args: [] });
          pushed = true;
        } else top.args.push(leafRef(i));
      }
      if (pushed) continue;
      frames.pop();
      done = append(steps, (top.node.owner!.op as Elemwise).scalar, top.args);
    }
    return composite(leaves.map((l) => l.dtype), steps).call(leaves);
  },
};

/** Add a scalar op's program (a Composite's steps, or the op itself) over `args`; returns its result. */
function append(steps: Step[], op: Elemwise["scalar"], args: readonly Ref[]): Ref {
  if (op instanceof CompositeScalar) {
    const base = steps.length;
    for (const s of op.steps) steps.push({ op: s.op, args: s.args.map((r) => ("leaf" in r ? args[r.leaf] : { step: base + r.step })) });
  } else steps.push({ op, args });
  return { step: steps.length - 1 };
}
