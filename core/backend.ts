// The seam between compiled graphs and whatever runs them.
import type { FunctionGraph } from "./fgraph.ts";
import type { NDArray } from "./ndarray.ts";
import type { Apply } from "./graph.ts";
import { fmtShape } from "./types.ts";

/** A compiled graph: input arrays in graph-input order → output arrays in output order. */
export type CompiledGraph = (inputs: readonly NDArray[]) => NDArray[];

export interface Backend {
  readonly name: string;
  compile(fg: FunctionGraph): CompiledGraph;
  /** True when outputs live in buffers the next call overwrites; `fn` then copies unless borrow. */
  readonly reusesBuffers?: boolean;
  /** Which nodes this backend runs through each op's reference `perform` (debug listing). */
  fallbacks?(fg: FunctionGraph): Apply[];
}

/** Check an op's result against the types its node promised; a wrong dtype or shape is a bug in the op. */
export function checkOutputs(node: Apply, results: readonly NDArray[]): void {
  if (results.length !== node.outputs.length) {
    throw new Error(`${node.op}: perform returned ${results.length} outputs, the node has ${node.outputs.length}`);
  }
  results.forEach((r, k) => {
    const t = node.outputs[k].type;
    const shapeOk = r.shape.length === t.ndim && t.shape.every((d, i) => d === null || d === r.shape[i]);
    if (r.dtype !== t.dtype || !shapeOk) {
      throw new TypeError(`${node.op}: output ${k} should be ${t} but perform returned ${r.dtype} with shape ${fmtShape(r.shape)}`);
    }
  });
}
