// Runs rule tables over a FunctionGraph: merge, then each phase bottom-up to a fixpoint.
import type { Apply, Op, Variable } from "../graph.ts";
import { FunctionGraph } from "../fgraph.ts";
import { Merger } from "./merge.ts";
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

  /**
   * Rewrite `fg` in place: merge, then every phase in order, each to a fixpoint. The graph first
   * takes copies of its nodes (FunctionGraph.own), so graphs the caller holds are untouched.
   * Returns whether anything changed.
   */
  run(fg: FunctionGraph, opts: RewriteOptions = {}): boolean {
    if (opts.none) return false;
    const excluded = new Set(opts.exclude ?? []);
    for (const name of excluded) {
      if (!this.rules.some((r) => r.name === name || r.tags.includes(name)) && name !== "merge") {
        throw new Error(`rewrites.exclude: no rule or tag named '${name}' (see runtime.rewrites.list())`);
      }
    }
    // one merger for every pass: its first merge copies the graph (see FunctionGraph.own), merged,
    // and later ones look only at the nodes a pass changed
    const merger = new Merger();
    const merge = () => !excluded.has("merge") && merger.merge(fg);
    let changed = merge();
    fg.own();
    for (const phase of PHASES) {
      const rules = this.rules.filter((r) => r.tags.includes(phase) && !excluded.has(r.name) && !r.tags.some((t) => excluded.has(t)));
      if (rules.length === 0) continue;
      const offer = candidates(rules);
      // the first pass offers every node to every rule; later ones offer a node far from what
      // changed since only to the rules that look beyond their reach (see RewriteRule.reach)
      const far = candidates(rules.filter((r) => r.reach === undefined));
      const reach = Math.max(1, ...rules.map((r) => r.reach ?? 1));
      let near: Set<Apply> | null = null;
      for (let k = 0; k < MAX_PASSES; k++) {
        const start = fg.now();
        if (!(phase === "fusion" ? topDownPass(fg, offer, opts.trace) : rewritePass(fg, offer, far, near, opts.trace))) break;
        changed = true;
        merge();
        near = neighbourhood(fg, fg.changedSince(start), reach);
      }
    }
    return this.rewriteInnerGraphs(fg, opts, merge) || changed;
  }

  /** Ops with bodies (Scan) get the same pipeline on their body, and are rebuilt around it. */
  private rewriteInnerGraphs(fg: FunctionGraph, opts: RewriteOptions, merge: () => boolean): boolean {
    let changed = false;
    for (const node of fg.nodes) {
      const op = node.op;
      if (!hasInnerGraph(op) || !fg.contains(node)) continue;
      const body = new FunctionGraph(op.inner.inputs, op.inner.outputs);
      if (!this.run(body, opts)) continue;
      const rebuilt = op.withInner(body).apply(node.inputs);
      node.outputs.forEach((o, k) => {
        rebuilt.outputs[k].name = o.name;
        fg.swap(o, rebuilt.outputs[k]);
      });
      changed = true;
    }
    // equal bodies rewritten alike make equal nodes again: they become one
    if (changed) merge();
    return changed;
  }
}

/** The changed nodes and their readers `reach` − 1 levels up: where a rule may newly match. */
function neighbourhood(fg: FunctionGraph, changed: readonly Apply[], reach: number): Set<Apply> {
  const near = new Set<Apply>(changed);
  let level: readonly Apply[] = changed;
  for (let d = 1; d < reach && level.length; d++) {
    const next: Apply[] = [];
    for (const n of level) {
      for (const o of n.outputs) {
        for (const [reader] of fg.clients(o)) {
          if (near.has(reader)) continue;
          near.add(reader);
          next.push(reader);
        }
      }
    }
    level = next;
  }
  return near;
}

/**
 * One pass from the inputs up: each node still in the graph is offered to the rules (given
 * `near`, nodes outside it only to the `far` ones), and replaced in place.
 */
function rewritePass(fg: FunctionGraph, rules: Candidates, far: Candidates, near: ReadonlySet<Apply> | null, trace?: (rule: string) => void): boolean {
  let changed = false;
  for (const node of fg.nodes) {
    const offer = near === null || near.has(node) ? rules : far;
    if (offer(node.op).length === 0 || !fg.contains(node)) continue;
    for (const o of node.outputs) {
      if (!fg.isRead(o)) continue;
      let cur = o;
      // keep rewriting the same position while some rule fires (bounded: rules must make progress)
      for (let n = 0; n < 16 && cur.owner; n++) {
        const next = applyFirst(cur, n === 0 ? offer : rules, fg, trace);
        if (!next) break;
        cur = next;
        changed = true;
      }
      fg.swap(o, cur);
    }
  }
  return changed;
}

/**
 * One pass from the outputs down (for fusion): a consumer is offered to the rules before its
 * producers, so a whole chain fuses at once; the producers it absorbs leave the graph with it.
 */
function topDownPass(fg: FunctionGraph, rules: Candidates, trace?: (rule: string) => void): boolean {
  const nodes = fg.nodes;
  let changed = false;
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i];
    if (!fg.contains(node)) continue;
    for (const v of node.outputs) {
      if (!fg.isRead(v)) continue;
      const next = applyFirst(v, rules, fg, trace);
      if (!next) continue;
      fg.swap(v, next);
      changed = true;
    }
  }
  return changed;
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
