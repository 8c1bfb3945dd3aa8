// Scan: a loop as one op (PyTensor's scan). The body is an inner FunctionGraph over
// [sequence slices…, previous states…, non-sequences…]; recurrent outputs feed back as the next
// step's states. The gradient is another Scan running backwards over the saved states.
import { Constant, type GradTerm, Op, type Props, SharedVariable, Variable, asVariable, disconnected } from "../../core/graph.ts";
import { FunctionGraph } from "../../core/fgraph.ts";
import { type ArrayLike, NDArray } from "../../core/ndarray.ts";
import { type Dim, TensorType, fmtShape, isFloat } from "../../core/types.ts";
import { cloneReplace, graphInputs } from "../../core/walk.ts";
import { checkOutputs } from "../../core/backend.ts";
import { stableJson } from "../../core/graph.ts";
import { gradWith } from "../../core/grad.ts";
import { algebra } from "./gradient.ts";
import { add, cast, zerosLike } from "./elemwise.ts";
import { expandDims } from "./dimshuffle.ts";
import { concatenate, shapeI, staticScalar } from "./shape_core.ts";
import { index, setSubtensor, slice } from "./subtensor.ts";

export class Scan extends Op {
  readonly name = "Scan";
  readonly foldable = false;
  private readonly innerKey: string;
  constructor(
    readonly inner: FunctionGraph,
    readonly nSeqs: number,
    /** Per inner output: does it feed back as a state? Recurrent outputs come first. */
    readonly nRecurrent: number,
    readonly label = "scan_fn",
  ) {
    super();
    this.innerKey = graphKey(inner);
  }
  get nNonSeqs(): number {
    return this.inner.inputs.length - this.nSeqs - this.nRecurrent;
  }
  override props(): Props {
    return { inner: this.innerKey, nSeqs: this.nSeqs, nRecurrent: this.nRecurrent };
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

/**
 * The loop itself, given a way to run the body once. Sequence rows are views (no copies); the
 * states handed to the next step are copied, since a compiled body may reuse its output buffers.
 */
export function runScan(op: Scan, [nStepsArr, ...rest]: NDArray[], body: (inputs: NDArray[]) => NDArray[]): NDArray[] {
  const nSteps = nStepsArr.data[0];
  const seqs = rest.slice(0, op.nSeqs);
  let states = rest.slice(op.nSeqs, op.nSeqs + op.nRecurrent);
  const nonSeqs = rest.slice(op.nSeqs + op.nRecurrent);
  for (const s of seqs) {
    if (s.shape[0] < nSteps) throw new RangeError(`${op}: a sequence of shape ${fmtShape(s.shape)} is shorter than nSteps = ${nSteps}`);
  }
  let outs: NDArray[] | null = null;
  const args: NDArray[] = [...seqs, ...states, ...nonSeqs];
  for (let t = 0; t < nSteps; t++) {
    seqs.forEach((s, k) => (args[k] = row(s, t)));
    states.forEach((h, k) => (args[op.nSeqs + k] = h));
    const res = body(args);
    if (!outs) outs = res.map((r, k) => new NDArray(op.inner.outputs[k].dtype, [nSteps, ...r.shape]));
    res.forEach((r, k) => {
      const o = outs![k], n = r.size;
      if (o.size !== nSteps * n) throw new RangeError(`${op}: step ${t} gave output ${k} of shape ${fmtShape(r.shape)}, earlier steps ${fmtShape(o.shape.slice(1))}`);
      o.data.set(r.data, t * n);
    });
    states = res.slice(0, op.nRecurrent).map((r, k) => new NDArray(r.dtype, r.shape, outs![k].data.subarray(t * r.size, (t + 1) * r.size)));
  }
  return outs ?? op.inner.outputs.map((o, k) => emptyOutput(o.type, k < op.nRecurrent ? rest[op.nSeqs + k] : null));
}

/** A structural key for the inner graph, so equal bodies make equal Scan ops. */
function graphKey(fg: FunctionGraph): string {
  const ids = new Map<Variable, string>();
  fg.inputs.forEach((v, i) => ids.set(v, `i${i}:${v.type.key}`));
  const parts: string[] = [];
  for (const v of fg.variables()) {
    if (ids.has(v)) continue;
    if (v instanceof Constant) ids.set(v, `c(${v.signature})`);
    else if (!v.owner) ids.set(v, `free${v.id}`);
  }
  fg.nodes.forEach((n, k) => {
    parts.push(`${n.op.key}(${n.inputs.map((i) => ids.get(i)).join(",")})`);
    n.outputs.forEach((o, j) => ids.set(o, `n${k}.${j}`));
  });
  return stableJson([parts, fg.outputs.map((o) => ids.get(o))]);
}

/** Evaluate a FunctionGraph by each node's perform (the body has no backend of its own here). */
export function interpret(fg: FunctionGraph): (inputs: NDArray[]) => NDArray[] {
  const nodes = fg.nodes;
  return (inputs) => {
    const vals = new Map<Variable, NDArray>();
    fg.inputs.forEach((v, i) => vals.set(v, inputs[i]));
    const get = (v: Variable) => vals.get(v) ?? (v instanceof Constant ? v.value : (v as SharedVariable).value);
    for (const n of nodes) {
      const res = n.op.perform(n.inputs.map(get));
      checkOutputs(n, res);
      n.outputs.forEach((o, k) => vals.set(o, res[k]));
    }
    return fg.outputs.map(get);
  };
}

/** Row t of a (a view sharing a's buffer). */
function row(a: NDArray, t: number): NDArray {
  const inner = a.shape.slice(1);
  const n = a.size / (a.shape[0] || 1);
  return new NDArray(a.dtype, inner, a.data.subarray(t * n, (t + 1) * n));
}

/** Zero steps: an empty [0, …] array shaped like the state (or the static type). */
function emptyOutput(t: TensorType, init: NDArray | null): NDArray {
  return new NDArray(t.dtype, [0, ...(init?.shape ?? t.shape.map((d) => d ?? 0))]);
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
  const op = new Scan(inner, seqs.length, inits.length, args.name);
  const res = op.apply([cast(nSteps, "int32"), ...seqs, ...inits, ...explicit, ...captured]).outputs;
  const byUser = new Array<Variable>(res.length);
  order.forEach((k, pos) => (byUser[k] = res[pos]));
  return byUser;
}

// ── gradient: a reverse scan ────────────────────────────────────────────────────────────────

const reverse = (x: Variable) => index(x, [slice(null, null, -1)]);
const last = (x: Variable) => index(x, [-1]);

function scanPullback(op: Scan, inputs: readonly Variable[], outputs: readonly Variable[], outGrads: readonly (Variable | null)[]): GradTerm[] {
  const [nSteps, ...rest] = inputs;
  const nS = op.nSeqs, nR = op.nRecurrent;
  // sequences may be longer than nSteps: the loop only reads their first nSteps rows
  const fullSeqs = rest.slice(0, nS);
  const seqs = fullSeqs.map((s) => index(s, [slice(0, nSteps)]));
  const inits = rest.slice(nS, nS + nR), nonSeqs = rest.slice(nS + nR);
  const gys = outputs.map((o, k) => outGrads[k] ?? zerosLike(o));
  // the state entering step t: [init, out_0, …, out_{T−2}]
  const prevStates = inits.map((h, k) => concatenate([expandDims(h, 0), index(outputs[k], [slice(null, -1)])]));
  const floatNon = nonSeqs.map((v) => isFloat(v.dtype));
  const body = (...xs: Variable[]): Variable[] => {
    const xt = xs.slice(0, nS), ht = xs.slice(nS, nS + nR), gyt = xs.slice(nS + nR, nS + nR + outputs.length);
    const carries = xs.slice(nS + nR + outputs.length, nS + 2 * nR + outputs.length);
    const accs = xs.slice(nS + 2 * nR + outputs.length, nS + 2 * nR + outputs.length + nonSeqs.length);
    const theta = xs.slice(nS + 2 * nR + outputs.length + nonSeqs.length);
    const fwd = cloneReplace(op.inner.outputs, new Map(op.inner.inputs.map((v, i) => [v, [...xt, ...ht, ...theta][i]])));
    const totals = fwd.map((_, k) => (k < nR ? add(gyt[k], carries[k]) : gyt[k]));
    const wrt = [...xt, ...ht, ...theta].filter((v) => isFloat(v.dtype));
    const gs = gradWith(algebra, null, wrt, { knownGrads: new Map(fwd.map((f, k) => [f, totals[k]])), disconnectedInputs: "ignore" });
    const gOf = (v: Variable) => (isFloat(v.dtype) ? gs[wrt.indexOf(v)] : zerosLike(v));
    const newCarries = ht.map(gOf);
    const newAccs = theta.map((v, k) => (floatNon[k] ? add(accs[k], gOf(v)) : accs[k]));
    return [...newCarries, ...newAccs, ...xt.map(gOf)];
  };
  const back = scan({
    fn: body,
    sequences: [...seqs.map(reverse), ...prevStates.map(reverse), ...gys.map(reverse)],
    outputsInfo: [...inits.map(zerosLike), ...nonSeqs.map(zerosLike), ...seqs.map(() => null)],
    nonSequences: nonSeqs,
    nSteps,
    name: `grad_of_${op.label}`,
  });
  const gInits = back.slice(0, nR).map(last);
  const gNon = back.slice(nR, nR + nonSeqs.length).map(last);
  const gSeqs = back.slice(nR + nonSeqs.length).map((g, k) => setSubtensor(index(zerosLike(fullSeqs[k]), [slice(0, nSteps)]), reverse(g)));
  const pick = (v: Variable, g: Variable): GradTerm => (isFloat(v.dtype) ? g : disconnected);
  return [disconnected, ...fullSeqs.map((s, k) => pick(s, gSeqs[k])), ...inits.map((h, k) => pick(h, gInits[k])), ...nonSeqs.map((v, k) => pick(v, gNon[k]))];
}

export const scanFunctions = { scan };
