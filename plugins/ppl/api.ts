// The `pm` facade of one runtime: distribution functions (pm.Normal("x", …) and
// pm.Normal.dist(…)), the ambient model, Deterministic/Potential/Data, logp/logcdf and draws.
import { Constant, SharedVariable, type Variable } from "../../core/graph.ts";
import { type ArrayLike, NDArray } from "../../core/ndarray.ts";
import { graphInputs } from "../../core/walk.ts";
import type { CorePt } from "../../core/runtime.ts";
import type { Transform } from "./transforms/types.ts";
import type { DistributionSpec } from "./distributions/types.ts";
import { RandomVariable } from "./rv.ts";
import { PmModel } from "./pm_model.ts";
import { ParameterValueError } from "./check.ts";
import { rvLogcdf, rvLogp } from "./logprob.ts";
import { pcg64 } from "./rng/pcg64.ts";
import { shape } from "../ops/shape_core.ts";

/** What every distribution function takes besides its parameters. */
export interface RVOptions {
  observed?: ArrayLike | SharedVariable;
  /** The full shape of the variable (batch ++ support). */
  shape?: readonly number[];
  /** The batch shape (numpy's size). */
  size?: number | readonly number[];
  /** Named axes, their lengths taken from the model's coords. */
  dims?: readonly string[];
  /** Override the default transform; null for none. */
  transform?: Transform | null;
  initval?: ArrayLike;
  /** Add to this model instead of the ambient one. */
  model?: PmModel;
}
export type RVArgs = RVOptions & Record<string, Variable | ArrayLike | unknown>;
export interface RVFunction {
  (name: string, args?: RVArgs): Variable;
  /** An unnamed random variable outside any model. */
  dist(args?: RVArgs): Variable;
  readonly spec: DistributionSpec;
}

const OPTION_KEYS = new Set(["observed", "shape", "size", "dims", "transform", "initval", "model"]);

export class PmContext {
  private readonly stack: PmModel[] = [];
  private rngCount = 0;
  constructor(readonly pt: Pick<CorePt, "fn">, private readonly seedBase = 20261123) {}

  current(): PmModel | null {
    return this.stack[this.stack.length - 1] ?? null;
  }
  /** `pm.model(() => { … })`: variables created inside belong to the new (or given) model. */
  model(build?: (m: PmModel) => void, opts: { name?: string; coords?: Record<string, readonly unknown[]>; model?: PmModel } = {}): PmModel {
    const m = opts.model ?? new PmModel(this.pt, opts.name, opts.coords);
    if (!build) return m;
    this.stack.push(m);
    try {
      build(m);
    } finally {
      this.stack.pop();
    }
    return m;
  }
  /** A fresh RNG state for each random variable, reproducible in creation order. */
  nextRng(): SharedVariable {
    return new SharedVariable(new NDArray("int32", [pcg64.stateSize], pcg64.seed([this.seedBase, this.rngCount++])), "rng");
  }

  createRV(spec: DistributionSpec, name: string | null, args: RVArgs = {}): Variable {
    const label = name === null ? `${spec.name}.dist` : `${spec.name}("${name}")`;
    const model = name === null ? null : ((args.model as PmModel | undefined) ?? this.current());
    if (name !== null && !model) throw new Error(`${label}: no model in context; create it inside pm.model(() => …), pass { model }, or use ${spec.name}.dist(…)`);
    const paramArgs = Object.fromEntries(Object.entries(args).filter(([k]) => !OPTION_KEYS.has(k))) as Record<string, Variable | ArrayLike>;
    const o = args as RVOptions;
    const params = withLabel(label, () => spec.parametrize(paramArgs, label));
    const size = withLabel(label, () => batchSize(spec, o, model));
    const sizeVar = size instanceof SharedVariable ? shape(size) : new Constant(NDArray.from(size, "int32").reshape([size.length]));
    const node = withLabel(label, () => new RandomVariable(spec, pcg64).apply([this.nextRng(), sizeVar, ...params]));
    const rv = node.outputs[1];
    rv.name = name ?? undefined;
    this.checkConstantParams(spec, params, label);
    if (model && name !== null) {
      withLabel(label, () => model.registerRV(rv, { observed: o.observed, transform: o.transform, dims: o.dims, initval: o.initval }));
    }
    return rv;
  }

