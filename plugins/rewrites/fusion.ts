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
  match: (v, fg) => {
    const n = v.owner;
    if (!n || !(n.op instanceof Elemwise)) return null;
    return n.inputs.some((i) => fusable(i, v, fg)) ? {} : null;
  },
  build: (_b, v, fg) => {
    const leaves: Variable[] = [];
    const steps: Step[] = [];
    const leafRef = (x: Variable): Ref => {
      let k = leaves.indexOf(x);
      if (k < 0) k = leaves.push(x) - 1;
      return { leaf: k };
    };
    // inline a node's scalar program, recursing into producers that only feed it
    const inline = (node: Variable): Ref => {
      const op = (node.owner!.op as Elemwise).scalar;
      const args = node.owner!.inputs.map((i) => (fusable(i, node, fg) ? inline(i) : leafRef(i)));
      if (op instanceof CompositeScalar) {
        const base = steps.length;
        for (const s of op.steps) {
          steps.push({ op: s.op, args: s.args.map((r) => ("leaf" in r ? args[r.leaf] : { step: base + r.step })) });
        }
        return { step: steps.length - 1 };
      }
      steps.push({ op, args });
      return { step: steps.length - 1 };
    };
    inline(v);
    return composite(leaves.map((l) => l.dtype), steps).call(leaves);
  },
};
