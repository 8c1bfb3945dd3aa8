// Reading shapes (Shape, Shape_i, Size), joining tensors (Join, and Split, its gradient) and the
// static evaluation of shape vectors that lets symbolic shapes still give precise static types.
import { Constant, disconnected, type GradTerm, Op, type Props, Variable, asVariable } from "../../core/graph.ts";
import { type ArrayLike, NDArray, allocData, sizeOf } from "../../core/ndarray.ts";
import { type Dim, TensorType, fmtShape, isFloat, upcast } from "../../core/types.ts";
import { DimShuffle, expandDims } from "./dimshuffle.ts";
import { cast, zerosLike } from "./elemwise.ts";
import { elemwiseInputs } from "./elemwise_base.ts";

/** The runtime shape of x as an int32 vector (PyTensor's Shape). */
export class Shape extends Op {
  readonly name = "Shape";
  make([x]: readonly Variable[]): TensorType[] {
    return [new TensorType("int32", [x.ndim])];
  }
  perform([x]: NDArray[]): NDArray[] {
    return [new NDArray("int32", [x.ndim], Int32Array.from(x.shape))];
  }
  pullback(): GradTerm[] {
    return [disconnected];
  }
}

/** The length of one axis of x as an int32 scalar. */
export class ShapeI extends Op {
  readonly name = "Shape_i";
  constructor(readonly i: number) {
    super();
  }
  override props(): Props {
    return { i: this.i };
  }
  make([x]: readonly Variable[]): TensorType[] {
    if (this.i < 0 || this.i >= x.ndim) throw new RangeError(`${this}: ${x.describe()} has no axis ${this.i}`);
    return [new TensorType("int32", [])];
  }
  perform([x]: NDArray[]): NDArray[] {
    return [NDArray.scalar(x.shape[this.i], "int32")];
  }
  pullback(): GradTerm[] {
    return [disconnected];
  }
}

/** The number of elements of x as an int32 scalar. */
export class Size extends Op {
  readonly name = "Size";
  make(): TensorType[] {
    return [new TensorType("int32", [])];
  }
  perform([x]: NDArray[]): NDArray[] {
    return [NDArray.scalar(x.size, "int32")];
  }
  pullback(): GradTerm[] {
    return [disconnected];
  }
}

// ── static evaluation of shape graphs ───────────────────────────────────────────────────────

/** The value of an int32 scalar when it is known before the run (constants, static lengths). */
export function staticScalar(v: Variable): number | null {
  if (v instanceof Constant) return v.value.size === 1 ? v.value.data[0] : null;
  const node = v.owner;
  if (node?.op instanceof ShapeI) return node.inputs[0].type.shape[node.op.i];
  if (node?.op instanceof Size) {
    const s = node.inputs[0].type.shape;
    return s.every((d) => d !== null) ? sizeOf(s as number[]) : null;
  }
  return null;
}

/**
 * The entries of an int32 vector as far as they are known before the run (null where only the
 * run tells), or null when even its length is unknown. Sees through what reshape, flatten and
 * concatenate's gradient build: constants, Shape, Shape_i, stacked scalars and joins of those.
 */
export function staticValues(v: Variable): Dim[] | null {
  if (v.ndim === 0) return [staticScalar(v)];
  if (v instanceof Constant) return Array.from(v.value.data);
  const node = v.owner, len = v.type.shape[0];
  if (node?.op instanceof Shape) return [...node.inputs[0].type.shape];
  if (node?.op instanceof DimShuffle && node.inputs[0].ndim === 0 && v.ndim === 1) return [staticScalar(node.inputs[0])];
  if (node?.op instanceof Join && node.op.axis === 0 && v.ndim === 1) {
    const parts = node.inputs.map(staticValues);
    if (parts.every((p) => p !== null)) return parts.flat() as Dim[];
  }
  return len === null ? null : Array<Dim>(len).fill(null);
}

// ── Join and Split ──────────────────────────────────────────────────────────────────────────

