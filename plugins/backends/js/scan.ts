// Scan under the js backend: the body is compiled by the same backend once, and the loop runs it
// step after step without going back through the interpreter.
import type { Apply } from "../../../core/graph.ts";
import { NDArray } from "../../../core/ndarray.ts";
import type { Backend, CompiledGraph } from "../../../core/backend.ts";
import { Scan, runScan } from "../../ops/scan.ts";
import type { JsLowering } from "./lowering.ts";

export function scanLowering(backend: Backend): JsLowering {
  const bodies = new WeakMap<Scan, CompiledGraph>();
  // one runner (and one set of output buffers) per node: like every js buffer, reused by each call
  const runner = (op: Scan) => {
    const outs: NDArray[] = [];
    const alloc = (k: number, dtype: NDArray["dtype"], shape: number[]) => {
      const o = outs[k];
      if (o && o.dtype === dtype && o.shape.length === shape.length && o.shape.every((d, i) => d === shape[i])) return o;
      return (outs[k] = new NDArray(dtype, shape));
    };
    return {
      perform(inputs: NDArray[]): NDArray[] {
        let body = bodies.get(op);
        if (!body) bodies.set(op, (body = backend.compile(op.inner)));
        return runScan(op, inputs, body, alloc);
      },
    };
  };
  return {
    whenDiscovered: true,
    emit(node: Apply, cx) {
      cx.performWith(node, runner(node.op as Scan));
    },
  };
}
