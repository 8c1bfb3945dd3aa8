// The graph IR: Variables (immutable values in a graph), Apply nodes (an op applied to inputs)
// and the Op contract every op family implements.
import { type ArrayLike, NDArray, formatArray } from "./ndarray.ts";
import { type DType, TensorType, fmtShape } from "./types.ts";

let nextId = 1;

export class Variable {
  readonly id = nextId++;
  /** Free-form label; it never changes what the graph computes. */
  name: string | undefined;
  /** Graph walks mark what they have visited here (see walk.ts); meaningless outside a walk. */
  walkMark = 0;
  constructor(
    readonly type: TensorType,
    readonly owner: Apply | null = null,
    readonly index = 0,
    name?: string,
  ) {
    this.name = name;
  }
  get dtype(): DType {
    return this.type.dtype;
  }
  get ndim(): number {
    return this.type.ndim;
  }
  /** Evaluate with the default runtime; `givens` maps variables (or their names) to values. */
  eval(givens: Givens = {}): NDArray {
    if (!evaluator) throw new Error("Variable.eval: no default runtime; import tensorloom's mod.ts or use runtime.pt.fn");
    return evaluator(this, givens);
  }
  /** The label used by printers: name, constant value, `Op.index`, or `<type>` for an unnamed root. */
  toString(): string {
    if (this.name !== undefined) return this.name;
    if (this.owner) return `${this.owner.op}.${this.index}`;
    return `<${this.type}>`;
  }
  /** For error messages: `'name' (Vector(float64, shape=(?,)))`. */
  describe(): string {
    return `${this.name !== undefined ? `'${this.name}'` : String(this)} with shape ${fmtShape(this.type.shape)}`;
  }
}

export class Constant extends Variable {
  constructor(readonly value: NDArray, name?: string) {
    super(new TensorType(value.dtype, value.shape), null, 0, name);
  }
  /** A scalar prints as Python's repr of it (`6.283185307179586`, `1.0`), arrays as numpy does. */
  override toString(): string {
    if (this.name !== undefined) return this.name;
    const v = this.value;
    if (v.ndim === 0 && (v.dtype === "float64" || v.dtype === "float32") && Number.isFinite(v.data[0])) {
      const x = v.data[0];
      return Number.isInteger(x) && Math.abs(x) < 1e16 ? `${x}.0` : String(x);
    }
    return formatArray(v);
  }
  private sig?: string;
  /** Signature for merging equal constants (computed once: constants never change). */
  get signature(): string {
    return (this.sig ??= `${this.value.dtype}|${this.value.shape.join(",")}|${Array.prototype.join.call(this.value.data, ",")}`);
  }
}

/**
 * A variable whose value lives with it and can be replaced between calls (PyTensor's shared
 * variable): compiled functions read the current value when they run. Its static shape keeps
 * only the rank unless given, so new data of another length fits.
 */
export class SharedVariable extends Variable {
  private current: NDArray;
  constructor(value: NDArray, name?: string, shape?: readonly (number | null)[]) {
    super(new TensorType(value.dtype, shape ?? value.shape.map(() => null)), null, 0, name);
    this.current = value;
    this.check(value);
  }
  get value(): NDArray {
    return this.current;
  }
  setValue(value: ArrayLike): void {
    const v = NDArray.from(value, this.dtype);
    this.check(v);
    this.current = v;
  }
  private check(v: NDArray): void {
    if (!this.type.accepts(new TensorType(v.dtype, v.shape))) {
      throw new TypeError(`shared variable ${this.describe()}: new value of shape ${fmtShape(v.shape)} does not fit ${this.type}`);
    }
  }
}

export type Givens = Record<string, ArrayLike> | Map<Variable, ArrayLike>;
type Evaluator = (v: Variable, givens: Givens) => NDArray;
let evaluator: Evaluator | null = null;
/** Set by the composition root (mod.ts) so `Variable.eval` has a runtime to compile with. */
export function setDefaultEvaluator(e: Evaluator | null): void {
  evaluator = e;
}