/** Concatenation along `axis`; the other axes must agree, dtypes upcast. */
export class Join extends Op {
  readonly name = "Join";
  constructor(readonly axis: number) {
    super();
  }
  override props(): Props {
    return { axis: this.axis };
  }
  make(xs: readonly Variable[]): TensorType[] {
    if (xs.length === 0) throw new TypeError(`${this}: needs at least one input`);
    const nd = xs[0].ndim;
    if (nd === 0) throw new TypeError(`${this}: cannot join zero-dimensional ${xs[0].describe()}; use stack`);
    if (this.axis < 0 || this.axis >= nd) throw new RangeError(`${this}: axis ${this.axis} is out of range for ${xs[0].describe()}`);
    const shape: Dim[] = [...xs[0].type.shape];
    xs.forEach((x, k) => {
      if (x.ndim !== nd) throw new TypeError(`${this}: input ${k} ${x.describe()} has ${x.ndim} dimensions, input 0 ${xs[0].describe()} has ${nd}`);
      if (k === 0) return;
      x.type.shape.forEach((d, ax) => {
        if (ax === this.axis) {
          shape[ax] = shape[ax] === null || d === null ? null : shape[ax]! + d;
        } else if (d !== null) {
          if (shape[ax] !== null && shape[ax] !== d) {
            throw new RangeError(`${this}: input ${k} ${x.describe()} does not match ${xs.slice(0, k).map((y) => y.describe()).join(", ")} on axis ${ax}`);
          }
          shape[ax] = d;
        }
      });
    });
    return [new TensorType(upcast(...xs.map((x) => x.dtype)), shape)];
  }
  perform(xs: NDArray[]): NDArray[] {
    const ax = this.axis, ref = xs[0].shape;
    xs.forEach((x, k) => {
      if (x.ndim !== ref.length || x.shape.some((d, i) => i !== ax && d !== ref[i])) {
        throw new RangeError(`${this}: input ${k} has shape ${fmtShape(x.shape)}, input 0 has ${fmtShape(ref)}; only axis ${ax} may differ`);
      }
    });
    const dtype = upcast(...xs.map((x) => x.dtype));
    const shape = [...ref];
    shape[ax] = xs.reduce((s, x) => s + x.shape[ax], 0);
    const outer = sizeOf(ref.slice(0, ax));
    const rowLen = sizeOf(shape.slice(ax));
    const out = allocData(dtype, sizeOf(shape));
    let col = 0;
    for (const x of xs) {
      const chunk = sizeOf(x.shape.slice(ax));
      for (let o = 0; o < outer; o++) out.set(x.data.subarray(o * chunk, (o + 1) * chunk), o * rowLen + col);
      col += chunk;
    }
    return [new NDArray(dtype, shape, out)];
  }
  pullback(xs: readonly Variable[], _o: readonly Variable[], [g]: readonly (Variable | null)[]): GradTerm[] {
    const sizes = stack(xs.map((x) => shapeI(x, this.axis)));
    const parts = new Split(this.axis, xs.length).apply([g!, sizes]).outputs;
    return xs.map((x, k) => (isFloat(x.dtype) ? (parts[k].dtype === x.dtype ? parts[k] : cast(parts[k], x.dtype)) : disconnected));
  }
}

