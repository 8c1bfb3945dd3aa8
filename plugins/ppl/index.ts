// The probabilistic-programming plugin: distributions into the runtime's registry and the `pm`
// facade (distribution functions, models, draws) bound to that runtime.
import type { Plugin, Runtime } from "../../core/runtime.ts";
import type { Variable } from "../../core/graph.ts";
import type { DistributionSpec } from "./distributions/types.ts";
import { HalfNormal, Normal } from "./distributions/normal.ts";
import { continuousDistributions } from "./distributions/continuous.ts";
import { continuousSpecialDistributions } from "./distributions/continuous_special.ts";
import { truncatedDistributions } from "./distributions/truncated.ts";
import { discreteDistributions } from "./distributions/discrete.ts";
import { discreteCountsDistributions } from "./distributions/discrete_counts.ts";
import { multivariateDistributions } from "./distributions/multivariate.ts";
import { multivariateLkjDistributions } from "./distributions/multivariate_lkj.ts";
import { PmContext, type RVFunction } from "./api.ts";
import { draw, samplePosteriorPredictive, samplePriorPredictive, type Samples } from "./draw.ts";
import { PmModel } from "./pm_model.ts";
import { interval, logTransform, logoddsTransform, lowerBound, upperBound } from "./transforms/elementwise.ts";
import { chain, orderedTransform, positiveOrderedTransform, simplexTransform } from "./transforms/vector.ts";

/** The standard distributions, by PyMC name. */
export const standardDistributions = {
  Normal,
  HalfNormal,
  ...continuousDistributions,
  ...continuousSpecialDistributions,
  ...truncatedDistributions,
  ...discreteDistributions,
  ...discreteCountsDistributions,
  ...multivariateDistributions,
  ...multivariateLkjDistributions,
};
export type StdDistName = keyof typeof standardDistributions;

export const transforms = {
  log: logTransform,
  logodds: logoddsTransform,
  interval,
  lowerBound,
  upperBound,
  simplex: simplexTransform,
  ordered: orderedTransform,
  positiveOrdered: positiveOrderedTransform,
  chain,
};

function pmFacade(rt: Runtime, ctx: PmContext) {
  return {
    model: ctx.model.bind(ctx),
    Model: (opts: { name?: string; coords?: Record<string, readonly unknown[]> } = {}) => new PmModel(rt.pt, opts.name, opts.coords),
    Deterministic: ctx.Deterministic.bind(ctx),
    Potential: ctx.Potential.bind(ctx),
    Data: ctx.Data.bind(ctx),
    logp: ctx.logp.bind(ctx),
    logcdf: ctx.logcdf.bind(ctx),
    draw: (vars: Variable | readonly Variable[], opts?: { draws?: number; seed?: number }) => draw(rt.pt, vars, opts),
    samplePriorPredictive: (opts: { model?: PmModel; draws?: number; seed?: number } = {}) => samplePriorPredictive(rt.pt, ctx.need(opts.model, "samplePriorPredictive"), opts),
    samplePosteriorPredictive: (posterior: Samples, opts: { model?: PmModel; seed?: number } = {}) => samplePosteriorPredictive(rt.pt, ctx.need(opts.model, "samplePosteriorPredictive"), posterior, opts),
    transforms,
    /** Register a distribution of your own: it appears as pm[name] in this runtime. */
    registerDistribution: (spec: DistributionSpec) => {
      rt.distributions.add(spec.name, spec);
      rt.pmFunctions.add(spec.name, ctx.rvFunction(spec));
    },
  };
}


export type Pm = ReturnType<typeof pmFacade> & Record<StdDistName, RVFunction>;

export const pplPlugin: Plugin = {
  name: "ppl/standard",
  requires: ["ops/standard"],
  register(rt) {
    const ctx = new PmContext(rt.pt);
    const facade = pmFacade(rt, ctx);
    const { registerDistribution, ...rest } = facade;
    rt.pmFunctions.define(rest as unknown as Record<string, (...a: unknown[]) => unknown>);
    rt.pmFunctions.add("registerDistribution", registerDistribution);
    for (const spec of Object.values(standardDistributions)) registerDistribution(spec);
  },
};

