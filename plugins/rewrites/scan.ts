// Scan rewrites. A gradient saves residuals with a second forward scan that repeats the primal
// scan's outputs and adds its residuals; the primal's readers then take them from that scan, so
// the forward loop runs once.
import type { Apply, Variable } from "../../core/graph.ts";
import type { FunctionGraph } from "../../core/fgraph.ts";
import type { RewriteRule } from "../../core/rewrite/types.ts";
import { Scan } from "../ops/scan.ts";

/** A scan in `fg` built as `node`'s forward pass with residuals, over the very same inputs. */
function withResiduals(node: Apply, fg: FunctionGraph): Apply | undefined {
  const key = node.op.key;
  return fg.nodes.find((m) => m !== node && m.op instanceof Scan && m.op.primaryKey === key
    && m.inputs.length === node.inputs.length && m.inputs.every((x, i) => x === node.inputs[i]));
}

export const scanRules: RewriteRule[] = [
  {
    name: "scan_forward_with_residuals",
    tags: ["canonicalize"],
    root: (op) => op instanceof Scan,
    match: (v: Variable, fg: FunctionGraph) => {
      const n = v.owner;
      const aug = n?.op instanceof Scan ? withResiduals(n, fg) : undefined;
      return aug ? { out: aug.outputs[v.index] } : null;
    },
    build: ({ out }) => out,
  },
];
