// Scan under the js backend: the body is compiled by the same backend once, and the loop runs it
// step after step without going back through the interpreter.
import type { Apply } from "../../../core/graph.ts";
import type { NDArray } from "../../../core/ndarray.ts";
import type { Backend, CompiledGraph } from "../../../core/backend.ts";
import { Scan, runScan } from "../../ops/scan.ts";
import type { JsLowering } from "./lowering.ts";

export function scanLowering(backend: Backend): JsLowering {
  const bodies = new WeakMap<Scan, CompiledGraph>();
  const runner = (op: Scan) => ({
    perform(inputs: NDArray[]): NDArray[] {
      let body = bodies.get(op);
      if (!body) bodies.set(op, (body = backend.compile(op.inner)));
      return runScan(op, inputs, body);
    },
  });
  return {
    whenDiscovered: true,
    emit(node: Apply, cx) {
      cx.performWith(node, runner(node.op as Scan));
    },
  };
}