/** x cut along `axis` into pieces of the given lengths (an int32 vector input). */
export class Split extends Op {
  readonly name = "Split";
  constructor(readonly axis: number, readonly nSplits: number) {
    super();
  }
  override props(): Props {
    return { axis: this.axis, nSplits: this.nSplits };
  }
  make([x, sizes]: readonly Variable[]): TensorType[] {
    if (sizes.dtype !== "int32" || sizes.ndim !== 1) throw new TypeError(`${this}: the split sizes ${sizes.describe()} must be an int32 vector`);
    if (this.axis < 0 || this.axis >= x.ndim) throw new RangeError(`${this}: axis ${this.axis} is out of range for ${x.describe()}`);
    const lens = staticValues(sizes) ?? Array<Dim>(this.nSplits).fill(null);
    if (lens.length !== this.nSplits) throw new RangeError(`${this}: ${sizes.describe()} gives ${lens.length} sizes, expected ${this.nSplits}`);
    const total = x.type.shape[this.axis];
    if (total !== null && lens.every((d) => d !== null) && lens.reduce((s, d) => s! + d!, 0) !== total) {
      throw new RangeError(`${this}: sizes ${fmtShape(lens)} do not add up to axis ${this.axis} of ${x.describe()}`);
    }
    return lens.map((d) => x.type.withShape(x.type.shape.map((s, i) => (i === this.axis ? d : s))));
  }
  perform([x, sizes]: NDArray[]): NDArray[] {
    const lens = Array.from(sizes.data), ax = this.axis;
    if (lens.length !== this.nSplits || lens.some((d) => d < 0) || lens.reduce((s, d) => s + d, 0) !== x.shape[ax]) {
      throw new RangeError(`${this}: cannot split an array of shape ${fmtShape(x.shape)} into lengths [${lens.join(", ")}] along axis ${ax}`);
    }
    const outer = sizeOf(x.shape.slice(0, ax)), inner = sizeOf(x.shape.slice(ax + 1));
    const rowLen = x.shape[ax] * inner;
    let col = 0;
    return lens.map((len) => {
      const shape = x.shape.map((d, i) => (i === ax ? len : d));
      const out = new NDArray(x.dtype, shape), chunk = len * inner;
      for (let o = 0; o < outer; o++) out.data.set(x.data.subarray(o * rowLen + col, o * rowLen + col + chunk), o * chunk);
      col += chunk;
      return out;
    });
  }
  pullback(_i: readonly Variable[], outputs: readonly Variable[], gs: readonly (Variable | null)[]): GradTerm[] {
    // pieces that received no gradient contribute zeros of their own shape
    const parts = gs.map((g, k) => g ?? zerosLike(outputs[k]));
    return [new Join(this.axis).call(parts), disconnected];
  }
}

// ── tensor functions ────────────────────────────────────────────────────────────────────────

export function shape(x: Variable | ArrayLike, opts: { name?: string } = {}): Variable {
  return new Shape().call([asVariable(x)], opts.name);
}

/** The length of axis `i` (negative counts from the end) as an int32 scalar. */
export function shapeI(x: Variable | ArrayLike, i: number): Variable {
  const v = asVariable(x);
  return new ShapeI(i < 0 ? i + v.ndim : i).call([v]);
}

export function size(x: Variable | ArrayLike, opts: { name?: string } = {}): Variable {
  return new Size().call([asVariable(x)], opts.name);
}

export interface AxisOpts {
  axis?: number;
  name?: string;
}

function normAxis(fn: string, axis: number, ndim: number): number {
  const a = axis < 0 ? axis + ndim : axis;
  if (!Number.isInteger(a) || a < 0 || a >= ndim) throw new RangeError(`${fn}: axis ${axis} is out of range for ${ndim} dimensions`);
  return a;
}

/** Join tensors of equal rank along an existing axis (NumPy's concatenate). */
export function concatenate(xs: readonly (Variable | ArrayLike)[], opts: AxisOpts = {}): Variable {
  if (xs.length === 0) throw new TypeError("concatenate: needs at least one tensor");
  const vs = elemwiseInputs(xs);
  if (vs[0].ndim === 0) throw new TypeError(`concatenate: ${vs[0].describe()} is zero-dimensional; use stack`);
  return new Join(normAxis("concatenate", opts.axis ?? 0, vs[0].ndim)).call(vs, opts.name);
}

/** Join tensors of equal shape along a new axis. */
export function stack(xs: readonly (Variable | ArrayLike)[], opts: AxisOpts = {}): Variable {
  if (xs.length === 0) throw new TypeError("stack: needs at least one tensor");
  const vs = elemwiseInputs(xs);
  const ref = vs[0];
  vs.forEach((v, k) => {
    const clash = v.ndim !== ref.ndim || v.type.shape.some((d, i) => d !== null && ref.type.shape[i] !== null && d !== ref.type.shape[i]);
    if (clash) throw new RangeError(`stack: input ${k} ${v.describe()} does not have the shape of input 0 ${ref.describe()}`);
  });
  const axis = normAxis("stack", opts.axis ?? 0, ref.ndim + 1);
  return new Join(axis).call(vs.map((v) => expandDims(v, axis)), opts.name);
}
