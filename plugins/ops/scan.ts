// Scan: a loop as one op (PyTensor's scan). The body is an inner FunctionGraph over
// [sequence slices…, previous states…, non-sequences…]; recurrent outputs feed back as the next
// step's states. The gradient is another Scan running the other way over the states and the
// residuals a forward pass saved.
import { Constant, type GradTerm, Op, type Props, Variable, asVariable, disconnected } from "../../core/graph.ts";
import { FunctionGraph } from "../../core/fgraph.ts";
import { type ArrayLike, NDArray } from "../../core/ndarray.ts";
import { type Dim, TensorType, isFloat } from "../../core/types.ts";
import { ancestors, cloneReplace, graphInputs } from "../../core/walk.ts";
import { gradWith } from "../../core/grad.ts";
import { algebra } from "./gradient.ts";
import { Elemwise } from "./elemwise_base.ts";
import { Second, add, cast, zerosLike } from "./elemwise.ts";
import { DimShuffle, expandDims } from "./dimshuffle.ts";
import { BroadcastLike, BroadcastTo, SumToShape, broadcastTo } from "./broadcast.ts";
import { Alloc } from "./creation.ts";
import { Reshape, SpecifyShape } from "./shape.ts";
import { Shape, ShapeI, Size, concatenate, shapeI, staticScalar } from "./shape_core.ts";
import { BasicIndex, IndexOp } from "./subtensor_ops.ts";
import { index, setSubtensor, slice } from "./subtensor.ts";
import { graphKey, interpret, runScan } from "./scan_run.ts";

export { interpret, runScan };

export interface ScanFlags {
  /** Run from the last step to the first (JAX's reverse=True); row t of every array is still step t. */
  reverse?: boolean;
  /** A forward pass built for a gradient: its first outputs are `primary`'s, the rest residuals. */
  primary?: Scan;
  /** The same, carried over when an op is rebuilt around a rewritten body. */
  primaryKey?: string;
  nPrimary?: number;
}

export class Scan extends Op {
  readonly name = "Scan";
  readonly foldable = false;
  readonly reverse: boolean;
  /** Key of the scan whose outputs this one's first `nPrimary` outputs repeat (null: none). */
  readonly primaryKey: string | null;
  readonly nPrimary: number | null;
  private readonly innerKey: string;
  constructor(
    readonly inner: FunctionGraph,
    readonly nSeqs: number,
    /** Per inner output: does it feed back as a state? Recurrent outputs come first. */
    readonly nRecurrent: number,
    readonly label = "scan_fn",
    flags: ScanFlags = {},
  ) {
    super();
    this.innerKey = graphKey(inner);
    this.reverse = flags.reverse ?? false;
    this.primaryKey = flags.primary?.key ?? flags.primaryKey ?? null;
    this.nPrimary = flags.primary?.inner.outputs.length ?? flags.nPrimary ?? null;
  }
  /** The same loop around another body (rewrites run on bodies too). */
  withInner(inner: FunctionGraph): Scan {
    return new Scan(inner, this.nSeqs, this.nRecurrent, this.label, {
      reverse: this.reverse, primaryKey: this.primaryKey ?? undefined, nPrimary: this.nPrimary ?? undefined,
    });
  }
  get nNonSeqs(): number {
    return this.inner.inputs.length - this.nSeqs - this.nRecurrent;
  }
  // the primary's key follows from the inner graph and nPrimary, so it need not be a prop
  override props(): Props {
    return { inner: this.innerKey, nSeqs: this.nSeqs, nRecurrent: this.nRecurrent, reverse: this.reverse, nPrimary: this.nPrimary };
  }
  override toString(): string {
    return `Scan{${this.label}}`;
  }

