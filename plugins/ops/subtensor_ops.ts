// Indexing ops. Every indexing scheme (basic ints/slices here; integer arrays and boolean masks in
// subtensor_advanced.ts) is an Indexer that reduces to a plan: the region's shape and the flat
// offset in x of each region element. Reading (IndexOp) gathers through the plan; writing
// (IndexUpdateOp) scatters through it, accumulating repeated offsets like np.add.at.
import { Constant, disconnected, type GradTerm, Op, type Props, type PropValue, type Variable } from "../../core/graph.ts";
import { NDArray, stridesOf } from "../../core/ndarray.ts";
import { stridedOffsets } from "../../core/strided.ts";
import { type Dim, TensorType, fmtShape, isFloat, upcast } from "../../core/types.ts";
import { broadcastArray, sumToShape } from "./broadcast.ts";
import { cast, zerosLike } from "./elemwise.ts";

export interface Plan {
  readonly shape: number[];
  readonly offsets: Int32Array;
}

/** An indexing scheme: its props, its result's static shape and its plan on concrete arrays. */
export interface Indexer {
  /** PyTensor's names for the read, increment and set ops of this scheme. */
  readonly names: { readonly get: string; readonly inc: string; readonly set: string };
  props(): Props;
  /** What goes between the braces when printing, e.g. `1, ::-1` or `axis=0`. */
  describe(): string;
  /** Validate the index inputs against x and give the region's static shape; `op` names the op in errors. */
  resultShape(op: string, x: Variable, idx: readonly Variable[]): Dim[];
  plan(op: string, xShape: readonly number[], idx: readonly NDArray[]): Plan;
}

/** x[index]: a fresh array holding the indexed region. Index inputs follow x. */
export class IndexOp extends Op {
  readonly name: string;
  constructor(readonly indexer: Indexer) {
    super();
    this.name = indexer.names.get;
  }
  override props(): Props {
    return this.indexer.props();
  }
  override toString(): string {
    return `${this.name}{${this.indexer.describe()}}`;
  }
  make([x, ...idx]: readonly Variable[]): TensorType[] {
    return [x.type.withShape(this.indexer.resultShape(String(this), x, idx))];
  }
  perform([x, ...idx]: NDArray[]): NDArray[] {
    const { shape, offsets } = this.indexer.plan(String(this), x.shape, idx);
    const out = new NDArray(x.dtype, shape);
    for (let i = 0; i < offsets.length; i++) out.data[i] = x.data[offsets[i]];
    return [out];
  }
  pullback([x, ...idx]: readonly Variable[], _o: readonly Variable[], [g]: readonly (Variable | null)[]): GradTerm[] {
    // each read element sends its gradient back where it came from; repeated reads accumulate
    const gx = isFloat(x.dtype) ? new IndexUpdateOp(this.indexer, false).call([zerosLike(x), g!, ...idx]) : disconnected;
    return [gx, ...idx.map((): GradTerm => disconnected)];
  }
}

/** x with the region replaced by (set) or incremented by (inc) y, y broadcast to the region. */
export class IndexUpdateOp extends Op {
  readonly name: string;
  constructor(readonly indexer: Indexer, readonly set: boolean) {
    super();
    this.name = set ? indexer.names.set : indexer.names.inc;
  }
  override props(): Props {
    return this.indexer.props();
  }
  override toString(): string {
    return `${this.name}{${this.indexer.describe()}}`;
  }
  make([x, y, ...idx]: readonly Variable[]): TensorType[] {
    const region = this.indexer.resultShape(String(this), x, idx);
    if (upcast(x.dtype, y.dtype) !== x.dtype) throw new TypeError(`${this}: cannot write ${y.dtype} values of ${y.describe()} into ${x.dtype} ${x.describe()}`);
    const off = region.length - y.ndim;
    const fits = off >= 0 && y.type.shape.every((d, i) => d === null || d === 1 || region[off + i] === null || region[off + i] === d);
    if (!fits) throw new RangeError(`${this}: cannot broadcast ${y.describe()} to the indexed region ${fmtShape(region)} of ${x.describe()}`);
    return [x.type];
  }
  perform([x, y, ...idx]: NDArray[]): NDArray[] {
    const { shape, offsets } = this.indexer.plan(String(this), x.shape, idx);
    let yb: NDArray;
    try {
      yb = broadcastArray(y.dtype === x.dtype ? y : y.astype(x.dtype), shape);
    } catch {
      throw new RangeError(`${this}: cannot broadcast a value of shape ${fmtShape(y.shape)} to the indexed region ${fmtShape(shape)}`);
    }
    const out = x.copy(), o = out.data, v = yb.data;
    if (this.set) for (let i = 0; i < offsets.length; i++) o[offsets[i]] = v[i];
    else if (x.dtype === "bool") for (let i = 0; i < offsets.length; i++) o[offsets[i]] = o[offsets[i]] || v[i] ? 1 : 0;
    else for (let i = 0; i < offsets.length; i++) o[offsets[i]] += v[i];
    return [out];
  }
  pullback([x, y, ...idx]: readonly Variable[], _o: readonly Variable[], [g]: readonly (Variable | null)[]): GradTerm[] {
    // set: the overwritten region of x gets no gradient; inc: x passes g through untouched
    const gx = !isFloat(x.dtype) ? disconnected
      : this.set ? new IndexUpdateOp(this.indexer, true).call([g!, new Constant(NDArray.scalar(0, g!.dtype)), ...idx]) : g!;
    let gy: GradTerm = disconnected;
    if (isFloat(y.dtype)) {
      const region = sumToShape(new IndexOp(this.indexer).call([g!, ...idx]), y);
      gy = region.dtype === y.dtype ? region : cast(region, y.dtype);
    }
    return [gx, gy, ...idx.map((): GradTerm => disconnected)];
  }
}

