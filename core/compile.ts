// pt.fn: inputs/outputs → FunctionGraph → rewrites → backend → a callable on plain JS values.
import { SharedVariable, Variable } from "./graph.ts";
import { graphInputs } from "./walk.ts";
import { FunctionGraph } from "./fgraph.ts";
import { type ArrayLike, NDArray } from "./ndarray.ts";
import { fmtShape } from "./types.ts";
import type { Backend } from "./backend.ts";
import type { Registry } from "./registry.ts";
import type { RewriteRegistry } from "./rewrite/engine.ts";
import type { RewriteOptions } from "./rewrite/types.ts";

export interface FnOptions {
  /** Backend name: "js" (default when registered), "interp", "tfjs", … */
  mode?: string;
  rewrites?: RewriteOptions;
  name?: string;
  /**
   * Return the backend's own output buffers instead of copies. Faster; the arrays are then
   * overwritten by the next call (PyTensor's borrow=True).
   */
  borrow?: boolean;
  /** Shared variables to set from expressions after each call (PyTensor's updates). */
  updates?: readonly (readonly [SharedVariable, Variable])[];
}

export interface CompiledFunction<R> {
  (...args: (ArrayLike | Record<string, ArrayLike>)[]): R;
  readonly fgraph: FunctionGraph;
  readonly inputs: readonly Variable[];
  readonly mode: string;
  /** Nodes the backend runs through their reference `perform`. */
  fallbacks(): string[];
}

export interface CompilerDeps {
  backends: Registry<Backend>;
  rewrites: RewriteRegistry;
  defaultMode(): string;
}

export function compileFunction<O extends Variable | readonly Variable[]>(
  deps: CompilerDeps,
  inputs: readonly Variable[],
  outputs: O,
  opts: FnOptions = {},
): CompiledFunction<O extends Variable ? NDArray : NDArray[]> {
  const outs = outputs instanceof Variable ? [outputs] : [...(outputs as readonly Variable[])];
  inputs.forEach((v, i) => {
    if (!(v instanceof Variable)) throw new TypeError(`fn: input ${i} is not a Variable`);
  });
  const updates = opts.updates ?? [];
  const allOuts = [...outs, ...updates.map(([s, e]) => {
    if (e.ndim !== s.ndim || e.dtype !== s.dtype) throw new TypeError(`fn: update of ${s.describe()} has type ${e.type}, expected ${s.type}`);
    return e;
  })];
  // shared variables the graph reads become implicit inputs, fed their current values
  const given = new Set(inputs);
  const shared = graphInputs(allOuts, given).filter((v): v is SharedVariable => v instanceof SharedVariable && !given.has(v));
  const fg = new FunctionGraph([...inputs, ...shared], allOuts);
  deps.rewrites.run(fg, opts.rewrites);
  // (rewriting copies the graph; without rewrites too, so that inputs some node computes are
  // stand-ins the backends never compute over)
  fg.own();
  const mode = opts.mode ?? deps.defaultMode();
  const backend = deps.backends.get(mode);
  const run = backend.compile(fg);
  const label = opts.name ?? "fn";
  const single = outputs instanceof Variable;
  const numbers = scalarSlots(inputs, backend);
  const f = ((...args: (ArrayLike | Record<string, ArrayLike>)[]) => {
    const values = numbers?.(args) ?? bindArgs(label, inputs, args);
    for (const s of shared) values.push(s.value);
    let res = run(values);
    if (backend.reusesBuffers && !opts.borrow) res = res.map((r) => r.copy());
    if (updates.length) {
      updates.forEach(([s], k) => s.setValue(res[outs.length + k].copy()));
      res = res.slice(0, outs.length);
    }
    return single ? res[0] : res;
  }) as CompiledFunction<O extends Variable ? NDArray : NDArray[]>;
  Object.defineProperties(f, {
    fgraph: { value: fg },
    inputs: { value: inputs },
    mode: { value: mode },
    fallbacks: { value: () => (backend.fallbacks?.(fg) ?? []).map(String) },
  });
  return f;
}

