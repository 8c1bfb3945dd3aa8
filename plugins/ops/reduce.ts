// Reductions over axes (CAReduce in PyTensor): Sum, Prod, Mean, Max, Min, Argmax, Argmin, All,
// Any, with var/std composed from them. Each op reduces lanes: the reduced axes moved last.
import { disconnected, type GradTerm, Op, type Props, type Variable, asVariable } from "../../core/graph.ts";
import { NDArray, type TypedArray, allocData, sizeOf } from "../../core/ndarray.ts";
import { type DType, TensorType, fmtShape, isFloat } from "../../core/types.ts";
import { expandDims, permute } from "./dimshuffle.ts";
import { broadcastLike } from "./broadcast.ts";
import { type NameOpt, type TensorLike } from "./elemwise_base.ts";
import { cast, div, eq, maximum, mul, onesLike, sub, switchOp } from "./elemwise.ts";
import { sqr, sqrt } from "./elemwise_math.ts";

/** One axis, several, or null/undefined for all of them; negatives count from the end. */
export type AxisArg = number | readonly number[] | null | undefined;
export interface ReduceOpts extends NameOpt {
  axis?: AxisArg;
  keepdims?: boolean;
}

const range = (n: number): number[] => [...Array(n).keys()];

/** `axis` against x: sorted, non-negative and distinct, or null for all axes. */
export function normalizeAxes(op: string, x: Variable, axis: AxisArg): number[] | null {
  if (axis === null || axis === undefined) return null;
  const given = typeof axis === "number" ? [axis] : [...axis];
  const out: number[] = [];
  for (const a of given) {
    if (!Number.isInteger(a) || a < -x.ndim || a >= x.ndim) {
      throw new RangeError(`${op}: axis ${a} is out of range for ${x.describe()} (ndim ${x.ndim})`);
    }
    const k = a < 0 ? a + x.ndim : a;
    if (out.includes(k)) throw new RangeError(`${op}: axis ${JSON.stringify(axis)} repeats axis ${k} of ${x.describe()} (ndim ${x.ndim})`);
    out.push(k);
  }
  return out.sort((a, b) => a - b);
}

/** x's values with the reduced axes last: n lanes of r contiguous entries each. */
export function toLanes(x: NDArray, axes: readonly number[]): { src: TypedArray; n: number; r: number; kept: number[] } {
  const keptAxes = range(x.ndim).filter((a) => !axes.includes(a));
  const perm = [...keptAxes, ...axes];
  const moved = perm.every((p, i) => p === i) ? x : permute(x, perm);
  const kept = keptAxes.map((a) => x.shape[a]);
  return { src: moved.data, n: sizeOf(kept), r: sizeOf(axes.map((a) => x.shape[a])), kept };
}

/** Inverse of toLanes for same-shape results: lane data back into an array of `shape`. */
export function fromLanes(dtype: DType, data: TypedArray, shape: readonly number[], axes: readonly number[]): NDArray {
  const perm = [...range(shape.length).filter((a) => !axes.includes(a)), ...axes];
  const moved = new NDArray(dtype, perm.map((p) => shape[p]), data);
  if (perm.every((p, i) => p === i)) return moved;
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return permute(moved, inv);
}

/** A reduced result spread back over x: reduced axes re-inserted, then broadcast to x's shape. */
export function restore(g: Variable, x: Variable, axes: readonly number[]): Variable {
  return broadcastLike(expandDims(g, axes), x);
}

/** How many entries each lane of x has over `axes`: a number when static, else a keepdims tensor. */
export function laneCount(x: Variable, axes: readonly number[]): number | Variable {
  const dims = axes.map((a) => x.type.shape[a]);
  if (dims.every((d) => d !== null)) return sizeOf(dims as number[]);
  // the length only the run knows: sum ones of x's dtype (a shape op can replace this by rewrite)
  return sum(onesLike(x), { axis: axes, keepdims: true });
}

/** An op over `axis` (null = all axes) of its one input: its props, how it prints, its axes. */
export abstract class AxesOp extends Op {
  constructor(readonly axis: readonly number[] | null) {
    super();
  }
  override props(): Props {
    return { axis: this.axis ? [...this.axis] : null };
  }
  override toString(): string {
    if (this.axis === null) return `${this.name}{axes=None}`;
    if (this.axis.length === 1) return `${this.name}{axis=${this.axis[0]}}`;
    return `${this.name}{axes=[${this.axis.join(", ")}]}`;
  }
  axesOf(ndim: number): number[] {
    return this.axis ? [...this.axis] : range(ndim);
  }
  /** The one input of `make`, checked to have every axis. */
  protected onlyInput(inputs: readonly Variable[]): Variable {
    if (inputs.length !== 1) throw new TypeError(`${this}: takes 1 input, got ${inputs.length}`);
    const [x] = inputs;
    const bad = this.axis?.find((a) => a >= x.ndim);
    if (bad !== undefined) throw new RangeError(`${this}: axis ${bad} is out of range for ${x.describe()} (ndim ${x.ndim})`);
    return x;
  }
}