  make([nSteps, ...rest]: readonly Variable[]): TensorType[] {
    if (nSteps.ndim !== 0 || nSteps.dtype !== "int32") throw new TypeError(`${this}: nSteps must be an int32 scalar, got ${nSteps.describe()}`);
    const ins = this.inner.inputs;
    rest.forEach((v, i) => {
      const want = ins[i].type, isSeq = i < this.nSeqs;
      const got = isSeq ? new TensorType(v.dtype, v.type.shape.slice(1)) : v.type;
      if (got.dtype !== want.dtype || got.ndim !== want.ndim) {
        const what = isSeq ? `sequence ${i}` : i < this.nSeqs + this.nRecurrent ? `initial state ${i - this.nSeqs}` : `non-sequence ${i - this.nSeqs - this.nRecurrent}`;
        throw new TypeError(`${this}: ${what} ${v.describe()} (${v.dtype}) does not fit the body's input ${want}${isSeq ? " per step" : ""}`);
      }
    });
    const n: Dim = staticScalar(nSteps);
    return this.inner.outputs.map((o) => new TensorType(o.dtype, [n, ...o.type.shape]));
  }

  perform(inputs: NDArray[]): NDArray[] {
    return runScan(this, inputs, interpret(this.inner));
  }

  pullback(inputs: readonly Variable[], outputs: readonly Variable[], outGrads: readonly (Variable | null)[]): GradTerm[] {
    return scanPullback(this, inputs, outputs, outGrads);
  }
}

// ── the user-facing function ────────────────────────────────────────────────────────────────

export interface ScanArgs {
  /** The body: (x_t…, h_{t−1}…, nonSequences…) → outputs (one Variable or an array). */
  fn: (...args: Variable[]) => Variable | Variable[];
  sequences?: readonly (Variable | ArrayLike)[];
  /** One entry per output: the initial state of a recurrent output, or null for a plain one. */
  outputsInfo?: readonly (Variable | ArrayLike | null)[];
  nonSequences?: readonly (Variable | ArrayLike)[];
  nSteps?: number | Variable;
  /** Run from the last step to the first (JAX's reverse=True): outputs stay in step order. */
  reverse?: boolean;
  name?: string;
}

/** All steps of each output, shaped [nSteps, …] (take index(out, [-1]) for the last). */
export function scan(args: ScanArgs): Variable[] {
  const seqs = (args.sequences ?? []).map((s) => asVariable(s));
  const info = args.outputsInfo ?? [];
  const inits = info.filter((x): x is Variable | ArrayLike => x !== null).map((s) => asVariable(s));
  const explicit = (args.nonSequences ?? []).map((s) => asVariable(s));
  const seqIn = seqs.map((s, i) => new Variable(new TensorType(s.dtype, s.type.shape.slice(1)), null, 0, s.name ? `${s.name}[t]` : `seq${i}[t]`));
  const stateIn = inits.map((s, i) => new Variable(s.type.withShape(s.type.shape), null, 0, s.name ? `${s.name}[t-1]` : `state${i}[t-1]`));
  const nonSeqIn = explicit.map((s) => new Variable(s.type, null, 0, s.name));
  const raw = args.fn(...seqIn, ...stateIn, ...nonSeqIn);
  let outs = (Array.isArray(raw) ? raw : [raw]).map((o) => asVariable(o));
  const recurrentFlags = info.length ? info.map((x) => x !== null) : outs.map(() => false);
  if (recurrentFlags.length !== outs.length) throw new TypeError(`scan: outputsInfo has ${info.length} entries but fn returned ${outs.length} outputs`);
  // recurrent outputs first, keeping their order; remember where each user output went
  const order = [...outs.keys()].sort((a, b) => Number(recurrentFlags[b]) - Number(recurrentFlags[a]) || a - b);
  outs = order.map((k) => outs[k]);
  outs.slice(0, inits.length).forEach((o, k) => {
    if (o.dtype !== inits[k].dtype || o.ndim !== inits[k].ndim) {
      throw new TypeError(`scan: output ${order[k]} is ${o.dtype} with ${o.ndim} dims but its initial state ${inits[k].describe()} is ${inits[k].dtype}`);
    }
  });
  // outer variables the body uses without passing them become implicit non-sequences
  const known = new Set<Variable>([...seqIn, ...stateIn, ...nonSeqIn]);
  const captured = graphInputs(outs, known).filter((v) => !known.has(v) && !(v instanceof Constant));
  const capturedIn = captured.map((v) => new Variable(v.type, null, 0, v.name));
  if (captured.length) outs = cloneReplace(outs, new Map(captured.map((v, k) => [v, capturedIn[k]])));
  const inner = new FunctionGraph([...seqIn, ...stateIn, ...nonSeqIn, ...capturedIn], outs);
  const nSteps = args.nSteps !== undefined ? asVariable(args.nSteps, "int32")
    : seqs.length ? shapeI(seqs[0], 0) : (() => { throw new Error("scan: give nSteps or at least one sequence"); })();
  const op = new Scan(inner, seqs.length, inits.length, args.name, { reverse: args.reverse });
  const res = op.apply([nSteps.dtype === "int32" ? nSteps : cast(nSteps, "int32"), ...seqs, ...inits, ...explicit, ...captured]).outputs;
  const byUser = new Array<Variable>(res.length);
  order.forEach((k, pos) => (byUser[k] = res[pos]));
  return byUser;
}

