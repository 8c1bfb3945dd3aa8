// Shared by the continuous-distribution tests: the scipy/mpmath fixture (gen_continuous.py), a
// logp/logcdf evaluator with PyMC's parameter checks, seeded draws, and a Kolmogorov–Smirnov test.
import { strict as assert } from "node:assert";
import { Constant, NDArray, type Variable, pt } from "../../../../mod.ts";
import { checkParameters } from "../../../../plugins/ppl/check.ts";
import type { DistributionSpec } from "../../../../plugins/ppl/distributions/types.ts";
import { RandomVariable } from "../../../../plugins/ppl/rv.ts";
import { pcg64 } from "../../../../plugins/ppl/rng/pcg64.ts";
import { type FixNested, assertClose, loadFixture, nested } from "../../../helpers.ts";

export interface DistCase {
  dist: string;
  args: Record<string, FixNested>;
  value: FixNested;
  logp: FixNested;
  logcdf: FixNested | null;
  tag: string;
  /** Entries whose reference is mpmath's because scipy's is inexact there. */
  mpmath?: string[];
}
export interface ErrorCase {
  dist: string;
  args: Record<string, FixNested>;
  value: FixNested;
  message: string;
}
export const fixture = loadFixture<{ cases: DistCase[]; errors: ErrorCase[] }>("continuous.json");

/**
 * `spec.logp` or `spec.logcdf` at `value`, guarded by the spec's checks as pm.logp does. The
 * keyword arguments enter as constants, or as symbolic inputs fed at run time (then no bound is
 * known to be infinite while the graph is built).
 */
export function evaluate(spec: DistributionSpec, which: "logp" | "logcdf", args: Record<string, FixNested>, value: FixNested, symbolic = false): NDArray {
  const inputs: Variable[] = [], feeds: NDArray[] = [];
  const argVars: Record<string, Variable> = {};
  for (const [k, v] of Object.entries(args)) {
    const a = nested(v);
    if (symbolic) {
      argVars[k] = pt.tensor(k, { ndim: a.ndim });
      inputs.push(argVars[k]);
      feeds.push(a);
    } else {
      argVars[k] = new Constant(a);
    }
  }
  const params = spec.parametrize(argVars, spec.name);
  const xv = nested(value);
  const x = pt.tensor("x", { ndim: xv.ndim });
  const f = which === "logp" ? spec.logp : spec.logcdf!;
  const out = checkParameters(f(x, params), spec.checks?.(params) ?? [], { label: spec.name });
  return pt.fn([x, ...inputs], out, { mode: "interp" })(xv, ...feeds);
}

/** Run every fixture case of the named distributions, with constant and with symbolic parameters. */
export function fixtureSuite(specs: Record<string, DistributionSpec>, rtol: (c: DistCase) => number = () => 1e-10): void {
  for (const c of fixture.cases.filter((c) => c.dist in specs)) {
    const spec = specs[c.dist];
    for (const symbolic of [false, true]) {
      const how = symbolic ? "symbolic" : "constant";
      const label = `${c.dist}(${JSON.stringify(c.args)})${c.tag ? ` [${c.tag}]` : ""}, ${how} parameters`;
      it(`logp: ${label}`, () => {
        assertClose(evaluate(spec, "logp", c.args, c.value, symbolic), nested(c.logp), { rtol: rtol(c), what: `${c.dist} logp` });
      });
      if (c.logcdf !== null && spec.logcdf) {
        it(`logcdf: ${label}`, () => {
          assertClose(evaluate(spec, "logcdf", c.args, c.value, symbolic), nested(c.logcdf!), { rtol: rtol(c), what: `${c.dist} logcdf` });
        });
      }
    }
  }
}

/** Every distribution named in the fixture's cases has its logcdf tested iff it defines one. */
export function assertLogcdfCoverage(specs: Record<string, DistributionSpec>): void {
  for (const [name, spec] of Object.entries(specs)) {
    const cases = fixture.cases.filter((c) => c.dist === name);
    assert.ok(cases.length >= 2, `${name}: at least two fixture cases`);
    if (spec.logcdf) assert.ok(cases.some((c) => c.logcdf !== null), `${name}: logcdf has fixture values`);
  }
}

/** `size` draws of `spec` with keyword arguments `args`, from PCG64 seeded with `seed`. */
export function drawFrom(spec: DistributionSpec, args: Record<string, unknown>, size: number[], seed: number): NDArray {
  const params = spec.parametrize(args as Record<string, number>, spec.name);
  const rng = new Constant(new NDArray("int32", [pcg64.stateSize], pcg64.seed(seed)));
  const sz = new Constant(NDArray.from(size, "int32").reshape([size.length]));
  const draw = new RandomVariable(spec, pcg64).apply([rng, sz, ...params]).outputs[1];
  return pt.fn([], draw, { mode: "interp" })();
}

/** Kolmogorov–Smirnov p-value of sorted draws against a CDF (asymptotic, Stephens' correction). */
export function ksPValue(draws: Float64Array, cdf: (x: number) => number): number {
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

export { NDArray };
