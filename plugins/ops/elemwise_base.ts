// The Elemwise op: a scalar function lifted over NumPy-broadcast tensors of equal rank.
// Scalar ops are data (name, arity, per-element function, dtype rule, pullback); the elemwise
// family files list them.
import { Constant, type GradTerm, Op, Variable, Variable as Var } from "../../core/graph.ts";
import type { ArrayLike } from "../../core/ndarray.ts";
import { padLeft } from "./dimshuffle.ts";
import { NDArray, type TypedArray, allocData, sizeOf } from "../../core/ndarray.ts";
import { broadcastOffsets, gather } from "../../core/strided.ts";
import { type DType, TensorType, broadcastShapes, broadcastStatic, isFloat, upcast } from "../../core/types.ts";

/** How a scalar op types its output from its inputs' dtypes. */
export type DtypeRule = "upcast" | "float" | "bool" | ((ins: DType[]) => DType);

export interface ScalarOp {
  readonly name: string;
  readonly arity: number;
  /** Per-element reference semantics. */
  readonly fn: (...xs: number[]) => number;
  readonly dtype: DtypeRule;
  /** Symbolic VJP on the broadcast inputs; the Elemwise reduces each term to its input's shape. */
  readonly pullback?: (inputs: readonly Variable[], output: Variable, gOut: Variable) => GradTerm[];
  /** Algebraic facts rewrites use. */
  readonly commutative?: boolean;
  readonly associative?: boolean;
  /** Where the op's input dtypes must be floats (math functions on ints compute in float64). */
  readonly inputsAsFloat?: boolean;
}

export function outputDtype(s: ScalarOp, ins: DType[]): DType {
  const r = s.dtype;
  if (typeof r === "function") return r(ins);
  if (r === "bool") return "bool";
  const u = upcast(...ins);
  if (r === "float") return isFloat(u) ? u : "float64";
  return u;
}

export class Elemwise extends Op {
  readonly name: string;
  constructor(readonly scalar: ScalarOp) {
    super();
    this.name = scalar.name;
  }

  make(inputs: readonly Variable[]): TensorType[] {
    const s = this.scalar;
    if (inputs.length !== s.arity) throw new TypeError(`${this.name}: takes ${s.arity} inputs, got ${inputs.length}`);
    const ndim = inputs[0]?.ndim ?? 0;
    inputs.forEach((v, i) => {
      if (v.ndim !== ndim) {
        throw new TypeError(`${this.name}: input ${i} ${v.describe()} has ${v.ndim} dimensions, input 0 has ${ndim}; expand dims first (the pt.* functions do)`);
      }
    });
    const b = broadcastStatic(inputs.map((v) => v.type.shape));
    if ("conflict" in b) {
      throw new RangeError(`${this.name}: cannot broadcast ${inputs.map((v, i) => `input ${i} ${v.describe()}`).join(" with ")} (axis ${b.conflict})`);
    }
    return [new TensorType(outputDtype(s, inputs.map((v) => v.dtype)), b.shape)];
  }

  perform(inputs: NDArray[]): NDArray[] {
    const dtype = outputDtype(this.scalar, inputs.map((a) => a.dtype));
    return [elementwise(this.name, this.scalar.fn, inputs, dtype)];
  }

  pullback(inputs: readonly Variable[], outputs: readonly Variable[], [g]: readonly (Variable | null)[]): GradTerm[] {
    const s = this.scalar;
    if (!s.pullback) throw new Error(`${this.name}: no pullback defined`);
    return s.pullback(inputs, outputs[0], g!);
  }
}

/** Broadcasting loop over any number of inputs; a flat loop when all shapes already agree. */
export function elementwise(name: string, fn: (...xs: number[]) => number, inputs: NDArray[], dtype: DType): NDArray {
  const shape = broadcastShapes(inputs.map((a) => a.shape), () => name);
  const out = allocData(dtype, sizeOf(shape));
  broadcastMap(fn, inputs, shape, out);
  return new NDArray(dtype, shape, out);
}

/**
 * out[i] = fn(the inputs' elements at i) over every index of `shape`, in row-major order, each
 * input broadcast to `shape`. Broadcast inputs are first copied out to the full shape, so one flat
 * loop serves every case and up to three inputs are passed without a spread call per element.
 */
export function broadcastMap(fn: (...xs: number[]) => number, inputs: readonly NDArray[], shape: readonly number[], out: TypedArray): void {
  const n = out.length;
  const datas = inputs.map((a) => (a.size === n ? a.data : gather(a.data, broadcastOffsets(a.shape, shape))));
  switch (datas.length) {
    case 1: { const [a] = datas; for (let i = 0; i < n; i++) out[i] = fn(a[i]); break; }
    case 2: { const [a, b] = datas; for (let i = 0; i < n; i++) out[i] = fn(a[i], b[i]); break; }
    case 3: { const [a, b, c] = datas; for (let i = 0; i < n; i++) out[i] = fn(a[i], b[i], c[i]); break; }
    default: { const xs = new Array<number>(datas.length); for (let i = 0; i < n; i++) { for (let k = 0; k < datas.length; k++) xs[k] = datas[k][i]; out[i] = fn(...xs); } }
  }
}


// ── from scalar ops to tensor functions ────────────────────────────────────────────────────


export type TensorLike = Var | ArrayLike;
export interface NameOpt {
  name?: string;
}

/**
 * Inputs of an elementwise call as variables. Bare JS numbers are "weak": they take the dtype of
 * the tensor inputs (x + 1 stays float32 for float32 x), as Python scalars do in PyTensor.
 */
export function elemwiseInputs(args: readonly TensorLike[]): Var[] {
  const strong = args.filter((a): a is Var => a instanceof Var).map((v) => v.dtype);
  const base: DType | null = strong.length ? upcast(...strong) : null;
  return args.map((a) => {
    if (a instanceof Var) return a;
    if (typeof a === "number" && base !== null) {
      const dt: DType = isFloat(base) ? base : base === "int32" && Number.isInteger(a) ? "int32" : "float64";
      return new Constant(NDArray.scalar(a, dt));
    }
    if (typeof a === "boolean" && base !== null) return new Constant(NDArray.scalar(a ? 1 : 0, "bool"));
    return new Constant(NDArray.from(a));
  });
}

/** Apply a scalar op elementwise, aligning ranks with explicit ExpandDims as PyTensor does. */
export function applyElemwise(op: Elemwise, args: readonly TensorLike[], name?: string): Var {
  const vars = elemwiseInputs(args);
  const ndim = Math.max(...vars.map((v) => v.ndim));
  return op.call(vars.map((v) => padLeft(v, ndim)), name);
}

/** The tensor function of a scalar op: `(a, b, { name }) => Variable`. */
export function lift<N extends number>(scalar: ScalarOp & { arity: N }) {
  const op = new Elemwise(scalar);
  const f = (...args: (TensorLike | NameOpt)[]): Var => {
    let name: string | undefined;
    const last = args[args.length - 1];
    if (args.length === scalar.arity + 1 && isOptions(last)) {
      name = (last as NameOpt).name;
      args = args.slice(0, -1);
    }
    if (args.length !== scalar.arity) throw new TypeError(`${scalar.name}: takes ${scalar.arity} inputs, got ${args.length}`);
    return applyElemwise(op, args as TensorLike[], name);
  };
  return Object.assign(f, { op });
}

export function isOptions(x: unknown): boolean {
  return x !== null && typeof x === "object" && !Array.isArray(x) && !ArrayBuffer.isView(x) && !(x instanceof NDArray) && !(x instanceof Var);
}
