// FunctionGraph: a closed graph from chosen inputs to outputs — what rewrites and backends see.
import { Apply, Constant, Variable } from "./graph.ts";
import { ancestors, cloneReplace } from "./walk.ts";

export type Client = readonly [node: Apply, inputIndex: number];
const NO_CLIENTS: readonly Client[] = [];

/**
 * What an owned graph (see `own`) keeps current as it is edited in place: its nodes, who reads
 * each variable, and when each node last changed (added, or an input swapped) on a clock that
 * ticks at each change — so a merge or a pass can ask what changed since it last looked.
 */
interface Owned {
  readonly members: Set<Apply>;
  readonly clients: Map<Variable, Client[]>;
  readonly changed: Map<Apply, number>;
}
let clock = 0;

export class FunctionGraph {
  private ins: readonly Variable[];
  private outs: Variable[];
  private cache?: { nodes: Apply[]; clients?: Map<Variable, Client[]> };
  private inputsAsSet?: ReadonlySet<Variable>;
  private owned: Owned | null = null;

  constructor(inputs: readonly Variable[], outputs: readonly Variable[]) {
    const seen = new Set<Variable>();
    for (const i of inputs) {
      if (seen.has(i)) throw new Error(`FunctionGraph: input ${i.describe()} is given twice`);
      if (i instanceof Constant) throw new Error(`FunctionGraph: input ${i.describe()} is a constant; only variables can be inputs`);
      seen.add(i);
    }
    this.ins = [...inputs];
    this.outs = [...outputs];
    this.validate();
  }

  /** The inputs, in order (after `own`, an input some node computes is a stand-in for it). */
  get inputs(): readonly Variable[] {
    return this.ins;
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
  /** The nodes (and input positions) that read `v` (the graph's outputs are not among them: see isRead). */
  clients(v: Variable): readonly Client[] {
    if (this.owned) return this.owned.clients.get(v) ?? NO_CLIENTS;
    const a = this.analysis();
    return (a.clients ??= clientsOf(a.nodes)).get(v) ?? NO_CLIENTS;
  }
  /** Whether some node or an output of the graph reads `v`. */
  isRead(v: Variable): boolean {
    const readers = this.owned ? this.owned.clients.get(v) : this.clients(v);
    return (readers !== undefined && readers.length > 0) || this.outs.includes(v);
  }
  /** Whether `node` is (still) part of the graph. */
  contains(node: Apply): boolean {
    return this.owned ? this.owned.members.has(node) : this.nodes.includes(node);
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
    // rebuilt nodes are the graph's own too (they were built over its nodes): track them afresh
    if (this.owned) this.owned = track(this.nodes);
  }

  /** Replace variables everywhere they are used, rebuilding the nodes downstream of them. */
  replace(pairs: ReadonlyMap<Variable, Variable>): void {
    this.setOutputs(cloneReplace(this.outs, pairs, this.inputSet));
  }

  /** Every root must be an input or a constant: otherwise name what is missing. */
  validate(): void {
    this.analysis();
  }

  /**
   * Copy the nodes, so the graph can be edited in place (`swap`, `setInput`) without touching
   * graphs its creator still holds; rewrites do this first. Root inputs and constants stay
   * shared, outputs become the copies (named alike). An input that some node computes (an
   * intermediate value given as an input) becomes a stand-in root of the same type and name, so
   * nothing above it can be matched or edited. `copy` may stand in for the copying of one node,
   * over inputs already copied (a merge gives an equal node made before, say).
   */
  own(copy: (node: Apply, inputs: Variable[]) => readonly Variable[] = copyNode): void {
    if (this.owned) return;
    const copies = new Map<Variable, Variable>();
    for (const v of this.ins) if (v.owner) copies.set(v, new Variable(v.type, null, 0, v.name));
    for (const node of this.nodes) {
      const inputs = node.inputs.map((x) => copies.get(x) ?? x);
      const outs = copy(node, inputs);
      // (an output that is also an input is read as the input)
      for (let k = 0; k < outs.length; k++) if (!this.inputSet.has(node.outputs[k])) copies.set(node.outputs[k], outs[k]);
    }
    this.ins = this.ins.map((v) => copies.get(v) ?? v);
    this.inputsAsSet = undefined;
    this.outs = this.outs.map((o) => copies.get(o) ?? o);
    this.cache = undefined;
    this.owned = track(this.nodes);
  }
  /** Whether the graph owns its nodes (see `own`). */
  get isOwned(): boolean {
    return this.owned !== null;
  }

  /**
   * In an owned graph: every reader of `old` (nodes and outputs) reads `neu` instead. The nodes
   * `neu` needs join the graph, and nodes left unread leave it. New nodes that read `old`
   * themselves keep reading it; `neu` must not depend on a node of the graph that reads `old`
   * (that would be a cycle: rewrites replace a value by one computed from its own inputs).
   */
  swap(old: Variable, neu: Variable): void {
    const g = this.editable("swap");
    if (old === neu || !this.isRead(old)) return;
    if (old.ndim !== neu.ndim || old.dtype !== neu.dtype) {
      throw new TypeError(`FunctionGraph.swap: ${neu.describe()} (${neu.type}) cannot stand for ${old.describe()} (${old.type})`);
    }
    const added = this.adopt(neu, g);
    const readers = [...(g.clients.get(old) ?? NO_CLIENTS)];
    for (let r = 0; r < readers.length; r++) {
      const [node, i] = readers[r];
      if (!added.has(node)) this.setInput(node, i, neu);
    }
    if (this.outs.includes(old)) this.outs = this.outs.map((o) => (o === old ? neu : o));
    this.cache = undefined;
    if (old.owner) this.prune(old.owner, g);
  }

  /** In an owned graph: `node` reads `v` at input `i`. */
  setInput(node: Apply, i: number, v: Variable): void {
    const g = this.editable("setInput");
    const old = node.inputs[i];
    if (old === v) return;
    const list = g.clients.get(old);
    if (list) removeClient(list, node, i);
    node.setInput(i, v);
    addClient(g.clients, v, node, i);
    g.changed.set(node, ++clock);
    this.cache = undefined;
  }

  /** A time to give `changedSince` later. */
  now(): number {
    return clock;
  }
  /** The nodes of an owned graph added, or with an input swapped, after time `t` (see `now`). */
  changedSince(t: number): Apply[] {
    const out: Apply[] = [];
    for (const [node, at] of this.editable("changedSince").changed) if (at > t) out.push(node);
    return out;
  }

  private editable(what: string): Owned {
    if (!this.owned) throw new Error(`FunctionGraph.${what}: only a graph that owns its nodes (see own()) is edited in place`);
    return this.owned;
  }

  /** The nodes under `v` not yet in the graph join it (producers first); returns them. */
  private adopt(v: Variable, g: Owned): Set<Apply> {
    const added = new Set<Apply>();
    const inputs = this.inputSet;
    const known = (x: Variable) => x.owner === null || inputs.has(x) || g.members.has(x.owner);
    if (known(v)) return added;
    for (const x of ancestors([v], { has: known })) {
      const node = x.owner;
      if (node === null || inputs.has(x) || g.members.has(node)) continue;
      g.members.add(node);
      g.changed.set(node, ++clock);
      added.add(node);
      const ins = node.inputs;
      for (let i = 0; i < ins.length; i++) addClient(g.clients, ins[i], node, i);
    }
    return added;
  }

  /** Drop `node` if nothing reads it any more, and then the producers only it read. */
  private prune(node: Apply, g: Owned): void {
    const stack = [node];
    while (stack.length) {
      const n = stack.pop()!;
      if (!g.members.has(n)) continue;
      let read = false;
      for (const o of n.outputs) read ||= this.isRead(o);
      if (read) continue;
      g.members.delete(n);
      g.changed.delete(n);
      const ins = n.inputs;
      for (let i = 0; i < ins.length; i++) {
        removeClient(g.clients.get(ins[i])!, n, i);
        if (ins[i].owner) stack.push(ins[i].owner!);
      }
    }
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
      // a node with one output is met once; only multi-output nodes need remembering
      if (n.outputs.length > 1) {
        if (seen.has(n)) continue;
        seen.add(n);
      }
      nodes.push(n);
    }
    return (this.cache = { nodes });
  }
}

