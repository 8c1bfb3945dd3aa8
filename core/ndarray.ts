// NDArray: a dtype, a shape and one row-major typed array. Values flowing through every backend.
import { type DType, fmtShape } from "./types.ts";

export type TypedArray = Float64Array | Float32Array | Int32Array | Uint8Array;
export type NestedArray = number | boolean | readonly NestedArray[];
/** Anything a user may pass where a tensor value is expected. */
export type ArrayLike = NDArray | NestedArray | TypedArray;

const CTORS = {
  float64: Float64Array,
  float32: Float32Array,
  int32: Int32Array,
  bool: Uint8Array,
} as const;

export function allocData(dtype: DType, size: number): TypedArray {
  return new CTORS[dtype](size);
}

export function dtypeOfData(data: TypedArray): DType {
  if (data instanceof Float64Array) return "float64";
  if (data instanceof Float32Array) return "float32";
  if (data instanceof Int32Array) return "int32";
  return "bool";
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

export class NDArray {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: TypedArray;

  constructor(dtype: DType, shape: readonly number[], data?: TypedArray) {
    const size = sizeOf(shape);
    const buf = data ?? allocData(dtype, size);
    if (buf.length !== size) throw new RangeError(`NDArray: data has ${buf.length} elements, shape ${fmtShape(shape)} needs ${size}`);
    if (dtypeOfData(buf) !== dtype) throw new TypeError(`NDArray: ${buf.constructor.name} cannot hold dtype ${dtype}`);
    this.dtype = dtype;
    // a copy, not frozen: freezing costs more than the rest of the constructor on hot paths
    this.shape = shape.slice();
    this.data = buf;
  }

  static zeros(dtype: DType, shape: readonly number[]): NDArray {
    return new NDArray(dtype, shape);
  }

  static scalar(value: number, dtype: DType = "float64"): NDArray {
    const a = new NDArray(dtype, []);
    a.data[0] = value;
    return a;
  }

  /** Numbers, booleans, nested arrays, typed arrays or NDArrays; `dtype` converts when given. */
  static from(value: ArrayLike, dtype?: DType): NDArray {
    if (value instanceof NDArray) return dtype && dtype !== value.dtype ? value.astype(dtype) : value;
    if (ArrayBuffer.isView(value)) {
      const own = dtypeOfData(value as TypedArray);
      const arr = new NDArray(own, [value.length], (value as TypedArray).slice());
      return dtype && dtype !== own ? arr.astype(dtype) : arr;
    }
    const shape = nestedShape(value);
    const flat: number[] = [];
    let allBool = true;
    flatten(value, shape, 0, flat, (b) => (allBool &&= b));
    const dt = dtype ?? (allBool && flat.length > 0 ? "bool" : "float64");
    const arr = new NDArray(dt, shape);
    for (let i = 0; i < flat.length; i++) arr.data[i] = flat[i];
    if (dt === "int32") checkInts(arr.data, flat);
    return arr;
  }

  get ndim(): number {
    return this.shape.length;
  }
  get size(): number {
    return this.data.length;
  }
  get strides(): number[] {
    return stridesOf(this.shape);
  }

  /** The single element of a size-1 array. */
  item(): number {
    if (this.data.length !== 1) throw new RangeError(`item(): array of shape ${fmtShape(this.shape)} has ${this.data.length} elements, not 1`);
    return this.data[0];
  }

  get(...index: number[]): number {
    if (index.length !== this.ndim) throw new RangeError(`get: ${index.length} indices for a ${this.ndim}-d array`);
    let off = 0;
    const st = this.strides;
    for (let i = 0; i < index.length; i++) {
      const k = index[i] < 0 ? index[i] + this.shape[i] : index[i];
      if (k < 0 || k >= this.shape[i]) throw new RangeError(`get: index ${index[i]} out of bounds for axis ${i} of length ${this.shape[i]}`);
      off += k * st[i];
    }
    return this.data[off];
  }

  reshape(shape: readonly number[]): NDArray {
    return new NDArray(this.dtype, shape, this.data);
  }

  astype(dtype: DType): NDArray {
    if (dtype === this.dtype) return this;
    const out = new NDArray(dtype, this.shape);
    const src = this.data, dst = out.data;
    if (dtype === "int32") for (let i = 0; i < src.length; i++) dst[i] = Math.trunc(src[i]);
    else if (dtype === "bool") for (let i = 0; i < src.length; i++) dst[i] = src[i] !== 0 ? 1 : 0;
    else dst.set(src);
    return out;
  }

  copy(): NDArray {
    return new NDArray(this.dtype, this.shape, this.data.slice());
  }

  /** Nested JS arrays (numbers, or booleans for bool), like numpy's tolist(). */
  toArray(): NestedArray {
    const conv = this.dtype === "bool" ? (v: number) => v !== 0 : (v: number) => v;
    if (this.ndim === 0) return conv(this.data[0]);
    const build = (axis: number, off: number, stride: number[]): NestedArray[] => {
      const out: NestedArray[] = [];
      for (let i = 0; i < this.shape[axis]; i++) {
        const o = off + i * stride[axis];
        out.push(axis === this.ndim - 1 ? conv(this.data[o]) : build(axis + 1, o, stride));
      }
      return out;
    };
    return build(0, 0, this.strides);
  }

  /** numpy-like text: `array([0., 1.])` style without the wrapper, e.g. `[0. 1.]`. */
  toString(): string {
    return formatArray(this);
  }
}

function nestedShape(value: NestedArray): number[] {
  const shape: number[] = [];
  let v: NestedArray = value;
  while (Array.isArray(v)) {
    shape.push(v.length);
    if (v.length === 0) break;
    v = v[0];
  }
  return shape;
}

function flatten(v: NestedArray, shape: number[], axis: number, out: number[], bool: (b: boolean) => void): void {
  if (axis === shape.length) {
    if (Array.isArray(v)) throw new TypeError(`ragged nested array: expected a number at depth ${axis}, found an array`);
    if (typeof v === "boolean") {
      out.push(v ? 1 : 0);
      bool(true);
    } else if (typeof v === "number") {
      out.push(v);
      bool(false);
    } else throw new TypeError(`expected a number or boolean in a nested array, found ${typeof v}`);
    return;
  }
  if (!Array.isArray(v) || v.length !== shape[axis]) {
    throw new TypeError(`ragged nested array: expected length ${shape[axis]} at depth ${axis}, found ${Array.isArray(v) ? v.length : typeof v}`);
  }
  for (const x of v) flatten(x, shape, axis + 1, out, bool);
}

function checkInts(data: TypedArray, flat: number[]): void {
  for (let i = 0; i < flat.length; i++) {
    if (data[i] !== flat[i]) throw new RangeError(`value ${flat[i]} is not an int32`);
  }
}

/** One float the way numpy prints it: at most 8 decimals, trailing zeros trimmed (`1.`, `0.5`). */
function fmtFloat(v: number, sci: boolean): string {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  if (sci) return v.toExponential(8).replace(/\.?0+e/, "e").replace(/e([+-])(\d)$/, "e$10$2");
  const s = v.toFixed(8).replace(/0+$/, "");
  return s === "-0." ? "-0." : s;
}

/** numpy-like text, e.g. `[1.         2.71828183]`, `[[1 2]\n [3 4]]`, `True`. */
export function formatArray(a: NDArray): string {
  const vals = Array.from(a.data as Float64Array);
  const finite = vals.filter((v) => Number.isFinite(v) && v !== 0).map(Math.abs);
  const sci = a.dtype.startsWith("float") && finite.length > 0 && (Math.max(...finite) >= 1e16 || Math.min(...finite) < 1e-4);
  const raw = vals.map((v) => (a.dtype === "bool" ? (v ? "True" : "False") : a.dtype === "int32" ? String(v) : fmtFloat(v, sci)));
  // align like numpy: integer parts padded left, fractions padded right
  const intW = Math.max(0, ...raw.map((r) => (r.includes(".") ? r.indexOf(".") : r.length)));
  const fracW = Math.max(0, ...raw.map((r) => (r.includes(".") ? r.length - r.indexOf(".") : 0)));
  const cells = a.ndim === 0 ? raw : raw.map((r) => {
    const dot = r.includes(".") ? r.indexOf(".") : r.length;
    return " ".repeat(intW - dot) + r + " ".repeat(Math.max(0, fracW - (r.length - dot)));
  });
  if (a.ndim === 0) return cells[0];
  const st = a.strides;
  const rec = (axis: number, off: number): string => {
    const parts: string[] = [];
    for (let i = 0; i < a.shape[axis]; i++) {
      const o = off + i * st[axis];
      parts.push(axis === a.ndim - 1 ? cells[o] : rec(axis + 1, o));
    }
    return `[${parts.join(axis === a.ndim - 1 ? " " : "\n" + " ".repeat(axis + 1))}]`;
  };
  return rec(0, 0);
}