/**
 * Fast binding for all-number calls of all-scalar float inputs (a scalar graph's usual call): the
 * numbers go into arrays owned by the function instead of new ones (allocating one costs ~0.3 µs
 * in Deno). Only for backends whose outputs are copied before returning anyway, so a reused
 * input array never escapes except under `borrow`, which already means "overwritten next call".
 */
function scalarSlots(inputs: readonly Variable[], backend: Backend): ((args: unknown[]) => NDArray[] | null) | null {
  if (!backend.reusesBuffers || !inputs.every((v) => v.ndim === 0 && (v.dtype === "float64" || v.dtype === "float32"))) return null;
  const slots = inputs.map((v) => NDArray.scalar(0, v.dtype));
  return (args) => {
    if (args.length !== slots.length) return null;
    for (let i = 0; i < args.length; i++) if (typeof args[i] !== "number") return null;
    const values = new Array<NDArray>(args.length);
    for (let i = 0; i < args.length; i++) {
      slots[i].data[0] = args[i] as number;
      values[i] = slots[i];
    }
    return values;
  };
}

function isKeywordCall(inputs: readonly Variable[], args: unknown[]): args is [Record<string, ArrayLike>] {
  if (args.length !== 1 || inputs.length === 0) return false;
  const a = args[0];
  if (a === null || typeof a !== "object" || Array.isArray(a) || ArrayBuffer.isView(a) || a instanceof NDArray) return false;
  return true;
}

/** Positional or keyword (`{ x: 0, y: [1, 2] }`) arguments → NDArrays checked against input types. */
export function bindArgs(label: string, inputs: readonly Variable[], args: unknown[]): NDArray[] {
  let positional: unknown[] = args;
  if (isKeywordCall(inputs, args)) {
    const kw = args[0];
    const known = new Set(inputs.map((v) => v.name));
    for (const k of Object.keys(kw)) {
      if (!known.has(k)) throw new Error(`${label}: unknown input '${k}' (inputs: ${inputs.map(String).join(", ")})`);
    }
    positional = inputs.map((v) => {
      if (v.name === undefined || !(v.name in kw)) throw new Error(`${label}: missing a value for input ${v.describe()}`);
      return kw[v.name];
    });
  }
  if (positional.length !== inputs.length) {
    throw new Error(`${label}: expected ${inputs.length} arguments (${inputs.map(String).join(", ")}), got ${positional.length}`);
  }
  return positional.map((a, i) => toInputValue(label, inputs[i], a as ArrayLike));
}

export function toInputValue(label: string, v: Variable, a: ArrayLike): NDArray {
  // fast path: a JS number for a float scalar input is exactly NDArray.scalar (float32 rounds alike)
  const t0 = v.type;
  if (typeof a === "number" && t0.ndim === 0 && (t0.dtype === "float64" || t0.dtype === "float32")) return NDArray.scalar(a, t0.dtype);
  let arr: NDArray;
  try {
    arr = NDArray.from(a);
  } catch (e) {
    throw new TypeError(`${label}: input ${v.describe()}: ${(e as Error).message}`);
  }
  const t = v.type;
  if (arr.ndim !== t.ndim || !t.shape.every((d, k) => d === null || d === arr.shape[k])) {
    throw new RangeError(`${label}: input ${v.describe()} expects ${t}, got an array of shape ${fmtShape(arr.shape)}`);
  }
  if (arr.dtype !== t.dtype) {
    if ((t.dtype === "int32" || t.dtype === "bool") && !Array.prototype.every.call(arr.data, (x: number) => Number.isInteger(x))) {
      throw new TypeError(`${label}: input ${v.describe()} expects ${t.dtype}, got non-integer ${arr.dtype} values`);
    }
    arr = arr.astype(t.dtype);
  }
  return arr;
}
