// Walking graphs: roots, ancestors, topological order, and rebuilding with replacements.
import type { Apply, Variable } from "./graph.ts";

/** Root variables (no owner) the outputs depend on, in first-seen depth-first order. */
export function graphInputs(outputs: readonly Variable[], stopAt: ReadonlySet<Variable> = new Set()): Variable[] {
  return ancestors(outputs, stopAt).filter((v) => v.owner === null || stopAt.has(v));
}

const NO_STOP: { has(v: Variable): boolean } = { has: () => false };
const NO_INPUTS: readonly Variable[] = [];

/** The mark of the walk in progress: walks mark the variables they visit instead of filling a Set. */
let walkEpoch = 0;
let walking = false;

/** Every variable the outputs depend on (outputs included), depth-first, inputs before users. */
export function ancestors(outputs: readonly Variable[], stopAt: { has(v: Variable): boolean } = NO_STOP): Variable[] {
  if (walking) throw new Error("ancestors: a walk's stopAt started another walk (marks would be overwritten)");
  walking = true;
  try {
    return walk(outputs, stopAt, ++walkEpoch);
  } finally {
    walking = false;
  }
}

function walk(outputs: readonly Variable[], stopAt: { has(v: Variable): boolean }, epoch: number): Variable[] {
  const order: Variable[] = [];
  // iterative post-order (deep graphs, unrolled loops, must not overflow the stack): a stack of
  // variables and, beside it, the inputs of each and the next one to visit
  const vs: Variable[] = [], inputs: (readonly Variable[])[] = [], next: number[] = [];
  const push = (v: Variable) => {
    v.walkMark = epoch;
    vs.push(v);
    inputs.push(v.owner !== null && !stopAt.has(v) ? v.owner.inputs : NO_INPUTS);
    next.push(0);
  };
  for (const o of outputs) {
    if (o.walkMark === epoch) continue;
    push(o);
    while (vs.length > 0) {
      const top = vs.length - 1, v = vs[top], i = next[top], ins = inputs[top];
      if (i < ins.length) {
        next[top] = i + 1;
        const x = ins[i];
        if (x.walkMark !== epoch) push(x);
      } else {
        inputs.pop();
        vs.pop();
        next.pop();
        order.push(v);
      }
    }
  }
  return order;
}

/** Apply nodes needed for the outputs, each after the nodes producing its inputs. */
export function toposort(outputs: readonly Variable[], stopAt: ReadonlySet<Variable> = new Set()): Apply[] {
  const nodes: Apply[] = [];
  const seen = new Set<Apply>();
  for (const v of ancestors(outputs, stopAt)) {
    if (v.owner && !stopAt.has(v) && !seen.has(v.owner)) {
      seen.add(v.owner);
      nodes.push(v.owner);
    }
  }
  return nodes;
}

/**
 * Rebuild the graphs of `outputs` with each key of `replace` swapped for its value. Nodes that
 * do not depend on a replaced variable are shared, not copied; rebuilt nodes re-check types.
 * Variables in `stopAt` (a FunctionGraph's inputs) are kept as they are, whatever is above them.
 */
export function cloneReplace(outputs: readonly Variable[], replace: ReadonlyMap<Variable, Variable>, stopAt: ReadonlySet<Variable> = new Set()): Variable[] {
  for (const [old, neu] of replace) {
    if (old.ndim !== neu.ndim) {
      throw new TypeError(`cloneReplace: replacement for ${old.describe()} has ${neu.ndim} dimensions, expected ${old.ndim}`);
    }
  }
  const memo = new Map<Variable, Variable>(replace);
  return outputs.map((o) => rebuild(o, memo, stopAt));
}

/** `v` rebuilt over the replacements in `memo`, which also records every rebuilt variable. */
function rebuild(v: Variable, memo: Map<Variable, Variable>, stopAt: ReadonlySet<Variable>): Variable {
  const hit = memo.get(v);
  if (hit) return hit;
  for (const a of ancestors([v], { has: (x) => memo.has(x) || stopAt.has(x) })) {
    if (memo.has(a)) continue;
    const node = a.owner;
    if (!node || stopAt.has(a)) {
      memo.set(a, a);
      continue;
    }
    const outs = node.withInputs(node.inputs.map((i) => memo.get(i) ?? i));
    node.outputs.forEach((o, k) => memo.set(o, outs[k]));
  }
  return memo.get(v) ?? v;
}
