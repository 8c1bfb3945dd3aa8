// Array creation: arange, linspace and eye as input-free ops whose perform builds the array, and
// Alloc (zeros, ones, full) spreading a value over a static shape. NumPy semantics throughout.
import { Constant, disconnected, type GradTerm, Op, type Props, Variable } from "../../core/graph.ts";
import { type ArrayLike, NDArray } from "../../core/ndarray.ts";
import { type DType, TensorType, broadcastStatic, fmtShape, isFloat } from "../../core/types.ts";
import { broadcastArray, sumToShape } from "./broadcast.ts";
import { cast } from "./elemwise.ts";
import type { NameOpt } from "./elemwise_base.ts";

export interface CreationOpts extends NameOpt {
  dtype?: DType;
}

/** Values start, start + δ, … below stop (above it for a negative step). */
export class ARange extends Op {
  readonly name = "ARange";
  readonly length: number;
  constructor(readonly start: number, readonly stop: number, readonly step: number, readonly dtype: DType) {
    super();
    for (const [k, v] of [["start", start], ["stop", stop], ["step", step]] as const) {
      if (!Number.isFinite(v)) throw new RangeError(`arange: ${k} must be a finite number, got ${v}`);
    }
    if (step === 0) throw new RangeError("arange: step must not be zero");
    this.length = Math.max(0, Math.ceil((stop - start) / step));
  }
  override props(): Props {
    return { start: this.start, stop: this.stop, step: this.step, dtype: this.dtype };
  }
  make(): TensorType[] {
    return [new TensorType(this.dtype, [this.length])];
  }
  perform(): NDArray[] {
    const out = new NDArray(this.dtype, [this.length]);
    // NumPy fills from the first two values: δ = (start + step) − start, each in the result dtype
    const r = this.dtype === "float32" ? Math.fround : (x: number) => x;
    const first = r(this.start), delta = r(r(this.start + this.step) - first);
    for (let i = 0; i < this.length; i++) out.data[i] = this.dtype === "int32" ? Math.trunc(r(first + i * delta)) : r(first + i * delta);
    return [out];
  }
}

/** `num` evenly spaced values from start to stop (stop included when endpoint). */
export class Linspace extends Op {
  readonly name = "Linspace";
  constructor(readonly start: number, readonly stop: number, readonly num: number, readonly endpoint: boolean, readonly dtype: DType) {
    super();
    if (!Number.isInteger(num) || num < 0) throw new RangeError(`linspace: num must be a non-negative integer, got ${num}`);
  }
  override props(): Props {
    return { start: this.start, stop: this.stop, num: this.num, endpoint: this.endpoint, dtype: this.dtype };
  }
  make(): TensorType[] {
    return [new TensorType(this.dtype, [this.num])];
  }
  perform(): NDArray[] {
    const { start, stop, num } = this;
    const div = this.endpoint ? num - 1 : num, step = (stop - start) / div;
    const vals = new Float64Array(num);
    for (let i = 0; i < num; i++) vals[i] = div > 0 ? start + i * step : start;
    if (this.endpoint && num > 1) vals[num - 1] = stop;
    return [new NDArray("float64", [num], vals).astype(this.dtype)];
  }
}

/** An n×m matrix with ones on the k-th diagonal. */
export class Eye extends Op {
  readonly name = "Eye";
  constructor(readonly n: number, readonly m: number, readonly k: number, readonly dtype: DType) {
    super();
    checkShape("eye", [n, m]);
    if (!Number.isInteger(k)) throw new RangeError(`eye: k must be an integer, got ${k}`);
  }
  override props(): Props {
    return { n: this.n, m: this.m, k: this.k, dtype: this.dtype };
  }
  make(): TensorType[] {
    return [new TensorType(this.dtype, [this.n, this.m])];
  }
  perform(): NDArray[] {
    const out = new NDArray(this.dtype, [this.n, this.m]);
    for (let i = Math.max(0, -this.k); i < this.n && i + this.k < this.m; i++) out.data[i * this.m + i + this.k] = 1;
    return [out];
  }
}

/** A value broadcast over a static shape and cast to `dtype`: zeros, ones, full. */
export class Alloc extends Op {
  readonly name = "Alloc";
  constructor(readonly shape: readonly number[], readonly dtype: DType) {
    super();
    checkShape("alloc", shape);
  }
  override props(): Props {
    return { shape: [...this.shape], dtype: this.dtype };
  }
  make([v]: readonly Variable[]): TensorType[] {
    const b = v.ndim <= this.shape.length ? broadcastStatic([v.type.shape, this.shape]) : null;
    const fits = b !== null && !("conflict" in b) && b.shape.every((d, i) => d === null || d === this.shape[i]);
    if (!fits) throw new RangeError(`Alloc: cannot broadcast the value ${v.describe()} to the shape ${fmtShape(this.shape)}`);
    return [new TensorType(this.dtype, this.shape)];
  }
  perform([v]: NDArray[]): NDArray[] {
    const fits = v.ndim <= this.shape.length && v.shape.every((d, i) => d === 1 || d === this.shape[this.shape.length - v.ndim + i]);
    if (!fits) throw new RangeError(`Alloc: cannot broadcast a value of shape ${fmtShape(v.shape)} to the shape ${fmtShape(this.shape)}`);
    const out = broadcastArray(v, this.shape).astype(this.dtype);
    // broadcastArray and astype share the buffer when nothing changes; the result must be fresh
    return [out.data === v.data ? out.copy() : out];
  }
  pullback([v]: readonly Variable[], _o: readonly Variable[], [g]: readonly (Variable | null)[]): GradTerm[] {
    if (!isFloat(v.dtype) || !isFloat(this.dtype)) return [disconnected];
    const s = sumToShape(g!, v);
    return [s.dtype === v.dtype ? s : cast(s, v.dtype)];
  }
}