/** A reduction over `axis` (null = all axes); the result drops the reduced axes. */
export abstract class Reduce extends AxesOp {
  /** An empty lane is an error (max, argmax: no identity), as numpy raises. */
  protected readonly needsElements: boolean = false;
  constructor(axis: readonly number[] | null) {
    super(axis);
    if (axis && !axis.every((a, i) => Number.isInteger(a) && a >= 0 && (i === 0 || a > axis[i - 1]))) {
      throw new RangeError(`${new.target.name}: axis [${axis.join(", ")}] must be sorted, distinct and non-negative (the tensor functions normalize it)`);
    }
  }
  abstract outDtype(input: DType): DType;
  /** Reduce n lanes of r entries of `src` into `out[0..n)`. */
  protected abstract kernel(src: TypedArray, n: number, r: number, out: TypedArray, input: DType): void;

  make(inputs: readonly Variable[]): TensorType[] {
    const x = this.onlyInput(inputs);
    const axes = this.axesOf(x.ndim);
    const kept = x.type.shape.filter((_, i) => !axes.includes(i));
    if (this.needsElements && axes.some((a) => x.type.shape[a] === 0) && kept.every((d) => d !== null && d > 0)) {
      throw new RangeError(`${this}: ${x.describe()} has no entries along the reduced axes; ${this.emptyWhy()}`);
    }
    return [new TensorType(this.outDtype(x.dtype), kept)];
  }

  perform([x]: NDArray[]): NDArray[] {
    const { src, n, r, kept } = toLanes(x, this.axesOf(x.ndim));
    if (this.needsElements && r === 0 && n > 0) {
      throw new RangeError(`${this}: an array of shape ${fmtShape(x.shape)} has no entries along the reduced axes; ${this.emptyWhy()}`);
    }
    const dtype = this.outDtype(x.dtype);
    const out = allocData(dtype, n);
    this.kernel(src, n, r, out, x.dtype);
    return [new NDArray(dtype, kept, out)];
  }
  protected emptyWhy(): string {
    return `the ${this.name.toLowerCase()} of no values is undefined (numpy raises too)`;
  }
}

const isInt = (d: DType): boolean => d === "int32" || d === "bool";
const intOr = (d: DType): DType => (isInt(d) ? "int32" : d);

export class Sum extends Reduce {
  readonly name = "Sum";
  outDtype(d: DType): DType {
    return intOr(d);
  }
  protected kernel(src: TypedArray, n: number, r: number, out: TypedArray, input: DType): void {
    const int = isInt(input);
    for (let o = 0, b = 0; o < n; o++, b += r) {
      let s = 0;
      // int32 sums wrap around like numpy's fixed-width integers
      if (int) for (let k = 0; k < r; k++) s = (s + src[b + k]) | 0;
      else for (let k = 0; k < r; k++) s += src[b + k];
      out[o] = s;
    }
  }
  pullback([x]: readonly Variable[], _o: readonly Variable[], [g]: readonly (Variable | null)[]): GradTerm[] {
    return isFloat(x.dtype) ? [restore(g!, x, this.axesOf(x.ndim))] : [disconnected];
  }
}

export class Prod extends Reduce {
  readonly name = "Prod";
  outDtype(d: DType): DType {
    return intOr(d);
  }
  protected kernel(src: TypedArray, n: number, r: number, out: TypedArray, input: DType): void {
    const int = isInt(input);
    for (let o = 0, b = 0; o < n; o++, b += r) {
      let p = 1;
      if (int) for (let k = 0; k < r; k++) p = Math.imul(p, src[b + k]);
      else for (let k = 0; k < r; k++) p *= src[b + k];
      out[o] = p;
    }
  }
  pullback([x]: readonly Variable[], [out]: readonly Variable[], [g]: readonly (Variable | null)[]): GradTerm[] {
    if (!isFloat(x.dtype)) return [disconnected];
    const axes = this.axesOf(x.ndim);
    const isZero = eq(x, 0);
    const zeros = expandDims(sum(isZero, { axis: axes }), axes);
    const others = expandDims(new ProdWithoutZeros(this.axis).call([x]), axes);
    // the product of the other entries: prod/x away from zeros (denominator kept nonzero so no
    // branch makes a NaN); at a zero, the product of the non-zeros when it is the lane's only zero
    const dx = switchOp(isZero, mul(others, eq(zeros, 1)), div(expandDims(out, axes), switchOp(isZero, 1, x)));
    return [mul(restore(g!, x, axes), dx)];
  }
}

