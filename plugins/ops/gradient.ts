// The user-facing gradient functions: grad bound to the elementwise algebra, and verifyGrad,
// PyTensor's check of a symbolic gradient against finite differences along a random projection.
import { Constant, type Variable } from "../../core/graph.ts";
import { type GradAlgebra, type GradOptions, gradWith } from "../../core/grad.ts";
import { type ArrayLike, NDArray } from "../../core/ndarray.ts";
import { TensorType } from "../../core/types.ts";
import { Variable as Var } from "../../core/graph.ts";
import type { CorePt } from "../../core/runtime.ts";
import { add, cast, zerosLike } from "./elemwise.ts";

export const algebra: GradAlgebra = { add: (a, b) => add(a, b), zerosLike, cast: (v, d) => cast(v, d) };

export function grad(cost: Variable, wrt: Variable, opts?: GradOptions): Variable;
export function grad(cost: Variable, wrt: readonly Variable[], opts?: GradOptions): Variable[];
export function grad(cost: Variable, wrt: Variable | readonly Variable[], opts: GradOptions = {}): Variable | Variable[] {
  if (wrt instanceof Var) return gradWith(algebra, cost, [wrt], opts)[0];
  return gradWith(algebra, cost, wrt, opts);
}

/** The gradient of Σ outGrad·expr with respect to `wrt` (a vector-Jacobian product). */
export function vjp(expr: Variable, outGrad: Variable, wrt: readonly Variable[], opts: GradOptions = {}): Variable[] {
  return gradWith(algebra, null, wrt, { ...opts, knownGrads: new Map([[expr, outGrad]]) });
}

export interface VerifyGradOptions {
  /** Finite-difference step (central differences). */
  eps?: number;
  rtol?: number;
  atol?: number;
  seed?: number;
  mode?: string;
}

export class GradientMismatch extends Error {}

/**
 * Check `f`'s symbolic gradient at `point`: project f's output on a seeded random direction,
 * differentiate that scalar symbolically and by central differences, and compare entry by entry.
 * Throws a GradientMismatch naming the worst entry.
 */
export function verifyGradWith(pt: Pick<CorePt, "fn">, f: (...xs: Variable[]) => Variable, point: readonly ArrayLike[], opts: VerifyGradOptions = {}): void {
  const { eps = 1e-6, rtol = 1e-4, atol = 1e-4, seed = 42, mode } = opts;
  const values = point.map((p) => NDArray.from(p).astype("float64"));
  const inputs = values.map((v, i) => new Var(new TensorType("float64", v.shape.map(() => null)), null, 0, `x${i}`));
  const out = f(...inputs);
  const fOut = pt.fn(inputs, out, { mode });
  const y0 = fOut(...values);
  const rand = mulberry32(seed);
  const proj = new NDArray("float64", y0.shape);
  for (let i = 0; i < proj.size; i++) proj.data[i] = 0.5 + rand();
  const gFn = pt.fn(inputs, vjp(out, new Constant(proj.astype(out.dtype)), inputs), { mode });
  const analytic = gFn(...values);
  const projected = (xs: NDArray[]) => {
    const y = fOut(...xs);
    let s = 0;
    for (let i = 0; i < y.size; i++) s += y.data[i] * proj.data[i];
    return s;
  };
  let worst: { msg: string; excess: number } | null = null;
  values.forEach((v, k) => {
    for (let i = 0; i < v.size; i++) {
      const plus = values.slice(), minus = values.slice();
      const vp = v.copy(), vm = v.copy();
      vp.data[i] += eps;
      vm.data[i] -= eps;
      plus[k] = vp;
      minus[k] = vm;
      const numeric = (projected(plus) - projected(minus)) / (2 * eps);
      const a = analytic[k].data[i];
      const absErr = Math.abs(a - numeric);
      const relErr = absErr / (Math.abs(a) + Math.abs(numeric) || 1);
      const ok = absErr <= atol || relErr <= rtol;
      if (!ok || !Number.isFinite(a)) {
        const excess = Number.isFinite(relErr) ? relErr : Infinity;
        if (!worst || excess > worst.excess) {
          worst = { excess, msg: `input ${k} (shape [${v.shape}]) entry ${i}: symbolic ${a}, finite differences ${numeric} (abs err ${absErr.toExponential(2)}, rel err ${relErr.toExponential(2)}; atol ${atol}, rtol ${rtol})` };
        }
      }
    }
  });
  if (worst) throw new GradientMismatch(`verifyGrad: gradient mismatch at ${(worst as { msg: string }).msg}`);
}

/** A small seeded generator for projections and test points (not the PPL's RNG). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
