// Max-shifted exponential reductions: LogSumExp (a reduction) and Softmax / LogSoftmax (same
// shape as the input, normalized over the axes). Each matches scipy.special's treatment of ±inf.
import { disconnected, type GradTerm, Op, type Variable, asVariable } from "../../core/graph.ts";
import { NDArray, type TypedArray, allocData } from "../../core/ndarray.ts";
import { type DType, TensorType, isFloat } from "../../core/types.ts";
import { expandDims } from "./dimshuffle.ts";
import type { TensorLike } from "./elemwise_base.ts";
import { mul, sub } from "./elemwise.ts";
import { exp } from "./elemwise_math.ts";
import { type AxisArg, AxesOp, Reduce, type ReduceOpts, fromLanes, normalizeAxes, reduceWith, restore, sum, toLanes } from "./reduce.ts";

const floatOf = (d: DType): DType => (isFloat(d) ? d : "float64");

/** log(sum(exp(x))) shifted by the lane's max: exact for huge entries, −inf for all-(−inf) lanes. */
export class LogSumExp extends Reduce {
  readonly name = "LogSumExp";
  outDtype(d: DType): DType {
    return floatOf(d);
  }
  protected kernel(src: TypedArray, n: number, r: number, out: TypedArray): void {
    for (let o = 0, b = 0; o < n; o++, b += r) {
      let m = -Infinity, at = -1, nan = false;
      for (let k = 0; k < r; k++) {
        const v = src[b + k];
        if (v !== v) nan = true;
        else if (v > m || at < 0) {
          m = v;
          at = k;
        }
      }
      if (nan) out[o] = NaN;
      else if (m === -Infinity || m === Infinity) out[o] = m;
      else {
        // the max contributes exp(0) = 1; log1p keeps the rest's tiny share exact
        let s = 0;
        for (let k = 0; k < r; k++) if (k !== at) s += Math.exp(src[b + k] - m);
        out[o] = m + Math.log1p(s);
      }
    }
  }
  pullback([x]: readonly Variable[], [out]: readonly Variable[], [g]: readonly (Variable | null)[]): GradTerm[] {
    if (!isFloat(x.dtype)) return [disconnected];
    const axes = this.axesOf(x.ndim);
    return [mul(restore(g!, x, axes), exp(sub(x, expandDims(out, axes))))];
  }
}

/** Softmax and LogSoftmax: a normalization over `axis` (null = all axes), shape unchanged. */
abstract class Normalize extends AxesOp {
  /** Normalize one lane of r entries from src[b..] into dst[b..]. */
  protected abstract lane(src: TypedArray, dst: TypedArray, b: number, r: number): void;

  make(inputs: readonly Variable[]): TensorType[] {
    const x = this.onlyInput(inputs);
    return [new TensorType(floatOf(x.dtype), x.type.shape)];
  }
  perform([x]: NDArray[]): NDArray[] {
    const axes = this.axesOf(x.ndim);
    const { src, n, r } = toLanes(x, axes);
    const dtype = floatOf(x.dtype);
    const dst = allocData(dtype, src.length);
    for (let o = 0; o < n; o++) this.lane(src, dst, o * r, r);
    return [fromLanes(dtype, dst, x.shape, axes)];
  }
}

function laneMax(src: TypedArray, b: number, r: number): number {
  let m = -Infinity;
  for (let k = 0; k < r; k++) {
    const v = src[b + k];
    if (v !== v) return NaN;
    if (v > m) m = v;
  }
  return m;
}

export class Softmax extends Normalize {
  readonly name = "Softmax";
  protected lane(src: TypedArray, dst: TypedArray, b: number, r: number): void {
    // scipy's formula exactly: exp(x − max) / its sum (an all-(−inf) or +inf lane gives NaN)
    const m = laneMax(src, b, r);
    let s = 0;
    for (let k = 0; k < r; k++) s += dst[b + k] = Math.exp(src[b + k] - m);
    for (let k = 0; k < r; k++) dst[b + k] /= s;
  }
  pullback([x]: readonly Variable[], [sm]: readonly Variable[], [g]: readonly (Variable | null)[]): GradTerm[] {
    if (!isFloat(x.dtype)) return [disconnected];
    const axis = this.axesOf(x.ndim);
    return [mul(sub(g!, sum(mul(g!, sm), { axis, keepdims: true })), sm)];
  }
}

export class LogSoftmax extends Normalize {
  readonly name = "LogSoftmax";
  protected lane(src: TypedArray, dst: TypedArray, b: number, r: number): void {
    // scipy: shift by the max, or by 0 when the max is not finite
    let m = laneMax(src, b, r);
    if (!Number.isFinite(m)) m = 0;
    let s = 0;
    for (let k = 0; k < r; k++) s += Math.exp(src[b + k] - m);
    const logS = Math.log(s);
    for (let k = 0; k < r; k++) dst[b + k] = src[b + k] - m - logS;
  }
  pullback([x]: readonly Variable[], [out]: readonly Variable[], [g]: readonly (Variable | null)[]): GradTerm[] {
    if (!isFloat(x.dtype)) return [disconnected];
    const axis = this.axesOf(x.ndim);
    return [sub(g!, mul(exp(out), sum(g!, { axis, keepdims: true })))];
  }
}

// ── tensor functions ────────────────────────────────────────────────────────────────────────

export const logsumexp = (x: TensorLike, opts?: ReduceOpts): Variable => reduceWith("LogSumExp", (a) => new LogSumExp(a), x, opts);

export interface NormalizeOpts {
  /** The axes normalized over; null/undefined = all of them (scipy's default). */
  axis?: AxisArg;
  name?: string;
}

function normalizeWith(opName: string, ctor: (axis: number[] | null) => Op, x: TensorLike, opts: NormalizeOpts = {}): Variable {
  const v = asVariable(x);
  return ctor(normalizeAxes(opName, v, opts.axis)).call([v], opts.name);
}

export const softmax = (x: TensorLike, opts?: NormalizeOpts): Variable => normalizeWith("Softmax", (a) => new Softmax(a), x, opts);
export const logSoftmax = (x: TensorLike, opts?: NormalizeOpts): Variable => normalizeWith("LogSoftmax", (a) => new LogSoftmax(a), x, opts);

export const softmaxFunctions = { logsumexp, softmax, logSoftmax };