/** The product of the non-zero entries (1 for none): what Prod's gradient needs at a zero. */
export class ProdWithoutZeros extends Reduce {
  readonly name = "ProdWithoutZeros";
  outDtype(d: DType): DType {
    return intOr(d);
  }
  protected kernel(src: TypedArray, n: number, r: number, out: TypedArray, input: DType): void {
    const int = isInt(input);
    for (let o = 0, b = 0; o < n; o++, b += r) {
      let p = 1;
      for (let k = 0; k < r; k++) {
        const v = src[b + k];
        if (v !== 0) p = int ? Math.imul(p, v) : p * v;
      }
      out[o] = p;
    }
  }
  pullback([x]: readonly Variable[], [out]: readonly Variable[], [g]: readonly (Variable | null)[]): GradTerm[] {
    if (!isFloat(x.dtype)) return [disconnected];
    const axes = this.axesOf(x.ndim);
    const isZero = eq(x, 0);
    // zeros are left out of the product, so they get no gradient; the rest get out/x
    const dx = switchOp(isZero, 0, div(expandDims(out, axes), switchOp(isZero, 1, x)));
    return [mul(restore(g!, x, axes), dx)];
  }
}

export class Mean extends Reduce {
  readonly name = "Mean";
  outDtype(d: DType): DType {
    return isFloat(d) ? d : "float64";
  }
  protected kernel(src: TypedArray, n: number, r: number, out: TypedArray): void {
    for (let o = 0, b = 0; o < n; o++, b += r) {
      let s = 0;
      for (let k = 0; k < r; k++) s += src[b + k];
      out[o] = s / r;
    }
  }
  pullback([x]: readonly Variable[], _o: readonly Variable[], [g]: readonly (Variable | null)[]): GradTerm[] {
    if (!isFloat(x.dtype)) return [disconnected];
    const axes = this.axesOf(x.ndim);
    return [div(restore(g!, x, axes), laneCount(x, axes))];
  }
}

/** Max and Min: NaN propagates, and every entry equal to the extreme gets the gradient. */
abstract class Extreme extends Reduce {
  protected override readonly needsElements = true;
  protected abstract readonly better: (a: number, b: number) => boolean;
  outDtype(d: DType): DType {
    return d;
  }
  protected kernel(src: TypedArray, n: number, r: number, out: TypedArray): void {
    for (let o = 0, b = 0; o < n; o++, b += r) {
      let m = src[b];
      for (let k = 1; k < r && m === m; k++) {
        const v = src[b + k];
        if (v !== v || this.better(v, m)) m = v;
      }
      out[o] = m;
    }
  }
  pullback([x]: readonly Variable[], [out]: readonly Variable[], [g]: readonly (Variable | null)[]): GradTerm[] {
    if (!isFloat(x.dtype)) return [disconnected];
    const axes = this.axesOf(x.ndim);
    return [mul(restore(g!, x, axes), eq(x, expandDims(out, axes)))];
  }
}
export class Max extends Extreme {
  readonly name = "Max";
  protected readonly better = (a: number, b: number) => a > b;
  protected override emptyWhy(): string {
    return "a maximum of no values is undefined (numpy raises too)";
  }
}
export class Min extends Extreme {
  readonly name = "Min";
  protected readonly better = (a: number, b: number) => a < b;
  protected override emptyWhy(): string {
    return "a minimum of no values is undefined (numpy raises too)";
  }
}

/** Index of the first extreme (or first NaN) in each lane, flattened over the reduced axes. */
abstract class ArgExtreme extends Extreme {
  override outDtype(): DType {
    return "int32";
  }
  protected override kernel(src: TypedArray, n: number, r: number, out: TypedArray): void {
    for (let o = 0, b = 0; o < n; o++, b += r) {
      let m = src[b], at = 0;
      for (let k = 1; k < r && m === m; k++) {
        const v = src[b + k];
        if (v !== v || this.better(v, m)) {
          m = v;
          at = k;
        }
      }
      out[o] = at;
    }
  }
  override pullback(_i: readonly Variable[], _o: readonly Variable[], _g: readonly (Variable | null)[]): GradTerm[] {
    return [disconnected];
  }
  protected override emptyWhy(): string {
    return "there is no index of an extreme of no values (numpy raises too)";
  }
}
export class Argmax extends ArgExtreme {
  readonly name = "Argmax";
  protected readonly better = (a: number, b: number) => a > b;
}
export class Argmin extends ArgExtreme {
  readonly name = "Argmin";
  protected readonly better = (a: number, b: number) => a < b;
}