export class Apply {
  readonly outputs: Variable[];
  constructor(readonly op: Op, readonly inputs: readonly Variable[], outputTypes: readonly TensorType[]) {
    this.outputs = outputTypes.map((t, i) => new Variable(t, this, i));
  }
  get defaultOutput(): Variable {
    return this.outputs[this.op.defaultOutput ?? 0];
  }
  /**
   * This node's outputs computed from other inputs: the same outputs when nothing changed, else
   * a rebuilt node (types re-checked) whose outputs keep the old names.
   */
  withInputs(inputs: readonly Variable[]): Variable[] {
    if (inputs.every((x, k) => x === this.inputs[k])) return this.outputs;
    const rebuilt = new Apply(this.op, inputs, this.op.make(inputs));
    rebuilt.outputs.forEach((o, k) => (o.name = this.outputs[k].name));
    return rebuilt.outputs;
  }
  /**
   * Read `v` at input `i` from now on. Only for a FunctionGraph editing nodes it owns (see
   * FunctionGraph.own), which keeps its bookkeeping and checks types; never on a user's graph.
   */
  setInput(i: number, v: Variable): void {
    const inputs = [...this.inputs];
    inputs[i] = v;
    (this as { inputs: readonly Variable[] }).inputs = inputs;
  }
  toString(): string {
    return `${this.op}(${this.inputs.map(String).join(", ")})`;
  }
}

// ── gradient terms: say what a gradient is, never a silent zero ──────────────────────────────
export const disconnected: unique symbol = Symbol("disconnected");
export type Disconnected = typeof disconnected;
export class NotImplementedGrad {
  constructor(readonly reason: string) {}
}
export function notImplemented(reason: string): NotImplementedGrad {
  return new NotImplementedGrad(reason);
}
export type GradTerm = Variable | Disconnected | NotImplementedGrad;

export type PropValue = number | string | boolean | null | readonly PropValue[];
export type Props = Readonly<Record<string, PropValue>>;

/**
 * An operation. Equality is by class name and props, so equal ops applied to equal inputs
 * are one node after merging. Subclasses say how to type their outputs (`make`), how to
 * compute them (`perform`) and, when differentiable, their vector-Jacobian product (`pullback`).
 */
export abstract class Op {
  abstract readonly name: string;
  readonly defaultOutput?: number;
  /** False for ops whose result must not be precomputed from constant inputs (randomness, effects). */
  readonly foldable?: boolean;
  private keyCache?: string;

  props(): Props {
    return {};
  }
  get key(): string {
    return (this.keyCache ??= `${this.name}${stableJson(this.props())}`);
  }
  equals(other: Op): boolean {
    return this === other || this.key === other.key;
  }
  /** Validate inputs and give the output types; errors name the op, the input and the shapes. */
  abstract make(inputs: readonly Variable[]): TensorType[];
  /** Reference semantics on concrete arrays. */
  abstract perform(inputs: NDArray[]): NDArray[];
  /**
   * Vector-Jacobian product: given the node's inputs, outputs and the gradients of the cost
   * with respect to each output (null where no gradient flows), the gradient for each input.
   */
  pullback?(inputs: readonly Variable[], outputs: readonly Variable[], outputGrads: readonly (Variable | null)[]): GradTerm[];

  apply(inputs: readonly (Variable | ArrayLike)[]): Apply {
    const vars = inputs.map((x) => asVariable(x));
    return new Apply(this, vars, this.make(vars));
  }
  /** Apply and return the default (or only) output, optionally named. */
  call(inputs: readonly (Variable | ArrayLike)[], name?: string): Variable {
    const node = this.apply(inputs);
    if (node.outputs.length !== 1 && this.defaultOutput === undefined) {
      throw new Error(`${this}: has ${node.outputs.length} outputs and no default output; use op.apply(...).outputs`);
    }
    const out = node.defaultOutput;
    if (name !== undefined) out.name = name;
    return out;
  }
  toString(): string {
    const p = this.props();
    const keys = Object.keys(p);
    if (keys.length === 0) return this.name;
    return `${this.name}{${keys.map((k) => `${k}=${fmtProp(p[k])}`).join(", ")}}`;
  }
}

function fmtProp(v: PropValue): string {
  if (v === null) return "None";
  if (Array.isArray(v)) return `(${v.map(fmtProp).join(", ")}${v.length === 1 ? "," : ""})`;
  if (typeof v === "string") return `'${v}'`;
  return String(v);
}

export function stableJson(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v) ?? "undefined";
  if (Array.isArray(v)) return `[${v.map(stableJson).join(",")}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`).join(",")}}`;
}

/** Variables pass through; numbers, nested arrays, typed arrays and NDArrays become Constants. */
export function asVariable(x: Variable | ArrayLike, dtype?: DType): Variable {
  if (x instanceof Variable) return x;
  return new Constant(NDArray.from(x, dtype));
}

export function isConstant(v: Variable): v is Constant {
  return v instanceof Constant;
}
