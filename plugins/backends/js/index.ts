// The js backend: each FunctionGraph becomes one generated JS function per input-shape signature
// (loops with constant bounds and strides, buffers preallocated once and reused by every call).
// Ops without a lowering run their perform from inside the generated code.
import type { Apply } from "../../../core/graph.ts";
import type { NDArray } from "../../../core/ndarray.ts";
import type { FunctionGraph } from "../../../core/fgraph.ts";
import type { Backend, CompiledGraph } from "../../../core/backend.ts";
import { LoweringTable } from "../../../core/registry.ts";
import type { Plugin } from "../../../core/runtime.ts";
import type { JsLowering } from "./lowering.ts";
import { makePlan } from "./plan.ts";
import { type Specialization, generate } from "./codegen.ts";
import { elemwiseLowerings } from "./elemwise.ts";
import { reduceLowerings } from "./reduce.ts";
import { softmaxLowerings } from "./softmax.ts";
import { dimshuffleLowerings } from "./dimshuffle.ts";
import { broadcastLowerings } from "./broadcast.ts";
import { shapeLowerings } from "./shape.ts";
import { linalgLowerings } from "./linalg.ts";
import { linalgDecompLowerings } from "./linalg_decomp.ts";
import { creationLowerings } from "./creation.ts";
import { subtensorLowerings } from "./subtensor.ts";
import { cumulativeLowerings } from "./cumulative.ts";
import { scanLowering } from "./scan.ts";
import { Scan } from "../../ops/scan.ts";

export type { EmitContext, JsLowering, LoweringEntry } from "./lowering.ts";

/** Specializations kept per input-shape signature (they differ in shapes only a run can tell). */
const PER_SIGNATURE = 4;
/** Input-shape signatures kept per graph; the oldest is dropped beyond this. */
const SIGNATURES = 64;

export class JsBackend implements Backend {
  readonly name = "js";
  readonly reusesBuffers = true;
  readonly lowerings = new LoweringTable<JsLowering>();
  private readonly drivers = new WeakMap<FunctionGraph, Driver>();

  constructor() {
    for (const family of [elemwiseLowerings, reduceLowerings, softmaxLowerings, dimshuffleLowerings, broadcastLowerings,
      shapeLowerings, linalgLowerings, linalgDecompLowerings, creationLowerings, subtensorLowerings, cumulativeLowerings]) {
      for (const [cls, lowering] of family) this.lowerings.add(cls, lowering);
    }
    this.lowerings.add(Scan, scanLowering(this));
  }

  compile(fg: FunctionGraph): CompiledGraph {
    const driver = new Driver(fg, this.lowerings);
    this.drivers.set(fg, driver);
    return (inputs) => driver.run(inputs);
  }

  /** Nodes with no generated code: their op's perform runs (shape-only entries included). */
  fallbacks(fg: FunctionGraph): Apply[] {
    return fg.nodes.filter((n) => {
      const l = this.lowerings.lookup(n.op);
      return !l || (!l.emit && !l.fold) || l.handles?.(n) === false;
    });
  }

  /** The generated source of each shape signature compiled so far for `fg` (newest last). */
  debugSource(fg: FunctionGraph): string[] {
    return this.drivers.get(fg)?.sources() ?? [];
  }
}

/** Finds (or generates) the specialization for each call's input shapes. */
class Driver {
  private last: Entry | null = null;
  private readonly bySignature = new Map<string, Entry[]>();
  constructor(private readonly fg: FunctionGraph, private readonly table: LoweringTable<JsLowering>) {}

  run(inputs: readonly NDArray[]): NDArray[] {
    const e = this.last;
    if (e !== null && e.matches(inputs)) {
      const r = e.spec.run(inputs);
      if (r !== null) return r;
    }
    return this.slow(inputs);
  }

  private slow(inputs: readonly NDArray[]): NDArray[] {
    const key = inputs.map((a) => `${a.dtype}[${a.shape.join(",")}]`).join(";");
    let list = this.bySignature.get(key);
    if (!list) {
      if (this.bySignature.size >= SIGNATURES) this.bySignature.delete(this.bySignature.keys().next().value!);
      this.bySignature.set(key, (list = []));
    }
    for (const e of list) {
      if (e === this.last) continue;
      const r = e.spec.run(inputs);
      if (r !== null) {
        this.last = e;
        return r;
      }
    }
    const e = new Entry(inputs, generate(this.fg, makePlan(this.fg, inputs, this.table), "tensorloom_js"));
    list.push(e);
    if (list.length > PER_SIGNATURE) list.shift();
    this.last = e;
    const r = e.spec.run(inputs);
    if (r === null) throw new Error("js backend: a freshly specialized function rejected the shapes it was made for");
    return r;
  }

  sources(): string[] {
    return [...this.bySignature.values()].flat().map((e) => e.spec.source);
  }
}

class Entry {
  /** Every input's dims, flattened: the signature this specialization assumes. */
  private readonly dims: Int32Array;
  constructor(inputs: readonly NDArray[], readonly spec: Specialization) {
    this.dims = Int32Array.from(inputs.flatMap((a) => a.shape));
  }
  matches(inputs: readonly NDArray[]): boolean {
    const d = this.dims;
    let k = 0;
    for (let i = 0; i < inputs.length; i++) {
      const s = inputs[i].shape;
      for (let j = 0; j < s.length; j++) if (s[j] !== d[k++]) return false;
    }
    return k === d.length;
  }
}

export const jsBackendPlugin: Plugin = {
  name: "backends/js",
  register(rt) {
    rt.backends.add("js", new JsBackend());
  },
};
