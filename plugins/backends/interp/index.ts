// The reference backend: runs each node's `perform` (or a registered lowering) in order and
// checks every result against the type its node promised.
import type { Apply, Variable } from "../../../core/graph.ts";
import { Constant } from "../../../core/graph.ts";
import type { NDArray } from "../../../core/ndarray.ts";
import type { FunctionGraph } from "../../../core/fgraph.ts";
import { type Backend, type CompiledGraph, checkOutputs } from "../../../core/backend.ts";
import { LoweringTable } from "../../../core/registry.ts";
import type { Plugin } from "../../../core/runtime.ts";

/** Turns a node into the function computing its outputs from its input values. */
export type InterpLowering = (node: Apply) => (inputs: NDArray[]) => NDArray[];

export class InterpBackend implements Backend {
  readonly name = "interp";
  readonly lowerings = new LoweringTable<InterpLowering>();

  compile(fg: FunctionGraph): CompiledGraph {
    const slot = new Map<Variable, number>();
    const init: NDArray[] = [];
    const slotOf = (v: Variable) => {
      let s = slot.get(v);
      if (s === undefined) {
        slot.set(v, (s = init.length));
        init.push(v instanceof Constant ? v.value : (undefined as unknown as NDArray));
      }
      return s;
    };
    const inputSlots = fg.inputs.map(slotOf);
    const steps = fg.nodes.map((node) => {
      const lowered = this.lowerings.lookup(node.op);
      const run = lowered ? lowered(node) : (xs: NDArray[]) => node.op.perform(xs);
      return { node, run, ins: node.inputs.map(slotOf), outs: node.outputs.map(slotOf) };
    });
    const outSlots = fg.outputs.map(slotOf);
    return (inputs) => {
      const store = init.slice();
      inputSlots.forEach((s, i) => (store[s] = inputs[i]));
      for (const st of steps) {
        const results = st.run(st.ins.map((s) => store[s]));
        checkOutputs(st.node, results);
        st.outs.forEach((s, k) => (store[s] = results[k]));
      }
      return outSlots.map((s) => store[s]);
    };
  }

  fallbacks(fg: FunctionGraph): Apply[] {
    return fg.nodes.filter((n) => !this.lowerings.lookup(n.op));
  }
}

export const interpPlugin: Plugin = {
  name: "backends/interp",
  register(rt) {
    rt.backends.add("interp", new InterpBackend());
  },
};