function checkShape(fn: string, shape: readonly number[]): void {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new RangeError(`${fn}: shape ${JSON.stringify(shape)} must be a list of non-negative integers`);
  }
}

const shapeOf = (fn: string, s: number | readonly number[]): number[] => {
  const shape = typeof s === "number" ? [s] : [...s];
  checkShape(fn, shape);
  return shape;
};

// ── tensor functions ────────────────────────────────────────────────────────────────────────

/** numpy.arange(stop) or arange(start, stop, step = 1): int32 when every argument is an integer, else float64. */
export function arange(...args: (number | CreationOpts | undefined)[]): Variable {
  const { nums, opts } = splitOpts<CreationOpts>("arange", args);
  if (nums.length < 1 || nums.length > 3) throw new TypeError(`arange: takes 1 to 3 numbers (start, stop, step), got ${nums.length}`);
  const [lo, hi, st] = nums.length === 1 ? [0, nums[0], 1] : [nums[0], nums[1], nums[2] ?? 1];
  const dtype = opts.dtype ?? ([lo, hi, st].every(Number.isInteger) ? "int32" : "float64");
  return new ARange(lo, hi, st, dtype).call([], opts.name);
}

type LinspaceOpts = CreationOpts & { endpoint?: boolean };
/** numpy.linspace(start, stop, num = 50) (float64 unless a dtype is given). */
export function linspace(start: number, stop: number, num?: number | LinspaceOpts, opts?: LinspaceOpts): Variable {
  const { nums, opts: o } = splitOpts<LinspaceOpts>("linspace", [start, stop, num, opts]);
  return new Linspace(nums[0], nums[1], nums[2] ?? 50, o.endpoint ?? true, o.dtype ?? "float64").call([], o.name);
}

/** Positional numbers followed by an optional options object. */
function splitOpts<O>(fn: string, args: readonly (number | O | undefined)[]): { nums: number[]; opts: O } {
  const defined = args.filter((a) => a !== undefined);
  const last = defined[defined.length - 1];
  const hasOpts = last !== undefined && typeof last === "object";
  const nums = (hasOpts ? defined.slice(0, -1) : defined) as unknown[];
  nums.forEach((n) => {
    if (typeof n !== "number") throw new TypeError(`${fn}: expected numbers before the options object, got ${JSON.stringify(n)}`);
  });
  return { nums: nums as number[], opts: (hasOpts ? last : {}) as O };
}

/** numpy.eye(n, m = n, k = 0). */
export function eye(n: number, m?: number | (CreationOpts & { k?: number }), opts: CreationOpts & { k?: number } = {}): Variable {
  if (typeof m === "object") [opts, m] = [m, undefined];
  return new Eye(n, m ?? n, opts.k ?? 0, opts.dtype ?? "float64").call([], opts.name);
}

/**
 * numpy.full: `value` (a number, array or Variable) broadcast to `shape`. The dtype defaults to
 * the value's: int32 for an integer number, float64 for other numbers and nested arrays.
 */
export function full(shape: number | readonly number[], value: Variable | ArrayLike, opts: CreationOpts = {}): Variable {
  return alloc("full", shape, value, opts);
}

export function zeros(shape: number | readonly number[], opts: CreationOpts = {}): Variable {
  return alloc("zeros", shape, 0, { ...opts, dtype: opts.dtype ?? "float64" });
}

export function ones(shape: number | readonly number[], opts: CreationOpts = {}): Variable {
  return alloc("ones", shape, 1, { ...opts, dtype: opts.dtype ?? "float64" });
}

function alloc(fn: string, shape: number | readonly number[], value: Variable | ArrayLike, opts: CreationOpts): Variable {
  const s = shapeOf(fn, shape);
  // a number keeps its own dtype here (int32 when integral); Alloc casts to the requested one
  const v = value instanceof Variable
    ? value
    : typeof value === "number"
      ? new Constant(NDArray.scalar(value, Number.isInteger(value) && Math.abs(value) < 2 ** 31 ? "int32" : "float64"))
      : new Constant(NDArray.from(value));
  return new Alloc(s, opts.dtype ?? v.dtype).call([v], opts.name);
}

/** The creation functions, as they appear on `pt`. */
export const creationFunctions = { arange, zeros, ones, full, fill: full, eye, linspace };
