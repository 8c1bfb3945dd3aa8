// Compiled model functions: initial point, point log-densities, logp/dlogp/d2logp on point dicts,
// and the flat LogDensity samplers use.
import { Constant, Variable } from "../../core/graph.ts";
import { type ArrayLike, NDArray, sizeOf } from "../../core/ndarray.ts";
import { cloneReplace } from "../../core/walk.ts";
import type { CorePt } from "../../core/runtime.ts";
import { neg } from "../ops/elemwise.ts";
import { sum } from "../ops/reduce.ts";
import { grad } from "../ops/gradient.ts";
import { hessian } from "../ops/jacobian.ts";
import { index, slice } from "../ops/subtensor.ts";
import { reshape } from "../ops/shape.ts";
import { tensor } from "../ops/tensor.ts";
import type { Model } from "./model.ts";
import type { RandomVariable } from "./rv.ts";
import { type LogpOptions, logpTerms, modelLogp } from "./logprob.ts";
import { pcg64 } from "./rng/pcg64.ts";

export type Point = Record<string, NDArray>;
export type PointLike = Record<string, ArrayLike>;
type Fn = Pick<CorePt, "fn">;

/** The seam samplers see: a flat parameter vector in, log-density and gradient out. */
export interface LogDensity {
  readonly dim: number;
  logpAndGrad(x: Float64Array, grad: Float64Array): number;
  /** Value-variable names and shapes, in the order they are packed into x. */
  readonly names: readonly string[];
  readonly shapes: readonly (readonly number[])[];
}

/** Start values in value space: initval or the distribution's moment, transformed; optional jitter. */
export function initialPoint(model: Model, pt: Fn, opts: { seed?: number; jitter?: boolean } = {}): Point {
  const constrained = new Map<Variable, Variable>();
  const starts: Variable[] = [];
  const free = model.infos().filter((r) => !r.observed);
  for (const r of free) {
    const op = r.rv.owner!.op as RandomVariable;
    const params = cloneReplace(r.rv.owner!.inputs.slice(2), constrained);
    const x = r.initval ? new Constant(r.initval) : op.dist.moment(params, r.rv.type.shape);
    constrained.set(r.rv, x);
    starts.push(r.transform ? r.transform.forward(x) : x);
  }
  const values = starts.length ? pt.fn([], starts, { mode: "interp", name: "initialPoint" })() : [];
  const g = opts.jitter ? pcg64.resume(pcg64.seed(opts.seed ?? 0)) : null;
  const point: Point = {};
  free.forEach((r, k) => {
    let v = values[k].astype(r.value.dtype);
    if (g) {
      v = v.copy();
      for (let i = 0; i < v.size; i++) v.data[i] += 2 * g.nextDouble() - 1;
    }
    point[r.value.name!] = v;
  });
  return point;
}

/** Point dict (by value-variable name) → arrays in `vars` order, with clear errors. */
export function pointValues(vars: readonly Variable[], point: PointLike, who: string): NDArray[] {
  return vars.map((v) => {
    const x = point[v.name!];
    if (x === undefined) throw new Error(`${who}: the point has no value for '${v.name}' (has: ${Object.keys(point).join(", ")})`);
    return NDArray.from(x, v.dtype);
  });
}

/** model.compileLogp: point → total logp, or one array per term with { sum: false }. */
export function compileLogp(model: Model, pt: Fn, opts: LogpOptions = {}) {
  const vars = model.valueVars;
  const out = modelLogp(model, opts);
  const f = pt.fn(vars, Array.isArray(out) ? out : [out], { name: "logp" });
  return (point: PointLike): number | NDArray[] => {
    const res = f(...pointValues(vars, point, "logp"));
    return Array.isArray(out) ? res : res[0].item();
  };
}

