// Decompositions and solvers on single square matrices (pt.linalg.*): cholesky, solveTriangular,
// solve, det, slogdet/logdet, inv. Kernels run in doubles; float32 inputs give float32 results,
// integer and bool inputs are computed as float64. Batched (>2-d) inputs are rejected.
import { type GradTerm, Op, type Props, type Variable, asVariable } from "../../core/graph.ts";
import { type ArrayLike, NDArray } from "../../core/ndarray.ts";
import { type DType, type Dim, TensorType, fmtShape, upcast } from "../../core/types.ts";
import { add, mul, neg, zerosLike } from "./elemwise.ts";
import type { NameOpt } from "./elemwise_base.ts";
import { gradFor, mT, matmul, outer, tril, triu } from "./linalg.ts";

/** float32 only when every input is float32; otherwise float64 (ints and bools included). */
function floatDtype(...ds: DType[]): DType {
  return upcast(...ds) === "float32" ? "float32" : "float64";
}

/** A square matrix's static side, or an error naming the op and the input. */
function squareSide(op: string, a: Variable): Dim {
  if (a.ndim !== 2) {
    throw new TypeError(`${op}: expects a matrix, ${a.describe()} has ${a.ndim} dimensions${a.ndim > 2 ? " (batched inputs are not supported)" : ""}`);
  }
  const [r, c] = a.type.shape;
  if (r !== null && c !== null && r !== c) throw new RangeError(`${op}: expects a square matrix, ${a.describe()} is not square`);
  return r ?? c;
}

function checkSquare(op: string, a: NDArray): number {
  if (a.shape[0] !== a.shape[1]) throw new RangeError(`${op}: expects a square matrix, got an array of shape ${fmtShape(a.shape)}`);
  return a.shape[0];
}

/** The right-hand side b (vector or matrix) against the side n of A; returns b's static shape. */
function rhsShape(op: string, a: Variable, b: Variable, n: Dim): Dim[] {
  if (b.ndim !== 1 && b.ndim !== 2) throw new TypeError(`${op}: the right-hand side ${b.describe()} must be a vector or a matrix`);
  const rows = b.type.shape[0];
  if (n !== null && rows !== null && n !== rows) {
    throw new RangeError(`${op}: cannot solve with ${a.describe()} for ${b.describe()} — ${n} rows against ${rows}`);
  }
  return [n ?? rows, ...b.type.shape.slice(1)];
}

const f64 = (a: NDArray) => Float64Array.from(a.data);
const result = (dtype: DType, shape: readonly number[], data: Float64Array) => new NDArray(dtype, shape, dtype === "float64" ? data : Float32Array.from(data));

// ── kernels ─────────────────────────────────────────────────────────────────────────────────

/** In-place LU with partial pivoting of the n×n row-major `lu`: PA = LU. */
function luFactor(lu: Float64Array, n: number): { perm: Int32Array; sign: number; zeroPivot: number } {
  const perm = new Int32Array(n).map((_, i) => i);
  let sign = 1, zeroPivot = -1;
  for (let j = 0; j < n; j++) {
    let p = j, best = Math.abs(lu[j * n + j]);
    for (let i = j + 1; i < n; i++) {
      const v = Math.abs(lu[i * n + j]);
      if (v > best) [p, best] = [i, v];
    }
    if (p !== j) {
      for (let c = 0; c < n; c++) [lu[j * n + c], lu[p * n + c]] = [lu[p * n + c], lu[j * n + c]];
      [perm[j], perm[p]] = [perm[p], perm[j]];
      sign = -sign;
    }
    const piv = lu[j * n + j];
    if (piv === 0) {
      if (zeroPivot < 0) zeroPivot = j;
      continue;
    }
    for (let i = j + 1; i < n; i++) {
      const f = (lu[i * n + j] /= piv);
      if (f !== 0) for (let c = j + 1; c < n; c++) lu[i * n + c] -= f * lu[j * n + c];
    }
  }
  return { perm, sign, zeroPivot };
}

/** Solve A X = B from A's LU factors; B is n×m row-major, returned as a new array. */
function luSolve(lu: Float64Array, perm: Int32Array, n: number, b: Float64Array, m: number): Float64Array {
  const x = new Float64Array(n * m);
  for (let i = 0; i < n; i++) x.set(b.subarray(perm[i] * m, perm[i] * m + m), i * m);
  triSolveInPlace(lu, n, x, m, true, false, true);
  triSolveInPlace(lu, n, x, m, false, false, false);
  return x;
}

