// The model as a DOT graph, laid out as pm.model_to_graphviz: variables grouped in plates by
// shape, observed variables shaded, deterministics boxed, potentials as octagons.
import type { Variable } from "../../core/graph.ts";
import { SharedVariable } from "../../core/graph.ts";
import type { Model } from "./model.ts";
import { RandomVariable } from "./rv.ts";

export interface ModelNode {
  name: string;
  kind: "free" | "observed" | "deterministic" | "potential" | "data";
  /** Second and third label lines: "~" and the distribution, or "~" and "Deterministic". */
  label: string;
  plate: string;
  parents: string[];
}

/** Named variables a graph reads directly (walking through unnamed intermediate nodes). */
function namedParents(model: Model, v: Variable, self: string): string[] {
  const named = model.namedVars;
  const found: string[] = [];
  const seen = new Set<Variable>();
  const stack = v.owner ? [...(v.owner.op instanceof RandomVariable ? v.owner.inputs.slice(2) : v.owner.inputs)] : [];
  while (stack.length) {
    const x = stack.pop()!;
    if (seen.has(x)) continue;
    seen.add(x);
    if (x.name && x.name !== self && named.get(x.name) === x) {
      if (!found.includes(x.name)) found.push(x.name);
      continue;
    }
    if (x.owner) stack.push(...(x.owner.op instanceof RandomVariable ? x.owner.inputs.slice(2) : x.owner.inputs));
  }
  return found.sort();
}

function plateOf(model: Model, v: Variable): string {
  const dims = model.varDims.get(v.name!);
  if (dims && dims.length) return dims.map((d, i) => `${d} (${v.type.shape[i] ?? model.coords.get(d)?.length ?? "?"})`).join(" x ");
  const shape = v instanceof SharedVariable ? v.value.shape : v.type.shape;
  return shape.map((d) => (d === null ? "?" : String(d))).join(" x ");
}

export function modelNodes(model: Model): ModelNode[] {
  const nodes: ModelNode[] = [];
  for (const [name, s] of model.dataVars) nodes.push({ name, kind: "data", label: "~\nData", plate: plateOf(model, s), parents: [] });
  for (const r of model.infos()) {
    const op = r.rv.owner!.op as RandomVariable;
    nodes.push({ name: r.name, kind: r.observed ? "observed" : "free", label: `~\n${op.dist.name}`, plate: plateOf(model, r.rv), parents: namedParents(model, r.rv, r.name) });
  }
  for (const d of model.deterministics) nodes.push({ name: d.name!, kind: "deterministic", label: "~\nDeterministic", plate: plateOf(model, d), parents: namedParents(model, d, d.name!) });
  for (const p of model.potentials) nodes.push({ name: p.name!, kind: "potential", label: "~\nPotential", plate: plateOf(model, p), parents: namedParents(model, p, p.name!) });
  return nodes;
}

const STYLE: Record<ModelNode["kind"], string> = {
  free: "shape=ellipse",
  observed: "shape=ellipse style=filled",
  deterministic: "shape=box",
  potential: "shape=octagon",
  data: 'shape=box style="rounded, filled"',
};

const quote = (s: string) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(s) ? s : `"${s.replace(/"/g, '\\"')}"`);

export function toGraphviz(model: Model): string {
  const nodes = modelNodes(model);
  const lines = ["digraph {"];
  const line = (n: ModelNode, indent: string) =>
    `${indent}${quote(n.name)} [label="${`${n.name}\n${n.label}`.replace(/\n/g, "\\n")}" ${STYLE[n.kind]}]`;
  const plates = [...new Set(nodes.map((n) => n.plate))];
  plates.forEach((plate, k) => {
    const members = nodes.filter((n) => n.plate === plate);
    if (plate === "") {
      for (const n of members) lines.push(line(n, "\t"));
      return;
    }
    lines.push(`\tsubgraph cluster${k} {`);
    for (const n of members) lines.push(line(n, "\t\t"));
    lines.push(`\t\tlabel="${plate}" labeljust=r labelloc=b style=rounded`);
    lines.push("\t}");
  });
  for (const n of nodes) for (const p of n.parents) lines.push(`\t${quote(p)} -> ${quote(n.name)}`);
  lines.push("}");
  return lines.join("\n");
}
