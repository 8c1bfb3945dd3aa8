// Model: the registry of a PyMC-style model — random variables (free and observed), their value
// variables and transforms, deterministics, potentials, data, coords and dims.
import { Constant, SharedVariable, Variable } from "../../core/graph.ts";
import { type ArrayLike, NDArray } from "../../core/ndarray.ts";
import { TensorType } from "../../core/types.ts";
import { RandomVariable } from "./rv.ts";
import type { Transform } from "./transforms/types.ts";

export interface RVInfo {
  readonly rv: Variable;
  readonly name: string;
  /** The value variable: in transformed space for free RVs, the data for observed ones. */
  readonly value: Variable;
  readonly transform: Transform | null;
  readonly observed: boolean;
  readonly dims?: readonly string[];
  readonly initval?: NDArray;
}

let modelCount = 0;

export class Model {
  readonly id = ++modelCount;
  private readonly rvs: RVInfo[] = [];
  private readonly named = new Map<string, Variable>();
  readonly deterministics: Variable[] = [];
  readonly potentials: Variable[] = [];
  readonly dataVars = new Map<string, SharedVariable>();
  readonly coords = new Map<string, readonly unknown[]>();
  readonly varDims = new Map<string, readonly string[]>();

  constructor(readonly name?: string, coords?: Record<string, readonly unknown[]>) {
    for (const [k, v] of Object.entries(coords ?? {})) this.coords.set(k, v);
  }

  get freeRVs(): Variable[] {
    return this.rvs.filter((r) => !r.observed).map((r) => r.rv);
  }
  get observedRVs(): Variable[] {
    return this.rvs.filter((r) => r.observed).map((r) => r.rv);
  }
  get basicRVs(): Variable[] {
    return this.rvs.map((r) => r.rv);
  }
  /** Free value variables in registration order: `mu`, `sigma_log__`, … */
  get valueVars(): Variable[] {
    return this.rvs.filter((r) => !r.observed).map((r) => r.value);
  }
  get rvsToValues(): Map<Variable, Variable> {
    return new Map(this.rvs.map((r) => [r.rv, r.value]));
  }
  get rvsToTransforms(): Map<Variable, Transform | null> {
    return new Map(this.rvs.map((r) => [r.rv, r.transform]));
  }
  /** Everything named in the model, by name. */
  get namedVars(): ReadonlyMap<string, Variable> {
    return this.named;
  }
  info(rv: Variable): RVInfo {
    const r = this.rvs.find((x) => x.rv === rv);
    if (!r) throw new Error(`${rv} is not a random variable of this model`);
    return r;
  }
  infos(): readonly RVInfo[] {
    return this.rvs;
  }
  get(name: string): Variable {
    const v = this.named.get(name);
    if (!v) throw new Error(`model has no variable named '${name}' (has: ${[...this.named.keys()].join(", ")})`);
    return v;
  }

  private claim(name: string, v: Variable): void {
    if (this.named.has(name)) throw new Error(`model already has a variable named '${name}'`);
    this.named.set(name, v);
  }

  /** Register a random variable created by a distribution function. */
  registerRV(rv: Variable, opts: { observed?: ArrayLike | SharedVariable; transform?: Transform | null; dims?: readonly string[]; initval?: ArrayLike } = {}): void {
    const name = rv.name!;
    const op = rv.owner?.op;
    if (!(op instanceof RandomVariable)) throw new TypeError(`registerRV: '${name}' is not a random variable`);
    this.claim(name, rv);
    if (opts.dims) this.varDims.set(name, opts.dims);
    if (opts.observed !== undefined) {
      const data = opts.observed instanceof SharedVariable ? opts.observed : new Constant(NDArray.from(opts.observed, rv.dtype), `${name}{observed}`);
      checkObserved(op.dist.name, name, data instanceof SharedVariable ? data.value : (data as Constant).value);
      this.rvs.push({ rv, name, value: data, transform: null, observed: true, dims: opts.dims });
      return;
    }
    const t = opts.transform === undefined ? (op.dist.transform?.(rv.owner!.inputs.slice(2)) ?? null) : opts.transform;
    const shape = t?.valueShape ? t.valueShape(rv.type.shape) : rv.type.shape;
    const value = new Variable(new TensorType(rv.dtype, shape), null, 0, t ? `${name}_${t.name}__` : name);
    const initval = opts.initval === undefined ? undefined : NDArray.from(opts.initval, rv.dtype);
    this.rvs.push({ rv, name, value, transform: t, observed: false, dims: opts.dims, initval });
  }

  addDeterministic(name: string, v: Variable, dims?: readonly string[]): Variable {
    v.name = name;
    this.claim(name, v);
    if (dims) this.varDims.set(name, dims);
    this.deterministics.push(v);
    return v;
  }

  addPotential(name: string, v: Variable): Variable {
    v.name = name;
    this.claim(name, v);
    this.potentials.push(v);
    return v;
  }

  addData(name: string, value: ArrayLike, dims?: readonly string[]): SharedVariable {
    const arr = NDArray.from(value);
    const s = new SharedVariable(arr, name);
    this.claim(name, s);
    this.dataVars.set(name, s);
    if (dims) this.varDims.set(name, dims);
    return s;
  }

  /** New values for a `pm.Data` variable, used by every function compiled from now on. */
  setData(name: string, value: ArrayLike): void {
    const s = this.dataVars.get(name);
    if (!s) throw new Error(`setData: the model has no data variable '${name}' (data: ${[...this.dataVars.keys()].join(", ") || "none"})`);
    s.setValue(value);
  }

  addCoords(name: string, values: readonly unknown[]): void {
    this.coords.set(name, values);
  }

  /** Lengths of named dims, from coords (for shapes given as dims). */
  dimLengths(dims: readonly string[], who: string): number[] {
    return dims.map((d) => {
      const c = this.coords.get(d);
      if (!c) throw new Error(`${who}: dim '${d}' has no coords in the model (coords: ${[...this.coords.keys()].join(", ") || "none"})`);
      return c.length;
    });
  }
}

function checkObserved(dist: string, name: string, data: NDArray): void {
  for (let i = 0; i < data.size; i++) {
    if (Number.isNaN(data.data[i])) {
      throw new RangeError(`${dist}("${name}"): observed data has NaN at flat index ${i}; missing values are not supported — drop them or model them explicitly`);
    }
  }
}