// ── gradient: a scan the other way over saved residuals ─────────────────────────────────────

/**
 * One backward step over the body's own variables, built once per Scan. As in JAX's scan VJP,
 * whatever depends on no cotangent is forward work: the forward pass computes and saves it per
 * step, and the backward step keeps only what the cotangents flow through.
 */
interface BackwardStep {
  /** Body values the backward step reads per step: inner outputs, or residuals to add as outputs. */
  saved: Variable[];
  /** What stands for each saved value in `grads`. */
  savedIn: Variable[];
  /** The cotangent of each inner output at the step, and the one carried back to each state. */
  gy: Variable[];
  carry: Variable[];
  /** [∂ states…, ∂ float non-sequences…, ∂ float sequences…] over the body inputs, savedIn, gy, carry. */
  grads: Variable[];
}

const backwardSteps = new WeakMap<Scan, BackwardStep>();

function backwardStep(op: Scan): BackwardStep {
  const cached = backwardSteps.get(op);
  if (cached) return cached;
  const { inputs: ins, outputs: outs } = op.inner;
  const nS = op.nSeqs, nR = op.nRecurrent;
  const gy = outs.map((o, k) => new Variable(o.type, null, 0, `g_out${k}[t]`));
  const carry = ins.slice(nS, nS + nR).map((h, k) => new Variable(h.type, null, 0, `g_state${k}`));
  const known = new Map<Variable, Variable>();
  outs.forEach((o, k) => {
    if (!isFloat(o.dtype)) return;
    const g = k < nR ? add(gy[k], carry[k]) : gy[k];
    const prev = known.get(o); // an output listed twice gets both cotangents
    known.set(o, prev ? add(prev, g) : g);
  });
  const wrt = ins.filter((v) => isFloat(v.dtype));
  const gs = gradWith(algebra, null, wrt, { knownGrads: known, disconnectedInputs: "ignore" });
  const gOf = (v: Variable) => (isFloat(v.dtype) ? gs[wrt.indexOf(v)] : zerosLike(v));
  const floats = (vs: readonly Variable[]) => vs.filter((v) => isFloat(v.dtype));
  const raw = [...ins.slice(nS, nS + nR).map(gOf), ...floats(ins.slice(nS + nR)).map(gOf), ...floats(ins.slice(0, nS)).map(gOf)];
  const { saved, standIns } = splitForward(raw, new Set([...gy, ...carry]), op.inner.inputSet);
  const savedIn = saved.map((v, k) => new Variable(v.type, null, 0, `saved${k}[t]`));
  const grads = cloneReplace(raw, new Map([...saved.map((v, k) => [v, savedIn[k]] as const), ...standIns]));
  const step = { saved, savedIn, gy, carry, grads };
  backwardSteps.set(op, step);
  return step;
}

type Read = "value" | "shape";