/** Substitution for op(T) X = B in place, op(T) = T or Tᵀ, T lower or upper (n×n), B n×m. */
function triSolveInPlace(t: Float64Array, n: number, x: Float64Array, m: number, lower: boolean, trans: boolean, unit: boolean): void {
  const at = trans ? (i: number, j: number) => t[j * n + i] : (i: number, j: number) => t[i * n + j];
  const forward = lower !== trans;
  for (let s = 0; s < n; s++) {
    const i = forward ? s : n - 1 - s;
    for (let q = 0; q < s; q++) {
      const j = forward ? q : n - 1 - q, f = at(i, j);
      if (f !== 0) for (let c = 0; c < m; c++) x[i * m + c] -= f * x[j * m + c];
    }
    if (!unit) {
      const d = at(i, i);
      if (d === 0) throw new RangeError(`SolveTriangular: the matrix is singular (diagonal entry ${i} is 0)`);
      for (let c = 0; c < m; c++) x[i * m + c] /= d;
    }
  }
}

// ── ops ─────────────────────────────────────────────────────────────────────────────────────

/** A = L Lᵀ (lower) or Uᵀ U (upper), read from that triangle of A. */
export class Cholesky extends Op {
  readonly name = "Cholesky";
  constructor(readonly lower = true) {
    super();
  }
  override props(): Props {
    return { lower: this.lower };
  }
  make([a]: readonly Variable[]): TensorType[] {
    const n = squareSide(this.name, a);
    return [new TensorType(floatDtype(a.dtype), [n, n])];
  }
  perform([a]: NDArray[]): NDArray[] {
    const n = checkSquare(this.name, a), src = f64(a), L = new Float64Array(n * n);
    const at = this.lower ? (i: number, j: number) => src[i * n + j] : (i: number, j: number) => src[j * n + i];
    for (let j = 0; j < n; j++) {
      let d = at(j, j);
      for (let k = 0; k < j; k++) d -= L[j * n + k] ** 2;
      if (!(d > 0)) throw new RangeError(`${this}: the matrix is not positive definite (pivot ${j} is ${d})`);
      const ljj = (L[j * n + j] = Math.sqrt(d));
      for (let i = j + 1; i < n; i++) {
        let s = at(i, j);
        for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
        L[i * n + j] = s / ljj;
      }
    }
    const out = result(floatDtype(a.dtype), [n, n], L);
    return [this.lower ? out : transposeArray(out)];
  }
  pullback([a]: readonly Variable[], [out]: readonly Variable[], [g]: readonly (Variable | null)[]): GradTerm[] {
    // dA = dL Lᵀ + L dLᵀ gives L⁻¹ dL = Φ(L⁻¹ dA L⁻ᵀ), Φ = lower triangle with halved diagonal;
    // its adjoint is Ā = L⁻ᵀ Φ(Lᵀ L̄) L⁻¹, symmetrized since only symmetric dA are admissible.
    const L = this.lower ? out : mT(out), gL = this.lower ? g! : mT(g!);
    const P = matmul(mT(L), gL);
    const phi = mul(add(tril(P), tril(P, -1)), 0.5);
    const right = mT(solveTriangular(L, mT(phi), { lower: true, transA: true }));
    const S = solveTriangular(L, right, { lower: true, transA: true });
    return [gradFor(mul(add(S, mT(S)), 0.5), a)];
  }
}

export interface SolveTriangularOpts extends NameOpt {
  /** A is lower triangular (default); otherwise upper. Only that triangle is read. */
  lower?: boolean;
  /** Solve Aᵀ x = b instead. */
  transA?: boolean;
  /** Take A's diagonal as ones without reading it. */
  unitDiagonal?: boolean;
}

