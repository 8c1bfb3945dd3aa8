// Matrix products (dot, matmul, outer) and triangular masks (tril, triu). NumPy semantics:
// 1-d operands are promoted to a row (left) or column (right) and the added axis dropped again;
// matmul broadcasts leading (batch) dimensions. Decompositions live in linalg_decomp.ts.
import { disconnected, type GradTerm, Op, type Props, type Variable, asVariable } from "../../core/graph.ts";
import { type ArrayLike, NDArray } from "../../core/ndarray.ts";
import { broadcastOffsets } from "../../core/strided.ts";
import { type DType, type Dim, TensorType, broadcastShapes, broadcastStatic, fmtShape, isFloat, upcast } from "../../core/types.ts";
import { dimshuffle, expandDims, padLeft } from "./dimshuffle.ts";
import { sumToShape } from "./broadcast.ts";
import { cast, mul } from "./elemwise.ts";
import type { NameOpt, TensorLike } from "./elemwise_base.ts";

/** The gradient term for input x: none for integer/bool inputs, else cast to x's dtype. */
export function gradFor(term: Variable, x: Variable): GradTerm {
  if (!isFloat(x.dtype)) return disconnected;
  return term.dtype === x.dtype ? term : cast(term, x.dtype);
}

/** Swap the last two axes (the matrix transpose of every batch entry). */
export function mT(x: Variable): Variable {
  const n = x.ndim;
  if (n < 2) throw new RangeError(`mT: ${x.describe()} has fewer than 2 dimensions`);
  return dimshuffle(x, [...Array(n - 2).keys(), n - 1, n - 2]);
}

/** Static output shape of a matrix product, or a message naming both operands. */
function productShape(op: string, a: Variable, b: Variable): Dim[] {
  const inner = (x: Dim, y: Dim) => x !== null && y !== null && x !== y;
  const ka = a.type.shape[a.ndim - 1], kb = b.type.shape[b.ndim === 1 ? 0 : b.ndim - 2];
  if (inner(ka, kb)) {
    throw new RangeError(`${op}: cannot multiply ${a.describe()} by ${b.describe()} — inner dimensions ${ka} and ${kb} differ`);
  }
  const batchA = a.type.shape.slice(0, Math.max(0, a.ndim - 2)), batchB = b.type.shape.slice(0, Math.max(0, b.ndim - 2));
  const bs = broadcastStatic([batchA, batchB]);
  if ("conflict" in bs) {
    throw new RangeError(`${op}: cannot broadcast the batch dimensions of ${a.describe()} and ${b.describe()}`);
  }
  const m = a.ndim >= 2 ? [a.type.shape[a.ndim - 2]] : [];
  const n = b.ndim >= 2 ? [b.type.shape[b.ndim - 1]] : [];
  return [...bs.shape, ...m, ...n];
}

/** numpy.matmul: batched matrix products with broadcast leading dimensions. */
export class Matmul extends Op {
  readonly name: string = "Matmul";
  make(inputs: readonly Variable[]): TensorType[] {
    if (inputs.length !== 2) throw new TypeError(`${this.name}: takes 2 inputs, got ${inputs.length}`);
    const [a, b] = inputs;
    for (const v of [a, b]) {
      if (v.ndim === 0) throw new TypeError(`${this.name}: ${v.describe()} is a scalar; use mul for scalar products`);
    }
    return [new TensorType(upcast(a.dtype, b.dtype), productShape(this.name, a, b))];
  }
  perform([a, b]: NDArray[]): NDArray[] {
    return [matmulArrays(this.name, a, b, upcast(a.dtype, b.dtype))];
  }
  pullback([a, b]: readonly Variable[], _o: readonly Variable[], [g]: readonly (Variable | null)[]): GradTerm[] {
    // promote vectors to matrices, differentiate the batched product, then undo the promotion
    const A = a.ndim === 1 ? expandDims(a, 0) : a;
    const B = b.ndim === 1 ? expandDims(b, 1) : b;
    let G = g!;
    if (b.ndim === 1) G = expandDims(G, G.ndim);
    if (a.ndim === 1) G = expandDims(G, G.ndim - 1);
    let gA = sumToShape(matmul(G, mT(B)), A);
    let gB = sumToShape(matmul(mT(A), G), B);
    if (a.ndim === 1) gA = dimshuffle(gA, [1]);
    if (b.ndim === 1) gB = dimshuffle(gB, [0]);
    return [gradFor(gA, a), gradFor(gB, b)];
  }
}

/** numpy.dot restricted to vectors and matrices (scalars go through mul in `dot`). */
export class Dot extends Matmul {
  override readonly name: string = "Dot";
  override make(inputs: readonly Variable[]): TensorType[] {
    for (const v of inputs) {
      if (v.ndim > 2) throw new TypeError(`${this.name}: ${v.describe()} has ${v.ndim} dimensions; dot takes vectors and matrices (use matmul for batches)`);
    }
    return super.make(inputs);
  }
}

