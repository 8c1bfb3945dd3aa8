// What a transform is: a bijection from a constrained support to unbounded space, with the log
// absolute Jacobian determinant of its inverse so densities can be moved across it.
import type { Variable } from "../../../core/graph.ts";

export interface Transform {
  /** Used in value-variable names: `sigma` → `sigma_log__`. */
  readonly name: string;
  /** constrained x → unconstrained y */
  forward(x: Variable): Variable;
  /** unconstrained y → constrained x */
  backward(y: Variable): Variable;
  /**
   * log |det d backward(y) / dy|, one entry per batch element: elementwise transforms keep y's
   * shape, vector transforms (simplex, ordered) reduce over their last axis.
   */
  logJacDet(y: Variable): Variable;
  /** Axes at the end that the transform acts on jointly (0 elementwise, 1 for simplex/ordered). */
  readonly ndimSupp: number;
  /** The value variable's static shape for a constrained shape (simplex drops one entry). */
  valueShape?(shape: readonly (number | null)[]): (number | null)[];
}
