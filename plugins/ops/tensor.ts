// Tensor constructors: symbolic inputs of a given rank, and constants from JS values.
import { Constant, SharedVariable, Variable } from "../../core/graph.ts";
import { type ArrayLike, NDArray } from "../../core/ndarray.ts";
import { type DType, type Dim, TensorType } from "../../core/types.ts";

export interface TensorOpts {
  name?: string;
  dtype?: DType;
  /** Static shape; null for a length only known at run time. */
  shape?: readonly Dim[];
}

function input(ndim: number, nameOrOpts?: string | TensorOpts, more: TensorOpts = {}): Variable {
  const o: TensorOpts = typeof nameOrOpts === "string" ? { ...more, name: nameOrOpts } : { ...(nameOrOpts ?? {}), ...more };
  const shape = o.shape ?? Array<Dim>(ndim).fill(null);
  if (ndim >= 0 && shape.length !== ndim) {
    throw new RangeError(`${["scalar", "vector", "matrix"][ndim] ?? "tensor"} '${o.name ?? ""}': shape ${JSON.stringify(shape)} has ${shape.length} dimensions, expected ${ndim}`);
  }
  return new Variable(new TensorType(o.dtype ?? "float64", shape), null, 0, o.name);
}

export const scalar = (name?: string | TensorOpts, opts?: TensorOpts) => input(0, name, opts);
export const vector = (name?: string | TensorOpts, opts?: TensorOpts) => input(1, name, opts);
export const matrix = (name?: string | TensorOpts, opts?: TensorOpts) => input(2, name, opts);
export const tensor3 = (name?: string | TensorOpts, opts?: TensorOpts) => input(3, name, opts);
/** Any rank: `tensor("x", { shape: [null, 3] })`, or `{ ndim }` for all-unknown lengths. */
export function tensor(name?: string | (TensorOpts & { ndim?: number }), opts: TensorOpts & { ndim?: number } = {}): Variable {
  const o = typeof name === "string" ? { ...opts, name } : { ...(name ?? {}), ...opts };
  const ndim = o.shape?.length ?? o.ndim;
  if (ndim === undefined) throw new TypeError(`tensor '${o.name ?? ""}': give a shape or an ndim`);
  return input(ndim, o);
}

/** A constant from numbers, nested arrays, typed arrays or an NDArray. */
export function constant(value: ArrayLike, opts: { name?: string; dtype?: DType } = {}): Constant {
  return new Constant(NDArray.from(value, opts.dtype), opts.name);
}

/** Variables pass through unchanged; anything else becomes a constant. */
export function asTensor(x: Variable | ArrayLike, opts: { name?: string; dtype?: DType } = {}): Variable {
  return x instanceof Variable ? x : constant(x, opts);
}

/** A shared variable: its value can be replaced later (`setValue`) without recompiling. */
export function shared(value: ArrayLike, opts: { name?: string; dtype?: DType; shape?: readonly Dim[] } = {}): SharedVariable {
  return new SharedVariable(NDArray.from(value, opts.dtype), opts.name, opts.shape);
}

export const tensorFunctions = { scalar, vector, matrix, tensor3, tensor, constant, asTensor, shared };
