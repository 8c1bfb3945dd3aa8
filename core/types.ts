// dtypes, TensorType and the static broadcasting rule shared by every op.

export type DType = "float64" | "float32" | "int32" | "bool";
export const DTYPES: readonly DType[] = ["float64", "float32", "int32", "bool"];

export function isFloat(d: DType): boolean {
  return d === "float64" || d === "float32";
}

/** NumPy's promotion restricted to our four dtypes: int32 with float32 needs float64. */
export function upcast(...dtypes: DType[]): DType {
  let out: DType = "bool";
  for (const d of dtypes) out = promote2(out, d);
  return out;
}

function promote2(a: DType, b: DType): DType {
  if (a === b) return a;
  if (a === "float64" || b === "float64") return "float64";
  if (a === "bool") return b;
  if (b === "bool") return a;
  // {int32, float32}
  return "float64";
}

/** A static dimension: a known length, or null when only the run tells. */
export type Dim = number | null;
export type Shape = readonly Dim[];

export class TensorType {
  readonly dtype: DType;
  readonly shape: Shape;
  constructor(dtype: DType, shape: Shape) {
    if (dtype !== "float64" && dtype !== "float32" && dtype !== "int32" && dtype !== "bool") {
      throw new TypeError(`unknown dtype '${dtype}' (expected one of ${DTYPES.join(", ")})`);
    }
    // a copy of its own (types are built per node: a plain copy costs far less than a frozen one)
    const own: Dim[] = new Array(shape.length);
    for (let i = 0; i < shape.length; i++) {
      const d = shape[i];
      if (d !== null && !(Number.isInteger(d) && d >= 0)) throw new TypeError(`bad static dimension ${d} in shape ${fmtShape(shape)}`);
      own[i] = d;
    }
    this.dtype = dtype;
    this.shape = own;
  }
  get ndim(): number {
    return this.shape.length;
  }
  equals(other: TensorType): boolean {
    return this.dtype === other.dtype && this.shape.length === other.shape.length && this.shape.every((d, i) => d === other.shape[i]);
  }
  /** True when a value of type `other` may be used where this type is expected. */
  accepts(other: TensorType): boolean {
    return this.dtype === other.dtype && this.shape.length === other.shape.length &&
      this.shape.every((d, i) => d === null || d === other.shape[i]);
  }
  withShape(shape: Shape): TensorType {
    return new TensorType(this.dtype, shape);
  }
  withDtype(dtype: DType): TensorType {
    return new TensorType(dtype, this.shape);
  }
  get key(): string {
    return `${this.dtype}[${this.shape.map((d) => (d === null ? "?" : d)).join(",")}]`;
  }
  toString(): string {
    const kind = ["Scalar", "Vector", "Matrix"][this.ndim] ?? "Tensor" + this.ndim;
    const dims = this.shape.map((d) => (d === null ? "?" : String(d)));
    return `${kind}(${this.dtype}, shape=(${dims.join(", ")}${dims.length === 1 ? "," : ""}))`;
  }
}

export function fmtShape(shape: Shape): string {
  return `[${shape.map((d) => (d === null ? "?" : d)).join(", ")}]`;
}

/**
 * Static NumPy broadcasting of equal-rank shapes. `null` meets a known length n as n (the run
 * must agree, or be 1); two nulls stay null. Returns the message of the first conflict instead
 * of throwing, so each op can say which of its inputs disagree.
 */
export function broadcastStatic(shapes: Shape[]): { shape: Dim[] } | { conflict: number } {
  const ndim = Math.max(0, ...shapes.map((s) => s.length));
  const out: Dim[] = [];
  for (let ax = 0; ax < ndim; ax++) {
    let dim: Dim = 1;
    for (const s of shapes) {
      const k = ax - (ndim - s.length);
      const d = k < 0 ? 1 : s[k];
      if (d === 1) continue;
      if (d === null) {
        if (dim === 1) dim = null;
        continue;
      }
      if (dim === 1 || dim === null) dim = d;
      else if (dim !== d) return { conflict: ax };
    }
    out.push(dim);
  }
  return { shape: out };
}

/** Runtime broadcasting of concrete shapes; throws with the caller's description on a conflict. */
export function broadcastShapes(shapes: readonly (readonly number[])[], what: () => string): number[] {
  const ndim = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(ndim).fill(1);
  for (const s of shapes) {
    const off = ndim - s.length;
    for (let i = 0; i < s.length; i++) {
      const d = s[i], cur = out[off + i];
      if (d === cur || d === 1) continue;
      if (cur === 1) out[off + i] = d;
      else throw new RangeError(`${what()}: shapes ${shapes.map((x) => fmtShape(x)).join(", ")} cannot be broadcast`);
    }
  }
  return out;
}