/** x with op(A) x = b for triangular A; b a vector or a matrix of right-hand sides. */
export class SolveTriangular extends Op {
  readonly name = "SolveTriangular";
  constructor(readonly lower: boolean, readonly transA: boolean, readonly unitDiagonal: boolean) {
    super();
  }
  override props(): Props {
    return { lower: this.lower, transA: this.transA, unitDiagonal: this.unitDiagonal };
  }
  make([a, b]: readonly Variable[]): TensorType[] {
    return [new TensorType(floatDtype(a.dtype, b.dtype), rhsShape(this.name, a, b, squareSide(this.name, a)))];
  }
  perform([a, b]: NDArray[]): NDArray[] {
    const n = checkSquare(this.name, a);
    checkRows(this.name, a, b);
    const m = b.ndim === 1 ? 1 : b.shape[1], x = f64(b);
    triSolveInPlace(f64(a), n, x, m, this.lower, this.transA, this.unitDiagonal);
    return [result(floatDtype(a.dtype, b.dtype), b.shape, x)];
  }
  pullback([a, b]: readonly Variable[], [x]: readonly Variable[], [g]: readonly (Variable | null)[]): GradTerm[] {
    // x = M⁻¹ b with M = op(A): b̄ = M⁻ᵀ x̄, M̄ = −b̄ xᵀ, restricted to the triangle A is read from
    const gb = solveTriangular(a, g!, { lower: this.lower, transA: !this.transA, unitDiagonal: this.unitDiagonal });
    const gM = neg(b.ndim === 1 ? outer(gb, x) : matmul(gb, mT(x)));
    const gA = this.transA ? mT(gM) : gM;
    const k = this.unitDiagonal ? 1 : 0;
    return [gradFor(this.lower ? tril(gA, -k) : triu(gA, k), a), gradFor(gb, b)];
  }
}

/** x with A x = b by LU with partial pivoting; b a vector or a matrix of right-hand sides. */
export class Solve extends Op {
  readonly name = "Solve";
  make([a, b]: readonly Variable[]): TensorType[] {
    return [new TensorType(floatDtype(a.dtype, b.dtype), rhsShape(this.name, a, b, squareSide(this.name, a)))];
  }
  perform([a, b]: NDArray[]): NDArray[] {
    const n = checkSquare(this.name, a);
    checkRows(this.name, a, b);
    const lu = f64(a), { perm, zeroPivot } = luFactor(lu, n);
    if (zeroPivot >= 0) throw new RangeError(`${this.name}: the matrix is singular (zero pivot in column ${zeroPivot})`);
    const m = b.ndim === 1 ? 1 : b.shape[1];
    return [result(floatDtype(a.dtype, b.dtype), b.shape, luSolve(lu, perm, n, f64(b), m))];
  }
  pullback([a, b]: readonly Variable[], [x]: readonly Variable[], [g]: readonly (Variable | null)[]): GradTerm[] {
    const gb = solve(mT(a), g!);
    const gA = neg(b.ndim === 1 ? outer(gb, x) : matmul(gb, mT(x)));
    return [gradFor(gA, a), gradFor(gb, b)];
  }
}

/** The determinant, from the LU factors (0 for a singular matrix). */
export class Det extends Op {
  readonly name = "Det";
  make([a]: readonly Variable[]): TensorType[] {
    squareSide(this.name, a);
    return [new TensorType(floatDtype(a.dtype), [])];
  }
  perform([a]: NDArray[]): NDArray[] {
    const { sign, diag } = luDiagonal(this.name, a);
    return [NDArray.scalar(diag.reduce((p, d) => p * d, sign), floatDtype(a.dtype))];
  }
  pullback([a]: readonly Variable[], [d]: readonly Variable[], [g]: readonly (Variable | null)[]): GradTerm[] {
    return [gradFor(mul(mul(g!, d), mT(inv(a))), a)];
  }
}

/** [sign, log|det|] of a square matrix, as numpy.linalg.slogdet (sign 0, −inf when singular). */
export class SLogDet extends Op {
  readonly name = "SLogDet";
  make([a]: readonly Variable[]): TensorType[] {
    squareSide(this.name, a);
    const t = new TensorType(floatDtype(a.dtype), []);
    return [t, t];
  }
  perform([a]: NDArray[]): NDArray[] {
    const { sign, logAbs } = slogdetArray(this.name, a), dt = floatDtype(a.dtype);
    return [NDArray.scalar(sign, dt), NDArray.scalar(logAbs, dt)];
  }
  pullback([a]: readonly Variable[], _o: readonly Variable[], [, gl]: readonly (Variable | null)[]): GradTerm[] {
    // the sign is piecewise constant: only log|det| carries a gradient, g·A⁻ᵀ
    return [gradFor(gl ? mul(gl, mT(inv(a))) : zerosLike(a), a)];
  }
}

