// FunctionGraph: a closed graph from chosen inputs to outputs — what rewrites and backends see.
import { type Apply, Constant, type Variable } from "./graph.ts";
import { ancestors, cloneReplace } from "./walk.ts";

export type Client = readonly [node: Apply, inputIndex: number];

export class FunctionGraph {
  readonly inputs: readonly Variable[];
  private outs: Variable[];
  private cache?: { nodes: Apply[]; clients?: Map<Variable, Client[]> };
  private inputsAsSet?: ReadonlySet<Variable>;

  constructor(inputs: readonly Variable[], outputs: readonly Variable[]) {
    const seen = new Set<Variable>();
    for (const i of inputs) {
      if (seen.has(i)) throw new Error(`FunctionGraph: input ${i.describe()} is given twice`);
      if (i instanceof Constant) throw new Error(`FunctionGraph: input ${i.describe()} is a constant; only variables can be inputs`);
      seen.add(i);
    }
    this.inputs = [...inputs];
    this.outs = [...outputs];
    this.validate();
  }

  get outputs(): readonly Variable[] {
    return this.outs;
  }
  /** The inputs as a set (built once: rules and passes ask for it per node). */
  get inputSet(): ReadonlySet<Variable> {
    return (this.inputsAsSet ??= new Set(this.inputs));
  }
  /** Apply nodes in an order where producers come before consumers. */
  get nodes(): readonly Apply[] {
    return this.analysis().nodes;
  }
  /** The nodes (and input positions) that read `v`; outputs count as a client with node -1. */
  clients(v: Variable): readonly Client[] {
    const a = this.analysis();
    return (a.clients ??= clientsOf(a.nodes)).get(v) ?? [];
  }
  /** All variables of the graph, inputs and constants included. */
  variables(): Variable[] {
    return ancestors(this.outs, this.inputSet);
  }

  /** Point the graph's outputs at rebuilt graphs; used by rewrites. */
  setOutputs(outputs: readonly Variable[]): void {
    if (outputs.length !== this.outs.length) throw new Error("FunctionGraph.setOutputs: output count changed");
    outputs.forEach((o, i) => {
      const old = this.outs[i];
      if (o.ndim !== old.ndim || o.dtype !== old.dtype) {
        throw new TypeError(`FunctionGraph: output ${i} changed type from ${old.type} to ${o.type}`);
      }
    });
    this.outs = [...outputs];
    this.cache = undefined;
    this.validate();
  }

  /** Replace variables everywhere they are used, rebuilding the nodes downstream of them. */
  replace(pairs: ReadonlyMap<Variable, Variable>): void {
    this.setOutputs(cloneReplace(this.outs, pairs, this.inputSet));
  }

  /** Every root must be an input or a constant: otherwise name what is missing. */
  validate(): void {
    this.analysis();
  }

  /** One walk from the outputs: the nodes in order, and a check of the roots. */
  private analysis(): { nodes: Apply[]; clients?: Map<Variable, Client[]> } {
    if (this.cache) return this.cache;
    const inputs = this.inputSet;
    const nodes: Apply[] = [];
    const seen = new Set<Apply>();
    for (const v of ancestors(this.outs, inputs)) {
      const n = v.owner;
      if (n === null || inputs.has(v)) {
        if (!inputs.has(v) && !(v instanceof Constant)) {
          throw new Error(`missing input: ${v.describe()} (${v.type}) is needed to compute the outputs but is not among the inputs [${this.inputs.map(String).join(", ")}]`);
        }
        continue;
      }
      if (seen.has(n)) continue;
      seen.add(n);
      nodes.push(n);
    }
    return (this.cache = { nodes });
  }
}

/** Who reads each variable (built when a rule first asks: passes and merges need only the order). */
function clientsOf(nodes: readonly Apply[]): Map<Variable, Client[]> {
  const clients = new Map<Variable, Client[]>();
  for (const n of nodes) {
    n.inputs.forEach((x, i) => {
      let list = clients.get(x);
      if (!list) clients.set(x, (list = []));
      list.push([n, i]);
    });
  }
  return clients;
}

/**
 * Structural merge (CSE): equal constants become one, and equal ops over equal inputs become one
 * node. Returns the merged outputs; nodes already unique are kept as they are.
 */
export function mergeEquivalent(fg: FunctionGraph): void {
  new Merger().merge(fg);
}

/**
 * Merging that remembers: nodes it has kept are unique and stay so (their inputs are canonical and
 * never remapped), so merging the same graph again after a rewrite looks only at the new nodes. A
 * rewrite pipeline keeps one for all its passes. A new node may turn out equal to a kept node the
 * graph no longer holds: it then becomes that node again, which computes the same thing.
 */
export class Merger {
  private readonly kept = new Set<Apply>();
  /** kept nodes by a numeric hash of (op, inputs); equal hashes are checked for real equality */
  private readonly byHash = new Map<number, Apply[]>();
  private readonly constBySig = new Map<string, Constant>();
  /** a small number for each distinct op key, so that merging compares numbers, not strings */
  private readonly opIds = new Map<string, number>();

  private opId(key: string): number {
    let id = this.opIds.get(key);
    if (id === undefined) this.opIds.set(key, (id = this.opIds.size + 1));
    return id;
  }

  merge(fg: FunctionGraph): void {
    const canon = new Map<Variable, Variable>();
    const stop = fg.inputSet;
    const same = (v: Variable): Variable => canon.get(v) ?? v;
    for (const node of fg.nodes) {
      if (this.kept.has(node)) continue;
      for (const v of node.inputs) {
        if (!(v instanceof Constant) || canon.has(v)) continue;
        const first = this.constBySig.get(v.signature);
        if (first === undefined) this.constBySig.set(v.signature, v);
        else if (first !== v) canon.set(v, first);
      }
      if (node.outputs.some((o) => stop.has(o))) continue;
      const n = node.inputs.some((i) => canon.has(i)) ? node.withInputs(node.inputs.map(same))[0].owner! : node;
      const op = this.opId(n.op.key);
      let h = op;
      for (const x of n.inputs) h = (Math.imul(h, 0x9e3779b1) ^ x.id) >>> 0;
      const bucket = this.byHash.get(h);
      const twin = bucket?.find((m) => this.opId(m.op.key) === op && m.inputs.length === n.inputs.length && m.inputs.every((x, k) => x === n.inputs[k]));
      const outs = twin ? twin.outputs : n.outputs;
      if (outs !== node.outputs) node.outputs.forEach((o, k) => canon.set(o, outs[k]));
      if (twin) continue;
      this.kept.add(n);
      if (bucket) bucket.push(n);
      else this.byHash.set(h, [n]);
    }
    const outs = fg.outputs.map(same);
    if (outs.some((o, i) => o !== fg.outputs[i])) fg.setOutputs(outs);
  }
}
