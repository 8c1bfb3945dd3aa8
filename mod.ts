// tensorloom's package root: the default runtime's `pt`, and `createRuntime` for isolated ones.
import "reflect-metadata";
import { type CorePt, type Plugin, Runtime, type Settings, createRuntime as createBareRuntime } from "./core/runtime.ts";
import { setDefaultEvaluator } from "./core/graph.ts";
import { installTensorMethods } from "./plugins/ops/methods.ts";
import { standardPlugins } from "./plugins/standard.ts";
import type { StdPt } from "./plugins/ops/index.ts";
import type { Pm } from "./plugins/ppl/index.ts";

export type Pt = CorePt & StdPt;

export interface RuntimeOptions {
  /** Plugins registered after the standard ones. */
  plugins?: readonly Plugin[];
  /** Start empty: no standard plugins. */
  bare?: boolean;
  settings?: Settings;
}

/** A runtime of its own (own container and registries), preloaded with the standard plugins. */
export function createRuntime(opts: RuntimeOptions = {}): Runtime<Pt, Pm> {
  const plugins = [...(opts.bare ? [] : standardPlugins), ...(opts.plugins ?? [])];
  return createBareRuntime<Pt, Pm>({ plugins, settings: opts.settings });
}

/** The runtime behind `pt` and `Variable.eval`. */
export const runtime: Runtime<Pt, Pm> = createRuntime();
setDefaultEvaluator((v, givens) => runtime.evaluate(v, givens));
installTensorMethods();
export const pt: Pt = runtime.pt;
/** PyMC-style modelling bound to the default runtime. */
export const pm: Pm = runtime.pm;

export { Runtime, type Plugin, type Settings };
export { Apply, Constant, Op, SharedVariable, Variable, disconnected, notImplemented } from "./core/graph.ts";
export type { GradTerm, Props } from "./core/graph.ts";
export { NDArray } from "./core/ndarray.ts";
export { TensorType } from "./core/types.ts";
/** Pattern combinators for rewrite rules (see README "Rewrites" and examples/custom_op.ts). */
export * as patterns from "./core/rewrite/pattern.ts";
export type { Bindings, RewriteOptions, RewriteRule } from "./core/rewrite/types.ts";
export type { DType } from "./core/types.ts";
