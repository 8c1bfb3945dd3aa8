// Runs rule tables over a FunctionGraph: merge, then each phase bottom-up to a fixpoint.
import type { Op, Variable } from "../graph.ts";
import { FunctionGraph, Merger, mergeEquivalent } from "../fgraph.ts";
import { ancestors, resolveInOrder } from "../walk.ts";
import { fmtShape } from "../types.ts";
import { PHASES, type RewriteOptions, type RewriteRule, hasInnerGraph } from "./types.ts";

const MAX_PASSES = 50;

export class RewriteRegistry {
  private readonly rules: RewriteRule[] = [];
  add(...rules: RewriteRule[]): this {
    for (const r of rules) {
      if (this.rules.some((x) => x.name === r.name)) throw new Error(`rewrite '${r.name}' is already registered in this runtime`);
      if (!r.tags.some((t) => (PHASES as readonly string[]).includes(t))) {
        throw new Error(`rewrite '${r.name}' has no phase tag (one of ${PHASES.join(", ")})`);
      }
      this.rules.push(r);
    }
    return this;
  }
  /** Every registered rule with its tags, in the order they are tried. */
  list(): { name: string; tags: readonly string[] }[] {
    return this.rules.map((r) => ({ name: r.name, tags: r.tags }));
  }
  get(name: string): RewriteRule {
    const r = this.rules.find((x) => x.name === name);
    if (!r) throw new Error(`no rewrite named '${name}' in this runtime`);
    return r;
  }

  /** Rewrite `fg` in place: merge, then every phase in order, each to a fixpoint. */
  run(fg: FunctionGraph, opts: RewriteOptions = {}): void {
    if (opts.none) return;
    const excluded = new Set(opts.exclude ?? []);
    for (const name of excluded) {
      if (!this.rules.some((r) => r.name === name || r.tags.includes(name)) && name !== "merge") {
        throw new Error(`rewrites.exclude: no rule or tag named '${name}' (see runtime.rewrites.list())`);
      }
    }
    // one merger for every pass: after the first merge, only nodes a pass built are looked at
    const merger = new Merger();
    const merge = () => !excluded.has("merge") && merger.merge(fg);
    merge();
    for (const phase of PHASES) {
      const rules = this.rules.filter((r) => r.tags.includes(phase) && !excluded.has(r.name) && !r.tags.some((t) => excluded.has(t)));
      if (rules.length === 0) continue;
      const pass = phase === "fusion" ? topDownPass : rewritePass;
      const offer = candidates(rules);
      for (let k = 0; k < MAX_PASSES; k++) {
        if (!pass(fg, offer, opts.trace)) break;
        merge();
      }
    }
    this.rewriteInnerGraphs(fg, opts);
  }

  /** Ops with bodies (Scan) get the same pipeline on their body, and are rebuilt around it. */
  private rewriteInnerGraphs(fg: FunctionGraph, opts: RewriteOptions): void {
    const replace = new Map<Variable, Variable>();
    for (const node of fg.nodes) {
      const op = node.op;
      if (!hasInnerGraph(op)) continue;
      const body = new FunctionGraph(op.inner.inputs, op.inner.outputs);
      this.run(body, opts);
      if (body.outputs.every((o, i) => o === op.inner.outputs[i])) continue;
      const rebuilt = op.withInner(body).apply(node.inputs);
      node.outputs.forEach((o, k) => {
        rebuilt.outputs[k].name = o.name;
        replace.set(o, rebuilt.outputs[k]);
      });
    }
    if (!replace.size) return;
    // a rebuilt node still reads the old outputs of nodes rebuilt before it: resolve in order
    fg.replace(resolveInOrder(replace));
    // each output was resolved on its own: equal rebuilt nodes become one again
    mergeEquivalent(fg);
  }
}

/** One bottom-up pass: rebuild each node over rewritten inputs, then offer it to the rules. */
function rewritePass(fg: FunctionGraph, rules: Candidates, trace?: (rule: string) => void): boolean {
  const memo = new Map<Variable, Variable>();
  let changed = false;
  for (const node of fg.nodes) {
    const outs = memo.size === 0 ? node.outputs : node.withInputs(node.inputs.map((i) => memo.get(i) ?? i));
    outs.forEach((o, k) => {
      let cur = o;
      // keep rewriting the same position while some rule fires (bounded: rules must make progress)
      for (let n = 0; n < 16 && cur.owner; n++) {
        const next = applyFirst(cur, rules, fg, trace);
        if (!next) break;
        cur = next;
        changed = true;
      }
      if (cur !== node.outputs[k]) memo.set(node.outputs[k], cur);
    });
  }
  if (changed || memo.size) fg.setOutputs(fg.outputs.map((o) => memo.get(o) ?? o));
  return changed;
}

/**
 * One pass from the outputs down (for fusion): a consumer is offered to the rules before its
 * producers, while the graph and its clients are still the original ones, so a whole chain
 * fuses at once. Producers absorbed by a rewrite are skipped; replacements apply at the end.
 */
function topDownPass(fg: FunctionGraph, rules: Candidates, trace?: (rule: string) => void): boolean {
  const stop = fg.inputSet;
  const live = new Set<Variable>(fg.outputs);
  const memo = new Map<Variable, Variable>();
  const order = ancestors(fg.outputs, stop);
  for (let i = order.length - 1; i >= 0; i--) {
    const v = order[i];
    if (!live.has(v) || !v.owner || stop.has(v)) continue;
    const next = applyFirst(v, rules, fg, trace);
    const node = next?.owner ?? v.owner;
    if (next) memo.set(v, next);
    for (const inp of node.inputs) live.add(inp);
    // siblings of a multi-output node stay live through the node itself
    for (const o of v.owner.outputs) if (!next) live.add(o);
  }
  if (!memo.size) return false;
  // a replacement built early may read variables replaced later (its producers): resolve
  // producers first so no replaced subgraph survives inside another replacement
  fg.replace(resolveInOrder([...memo].reverse(), stop));
  return true;
}

/** The rules to offer a node of each op: those whose root test accepts it (asked once per op). */
type Candidates = (op: Op) => readonly RewriteRule[];
function candidates(rules: readonly RewriteRule[]): Candidates {
  // keyed by the op's key: equal ops (rebuilt nodes make new ones) share one answer
  const byOp = new Map<string, readonly RewriteRule[]>();
  return (op) => {
    let list = byOp.get(op.key);
    if (!list) byOp.set(op.key, (list = rules.filter((r) => !r.root || r.root(op))));
    return list;
  };
}

function applyFirst(v: Variable, offer: Candidates, fg: FunctionGraph, trace?: (rule: string) => void): Variable | null {
  if (!v.owner) return null;
  for (const rule of offer(v.owner.op)) {
    const b = rule.match(v, fg);
    if (!b) continue;
    const out = rule.build(b, v, fg);
    if (out === v) continue;
    checkSameType(rule, v, out);
    if (out.name === undefined && v.name !== undefined) out.name = v.name;
    trace?.(rule.name);
    return out;
  }
  return null;
}

function checkSameType(rule: RewriteRule, old: Variable, neu: Variable): void {
  const a = old.type, b = neu.type;
  const compatible = a.dtype === b.dtype && a.ndim === b.ndim && a.shape.every((d, i) => d === null || b.shape[i] === null || d === b.shape[i]);
  if (!compatible) {
    throw new TypeError(`rewrite '${rule.name}' changed ${old} from ${a.dtype} ${fmtShape(a.shape)} to ${b.dtype} ${fmtShape(b.shape)}`);
  }
}
