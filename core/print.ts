// dprint: PyTensor's debugprint layout — one line per variable, `[id X]` labels, tree guides,
// `···` under a subtree that was already printed.
import { Variable } from "./graph.ts";
import { FunctionGraph } from "./fgraph.ts";

/** Anything holding a compiled graph (a compiled function) prints its rewritten graph. */
export interface HasFunctionGraph {
  readonly fgraph: FunctionGraph;
}

export interface DprintOptions {
  /** Also write the text to the console. */
  print?: boolean;
  /** Show each variable's type after its label. */
  printType?: boolean;
  /** Stop descending after this many levels (-1: no limit). */
  depth?: number;
}

/** A, B, …, Z, BA, BB, … as PyTensor numbers its ids. */
export function idLabel(n: number): string {
  let s = "";
  do {
    s = String.fromCharCode(65 + (n % 26)) + s;
    n = Math.floor(n / 26);
  } while (n > 0);
  return s;
}

export function dprint(obj: Variable | readonly Variable[] | HasFunctionGraph, opts: DprintOptions = {}): string {
  const ids = new Map<Variable, string>();
  const expanded = new Set<Variable>();
  const lines: string[] = [];
  const maxDepth = opts.depth ?? -1;
  let order: Map<unknown, number> | null = null;
  let outputs: readonly Variable[];
  let inputs: ReadonlySet<Variable> = new Set();
  if (obj instanceof Variable) outputs = [obj];
  else if (Array.isArray(obj)) outputs = obj as readonly Variable[];
  else {
    const fg = (obj as HasFunctionGraph).fgraph;
    outputs = fg.outputs;
    inputs = fg.inputSet;
    order = new Map(fg.nodes.map((n, i) => [n, i]));
  }

  const idOf = (v: Variable): string => {
    let id = ids.get(v);
    if (id === undefined) ids.set(v, (id = idLabel(ids.size)));
    return id;
  };
  const label = (v: Variable): string => {
    const isNode = v.owner !== null && !inputs.has(v);
    let head = isNode ? String(v.owner!.op) : String(v);
    if (isNode && v.owner!.outputs.length > 1) head += `.${v.index}`;
    let s = `${head} [id ${idOf(v)}]`;
    if (isNode && v.name !== undefined) s += ` '${v.name}'`;
    if (opts.printType) s += ` <${v.type}>`;
    if (isNode && order) s += ` ${order.get(v.owner)}`;
    return s;
  };
  const walk = (v: Variable, prefix: string, childPrefix: string, depth: number) => {
    lines.push(prefix + label(v));
    if (v.owner === null || inputs.has(v) || depth === maxDepth) return;
    if (expanded.has(v)) {
      lines.push(childPrefix + "└─ ···");
      return;
    }
    expanded.add(v);
    const ins = v.owner.inputs;
    ins.forEach((inp, k) => {
      const last = k === ins.length - 1;
      walk(inp, childPrefix + (last ? "└─ " : "├─ "), childPrefix + (last ? "   " : "│  "), depth + 1);
    });
  };

  outputs.forEach((o, k) => {
    if (order && (o.owner === null || inputs.has(o))) {
      // an output that is an input (or constant) is copied out, as PyTensor's DeepCopyOp shows
      lines.push(`DeepCopyOp [id ${idOf(new Variable(o.type))}] ${order.size + k}`);
      walk(o, "└─ ", "   ", 1);
    } else walk(o, "", "", 0);
  });
  const text = lines.join("\n");
  if (opts.print) console.log(text);
  return text;
}
