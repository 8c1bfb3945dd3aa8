// Shared by the distribution tests: evaluating a spec's logp/logcdf as pm.logp builds it, fixture
// arguments as constants or run-time inputs, seeded draws, and a Kolmogorov–Smirnov test.
import { Constant, NDArray, type Variable, pt } from "../../../../mod.ts";
import { checkParameters } from "../../../../plugins/ppl/check.ts";
import type { DistributionSpec } from "../../../../plugins/ppl/distributions/types.ts";
import { RandomVariable } from "../../../../plugins/ppl/rv.ts";
import { pcg64 } from "../../../../plugins/ppl/rng/pcg64.ts";
import { type FixNested, nested } from "../../../helpers.ts";

/** `out` as a function of `inputs` (interp mode), called on `vals`. */
export const run = (inputs: Variable[], out: Variable, ...vals: NDArray[]): NDArray => pt.fn(inputs, out, { mode: "interp" })(...vals);

/** `spec.logp` (or logcdf) at x, guarded by the spec's parameter checks as pm.logp does. */
export function guarded(spec: DistributionSpec, x: Variable, params: Variable[], kind: "logp" | "logcdf" = "logp"): Variable {
  return checkParameters(spec[kind]!(x, params), spec.checks?.(params) ?? [], { label: spec.name });
}

/**
 * A fixture's keyword arguments as constants or, when `symbolic`, as float64 graph inputs of
 * unknown lengths (so graphs that do not rely on static shapes are exercised), with the values to
 * feed them.
 */
export function fixtureArgs(args: Record<string, FixNested>, symbolic: boolean): { args: Record<string, Variable>; inputs: Variable[]; feeds: NDArray[] } {
  const inputs: Variable[] = [], feeds: NDArray[] = [];
  const vars = Object.fromEntries(Object.entries(args).map(([k, v]) => {
    const a = nested(v);
    if (!symbolic) return [k, new Constant(a)];
    const input = pt.tensor(k, { ndim: a.ndim });
    inputs.push(input);
    feeds.push(a);
    return [k, input];
  }));
  return { args: vars, inputs, feeds };
}

/** `size` draws of `spec` with keyword arguments `args`, from PCG64 seeded with `seed`. */
export function drawFrom(spec: DistributionSpec, args: Record<string, unknown>, size: number[], seed: number): NDArray {
  const params = spec.parametrize(args as Record<string, number>, spec.name);
  const rng = new Constant(new NDArray("int32", [pcg64.stateSize], pcg64.seed(seed)));
  const sz = new Constant(NDArray.from(size, "int32").reshape([size.length]));
  const draw = new RandomVariable(spec, pcg64).apply([rng, sz, ...params]).outputs[1];
  return pt.fn([], draw, { mode: "interp" })();
}

/** Kolmogorov–Smirnov p-value of draws against a continuous CDF (asymptotic, Stephens' correction). */
export function ksPValue(draws: ArrayLike<number>, cdf: (x: number) => number): number {
  const xs = Float64Array.from(draws).sort();
  const n = xs.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const F = cdf(xs[i]);
    d = Math.max(d, (i + 1) / n - F, F - i / n);
  }
  const sn = Math.sqrt(n);
  const lam = (sn + 0.12 + 0.11 / sn) * d;
  let p = 0;
  for (let k = 1; k <= 100; k++) {
    const term = 2 * (k % 2 ? 1 : -1) * Math.exp(-2 * k * k * lam * lam);
    p += term;
    if (Math.abs(term) < 1e-12) break;
  }
  return Math.min(1, Math.max(0, p));
}

/** The float64 values of an NDArray as a plain Float64Array. */
export const floats = (a: NDArray): Float64Array => Float64Array.from(a.data as ArrayLike<number>);
