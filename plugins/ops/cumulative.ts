// Cumulative sums and products along one axis (PyTensor's CumOp); axis null runs over the
// flattened array and gives a vector, as numpy does. CumOpGrad is their exact pullback.
import { disconnected, type GradTerm, Op, type Props, type Variable, asVariable, notImplemented } from "../../core/graph.ts";
import { NDArray, type TypedArray, allocData } from "../../core/ndarray.ts";
import { type DType, TensorType, isFloat } from "../../core/types.ts";
import type { TensorLike } from "./elemwise_base.ts";
import { fromLanes, normalizeAxes, toLanes } from "./reduce.ts";

export type CumMode = "add" | "mul";
const isInt = (d: DType): boolean => d === "int32" || d === "bool";

/** Lanes along `axis`, or the whole array as one lane when axis is null. */
function lanesOf(x: NDArray, axis: number | null): { src: TypedArray; n: number; r: number } {
  return axis === null ? { src: x.data, n: 1, r: x.size } : toLanes(x, [axis]);
}

function checkAxis(op: Op, x: Variable, axis: number | null): void {
  if (axis !== null && !(Number.isInteger(axis) && axis >= 0 && axis < x.ndim)) {
    throw new RangeError(`${op}: axis ${axis} is out of range for ${x.describe()} (ndim ${x.ndim})`);
  }
}

export class CumOp extends Op {
  readonly name = "CumOp";
  constructor(readonly axis: number | null, readonly mode: CumMode) {
    super();
  }
  override props(): Props {
    return { axis: this.axis, mode: this.mode };
  }
  make(inputs: readonly Variable[]): TensorType[] {
    if (inputs.length !== 1) throw new TypeError(`${this}: takes 1 input, got ${inputs.length}`);
    const [x] = inputs;
    checkAxis(this, x, this.axis);
    const dtype = isInt(x.dtype) ? "int32" : x.dtype;
    if (this.axis !== null) return [new TensorType(dtype, x.type.shape)];
    const known = x.type.shape.every((d) => d !== null);
    return [new TensorType(dtype, [known ? x.type.shape.reduce<number>((a, d) => a * d!, 1) : null])];
  }
  perform([x]: NDArray[]): NDArray[] {
    const { src, n, r } = lanesOf(x, this.axis);
    const dtype: DType = isInt(x.dtype) ? "int32" : x.dtype;
    const out = allocData(dtype, src.length);
    const int = isInt(x.dtype), add = this.mode === "add";
    for (let o = 0, b = 0; o < n; o++, b += r) {
      let acc = add ? 0 : 1;
      for (let k = 0; k < r; k++) {
        const v = src[b + k];
        // int32 results wrap around like numpy's fixed-width integers
        acc = add ? (int ? (acc + v) | 0 : acc + v) : int ? Math.imul(acc, v) : acc * v;
        out[b + k] = acc;
      }
    }
    if (this.axis === null) return [new NDArray(dtype, [x.size], out)];
    return [fromLanes(dtype, out, x.shape, [this.axis])];
  }
  pullback([x]: readonly Variable[], _o: readonly Variable[], [g]: readonly (Variable | null)[]): GradTerm[] {
    if (!isFloat(x.dtype)) return [disconnected];
    return [new CumOpGrad(this.axis, this.mode).call([x, g!])];
  }
}

/**
 * The pullback of CumOp, shaped like x. add: the reverse cumulative sum of g. mul: with P the
 * exclusive prefix product, ∂/∂x_i = P_{i−1}·S_i where S_i = g_i + x_{i+1}·S_{i+1} — no
 * division, so zeros in x are exact.
 */
export class CumOpGrad extends Op {
  readonly name = "CumOpGrad";
  constructor(readonly axis: number | null, readonly mode: CumMode) {
    super();
  }
  override props(): Props {
    return { axis: this.axis, mode: this.mode };
  }
  make(inputs: readonly Variable[]): TensorType[] {
    if (inputs.length !== 2) throw new TypeError(`${this}: takes 2 inputs (x, g), got ${inputs.length}`);
    const [x, g] = inputs;
    checkAxis(this, x, this.axis);
    const gNdim = this.axis === null ? 1 : x.ndim;
    if (g.ndim !== gNdim) throw new TypeError(`${this}: gradient ${g.describe()} should have ${gNdim} dimensions for ${x.describe()}`);
    return [x.type];
  }
  perform([x, g]: NDArray[]): NDArray[] {
    const xs = lanesOf(x, this.axis), gs = lanesOf(g, this.axis);
    const out = allocData(x.dtype, xs.src.length);
    const { n, r } = xs, xv = xs.src, gv = gs.src;
    for (let o = 0, b = 0; o < n; o++, b += r) {
      if (this.mode === "add") {
        let acc = 0;
        for (let k = r - 1; k >= 0; k--) out[b + k] = acc += gv[b + k];
        continue;
      }
      // S_i stored in out, then scaled by the prefix products
      let s = 0;
      for (let k = r - 1; k >= 0; k--) out[b + k] = s = gv[b + k] + (k + 1 < r ? xv[b + k + 1] * s : 0);
      let p = 1;
      for (let k = 0; k < r; k++) {
        out[b + k] *= p;
        p *= xv[b + k];
      }
    }
    if (this.axis === null) return [new NDArray(x.dtype, x.shape, out)];
    return [fromLanes(x.dtype, out, x.shape, [this.axis])];
  }
  pullback(_i: readonly Variable[], _o: readonly Variable[], [gg]: readonly (Variable | null)[]): GradTerm[] {
    if (this.mode === "mul") {
      const why = "second derivatives of cumprod are not implemented (CumOpGrad{mode='mul'} has no pullback)";
      return [notImplemented(why), notImplemented(why)];
    }
    // a reverse cumulative sum is linear in g and does not read x's values
    return [disconnected, new CumOp(this.axis, "add").call([gg!])];
  }
}

// ── tensor functions ────────────────────────────────────────────────────────────────────────

export interface CumOpts {
  /** One axis; null/undefined runs over the flattened array (numpy's default). */
  axis?: number | null;
  name?: string;
}

function cumWith(fn: string, mode: CumMode, x: TensorLike, opts: CumOpts = {}): Variable {
  const v = asVariable(x);
  if (Array.isArray(opts.axis)) throw new TypeError(`${fn}: axis must be one number or null, got [${opts.axis}] for ${v.describe()}`);
  const axes = normalizeAxes(fn, v, opts.axis);
  return new CumOp(axes ? axes[0] : null, mode).call([v], opts.name);
}

export const cumsum = (x: TensorLike, opts?: CumOpts): Variable => cumWith("cumsum", "add", x, opts);
export const cumprod = (x: TensorLike, opts?: CumOpts): Variable => cumWith("cumprod", "mul", x, opts);

export const cumulativeFunctions = { cumsum, cumprod };