// ── basic indexing: integers and slices, bounds constant (props) or symbolic (inputs) ───────

/** A slice bound or step: a number, absent (null), or "s" for an int32 scalar input. */
export type Bound = number | null | "s";
/** An integer index (a number, or "i" for an int32 scalar input) or a [start, stop, step] slice. */
export type BasicEntry = number | "i" | readonly [Bound, Bound, Bound];

/** Python's slice.indices: clip the bounds into range, then count the steps. */
export function sliceIndices(op: string, start: number | null, stop: number | null, step: number | null, n: number): { start: number; step: number; count: number } {
  const st = step ?? 1;
  if (st === 0) throw new RangeError(`${op}: slice step cannot be zero`);
  const [lo, hi] = st > 0 ? [0, n] : [-1, n - 1];
  const clip = (b: number | null, dflt: number) => (b === null ? dflt : b < 0 ? Math.max(b + n, lo) : Math.min(b, hi));
  const a = clip(start, st > 0 ? 0 : n - 1), b = clip(stop, st > 0 ? n : -1);
  const count = st > 0 ? Math.max(0, Math.ceil((b - a) / st)) : Math.max(0, Math.ceil((a - b) / -st));
  return { start: a, step: st, count };
}

function checkIndex(op: string, k: number, axis: number, n: number): number {
  if (k < -n || k >= n) throw new RangeError(`${op}: index ${k} is out of bounds for axis ${axis} with size ${n}`);
  return k < 0 ? k + n : k;
}

export class BasicIndex implements Indexer {
  readonly names = { get: "Subtensor", inc: "IncSubtensor", set: "SetSubtensor" };
  constructor(readonly entries: readonly BasicEntry[]) {}
  props(): Props {
    return { idx: this.entries as PropValue };
  }
  describe(): string {
    const b = (v: Bound, sym: string) => (v === null ? "" : v === "s" ? sym : String(v));
    return this.entries.map((e) => {
      if (typeof e === "number") return String(e);
      if (e === "i") return "i";
      const [start, stop, step] = e;
      return `${b(start, "start")}:${b(stop, "stop")}${step === null ? "" : `:${b(step, "step")}`}`;
    }).join(", ");
  }
  /** How many int32 scalar inputs the entries expect. */
  get nInputs(): number {
    return this.entries.reduce<number>((s, e) => s + (e === "i" ? 1 : typeof e === "number" ? 0 : e.filter((b) => b === "s").length), 0);
  }

  resultShape(op: string, x: Variable, idx: readonly Variable[]): Dim[] {
    if (this.entries.length > x.ndim) throw new RangeError(`${op}: too many indices (${this.entries.length}) for ${x.describe()}`);
    if (idx.length !== this.nInputs) throw new TypeError(`${op}: expects ${this.nInputs} index inputs, got ${idx.length}`);
    idx.forEach((v, k) => {
      if (v.ndim !== 0 || v.dtype !== "int32") throw new TypeError(`${op}: index input ${k} ${v.describe()} must be an int32 scalar (dtype ${v.dtype})`);
    });
    const shape: Dim[] = [];
    this.entries.forEach((e, ax) => {
      const n = x.type.shape[ax];
      if (typeof e === "number") {
        if (n !== null) checkIndex(op, e, ax, n);
      } else if (e !== "i") {
        const known = n !== null && e.every((b) => b !== "s");
        shape.push(known ? sliceIndices(op, e[0] as number | null, e[1] as number | null, e[2] as number | null, n).count : null);
      }
    });
    return [...shape, ...x.type.shape.slice(this.entries.length)];
  }

  plan(op: string, xShape: readonly number[], idx: readonly NDArray[]): Plan {
    const strides = stridesOf(xShape);
    let next = 0, base = 0;
    const value = (b: Bound) => (b === "s" ? idx[next++].data[0] : b);
    const shape: number[] = [], steps: number[] = [];
    this.entries.forEach((e, ax) => {
      if (typeof e === "number" || e === "i") {
        base += checkIndex(op, value(e === "i" ? "s" : e)!, ax, xShape[ax]) * strides[ax];
        return;
      }
      const s = sliceIndices(op, value(e[0]), value(e[1]), value(e[2]), xShape[ax]);
      base += s.start * strides[ax];
      shape.push(s.count);
      steps.push(s.step * strides[ax]);
    });
    for (let ax = this.entries.length; ax < xShape.length; ax++) {
      shape.push(xShape[ax]);
      steps.push(strides[ax]);
    }
    return { shape, offsets: stridedOffsets(shape, steps, base) };
  }
}
