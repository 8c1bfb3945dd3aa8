// DimShuffle: permute axes, insert broadcastable axes ("x"), drop length-1 axes. PyTensor prints
// it by what it does: ExpandDims, DropDims, Transpose, or the general DimShuffle.
import { type GradTerm, Op, type Props, type Variable, asVariable } from "../../core/graph.ts";
import { type ArrayLike, NDArray, stridesOf } from "../../core/ndarray.ts";
import { gather, stridedOffsets } from "../../core/strided.ts";
import { type Dim, TensorType, fmtShape } from "../../core/types.ts";

export type ShuffleOrder = readonly (number | "x")[];

export class DimShuffle extends Op {
  readonly name = "DimShuffle";
  readonly dropped: number[];
  constructor(readonly inputNdim: number, readonly order: ShuffleOrder) {
    super();
    const kept = order.filter((o): o is number => o !== "x");
    if (new Set(kept).size !== kept.length || kept.some((k) => k < 0 || k >= inputNdim || !Number.isInteger(k))) {
      throw new RangeError(`DimShuffle: order [${order.join(", ")}] is not valid for ${inputNdim} input dimensions`);
    }
    this.dropped = [...Array(inputNdim).keys()].filter((k) => !kept.includes(k));
  }
  override props(): Props {
    return { order: this.order.map((o) => (o === "x" ? "x" : o)), inputNdim: this.inputNdim };
  }
  /** Only inserts and drops axes, keeping the rest in order: data can be shared. */
  get isReshapeOnly(): boolean {
    const kept = this.order.filter((o) => o !== "x") as number[];
    return kept.every((k, i) => i === 0 || k > kept[i - 1]);
  }
  override toString(): string {
    const kept = this.order.filter((o) => o !== "x") as number[];
    const added = this.order.flatMap((o, i) => (o === "x" ? [i] : []));
    const axisProp = (axes: number[]) => (axes.length === 1 ? `axis=${axes[0]}` : `axes=[${axes.join(", ")}]`);
    if (this.dropped.length === 0 && added.length === 0) return `Transpose{axes=[${kept.join(", ")}]}`;
    if (this.isReshapeOnly && this.dropped.length === 0) return `ExpandDims{${axisProp(added)}}`;
    if (this.isReshapeOnly && added.length === 0) return `DropDims{${axisProp(this.dropped)}}`;
    return `DimShuffle{order=[${this.order.join(",")}]}`;
  }

  make([x]: readonly Variable[]): TensorType[] {
    if (x.ndim !== this.inputNdim) throw new TypeError(`${this}: expects a ${this.inputNdim}-d input, ${x.describe()} has ${x.ndim}`);
    for (const d of this.dropped) {
      const len = x.type.shape[d];
      if (len !== null && len !== 1) throw new RangeError(`${this}: cannot drop axis ${d} of ${x.describe()}: its length is ${len}, not 1`);
    }
    const shape: Dim[] = this.order.map((o) => (o === "x" ? 1 : x.type.shape[o]));
    return [new TensorType(x.dtype, shape)];
  }

  perform([x]: NDArray[]): NDArray[] {
    for (const d of this.dropped) {
      if (x.shape[d] !== 1) throw new RangeError(`${this}: cannot drop axis ${d} of an array of shape ${fmtShape(x.shape)}`);
    }
    const shape = this.order.map((o) => (o === "x" ? 1 : x.shape[o]));
    if (this.isReshapeOnly) return [new NDArray(x.dtype, shape, x.data)];
    const kept = this.order.filter((o) => o !== "x") as number[];
    return [new NDArray(x.dtype, shape, permute(x, kept).data)];
  }

  pullback([x]: readonly Variable[], _o: readonly Variable[], [g]: readonly (Variable | null)[]): GradTerm[] {
    // undo: drop the inserted axes, re-insert dropped ones, invert the permutation
    const kept = this.order.flatMap((o, i) => (o === "x" ? [] : [[o, i] as const]));
    const back: (number | "x")[] = [];
    for (let k = 0; k < this.inputNdim; k++) {
      const hit = kept.find(([o]) => o === k);
      back.push(hit ? hit[1] : "x");
    }
    return [dimshuffle(g!, back)];
  }
}

/** A contiguous copy of x with axes taken in `perm` order. */
export function permute(x: NDArray, perm: readonly number[]): NDArray {
  const shape = perm.map((p) => x.shape[p]);
  const src = stridesOf(x.shape);
  return new NDArray(x.dtype, shape, gather(x.data, stridedOffsets(shape, perm.map((p) => src[p]))));
}

// ── tensor functions ────────────────────────────────────────────────────────────────────────

export function dimshuffle(x: Variable | ArrayLike, order: ShuffleOrder): Variable {
  const v = asVariable(x);
  if (order.length === v.ndim && order.every((o, i) => o === i)) return v;
  return new DimShuffle(v.ndim, order).call([v]);
}

/** Insert length-1 axes at `axis` (positions in the output; negatives count from its end). */
export function expandDims(x: Variable | ArrayLike, axis: number | readonly number[]): Variable {
  const v = asVariable(x);
  const axes = (typeof axis === "number" ? [axis] : [...axis]);
  const outNdim = v.ndim + axes.length;
  const norm = axes.map((a) => (a < 0 ? a + outNdim : a));
  if (norm.some((a) => a < 0 || a >= outNdim) || new Set(norm).size !== norm.length) {
    throw new RangeError(`expandDims: axis ${JSON.stringify(axis)} is out of range for a result with ${outNdim} dimensions`);
  }
  const order: (number | "x")[] = [];
  let k = 0;
  for (let i = 0; i < outNdim; i++) order.push(norm.includes(i) ? "x" : k++);
  return dimshuffle(v, order);
}

/** Reverse (or permute by `axes`) the dimensions. */
export function transpose(x: Variable | ArrayLike, axes?: readonly number[]): Variable {
  const v = asVariable(x);
  const perm = axes ? axes.map((a) => (a < 0 ? a + v.ndim : a)) : [...Array(v.ndim).keys()].reverse();
  if (perm.length !== v.ndim) throw new RangeError(`transpose: axes [${axes}] do not match ${v.describe()}`);
  return dimshuffle(v, perm);
}

/** Drop length-1 axes: the given ones, or every axis statically known to be 1. */
export function squeeze(x: Variable | ArrayLike, axis?: number | readonly number[]): Variable {
  const v = asVariable(x);
  const drop = axis === undefined
    ? v.type.shape.flatMap((d, i) => (d === 1 ? [i] : []))
    : (typeof axis === "number" ? [axis] : [...axis]).map((a) => (a < 0 ? a + v.ndim : a));
  return dimshuffle(v, [...Array(v.ndim).keys()].filter((i) => !drop.includes(i)));
}

/** Left-pad with broadcastable axes up to `ndim` (NumPy's implicit rank promotion, made explicit). */
export function padLeft(v: Variable, ndim: number): Variable {
  if (v.ndim >= ndim) return v;
  return dimshuffle(v, [...Array(ndim - v.ndim).fill("x"), ...Array(v.ndim).keys()]);
}
