// Forward sampling: pm.draw and prior / posterior predictive draws. RNG states are threaded
// from one call to the next; with a seed they start from states spawned from it, otherwise
// from the variables' shared RNGs, which are then advanced (so repeated draws differ).
import { SharedVariable, Variable } from "../../core/graph.ts";
import { NDArray } from "../../core/ndarray.ts";
import { TensorType } from "../../core/types.ts";
import { cloneReplace, toposort } from "../../core/walk.ts";
import type { CorePt } from "../../core/runtime.ts";
import { RandomVariable } from "./rv.ts";
import { pcg64 } from "./rng/pcg64.ts";
import type { Model } from "./model.ts";

type Fn = Pick<CorePt, "fn">;

/** A compiled sampler for `outs`: each call gives one joint draw. */
export function drawFunction(pt: Fn, outs: readonly Variable[], extraInputs: readonly Variable[] = [], seed?: number) {
  const nodes = toposort(outs).filter((n) => n.op instanceof RandomVariable);
  const rngs = [...new Set(nodes.map((n) => n.inputs[0]))];
  for (const r of rngs) {
    if (!(r instanceof SharedVariable)) throw new TypeError(`draw: random variable rng ${r} must be a shared state`);
    if (nodes.filter((n) => n.inputs[0] === r).length > 1) throw new Error("draw: two random variables share one rng state; give each its own");
  }
  const next = rngs.map((r) => nodes.find((n) => n.inputs[0] === r)!.outputs[0]);
  const f = pt.fn([...extraInputs, ...rngs], [...outs, ...next], { name: "draw" });
  let states: NDArray[] = seed === undefined
    ? rngs.map((r) => (r as SharedVariable).value)
    : pcg64.spawn(seed, rngs.length).map((s) => new NDArray("int32", [s.length], s));
  return {
    next(extra: NDArray[] = []): NDArray[] {
      const res = f(...extra, ...states);
      states = res.slice(outs.length);
      return res.slice(0, outs.length);
    },
    /** Write the advanced states back to the shared RNGs (unseeded draws). */
    commit(): void {
      if (seed === undefined) rngs.forEach((r, k) => (r as SharedVariable).setValue(states[k]));
    },
  };
}

/** Stack equally shaped arrays along a new leading axis. */
export function stackArrays(arrs: readonly NDArray[], lead: readonly number[] = [arrs.length]): NDArray {
  const first = arrs[0];
  const out = new NDArray(first.dtype, [...lead, ...first.shape]);
  arrs.forEach((a, i) => out.data.set(a.data, i * first.size));
  return out;
}

/** pm.draw: `draws` joint samples of the variables (a leading draws axis when draws > 1). */
export function draw(pt: Fn, vars: Variable | readonly Variable[], opts: { draws?: number; seed?: number } = {}): NDArray | NDArray[] {
  const outs = vars instanceof Variable ? [vars] : [...vars];
  const n = opts.draws ?? 1;
  const sampler = drawFunction(pt, outs, [], opts.seed);
  const per: NDArray[][] = outs.map(() => []);
  for (let i = 0; i < n; i++) sampler.next().forEach((a, k) => per[k].push(a));
  sampler.commit();
  const res = per.map((list) => (n === 1 ? list[0] : stackArrays(list)));
  return vars instanceof Variable ? res[0] : res;
}

export type Samples = Record<string, NDArray>;

/** Prior and prior-predictive draws, arrays shaped [1, draws, …] (chain, draw) as ArviZ expects. */
export function samplePriorPredictive(pt: Fn, model: Model, opts: { draws?: number; seed?: number } = {}): { prior: Samples; priorPredictive: Samples } {
  const n = opts.draws ?? 500;
  const free = [...model.freeRVs, ...model.deterministics];
  const observed = model.observedRVs;
  const all = [...free, ...observed];
  const sampler = drawFunction(pt, all, [], opts.seed);
  const per: NDArray[][] = all.map(() => []);
  for (let i = 0; i < n; i++) sampler.next().forEach((a, k) => per[k].push(a));
  sampler.commit();
  const pack = (vs: Variable[], off: number) => Object.fromEntries(vs.map((v, k) => [v.name!, stackArrays(per[off + k], [1, n])]));
  return { prior: pack(free, 0), priorPredictive: pack(observed, free.length) };
}

/**
 * Posterior predictive draws: for each (chain, draw) of the posterior's free variables
 * (constrained values, arrays [chains, draws, …]), one draw of the observed variables.
 */
export function samplePosteriorPredictive(pt: Fn, model: Model, posterior: Samples, opts: { seed?: number } = {}): Samples {
  const free = model.freeRVs;
  const inputs = free.map((rv) => {
    if (!posterior[rv.name!]) throw new Error(`samplePosteriorPredictive: the posterior has no draws of '${rv.name}'`);
    return new Variable(new TensorType(rv.dtype, rv.type.shape), null, 0, rv.name);
  });
  const observed = cloneReplace(model.observedRVs, new Map(free.map((rv, k) => [rv, inputs[k]])));
  const lead = posterior[free[0].name!].shape.slice(0, 2);
  const [chains, draws] = lead;
  const sampler = drawFunction(pt, observed, inputs, opts.seed);
  const per: NDArray[][] = observed.map(() => []);
  for (let c = 0; c < chains; c++) {
    for (let d = 0; d < draws; d++) {
      const vals = free.map((rv) => slice2(posterior[rv.name!], c, d));
      sampler.next(vals).forEach((a, k) => per[k].push(a));
    }
  }
  sampler.commit();
  return Object.fromEntries(model.observedRVs.map((rv, k) => [rv.name!, stackArrays(per[k], [chains, draws])]));
}

/** x[c, d] of an array shaped [chains, draws, …]. */
function slice2(x: NDArray, c: number, d: number): NDArray {
  const inner = x.shape.slice(2);
  const n = inner.reduce((a, b) => a * b, 1);
  const off = (c * x.shape[1] + d) * n;
  return new NDArray(x.dtype, inner, x.data.slice(off, off + n));
}
