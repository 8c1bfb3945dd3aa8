// LogSumExpSoftmax: logsumexp(x) and softmax(x) over the same axes from one set of exponentials.
// Graphs rarely build it directly: a rewrite pairs a LogSumExp with the exp(x − lse) its gradient
// (or a user) computes, which would otherwise exponentiate every entry twice.
import { disconnected, type GradTerm, type Variable } from "../../core/graph.ts";
import { NDArray, type TypedArray, allocData } from "../../core/ndarray.ts";
import { type DType, TensorType, isFloat } from "../../core/types.ts";
import { add, mul, sub } from "./elemwise.ts";
import { AxesOp, fromLanes, restore, sum, toLanes } from "./reduce.ts";

const floatOf = (d: DType): DType => (isFloat(d) ? d : "float64");

/**
 * One lane, as scipy computes them: w = exp(x − max) / Σ, lse = max + log Σ (a NaN anywhere
 * makes the lane NaN; ±inf maxima give lse = ±inf and NaN weights, as scipy's softmax does).
 */
export function lseSoftmaxLane(src: TypedArray, w: TypedArray, b: number, r: number): number {
  let m = -Infinity;
  for (let k = 0; k < r; k++) m = Math.max(m, src[b + k]);
  let s = 0;
  for (let k = 0; k < r; k++) s += w[b + k] = Math.exp(src[b + k] - m);
  // one division per lane, as the generated code does
  const inv = 1 / s;
  for (let k = 0; k < r; k++) w[b + k] *= inv;
  return m === -Infinity || m === Infinity ? m : m + Math.log(s);
}

export class LogSumExpSoftmax extends AxesOp {
  readonly name = "LogSumExpSoftmax";
  make(inputs: readonly Variable[]): TensorType[] {
    const x = this.onlyInput(inputs);
    const axes = this.axesOf(x.ndim);
    return [new TensorType(floatOf(x.dtype), x.type.shape.filter((_, i) => !axes.includes(i))), new TensorType(floatOf(x.dtype), x.type.shape)];
  }
  perform([x]: NDArray[]): NDArray[] {
    const axes = this.axesOf(x.ndim);
    const { src, n, r, kept } = toLanes(x, axes);
    const dtype = floatOf(x.dtype);
    const w = allocData(dtype, src.length), lse = allocData(dtype, n);
    for (let o = 0; o < n; o++) lse[o] = lseSoftmaxLane(src, w, o * r, r);
    return [new NDArray(dtype, kept, lse), fromLanes(dtype, w, x.shape, axes)];
  }
  pullback([x]: readonly Variable[], [, w]: readonly Variable[], [gLse, gW]: readonly (Variable | null)[]): GradTerm[] {
    if (!isFloat(x.dtype)) return [disconnected];
    const axes = this.axesOf(x.ndim);
    // d lse = w · dx;  d w = w ⊙ (dx − Σ w ⊙ dx)
    const terms: Variable[] = [];
    if (gLse) terms.push(mul(restore(gLse, x, axes), w));
    if (gW) terms.push(mul(sub(gW, sum(mul(gW, w), { axis: axes, keepdims: true })), w));
    return [terms.length === 2 ? add(terms[0], terms[1]) : terms[0]];
  }
}