  /** Parameters given as constants are checked now, so `sigma: -1` fails where it is written. */
  private checkConstantParams(spec: DistributionSpec, params: readonly Variable[], label: string): void {
    const checks = spec.checks?.(params) ?? [];
    const constant = checks.filter(([c]) => graphInputs([c]).every((v) => v instanceof Constant));
    if (!constant.length) return;
    const ok = this.pt.fn([], constant.map(([c]) => c), { mode: "interp" })();
    ok.forEach((r, k) => {
      if (!r.data.every((x: number) => x !== 0)) throw new ParameterValueError(`${label}: invalid parameters: ${constant[k][1]} does not hold`);
    });
  }

  rvFunction(spec: DistributionSpec): RVFunction {
    const f = (name: string, args?: RVArgs) => {
      if (typeof name !== "string") throw new TypeError(`pm.${spec.name}: the first argument is the variable's name; use pm.${spec.name}.dist(…) for an unnamed variable`);
      return this.createRV(spec, name, args);
    };
    return Object.assign(f, { dist: (args?: RVArgs) => this.createRV(spec, null, args), spec });
  }

  Deterministic(name: string, v: Variable, opts: { dims?: readonly string[]; model?: PmModel } = {}): Variable {
    return this.need(opts.model, `Deterministic("${name}")`).addDeterministic(name, v, opts.dims);
  }
  Potential(name: string, v: Variable, opts: { model?: PmModel } = {}): Variable {
    return this.need(opts.model, `Potential("${name}")`).addPotential(name, v);
  }
  Data(name: string, value: ArrayLike, opts: { dims?: readonly string[]; model?: PmModel } = {}): SharedVariable {
    return this.need(opts.model, `Data("${name}")`).addData(name, value, opts.dims);
  }
  logp(rv: Variable, value: Variable | ArrayLike): Variable {
    return rvLogp(rv, value);
  }
  logcdf(rv: Variable, value: Variable | ArrayLike): Variable {
    return rvLogcdf(rv, value);
  }
  /** The given model, else the ambient one; an error naming `who` when there is neither. */
  need(m: PmModel | undefined, who: string): PmModel {
    const model = m ?? this.current();
    if (!model) throw new Error(`${who}: no model in context; create it inside pm.model(() => …) or pass { model }`);
    return model;
  }
}

function withLabel<T>(label: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    const err = e as Error;
    if (!err.message.startsWith(label)) err.message = `${label}: ${err.message}`;
    throw err;
  }
}

/**
 * The batch shape asked for by size, shape, dims or observed data (empty: from the parameters).
 * Observed pm.Data returns the data variable itself: its shape is read at run time, so new data
 * of another length fits without rebuilding.
 */
function batchSize(spec: DistributionSpec, o: RVOptions, model: PmModel | null): number[] | SharedVariable {
  const supp = spec.ndimSupp;
  if (o.size !== undefined) return typeof o.size === "number" ? [o.size] : [...o.size];
  if (o.shape !== undefined) return o.shape.slice(0, o.shape.length - supp);
  if (o.dims !== undefined && model) return model.dimLengths(o.dims, "dims").slice(0, o.dims.length - supp);
  if (o.observed instanceof SharedVariable && supp === 0) return o.observed;
  if (o.observed !== undefined) {
    const shape = o.observed instanceof SharedVariable ? o.observed.value.shape : NDArray.from(o.observed as ArrayLike).shape;
    return shape.slice(0, shape.length - supp);
  }
  return [];
}
