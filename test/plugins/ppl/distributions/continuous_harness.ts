// Shared by the continuous-distribution tests: the scipy/mpmath fixture (gen_continuous.py) and a
// logp/logcdf evaluator with PyMC's parameter checks.
import { strict as assert } from "node:assert";
import { NDArray, pt } from "../../../../mod.ts";
import type { DistributionSpec } from "../../../../plugins/ppl/distributions/types.ts";
import { type FixNested, assertClose, loadFixture, nested } from "../../../helpers.ts";
import { fixtureArgs, guarded, run } from "./harness.ts";

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
  const a = fixtureArgs(args, symbolic);
  const params = spec.parametrize(a.args, spec.name);
  const xv = nested(value);
  const x = pt.tensor("x", { ndim: xv.ndim });
  return run([x, ...a.inputs], guarded(spec, x, params, which), xv, ...a.feeds);
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

export { NDArray };