/** Cheap to redo in the backward step: views, fills and shape queries. */
function replayed(op: Op): boolean {
  return op instanceof DimShuffle || op instanceof Reshape || op instanceof SpecifyShape || op instanceof BroadcastTo
    || op instanceof BroadcastLike || op instanceof Alloc || op instanceof Shape || op instanceof ShapeI || op instanceof Size
    || (op instanceof IndexOp && op.indexer instanceof BasicIndex) || (op instanceof Elemwise && op.scalar === Second);
}

/** Input i of op is read for its shape, never its values. */
function shapeOnly(op: Op, i: number): boolean {
  if (i === 0) return op instanceof Shape || op instanceof ShapeI || op instanceof Size || (op instanceof Elemwise && op.scalar === Second);
  return i === 1 && (op instanceof BroadcastLike || op instanceof SumToShape);
}

const knownShape = (v: Variable) => v.type.shape.every((d) => d !== null);

/**
 * Which forward values the backward step `outs` reads, and how it gets them. Body inputs and
 * constants are at hand; views, fills and shape queries are replayed; a value read only for its
 * shape, when its static shape is known, becomes a zero-stride broadcast of 0 (so it needs no
 * computing at all); every other value is saved by the forward pass.
 */
function splitForward(outs: readonly Variable[], cotangents: ReadonlySet<Variable>, bodyInputs: ReadonlySet<Variable>) {
  const order = ancestors(outs, bodyInputs);
  const dependent = new Set<Variable>(cotangents);
  for (const v of order) if (v.owner && !bodyInputs.has(v) && v.owner.inputs.some((i) => dependent.has(i))) dependent.add(v);
  const reads = new Map<Variable, Read>();
  const visit = (v: Variable, how: Read): void => {
    if (dependent.has(v) || reads.get(v) === "value" || reads.get(v) === how) return;
    reads.set(v, how);
    const n = v.owner;
    if (!n || bodyInputs.has(v) || (how === "shape" && knownShape(v)) || !replayed(n.op)) return;
    n.inputs.forEach((x, i) => visit(x, how === "shape" || shapeOnly(n.op, i) ? "shape" : "value"));
  };
  for (const v of order) {
    const n = v.owner;
    if (n && dependent.has(v) && !cotangents.has(v)) n.inputs.forEach((x, i) => visit(x, shapeOnly(n.op, i) ? "shape" : "value"));
  }
  outs.forEach((o) => visit(o, "value"));
  const saved: Variable[] = [];
  const standIns = new Map<Variable, Variable>();
  for (const [v, how] of reads) {
    if (v instanceof Constant || (!v.owner && !bodyInputs.has(v))) continue;
    if (how === "shape" && knownShape(v)) standIns.set(v, zeroStandIn(v));
    else if (v.owner && !bodyInputs.has(v) && !replayed(v.owner.op)) saved.push(v);
  }
  return { saved, standIns };
}

function zeroStandIn(v: Variable): Variable {
  const zero = new Constant(NDArray.scalar(0, v.dtype));
  return v.ndim === 0 ? zero : broadcastTo(zero, v.type.shape as number[]);
}

/** nSteps is the whole length of `seq` (its own Shape_i, or statically equal). */
function covers(nSteps: Variable, seq: Variable): boolean {
  const n = nSteps.owner;
  if (n?.op instanceof ShapeI && n.op.i === 0 && n.inputs[0] === seq) return true;
  const k = staticScalar(nSteps);
  return k !== null && k === seq.type.shape[0];
}

const first = (x: Variable) => index(x, [0]);
const last = (x: Variable) => index(x, [-1]);

