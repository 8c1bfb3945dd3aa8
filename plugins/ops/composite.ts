// Composite: several elementwise scalar ops fused into one loop (what the fusion rewrite
// builds). Its scalar program is a list of steps over the leaf inputs and earlier steps.
import { type GradTerm, type Variable } from "../../core/graph.ts";
import { type DType } from "../../core/types.ts";
import { Elemwise, type ScalarOp, outputDtype } from "./elemwise_base.ts";
import { vjp } from "./gradient.ts";

/** One step: a scalar op applied to leaves (`i<k>`) or earlier steps (`s<k>`). */
export interface Step {
  readonly op: ScalarOp;
  readonly args: readonly Ref[];
}
export type Ref = { leaf: number } | { step: number };

export class CompositeScalar implements ScalarOp {
  readonly name: string;
  readonly arity: number;
  readonly fn: (...xs: number[]) => number;
  constructor(readonly leafDtypes: readonly DType[], readonly steps: readonly Step[]) {
    this.arity = leafDtypes.length;
    this.name = `Composite{${this.describe(steps.length - 1)}}`;
    const fns = steps.map((s) => s.op.fn);
    const args = steps.map((s) => s.args);
    const vals = new Float64Array(steps.length);
    const read = (xs: number[], r: Ref) => ("leaf" in r ? xs[r.leaf] : vals[r.step]);
    this.fn = (...xs: number[]) => {
      for (let k = 0; k < fns.length; k++) {
        const a = args[k];
        vals[k] = a.length === 1 ? fns[k](read(xs, a[0])) : a.length === 2 ? fns[k](read(xs, a[0]), read(xs, a[1])) : fns[k](...a.map((r) => read(xs, r)));
      }
      return vals[fns.length - 1];
    };
  }
  get dtype(): (ins: DType[]) => DType {
    return (ins) => this.stepDtypes(ins)[this.steps.length - 1];
  }
  /** Each step's dtype, given the leaves' dtypes. */
  stepDtypes(leaves: readonly DType[]): DType[] {
    const out: DType[] = [];
    for (const s of this.steps) out.push(outputDtype(s.op, s.args.map((r) => ("leaf" in r ? leaves[r.leaf] : out[r.step]))));
    return out;
  }
  /** Expand back into elementwise nodes over `inputs` (used for the gradient). */
  expand(inputs: readonly Variable[], apply: (op: ScalarOp, args: Variable[]) => Variable): Variable {
    const vals: Variable[] = [];
    for (const s of this.steps) vals.push(apply(s.op, s.args.map((r) => ("leaf" in r ? inputs[r.leaf] : vals[r.step]))));
    return vals[vals.length - 1];
  }
  readonly pullback = (inputs: readonly Variable[], _out: Variable, g: Variable): GradTerm[] => {
    const expanded = this.expand(inputs, (op, args) => new Elemwise(op).call(args));
    return vjp(expanded, g, inputs, { disconnectedInputs: "ignore" });
  };
  /** Step k as an expression over the leaves (built step by step: fused chains can be thousands long). */
  private describe(k: number): string {
    const text: string[] = [];
    for (let j = 0; j <= k; j++) {
      const s = this.steps[j];
      text.push(`${s.op.name.toLowerCase()}(${s.args.map((r) => ("leaf" in r ? `i${r.leaf}` : text[r.step])).join(", ")})`);
    }
    return text[k];
  }
}

export function composite(leafDtypes: readonly DType[], steps: readonly Step[]): Elemwise {
  return new Elemwise(new CompositeScalar(leafDtypes, steps));
}
