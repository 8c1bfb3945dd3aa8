// Broadcasting as ops of their own: BroadcastLike spreads x to a reference's runtime shape and
// SumToShape sums back down to it — each is the other's gradient.
import { disconnected, type GradTerm, Op, type Props, type Variable, asVariable } from "../../core/graph.ts";
import { type ArrayLike, NDArray, sizeOf } from "../../core/ndarray.ts";
import { broadcastOffsets, gather } from "../../core/strided.ts";
import { TensorType, broadcastShapes, broadcastStatic, fmtShape } from "../../core/types.ts";

/** x broadcast to the shape of `ref` (ref's values are not read). */
export class BroadcastLike extends Op {
  readonly name = "BroadcastLike";
  make([x, ref]: readonly Variable[]): TensorType[] {
    if (x.ndim > ref.ndim) throw new TypeError(`${this.name}: ${x.describe()} has more dimensions than ${ref.describe()}`);
    const b = broadcastStatic([x.type.shape, ref.type.shape]);
    if ("conflict" in b) throw new RangeError(`${this.name}: cannot broadcast ${x.describe()} to ${ref.describe()}`);
    return [new TensorType(x.dtype, ref.type.shape.map((d, i) => d ?? b.shape[i]))];
  }
  perform([x, ref]: NDArray[]): NDArray[] {
    return [broadcastArray(x, ref.shape)];
  }
  pullback([x, ref]: readonly Variable[], _o: readonly Variable[], [g]: readonly (Variable | null)[]): GradTerm[] {
    return [sumToShape(g!, x), disconnected];
  }
}

/** g summed over the axes where `ref` is broadcast, giving ref's (runtime) shape. */
export class SumToShape extends Op {
  readonly name = "SumToShape";
  make([g, ref]: readonly Variable[]): TensorType[] {
    if (g.ndim < ref.ndim) throw new TypeError(`${this.name}: ${g.describe()} has fewer dimensions than ${ref.describe()}`);
    return [new TensorType(g.dtype, ref.type.shape)];
  }
  perform([g, ref]: NDArray[]): NDArray[] {
    return [sumArrayToShape(g, ref.shape)];
  }
  pullback([g, ref]: readonly Variable[], _o: readonly Variable[], [go]: readonly (Variable | null)[]): GradTerm[] {
    return [broadcastLike(go!, g), disconnected];
  }
}

/** Broadcast to a static shape given as numbers. */
export class BroadcastTo extends Op {
  readonly name = "BroadcastTo";
  constructor(readonly shape: readonly number[]) {
    super();
  }
  override props(): Props {
    return { shape: [...this.shape] };
  }
  make([x]: readonly Variable[]): TensorType[] {
    const b = x.ndim <= this.shape.length ? broadcastStatic([x.type.shape, this.shape]) : null;
    if (!b || "conflict" in b) throw new RangeError(`BroadcastTo: cannot broadcast ${x.describe()} to ${fmtShape(this.shape)}`);
    return [new TensorType(x.dtype, this.shape)];
  }
  perform([x]: NDArray[]): NDArray[] {
    return [broadcastArray(x, this.shape)];
  }
  pullback([x]: readonly Variable[], _o: readonly Variable[], [g]: readonly (Variable | null)[]): GradTerm[] {
    return [sumToShape(g!, x)];
  }
}

export function broadcastArray(x: NDArray, shape: readonly number[]): NDArray {
  const target = broadcastShapes([x.shape, shape], () => `broadcast ${fmtShape(x.shape)} to ${fmtShape(shape)}`);
  if (target.length !== shape.length || target.some((d, i) => d !== shape[i])) {
    throw new RangeError(`cannot broadcast an array of shape ${fmtShape(x.shape)} to ${fmtShape(shape)}`);
  }
  if (x.size === sizeOf(shape)) return new NDArray(x.dtype, shape, x.data);
  return new NDArray(x.dtype, shape, gather(x.data, broadcastOffsets(x.shape, shape)));
}

export function sumArrayToShape(g: NDArray, shape: readonly number[]): NDArray {
  if (g.shape.length === shape.length && g.shape.every((d, i) => d === shape[i])) return g;
  const out = new NDArray(g.dtype, shape);
  const offs = broadcastOffsets(shape, g.shape);
  for (let i = 0; i < offs.length; i++) out.data[offs[i]] += g.data[i];
  return out;
}

// ── tensor functions ────────────────────────────────────────────────────────────────────────

/** Sum a gradient term down to x's shape; a no-op when the static shapes already say so. */
export function sumToShape(g: Variable, x: Variable): Variable {
  const same = g.ndim === x.ndim && g.type.shape.every((d, i) => d !== null && d === x.type.shape[i]);
  if (same) return g;
  return new SumToShape().call([g, x]);
}

export function broadcastLike(x: Variable, ref: Variable): Variable {
  const same = x.ndim === ref.ndim && x.type.shape.every((d, i) => d !== null && d === ref.type.shape[i]);
  if (same) return x;
  return new BroadcastLike().call([x, ref]);
}

export function broadcastTo(x: Variable | ArrayLike, shape: readonly number[]): Variable {
  return new BroadcastTo(shape).call([asVariable(x)]);
}

