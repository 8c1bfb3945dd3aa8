// Jacobians and Hessians by one vector-Jacobian product per output entry. The rows are stacked,
// so the expression's size must be known statically (a scan-based version needs the Scan op).
import { Constant, type Variable } from "../../core/graph.ts";
import type { GradOptions } from "../../core/grad.ts";
import { NDArray, sizeOf } from "../../core/ndarray.ts";
import { fmtShape } from "../../core/types.ts";
import { grad, vjp } from "./gradient.ts";
import { stack } from "./shape_core.ts";
import { reshape } from "./shape.ts";

/** d expr / d w for each w: shape expr.shape ++ w.shape. */
export function jacobian(expr: Variable, wrt: Variable, opts?: GradOptions): Variable;
export function jacobian(expr: Variable, wrt: readonly Variable[], opts?: GradOptions): Variable[];
export function jacobian(expr: Variable, wrt: Variable | readonly Variable[], opts: GradOptions = {}): Variable | Variable[] {
  const ws = Array.isArray(wrt) ? (wrt as readonly Variable[]) : [wrt as Variable];
  if (expr.ndim === 0) {
    const gs = grad(expr, ws, opts);
    return Array.isArray(wrt) ? gs : gs[0];
  }
  const shape = expr.type.shape;
  if (shape.some((d) => d === null)) {
    throw new RangeError(`jacobian: ${expr.describe()} has a length known only at run time; give it a static shape (e.g. pt.vector("x", { shape: [3] }))`);
  }
  const n = sizeOf(shape as number[]);
  const rows: Variable[][] = ws.map(() => []);
  for (let i = 0; i < n; i++) {
    const seed = new NDArray(expr.dtype, shape as number[]);
    seed.data[i] = 1;
    vjp(expr, new Constant(seed), ws, { disconnectedInputs: opts.disconnectedInputs ?? "ignore" }).forEach((g, k) => rows[k].push(g));
  }
  const out = ws.map((w, k) => {
    const stacked = stack(rows[k]);
    const wShape = w.type.shape;
    if (expr.ndim === 1) return stacked;
    if (wShape.some((d) => d === null)) throw new RangeError(`jacobian: ${w.describe()} needs a static shape to reshape a ${fmtShape(shape)} Jacobian`);
    return reshape(stacked, [...(shape as number[]), ...(wShape as number[])]);
  });
  return Array.isArray(wrt) ? out : out[0];
}

/** Second derivatives of a scalar cost: for each w, d²cost / dw dw (w.shape ++ w.shape). */
export function hessian(cost: Variable, wrt: Variable, opts?: GradOptions): Variable;
export function hessian(cost: Variable, wrt: readonly Variable[], opts?: GradOptions): Variable[];
export function hessian(cost: Variable, wrt: Variable | readonly Variable[], opts: GradOptions = {}): Variable | Variable[] {
  const ws = Array.isArray(wrt) ? (wrt as readonly Variable[]) : [wrt as Variable];
  const hs = ws.map((w) => jacobian(grad(cost, w, opts), w, opts));
  return Array.isArray(wrt) ? hs : hs[0];
}