/** The product kernel: a [..., m, k] by b [..., k, n] (vectors promoted), accumulated in doubles. */
export function matmulArrays(op: string, a: NDArray, b: NDArray, dtype: DType): NDArray {
  const aShape = a.ndim === 1 ? [1, a.shape[0]] : a.shape;
  const bShape = b.ndim === 1 ? [b.shape[0], 1] : b.shape;
  const [m, k] = aShape.slice(-2), [kb, n] = bShape.slice(-2);
  if (k !== kb) {
    throw new RangeError(`${op}: cannot multiply an array of shape ${fmtShape(a.shape)} by one of shape ${fmtShape(b.shape)} — inner dimensions ${k} and ${kb} differ`);
  }
  const batchA = aShape.slice(0, -2), batchB = bShape.slice(0, -2);
  const batch = broadcastShapes([batchA, batchB], () => `${op}: batch dimensions of ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  const outShape = [...batch, ...(a.ndim >= 2 ? [m] : []), ...(b.ndim >= 2 ? [n] : [])];
  const out = new NDArray(dtype, outShape);
  const offA = broadcastOffsets(batchA, batch, m * k), offB = broadcastOffsets(batchB, batch, k * n);
  const A = a.data, B = b.data, O = out.data, acc = new Float64Array(n);
  const isBool = dtype === "bool";
  for (let t = 0; t < offA.length; t++) {
    const oa = offA[t], ob = offB[t], oo = t * m * n;
    for (let i = 0; i < m; i++) {
      acc.fill(0);
      for (let p = 0; p < k; p++) {
        const aip = A[oa + i * k + p], row = ob + p * n;
        if (aip === 0) continue;
        for (let j = 0; j < n; j++) acc[j] += aip * B[row + j];
      }
      for (let j = 0; j < n; j++) O[oo + i * n + j] = isBool ? (acc[j] !== 0 ? 1 : 0) : acc[j];
    }
  }
  return out;
}

// ── triangular masks ────────────────────────────────────────────────────────────────────────

/** Keep entries on and below (Tril) or above (Triu) the k-th diagonal of the last two axes. */
export class TriMask extends Op {
  readonly name: string;
  constructor(readonly upper: boolean, readonly k: number) {
    super();
    if (!Number.isInteger(k)) throw new TypeError(`${upper ? "triu" : "tril"}: k must be an integer, got ${k}`);
    this.name = upper ? "Triu" : "Tril";
  }
  override props(): Props {
    return { k: this.k };
  }
  make([x]: readonly Variable[]): TensorType[] {
    if (x.ndim < 2) throw new TypeError(`${this.name}: ${x.describe()} has ${x.ndim} dimensions; expected a matrix (or a batch of them)`);
    return [x.type];
  }
  perform([x]: NDArray[]): NDArray[] {
    const out = x.copy();
    const [r, c] = x.shape.slice(-2), blocks = r * c === 0 ? 0 : x.size / (r * c);
    for (let t = 0; t < blocks; t++) {
      for (let i = 0; i < r; i++) {
        for (let j = 0; j < c; j++) {
          const drop = this.upper ? j - i < this.k : j - i > this.k;
          if (drop) out.data[t * r * c + i * c + j] = 0;
        }
      }
    }
    return [out];
  }
  pullback([x]: readonly Variable[], _o: readonly Variable[], [g]: readonly (Variable | null)[]): GradTerm[] {
    if (!isFloat(x.dtype)) return [disconnected];
    return [new TriMask(this.upper, this.k).call([g!])];
  }
}

// ── tensor functions ────────────────────────────────────────────────────────────────────────

/** numpy.dot for scalars, vectors and matrices: scalar·tensor is an elementwise product. */
export function dot(a: TensorLike, b: TensorLike, opts: NameOpt = {}): Variable {
  const va = asVariable(a), vb = asVariable(b);
  if (va.ndim === 0 || vb.ndim === 0) return opts.name === undefined ? mul(a, b) : mul(a, b, { name: opts.name });
  return new Dot().call([va, vb], opts.name);
}

/** numpy.matmul (`@`): batch dimensions broadcast; scalars are rejected as in NumPy. */
export function matmul(a: TensorLike, b: TensorLike, opts: NameOpt = {}): Variable {
  const va = asVariable(a), vb = asVariable(b);
  const op = va.ndim <= 2 && vb.ndim <= 2 && va.ndim > 0 && vb.ndim > 0 ? new Dot() : new Matmul();
  return op.call([va, vb], opts.name);
}

/** numpy.outer of two vectors (or scalars, taken as length-1 vectors). */
export function outer(a: TensorLike, b: TensorLike, opts: NameOpt = {}): Variable {
  const va = asVariable(a), vb = asVariable(b);
  for (const v of [va, vb]) {
    if (v.ndim > 1) throw new TypeError(`Outer: ${v.describe()} has ${v.ndim} dimensions; outer takes vectors`);
  }
  const col = expandDims(padLeft(va, 1), 1), row = expandDims(padLeft(vb, 1), 0);
  return opts.name === undefined ? mul(col, row) : mul(col, row, { name: opts.name });
}

/** Lower triangle of x (last two axes): entries with j − i ≤ k. */
export function tril(x: Variable | ArrayLike, k = 0, opts: NameOpt = {}): Variable {
  return new TriMask(false, k).call([asVariable(x)], opts.name);
}

/** Upper triangle of x (last two axes): entries with j − i ≥ k. */
export function triu(x: Variable | ArrayLike, k = 0, opts: NameOpt = {}): Variable {
  return new TriMask(true, k).call([asVariable(x)], opts.name);
}

/** The matrix products, as they appear on `pt` (pt.dot, pt.matmul, pt.outer). */
export const productFunctions = { dot, matmul, outer };
