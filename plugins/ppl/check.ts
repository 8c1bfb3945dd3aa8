// CheckParameter: passes a log-density through when its parameter conditions hold, and stops
// with an error naming the condition when they do not (PyMC's check_parameters). Samplers
// compile it with `onFail: "ninf"`, where a violated condition gives −inf instead.
import { type GradTerm, Op, type Props, type Variable, disconnected } from "../../core/graph.ts";
import { NDArray } from "../../core/ndarray.ts";
import { TensorType } from "../../core/types.ts";
import type { ParamCheck } from "./distributions/types.ts";

export class ParameterValueError extends RangeError {}

export class CheckParameter extends Op {
  readonly name = "Check";
  /** `label` names the variable in the error; it is not part of the op's identity. */
  constructor(readonly message: string, readonly onFail: "raise" | "ninf" = "raise", readonly label?: string) {
    super();
  }
  override props(): Props {
    return { message: this.message, onFail: this.onFail };
  }
  override toString(): string {
    return `Check{${this.message}}`;
  }
  make([x, ...conds]: readonly Variable[]): TensorType[] {
    for (const c of conds) {
      if (c.dtype !== "bool") throw new TypeError(`${this}: conditions must be bool, got ${c.describe()} of ${c.dtype}`);
    }
    return [x.type];
  }
  perform([x, ...conds]: NDArray[]): NDArray[] {
    const ok = conds.every((c) => c.data.every((v: number) => v !== 0));
    if (ok) return [x];
    if (this.onFail === "raise") {
      throw new ParameterValueError(`${this.label ? `${this.label}: ` : ""}invalid parameters: ${this.message} does not hold`);
    }
    const out = new NDArray(x.dtype, x.shape);
    out.data.fill(-Infinity);
    return [out];
  }
  pullback(inputs: readonly Variable[], _o: readonly Variable[], [g]: readonly (Variable | null)[]): GradTerm[] {
    return [g!, ...inputs.slice(1).map((): GradTerm => disconnected)];
  }
}

/** `logp` guarded by the conditions; one Check node lists every message. */
export function checkParameters(logp: Variable, checks: readonly ParamCheck[], opts: { name?: string; label?: string; onFail?: "raise" | "ninf" } = {}): Variable {
  if (checks.length === 0) return logp;
  const message = checks.map(([, m]) => m).join(", ");
  return new CheckParameter(message, opts.onFail ?? "raise", opts.label).call([logp, ...checks.map(([c]) => c)], opts.name);
}
