// FunctionGraph: a closed graph from chosen inputs to outputs — what rewrites and backends see.
import { type Apply, Constant, type Variable } from "./graph.ts";
import { ancestors, cloneReplace, toposort } from "./walk.ts";

export type Client = readonly [node: Apply, inputIndex: number];

export class FunctionGraph {
  readonly inputs: readonly Variable[];
  private outs: Variable[];
  private cache?: { nodes: Apply[]; clients: Map<Variable, Client[]> };
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
    return this.analysis().clients.get(v) ?? [];
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
    const inputs = this.inputSet;
    for (const v of ancestors(this.outs, inputs)) {
      if (v.owner === null && !inputs.has(v) && !(v instanceof Constant)) {
        throw new Error(`missing input: ${v.describe()} (${v.type}) is needed to compute the outputs but is not among the inputs [${this.inputs.map(String).join(", ")}]`);
      }
    }
  }

  private analysis(): { nodes: Apply[]; clients: Map<Variable, Client[]> } {
    if (this.cache) return this.cache;
    const nodes = toposort(this.outs, this.inputSet);
    const clients = new Map<Variable, Client[]>();
    for (const n of nodes) {
      n.inputs.forEach((v, i) => {
        let list = clients.get(v);
        if (!list) clients.set(v, (list = []));
        list.push([n, i]);
      });
    }
    return (this.cache = { nodes, clients });
  }
}

/**
 * Structural merge (CSE): equal constants become one, and equal ops over equal inputs become one
 * node. Returns the merged outputs; nodes already unique are kept as they are.
 */
export function mergeEquivalent(fg: FunctionGraph): void {
  const canon = new Map<Variable, Variable>();
  const byKey = new Map<string, Variable[]>();
  const constBySig = new Map<string, Constant>();
  const stop = fg.inputSet;
  for (const v of fg.variables()) {
    if (v instanceof Constant) {
      const sig = v.signature;
      const first = constBySig.get(sig);
      if (first) canon.set(v, first);
      else constBySig.set(sig, v);
      continue;
    }
    if (!v.owner || stop.has(v) || canon.has(v)) continue;
    const node = v.owner;
    const ins = node.inputs.map((i) => canon.get(i) ?? i);
    const key = `${node.op.key}(${ins.map((i) => i.id).join(",")})`;
    const existing = byKey.get(key);
    if (existing) {
      node.outputs.forEach((o, k) => canon.set(o, existing[k]));
      continue;
    }
    const outs = node.withInputs(ins);
    if (outs !== node.outputs) node.outputs.forEach((o, k) => canon.set(o, outs[k]));
    byKey.set(key, outs);
  }
  const outs = fg.outputs.map((o) => canon.get(o) ?? o);
  if (outs.some((o, i) => o !== fg.outputs[i])) fg.setOutputs(outs);
}
