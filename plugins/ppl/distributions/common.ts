// Helpers shared by distribution definitions: argument handling, broadcasting draws, bounds.
import { type Variable, asVariable } from "../../../core/graph.ts";
import type { ArrayLike, NDArray } from "../../../core/ndarray.ts";
import type { BitGenerator } from "../rng/types.ts";
import { cast } from "../../ops/elemwise.ts";
import { broadcastMap } from "../../ops/elemwise_base.ts";
import { isFloat } from "../../../core/types.ts";

export type Args = Readonly<Record<string, Variable | ArrayLike | undefined>>;

/** A float parameter from the user's arguments, or its default; errors name the variable. */
export function param(args: Args, key: string, rvName: string, dflt?: number): Variable {
  const v = args[key];
  if (v === undefined) {
    if (dflt === undefined) throw new TypeError(`${rvName}: missing parameter '${key}'`);
    return asVariable(dflt);
  }
  const x = asVariable(v);
  return isFloat(x.dtype) ? x : cast(x, "float64");
}

/** Exactly one of several alternative parametrizations (e.g. sigma | tau). */
export function oneOf(args: Args, keys: readonly string[], rvName: string): [string, Variable] | null {
  const given = keys.filter((k) => args[k] !== undefined);
  if (given.length > 1) throw new TypeError(`${rvName}: give only one of ${keys.join(", ")} (got ${given.join(", ")})`);
  return given.length ? [given[0], param(args, given[0], rvName)] : null;
}

/** Fill `out` elementwise from a scalar sampler, broadcasting scalar parameters (numpy rules). */
export function sampleScalar(g: BitGenerator, params: readonly NDArray[], out: NDArray, draw: (g: BitGenerator, ...p: number[]) => number): void {
  broadcastMap(draw.bind(null, g), params, out.shape, out.data);
}
