// From random variables to log-density graphs over value variables: each RV's parameters are
// rewritten in terms of the other RVs' values, its logp is taken at its own value, and free
// transformed RVs add the log-Jacobian of the transform.
import type { Variable } from "../../core/graph.ts";
import { asVariable } from "../../core/graph.ts";
import type { ArrayLike } from "../../core/ndarray.ts";
import { cloneReplace } from "../../core/walk.ts";
import { add } from "../ops/elemwise.ts";
import { sum } from "../ops/reduce.ts";
import { checkParameters } from "./check.ts";
import type { Model, RVInfo } from "./model.ts";
import { RandomVariable } from "./rv.ts";

export interface LogpOptions {
  /** One scalar total (default) or one term per variable. */
  sum?: boolean;
  /** Add log|det J| of each free variable's transform (default true). */
  jacobian?: boolean;
  /** Invalid parameters: raise (default, for eval) or give −inf (for samplers). */
  onFail?: "raise" | "ninf";
}

function rvOp(rv: Variable, who: string): RandomVariable {
  const op = rv.owner?.op;
  if (!(op instanceof RandomVariable)) throw new TypeError(`${who}: ${rv.describe()} is not a random variable`);
  return op;
}

/** The log-density of `rv` at `value`, with its parameter checks (pm.logp). */
export function rvLogp(rv: Variable, value: Variable | ArrayLike, params?: readonly Variable[], onFail: "raise" | "ninf" = "raise"): Variable {
  const op = rvOp(rv, "logp");
  const ps = params ?? rv.owner!.inputs.slice(2);
  const x = asVariable(value, rv.dtype === "int32" ? undefined : rv.dtype);
  const lp = op.dist.logp(x, ps);
  const label = `${op.dist.name}("${rv.name ?? "?"}")`;
  return checkParameters(lp, op.dist.checks?.(ps) ?? [], { name: `${rv.name ?? op.dist.rvName}_logprob`, label, onFail });
}

/** The log-CDF of `rv` at `value` (pm.logcdf). */
export function rvLogcdf(rv: Variable, value: Variable | ArrayLike): Variable {
  const op = rvOp(rv, "logcdf");
  if (!op.dist.logcdf) throw new Error(`logcdf: ${op.dist.name} has no logcdf`);
  const ps = rv.owner!.inputs.slice(2);
  const lc = op.dist.logcdf(asVariable(value), ps);
  return checkParameters(lc, op.dist.checks?.(ps) ?? [], { name: `${rv.name ?? op.dist.rvName}_logcdf`, label: `${op.dist.name}("${rv.name ?? "?"}")` });
}

/** Each RV → the expression of its value: transformed back for free RVs, the data for observed. */
export function valueExpressions(model: Model): Map<Variable, Variable> {
  return new Map(model.infos().map((r) => [r.rv, r.transform ? r.transform.backward(r.value) : r.value]));
}

/** Deterministics and other graphs over RVs, rewritten over value variables. */
export function inValueSpace(model: Model, graphs: readonly Variable[]): Variable[] {
  return cloneReplace(graphs, valueExpressions(model));
}

/** One log-density term per RV (free, then observed, in registration order) and per potential. */
export function logpTerms(model: Model, opts: LogpOptions = {}): Variable[] {
  const replace = valueExpressions(model);
  const terms = model.infos().map((r: RVInfo) => {
    const params = cloneReplace(r.rv.owner!.inputs.slice(2), replace);
    let term = rvLogp(r.rv, replace.get(r.rv)!, params, opts.onFail);
    if (r.transform && opts.jacobian !== false) term = add(term, r.transform.logJacDet(r.value), { name: `${r.name}_logprob` });
    return term;
  });
  const pots = cloneReplace(model.potentials, replace);
  return [...terms, ...pots];
}

/** The model's joint log-density (summed), or its terms. */
export function modelLogp(model: Model, opts: LogpOptions = {}): Variable | Variable[] {
  const terms = logpTerms(model, opts);
  if (opts.sum === false) return terms;
  const sums = terms.map((t) => (t.ndim ? sum(t) : t));
  return sums.length ? sums.reduce((a, b) => add(a, b)) : asVariable(0);
}
