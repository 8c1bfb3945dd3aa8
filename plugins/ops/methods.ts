// Method sugar on Variable (x.add(y), x.sum({ axis: 0 }), x.T), delegating to the tensor
// functions. Installed once by the composition root (mod.ts); importing installs nothing.
import { Variable } from "../../core/graph.ts";
import type { DType } from "../../core/types.ts";
import type { TensorLike } from "./elemwise_base.ts";
import { add, cast, div, mul, neg, sub } from "./elemwise.ts";
import { exp, log, pow, sqr, sqrt } from "./elemwise_math.ts";
import { type ReduceOpts, max, mean, min, prod, sum } from "./reduce.ts";
import { dimshuffle, transpose } from "./dimshuffle.ts";
import { reshape, flatten } from "./shape.ts";
import { type IndexEntry, index } from "./subtensor.ts";
import { dot } from "./linalg.ts";

type ShapeArg = Parameters<typeof reshape>[1];

declare module "../../core/graph.ts" {
  interface Variable {
    add(other: TensorLike): Variable;
    sub(other: TensorLike): Variable;
    mul(other: TensorLike): Variable;
    div(other: TensorLike): Variable;
    pow(other: TensorLike): Variable;
    neg(): Variable;
    exp(): Variable;
    log(): Variable;
    sqrt(): Variable;
    sqr(): Variable;
    sum(opts?: ReduceOpts): Variable;
    prod(opts?: ReduceOpts): Variable;
    mean(opts?: ReduceOpts): Variable;
    max(opts?: ReduceOpts): Variable;
    min(opts?: ReduceOpts): Variable;
    dot(other: TensorLike): Variable;
    reshape(shape: ShapeArg): Variable;
    flatten(): Variable;
    transpose(axes?: readonly number[]): Variable;
    dimshuffle(...order: (number | "x")[]): Variable;
    astype(dtype: DType): Variable;
    /** numpy-style indexing: x.at(0, slice(1, null)) */
    at(...entries: IndexEntry[]): Variable;
    /** The transpose (all axes reversed). */
    readonly T: Variable;
  }
}

const methods: Record<string, (this: Variable, ...a: never[]) => Variable> = {
  add(o: TensorLike) { return add(this, o); },
  sub(o: TensorLike) { return sub(this, o); },
  mul(o: TensorLike) { return mul(this, o); },
  div(o: TensorLike) { return div(this, o); },
  pow(o: TensorLike) { return pow(this, o); },
  neg() { return neg(this); },
  exp() { return exp(this); },
  log() { return log(this); },
  sqrt() { return sqrt(this); },
  sqr() { return sqr(this); },
  sum(o?: ReduceOpts) { return sum(this, o); },
  prod(o?: ReduceOpts) { return prod(this, o); },
  mean(o?: ReduceOpts) { return mean(this, o); },
  max(o?: ReduceOpts) { return max(this, o); },
  min(o?: ReduceOpts) { return min(this, o); },
  dot(o: TensorLike) { return dot(this, o); },
  reshape(s: ShapeArg) { return reshape(this, s); },
  flatten() { return flatten(this); },
  transpose(axes?: readonly number[]) { return transpose(this, axes); },
  dimshuffle(...order: (number | "x")[]) { return dimshuffle(this, order); },
  astype(d: DType) { return cast(this, d); },
  at(...entries: IndexEntry[]) { return index(this, entries); },
};

let installed = false;
export function installTensorMethods(): void {
  if (installed) return;
  installed = true;
  for (const [k, f] of Object.entries(methods)) Object.defineProperty(Variable.prototype, k, { value: f, configurable: true, writable: true });
  Object.defineProperty(Variable.prototype, "T", { get(this: Variable) { return transpose(this); }, configurable: true });
}
