// Running a Scan: the step loop around a body runner, plus the interpreter bodies use without a
// backend, and the structural key that makes equal bodies equal ops.
import { Constant, type SharedVariable, type Variable, stableJson } from "../../core/graph.ts";
import type { FunctionGraph } from "../../core/fgraph.ts";
import { NDArray } from "../../core/ndarray.ts";
import { type TensorType, fmtShape } from "../../core/types.ts";
import { checkOutputs } from "../../core/backend.ts";
import type { Scan } from "./scan.ts";

/**
 * The loop itself, given a way to run the body once. Sequence rows are views (no copies); the
 * states handed to the next step are copied, since a compiled body may reuse its output buffers.
 */
export function runScan(
  op: Scan,
  [nStepsArr, ...rest]: NDArray[],
  body: (inputs: NDArray[]) => NDArray[],
  /** Where to put output k (a backend may hand back the same buffers every call). */
  alloc: (k: number, dtype: NDArray["dtype"], shape: number[]) => NDArray = (_k, d, s) => new NDArray(d, s),
): NDArray[] {
  const nSteps = nStepsArr.data[0];
  const nS = op.nSeqs, nR = op.nRecurrent;
  const seqs = rest.slice(0, nS);
  for (const s of seqs) {
    if (s.shape[0] < nSteps) throw new RangeError(`${op}: a sequence of shape ${fmtShape(s.shape)} is shorter than nSteps = ${nSteps}`);
  }
  const rows = seqs.map(rowsOf);
  let outs: NDArray[] | null = null;
  let stateRows: ((t: number) => NDArray)[] = [];
  const args: NDArray[] = rest.slice();
  // plain loops: this runs once per step, around bodies that take a few microseconds
  for (let i = 0; i < nSteps; i++) {
    const t = op.reverse ? nSteps - 1 - i : i;
    for (let k = 0; k < nS; k++) args[k] = rows[k](t);
    const res = body(args);
    if (!outs) {
      outs = res.map((r, k) => alloc(k, op.inner.outputs[k].dtype, [nSteps, ...r.shape]));
      stateRows = outs.slice(0, nR).map(rowsOf);
    }
    for (let k = 0; k < res.length; k++) {
      const r = res[k], o = outs[k].data, n = r.data.length;
      if (o.length !== nSteps * n) throw new RangeError(`${op}: step ${t} gave output ${k} of shape ${fmtShape(r.shape)}, earlier steps ${fmtShape(outs[k].shape.slice(1))}`);
      o.set(r.data, t * n);
      if (k < nR) args[nS + k] = stateRows[k](t);
    }
  }
  return outs ?? op.inner.outputs.map((o, k) => emptyOutput(o.type, k < nR ? rest[nS + k] : null));
}

/** A structural key for the inner graph, so equal bodies make equal Scan ops. */
export function graphKey(fg: FunctionGraph): string {
  const ids = new Map<Variable, string>();
  fg.inputs.forEach((v, i) => ids.set(v, `i${i}:${v.type.key}`));
  const parts: string[] = [];
  for (const v of fg.variables()) {
    if (ids.has(v)) continue;
    if (v instanceof Constant) ids.set(v, `c(${v.signature})`);
    else if (!v.owner) ids.set(v, `free${v.id}`);
  }
  fg.nodes.forEach((n, k) => {
    parts.push(`${n.op.key}(${n.inputs.map((i) => ids.get(i)).join(",")})`);
    n.outputs.forEach((o, j) => ids.set(o, `n${k}.${j}`));
  });
  return stableJson([parts, fg.outputs.map((o) => ids.get(o))]);
}

/** Evaluate a FunctionGraph by each node's perform (the body has no backend of its own here). */
export function interpret(fg: FunctionGraph): (inputs: NDArray[]) => NDArray[] {
  const nodes = fg.nodes;
  return (inputs) => {
    const vals = new Map<Variable, NDArray>();
    fg.inputs.forEach((v, i) => vals.set(v, inputs[i]));
    const get = (v: Variable) => vals.get(v) ?? (v instanceof Constant ? v.value : (v as SharedVariable).value);
    for (const n of nodes) {
      const res = n.op.perform(n.inputs.map(get));
      checkOutputs(n, res);
      n.outputs.forEach((o, k) => vals.set(o, res[k]));
    }
    return fg.outputs.map(get);
  };
}

/** Row t of a, for any t: a view sharing a's buffer. */
/**
 * Row views of a, made once per buffer: a compiled graph hands the same buffers to every call,
 * so the views (one small object each) need not be rebuilt for every step of every call.
 */
const rowCache = new WeakMap<object, Map<string, NDArray[]>>();
function rowsOf(a: NDArray): (t: number) => NDArray {
  const inner = a.shape.slice(1);
  const n = a.size / (a.shape[0] || 1);
  // keyed by buffer and shape: reshaped views share a buffer but not their rows
  const key = a.shape.join(",");
  let byShape = rowCache.get(a.data);
  if (!byShape) rowCache.set(a.data, (byShape = new Map()));
  let rows = byShape.get(key);
  if (!rows) {
    rows = [];
    for (let t = 0; t < a.shape[0]; t++) rows.push(new NDArray(a.dtype, inner, a.data.subarray(t * n, (t + 1) * n)));
    byShape.set(key, rows);
  }
  const r = rows;
  return (t) => r[t];
}

/** Zero steps: an empty [0, …] array shaped like the state (or the static type). */
function emptyOutput(t: TensorType, init: NDArray | null): NDArray {
  return new NDArray(t.dtype, [0, ...(init?.shape ?? t.shape.map((d) => d ?? 0))]);
}
