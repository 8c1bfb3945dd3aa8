// The Model users hold: the registry plus the compiled functions PyMC's Model offers.
import type { CorePt } from "../../core/runtime.ts";
import type { Variable } from "../../core/graph.ts";
import { NDArray } from "../../core/ndarray.ts";
import { Model } from "./model.ts";
import { type LogpOptions, modelLogp } from "./logprob.ts";
import {
  FlatView, type LogDensity, type Point, type PointLike, compileD2logp, compileDlogp, compileLogp,
  initialPoint, logDensity, pointLogps, pointValues,
} from "./functions.ts";
import { grad } from "../ops/gradient.ts";
import { hessian } from "../ops/jacobian.ts";
import { neg } from "../ops/elemwise.ts";
import { toGraphviz } from "./graphviz.ts";

export class PmModel extends Model {
  constructor(readonly pt: Pick<CorePt, "fn">, name?: string, coords?: Record<string, readonly unknown[]>) {
    super(name, coords);
  }
  initialPoint(opts: { seed?: number; jitter?: boolean } = {}): Point {
    return initialPoint(this, this.pt, opts);
  }
  pointLogps(point: PointLike = this.initialPoint()): Record<string, number> {
    return pointLogps(this, this.pt, point);
  }
  /** The joint log-density graph over the value variables (or its terms with { sum: false }). */
  logp(opts: LogpOptions = {}): Variable | Variable[] {
    return modelLogp(this, opts);
  }
  /** ∇logp over θ, the value variables packed flat (shapes from the initial point). */
  dlogp(opts: { jacobian?: boolean } = {}): { graph: Variable; view: FlatView } {
    const view = new FlatView(this, this.initialPoint());
    const [lp] = view.over([modelLogp(this, opts) as Variable]);
    return { graph: grad(lp, view.theta), view };
  }
  /** −∇²logp over θ (PyMC's negate_output default). */
  d2logp(opts: { jacobian?: boolean; negateOutput?: boolean } = {}): { graph: Variable; view: FlatView } {
    const view = new FlatView(this, this.initialPoint());
    const [lp] = view.over([modelLogp(this, opts) as Variable]);
    const H = hessian(lp, view.theta);
    return { graph: opts.negateOutput === false ? H : neg(H), view };
  }
  compileLogp(opts: LogpOptions = {}) {
    return compileLogp(this, this.pt, opts);
  }
  compileDlogp(opts: { jacobian?: boolean } = {}) {
    return compileDlogp(this, this.pt, this.initialPoint(), opts);
  }
  compileD2logp(opts: { jacobian?: boolean; negateOutput?: boolean } = {}) {
    return compileD2logp(this, this.pt, this.initialPoint(), opts);
  }
  /** The flat log-density samplers use (what pm.sample hands to a sampler). */
  logDensity(opts: { mode?: string } = {}): LogDensity & { view: FlatView } {
    return logDensity(this, this.pt, this.initialPoint(), opts);
  }
  /** Constrained values by RV name → value-variable point (`{ sigma: 0.5 }` → `{ sigma_log__: log 0.5 }`). */
  toValuePoint(values: PointLike): Point {
    const out: Point = {};
    for (const r of this.infos()) {
      if (r.observed) continue;
      const given = values[r.name] ?? values[r.value.name!];
      if (given === undefined) throw new Error(`toValuePoint: no value for '${r.name}'`);
      if (values[r.name] === undefined || !r.transform) {
        out[r.value.name!] = NDArray.from(given, r.value.dtype);
        continue;
      }
      const [x] = pointValues([r.rv], { [r.rv.name!]: given }, "toValuePoint");
      out[r.value.name!] = this.pt.fn([r.rv], r.transform.forward(r.rv), { mode: "interp" })(x);
    }
    return out;
  }
  /** DOT text in pm.model_to_graphviz's layout. */
  toGraphviz(): string {
    return toGraphviz(this);
  }
}