/** All / Any: truthiness (NaN is true); empty lanes give true / false. */
abstract class Logical extends Reduce {
  protected abstract readonly stopAt: 0 | 1;
  outDtype(): DType {
    return "bool";
  }
  protected kernel(src: TypedArray, n: number, r: number, out: TypedArray): void {
    const stop = this.stopAt;
    for (let o = 0, b = 0; o < n; o++, b += r) {
      let res = 1 - stop;
      for (let k = 0; k < r; k++) {
        if ((src[b + k] !== 0 ? 1 : 0) === stop) {
          res = stop;
          break;
        }
      }
      out[o] = res;
    }
  }
  pullback(_i: readonly Variable[], _o: readonly Variable[], _g: readonly (Variable | null)[]): GradTerm[] {
    return [disconnected];
  }
}
export class All extends Logical {
  readonly name = "All";
  protected readonly stopAt = 0;
}
export class Any extends Logical {
  readonly name = "Any";
  protected readonly stopAt = 1;
}

// ── tensor functions ────────────────────────────────────────────────────────────────────────

/** Apply a reduction op over the normalized axes, then re-insert them for keepdims. */
export function reduceWith(opName: string, ctor: (axis: number[] | null) => Op, x: TensorLike, opts: ReduceOpts = {}): Variable {
  const v = asVariable(x);
  const axis = normalizeAxes(opName, v, opts.axis);
  let out = ctor(axis).call([v]);
  if (opts.keepdims) out = expandDims(out, axis ?? range(v.ndim));
  if (opts.name !== undefined) out.name = opts.name;
  return out;
}

export const sum = (x: TensorLike, opts?: ReduceOpts): Variable => reduceWith("Sum", (a) => new Sum(a), x, opts);
export const prod = (x: TensorLike, opts?: ReduceOpts): Variable => reduceWith("Prod", (a) => new Prod(a), x, opts);
export const mean = (x: TensorLike, opts?: ReduceOpts): Variable => reduceWith("Mean", (a) => new Mean(a), x, opts);
export const max = (x: TensorLike, opts?: ReduceOpts): Variable => reduceWith("Max", (a) => new Max(a), x, opts);
export const min = (x: TensorLike, opts?: ReduceOpts): Variable => reduceWith("Min", (a) => new Min(a), x, opts);
export const argmax = (x: TensorLike, opts?: ReduceOpts): Variable => reduceWith("Argmax", (a) => new Argmax(a), x, opts);
export const argmin = (x: TensorLike, opts?: ReduceOpts): Variable => reduceWith("Argmin", (a) => new Argmin(a), x, opts);
export const all = (x: TensorLike, opts?: ReduceOpts): Variable => reduceWith("All", (a) => new All(a), x, opts);
export const any = (x: TensorLike, opts?: ReduceOpts): Variable => reduceWith("Any", (a) => new Any(a), x, opts);

export interface VarOpts extends ReduceOpts {
  /** Delta degrees of freedom: the divisor is n − ddof (numpy's; 1 gives the unbiased estimate). */
  ddof?: number;
}

/** numpy's var: mean squared deviation with divisor max(n − ddof, 0); ints compute in float64. */
export function variance(x: TensorLike, opts: VarOpts = {}): Variable {
  const v = asVariable(x);
  const { ddof = 0, keepdims = false } = opts;
  if (!Number.isFinite(ddof)) throw new RangeError(`var: ddof must be a finite number, got ${ddof} for ${v.describe()}`);
  const axes = normalizeAxes("var", v, opts.axis) ?? range(v.ndim);
  const xf = isFloat(v.dtype) ? v : cast(v, "float64");
  const dev = sub(xf, mean(xf, { axis: axes, keepdims: true }));
  const ss = sum(sqr(dev), { axis: axes, keepdims });
  const n = laneCount(xf, axes);
  const dof = typeof n === "number" ? Math.max(n - ddof, 0) : maximum(sub(keepdims ? n : sum(n, { axis: axes }), ddof), 0);
  const out = div(ss, dof);
  if (opts.name !== undefined) out.name = opts.name;
  return out;
}

/** numpy's std: the square root of var (same ddof). */
export function std(x: TensorLike, opts: VarOpts = {}): Variable {
  const out = sqrt(variance(x, { ...opts, name: undefined }));
  if (opts.name !== undefined) out.name = opts.name;
  return out;
}

/** The family's tensor functions, as they appear on `pt` (`pt.var` is `variance`). */
export const reduceFunctions = { sum, prod, mean, max, min, argmax, argmin, all, any, var: variance, std };