/** A node like `node` over `inputs`, its outputs named alike. */
export function copyNode(node: Apply, inputs: Variable[]): readonly Variable[] {
  const copy = new Apply(node.op, inputs, node.outputs.map((o) => o.type));
  for (let k = 0; k < copy.outputs.length; k++) copy.outputs[k].name = node.outputs[k].name;
  return copy.outputs;
}

/** Take [node, i] out of a reader list (from the end: the latest readers go first, as a rule). */
function removeClient(list: Client[], node: Apply, i: number): void {
  for (let k = list.length - 1; k >= 0; k--) {
    if (list[k][0] === node && list[k][1] === i) {
      list.splice(k, 1);
      return;
    }
  }
}

function addClient(clients: Map<Variable, Client[]>, v: Variable, node: Apply, i: number): void {
  const list = clients.get(v);
  if (list) list.push([node, i]);
  else clients.set(v, [[node, i]]);
}

/** Who reads each variable (built when a rule first asks: passes and merges need only the order). */
function clientsOf(nodes: readonly Apply[]): Map<Variable, Client[]> {
  const clients = new Map<Variable, Client[]>();
  for (const n of nodes) n.inputs.forEach((x, i) => addClient(clients, x, n, i));
  return clients;
}

/** The bookkeeping of an owned graph whose nodes are `nodes`, all of them new now. */
function track(nodes: readonly Apply[]): Owned {
  const at = ++clock;
  return { members: new Set(nodes), clients: clientsOf(nodes), changed: new Map(nodes.map((n) => [n, at])) };
}