/** The permutation's sign and U's diagonal from A's LU factors. */
function luDiagonal(op: string, a: NDArray): { sign: number; diag: number[] } {
  const n = checkSquare(op, a), lu = f64(a), { sign } = luFactor(lu, n);
  return { sign, diag: Array.from({ length: n }, (_, i) => lu[i * n + i]) };
}

function slogdetArray(op: string, a: NDArray): { sign: number; logAbs: number } {
  const { sign, diag } = luDiagonal(op, a);
  if (diag.some((d) => d === 0)) return { sign: 0, logAbs: -Infinity };
  let s = sign, logAbs = 0;
  for (const d of diag) {
    if (d < 0) s = -s;
    logAbs += Math.log(Math.abs(d));
  }
  return { sign: s, logAbs };
}

/** The matrix inverse by LU with partial pivoting; a singular matrix is an error. */
export class MatrixInverse extends Op {
  readonly name = "MatrixInverse";
  make([a]: readonly Variable[]): TensorType[] {
    const n = squareSide(this.name, a);
    return [new TensorType(floatDtype(a.dtype), [n, n])];
  }
  perform([a]: NDArray[]): NDArray[] {
    const n = checkSquare(this.name, a), lu = f64(a), { perm, zeroPivot } = luFactor(lu, n);
    if (zeroPivot >= 0) throw new RangeError(`${this.name}: the matrix is singular (zero pivot in column ${zeroPivot})`);
    const eye = new Float64Array(n * n);
    for (let i = 0; i < n; i++) eye[i * n + i] = 1;
    return [result(floatDtype(a.dtype), [n, n], luSolve(lu, perm, n, eye, n))];
  }
  pullback([a]: readonly Variable[], [x]: readonly Variable[], [g]: readonly (Variable | null)[]): GradTerm[] {
    return [gradFor(neg(matmul(matmul(mT(x), g!), mT(x))), a)];
  }
}

function checkRows(op: string, a: NDArray, b: NDArray): void {
  if (b.shape[0] !== a.shape[0]) {
    throw new RangeError(`${op}: cannot solve with a matrix of shape ${fmtShape(a.shape)} for a right-hand side of shape ${fmtShape(b.shape)}`);
  }
}

function transposeArray(x: NDArray): NDArray {
  const [r, c] = x.shape, out = new NDArray(x.dtype, [c, r]);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out.data[j * r + i] = x.data[i * c + j];
  return out;
}

// ── tensor functions ────────────────────────────────────────────────────────────────────────
type In = Variable | ArrayLike;

export function cholesky(a: In, opts: NameOpt & { lower?: boolean } = {}): Variable {
  return new Cholesky(opts.lower ?? true).call([asVariable(a)], opts.name);
}

export function solveTriangular(a: In, b: In, opts: SolveTriangularOpts = {}): Variable {
  const op = new SolveTriangular(opts.lower ?? true, opts.transA ?? false, opts.unitDiagonal ?? false);
  return op.call([asVariable(a), asVariable(b)], opts.name);
}

export function solve(a: In, b: In, opts: NameOpt = {}): Variable {
  return new Solve().call([asVariable(a), asVariable(b)], opts.name);
}

export function det(a: In, opts: NameOpt = {}): Variable {
  return new Det().call([asVariable(a)], opts.name);
}

/** [sign, log|det|] as two variables (numpy.linalg.slogdet). */
export function slogdet(a: In): [Variable, Variable] {
  const [s, l] = new SLogDet().apply([asVariable(a)]).outputs;
  return [s, l];
}

/** log|det(A)| of a general square matrix (LU, not Cholesky); −inf when A is singular. */
export function logdet(a: In, opts: NameOpt = {}): Variable {
  const l = slogdet(a)[1];
  if (opts.name !== undefined) l.name = opts.name;
  return l;
}

export function inv(a: In, opts: NameOpt = {}): Variable {
  return new MatrixInverse().call([asVariable(a)], opts.name);
}

/** The decompositions and solvers, as they appear on `pt.linalg`. */
export const linalgFunctions = { cholesky, solveTriangular, solve, det, logdet, slogdet, inv, matrixInverse: inv, tril, triu };
