// What a distribution is, as data: its parameters, how to draw, its log-density graph, its
// default transform and the point samplers start from.
import type { Variable } from "../../../core/graph.ts";
import type { ArrayLike, NDArray } from "../../../core/ndarray.ts";
import type { DType } from "../../../core/types.ts";
import type { BitGenerator } from "../rng/types.ts";
import type { Transform } from "../transforms/types.ts";

/** A parameter constraint checked where logp is evaluated: `[sigma > 0, "sigma > 0"]`. */
export type ParamCheck = readonly [cond: Variable, message: string];

export interface DistributionSpec {
  /** PyMC's class name: "Normal". */
  readonly name: string;
  /** The random variable op's display name: "normal_rv". */
  readonly rvName: string;
  /** Canonical parameters, in the order the RV op takes them. */
  readonly params: readonly string[];
  /** Core dimensions of each parameter (0 scalar, 1 vector, 2 matrix). */
  readonly ndimsParams: readonly number[];
  /** Dimensions of one draw: 0 for scalars, 1 for Dirichlet, MvNormal, Multinomial. */
  readonly ndimSupp: number;
  readonly dtype: DType;
  /**
   * Keyword arguments (alternative parametrizations and defaults included) → canonical
   * parameter variables, in `params` order. Throws naming the argument when one is missing.
   */
  parametrize(args: Readonly<Record<string, Variable | ArrayLike | undefined>>, rvName: string): Variable[];
  /** The support shape of one draw, from the parameters (ndimSupp > 0 only). */
  supportShape?(params: readonly Variable[]): (number | null)[];
  /** Fill `out` (batch shape ++ support shape) with draws; params are broadcast to the batch. */
  sample(g: BitGenerator, params: readonly NDArray[], out: NDArray): void;
  /** Log-density (or mass) at `value`, one entry per batch element; −inf outside the support. */
  logp(value: Variable, params: readonly Variable[]): Variable;
  logcdf?(value: Variable, params: readonly Variable[]): Variable;
  /** Parameter constraints: a violated one is an error naming it (PyMC's check_parameters). */
  checks?(params: readonly Variable[]): ParamCheck[];
  /** A point in the support with the draw's shape: the mean, median or mode. */
  moment(params: readonly Variable[], shape: readonly (number | null)[]): Variable;
  /** The default transform to unbounded space (null when the support is already ℝ or discrete). */
  transform?(params: readonly Variable[]): Transform | null;
}