/** model.pointLogps: each RV's and potential's summed logp at a point, by name. */
export function pointLogps(model: Model, pt: Fn, point: PointLike): Record<string, number> {
  const terms = logpTerms(model);
  const names = [...model.infos().map((r) => r.name), ...model.potentials.map((p) => p.name!)];
  const f = pt.fn(model.valueVars, terms.map((t) => (t.ndim ? sum(t) : t)), { name: "pointLogps" });
  const res = f(...pointValues(model.valueVars, point, "pointLogps"));
  return Object.fromEntries(names.map((n, k) => [n, res[k].item()]));
}

/** The model's value variables packed into one flat vector θ (shapes from a point). */
export class FlatView {
  readonly theta: Variable;
  readonly dim: number;
  readonly names: string[];
  readonly shapes: number[][];
  private readonly offsets: number[];
  constructor(readonly model: Model, point: Point) {
    this.names = model.valueVars.map((v) => v.name!);
    this.shapes = this.names.map((n) => [...point[n].shape]);
    this.offsets = [];
    let o = 0;
    for (const s of this.shapes) {
      this.offsets.push(o);
      o += sizeOf(s);
    }
    this.dim = o;
    this.theta = tensor("__theta", { shape: [o] });
  }
  /** Each value variable as a slice of θ reshaped. */
  replacements(): Map<Variable, Variable> {
    return new Map(this.model.valueVars.map((v, k) => {
      const n = sizeOf(this.shapes[k]);
      return [v, reshape(index(this.theta, [slice(this.offsets[k], this.offsets[k] + n)]), this.shapes[k])];
    }));
  }
  flatten(point: PointLike): Float64Array {
    const x = new Float64Array(this.dim);
    pointValues(this.model.valueVars, point, "flatten").forEach((a, k) => x.set(a.data, this.offsets[k]));
    return x;
  }
  unflatten(x: Float64Array): Point {
    return Object.fromEntries(this.names.map((n, k) => [n, new NDArray("float64", this.shapes[k], x.slice(this.offsets[k], this.offsets[k] + sizeOf(this.shapes[k])))]));
  }
  /** A graph over the value variables rewritten over θ. */
  over(graphs: readonly Variable[]): Variable[] {
    return cloneReplace(graphs, this.replacements());
  }
}

/** model.compileDlogp: point → ∇logp, flattened in value-variable order (PyMC's layout). */
export function compileDlogp(model: Model, pt: Fn, point: Point, opts: { jacobian?: boolean } = {}) {
  const view = new FlatView(model, point);
  const [lp] = view.over([modelLogp(model, { jacobian: opts.jacobian }) as Variable]);
  const f = pt.fn([view.theta], grad(lp, view.theta), { name: "dlogp" });
  return (p: PointLike): NDArray => f(view.flatten(p));
}

/** model.compileD2logp: point → Hessian of logp (negated by default, as PyMC's negate_output). */
export function compileD2logp(model: Model, pt: Fn, point: Point, opts: { jacobian?: boolean; negateOutput?: boolean } = {}) {
  const view = new FlatView(model, point);
  const [lp] = view.over([modelLogp(model, { jacobian: opts.jacobian }) as Variable]);
  const H = hessian(lp, view.theta);
  const f = pt.fn([view.theta], opts.negateOutput === false ? H : neg(H), { name: "d2logp" });
  return (p: PointLike): NDArray => f(view.flatten(p));
}

/** The flat log-density and gradient samplers consume; invalid parameters give −inf. */
export function logDensity(model: Model, pt: Fn, point: Point, opts: { mode?: string } = {}): LogDensity & { view: FlatView } {
  const view = new FlatView(model, point);
  const [lp] = view.over([modelLogp(model, { onFail: "ninf" }) as Variable]);
  const f = pt.fn([view.theta], [lp, grad(lp, view.theta)], { name: "logpAndGrad", mode: opts.mode, borrow: true });
  const xArr = new NDArray("float64", [view.dim]);
  return {
    dim: view.dim,
    names: view.names,
    shapes: view.shapes,
    view,
    logpAndGrad(x: Float64Array, g: Float64Array): number {
      (xArr.data as Float64Array).set(x);
      const [l, d] = f(xArr);
      g.set(d.data);
      return l.data[0];
    },
  };
}