function scanPullback(op: Scan, inputs: readonly Variable[], outputs: readonly Variable[], outGrads: readonly (Variable | null)[]): GradTerm[] {
  const [nSteps, ...rest] = inputs;
  const nS = op.nSeqs, nR = op.nRecurrent, ins = op.inner.inputs, inner = op.inner.outputs;
  const seqs = rest.slice(0, nS), inits = rest.slice(nS, nS + nR), nonSeqs = rest.slice(nS + nR);
  const floatSeqs = seqs.filter((v) => isFloat(v.dtype)), floatNon = nonSeqs.filter((v) => isFloat(v.dtype));
  if (!floatSeqs.length && !floatNon.length && !inits.some((v) => isFloat(v.dtype))) return inputs.map(() => disconnected);
  const step = backwardStep(op);
  // residuals that are no inner output come from a forward scan with extra outputs; the
  // scan_forward_with_residuals rewrite then lets it replace this one, so the loop runs once
  const extra = step.saved.filter((v) => !inner.includes(v));
  const outs = extra.length
    ? new Scan(new FunctionGraph(ins, [...inner, ...extra]), nS, nR, op.label, { reverse: op.reverse, primary: op }).apply(inputs).outputs
    : outputs;
  const savedSeqs = step.saved.map((v) => outs[inner.includes(v) ? inner.indexOf(v) : inner.length + extra.indexOf(v)]);
  // the state entering each step: the initial one, then the previous step's output
  const prevState = (k: number) => {
    const h0 = expandDims(inits[k], 0);
    return op.reverse ? concatenate([index(outs[k], [slice(1)]), h0]) : concatenate([h0, index(outs[k], [slice(null, -1)])]);
  };
  // only what the backward step reads becomes one of its sequences or non-sequences
  const used = new Set(graphInputs(step.grads));
  const seqPairs = [
    ...seqs.map((s, i) => [ins[i], () => s] as const),
    ...inits.map((_, k) => [ins[nS + k], () => prevState(k)] as const),
    ...step.savedIn.map((v, k) => [v, () => savedSeqs[k]] as const),
    ...step.gy.map((g, k) => [g, () => outGrads[k] ?? zerosLike(outputs[k])] as const),
  ].filter(([v]) => used.has(v));
  const nonPairs = nonSeqs.map((v, j) => [ins[nS + nR + j], v] as const).filter(([v]) => used.has(v));
  const nSeq = seqPairs.length, nAcc = floatNon.length;
  const back = scan({
    fn: (...xs) => {
      const map = new Map<Variable, Variable>([
        ...seqPairs.map(([v], i) => [v, xs[i]] as const),
        ...step.carry.map((c, k) => [c, xs[nSeq + k]] as const),
        ...nonPairs.map(([v], j) => [v, xs[nSeq + nR + nAcc + j]] as const),
      ]);
      const g = cloneReplace(step.grads, map);
      const accs = xs.slice(nSeq + nR, nSeq + nR + nAcc);
      return [...g.slice(0, nR), ...accs.map((a, j) => add(a, g[nR + j])), ...g.slice(nR + nAcc)];
    },
    sequences: seqPairs.map(([, s]) => s()),
    outputsInfo: [...inits.map(zerosLike), ...floatNon.map(zerosLike), ...floatSeqs.map(() => null)],
    nonSequences: nonPairs.map(([, v]) => v),
    nSteps,
    reverse: !op.reverse,
    name: `grad_of_${op.label}`,
  });
  // the backward scan ends at step 0 (or at the last step, for a reversed primal)
  const final = op.reverse ? last : first;
  const gInits = back.slice(0, nR).map(final);
  const gNon = back.slice(nR, nR + nAcc).map(final);
  const gSeqs = back.slice(nR + nAcc).map((g, j) => (covers(nSteps, floatSeqs[j]) ? g : setSubtensor(index(zerosLike(floatSeqs[j]), [slice(0, nSteps)]), g)));
  let js = 0, jn = 0;
  return [
    disconnected,
    ...seqs.map((s): GradTerm => (isFloat(s.dtype) ? gSeqs[js++] : disconnected)),
    ...inits.map((h, k): GradTerm => (isFloat(h.dtype) ? gInits[k] : disconnected)),
    ...nonSeqs.map((v): GradTerm => (isFloat(v.dtype) ? gNon[jn++] : disconnected)),
  ];
}

export const scanFunctions = { scan };
