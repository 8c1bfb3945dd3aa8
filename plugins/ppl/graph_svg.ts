// The model graph drawn as SVG with no graphviz binary: a layered layout (each variable one
// layer below its deepest parent), plates as rounded frames around their members.
import type { Model } from "./model.ts";
import { type ModelNode, modelNodes } from "./graphviz.ts";

const W = 150, H = 64, GAP_X = 40, GAP_Y = 70, PAD = 30;

interface Placed extends ModelNode {
  x: number;
  y: number;
}

function layout(nodes: ModelNode[]): Placed[] {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const depth = new Map<string, number>();
  const depthOf = (n: ModelNode, seen = new Set<string>()): number => {
    if (depth.has(n.name)) return depth.get(n.name)!;
    if (seen.has(n.name)) return 0;
    seen.add(n.name);
    const d = Math.max(-1, ...n.parents.map((p) => (byName.has(p) ? depthOf(byName.get(p)!, seen) : -1))) + 1;
    depth.set(n.name, d);
    return d;
  };
  nodes.forEach((n) => depthOf(n));
  const layers: ModelNode[][] = [];
  for (const n of nodes) (layers[depth.get(n.name)!] ??= []).push(n);
  // keep plate members together within a layer
  for (const l of layers) l.sort((a, b) => a.plate.localeCompare(b.plate));
  const width = Math.max(...layers.map((l) => l.length));
  return layers.flatMap((l, d) => {
    const offset = ((width - l.length) * (W + GAP_X)) / 2;
    return l.map((n, i) => ({ ...n, x: PAD + offset + i * (W + GAP_X) + W / 2, y: PAD + d * (H + GAP_Y) + H / 2 }));
  });
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function shape(n: Placed): string {
  const { x, y } = n;
  const fill = n.kind === "observed" || n.kind === "data" ? "#d3d3d3" : "white";
  if (n.kind === "free" || n.kind === "observed") return `<ellipse cx="${x}" cy="${y}" rx="${W / 2}" ry="${H / 2}" fill="${fill}" stroke="black"/>`;
  if (n.kind === "potential") {
    const pts = [...Array(8).keys()].map((k) => {
      const a = Math.PI / 8 + (k * Math.PI) / 4;
      return `${(x + (W / 2) * Math.cos(a)).toFixed(1)},${(y + (H / 2) * Math.sin(a)).toFixed(1)}`;
    });
    return `<polygon points="${pts.join(" ")}" fill="white" stroke="black"/>`;
  }
  return `<rect x="${x - W / 2}" y="${y - H / 2}" width="${W}" height="${H}" rx="${n.kind === "data" ? 10 : 0}" fill="${fill}" stroke="black"/>`;
}

export function modelToSvg(model: Model): string {
  const placed = layout(modelNodes(model));
  const at = new Map(placed.map((p) => [p.name, p]));
  const maxX = Math.max(...placed.map((p) => p.x)) + W / 2 + PAD;
  const maxY = Math.max(...placed.map((p) => p.y)) + H / 2 + PAD + 20;
  const parts: string[] = [];
  for (const plate of new Set(placed.map((p) => p.plate).filter((p) => p !== ""))) {
    const ms = placed.filter((p) => p.plate === plate);
    const x0 = Math.min(...ms.map((m) => m.x)) - W / 2 - 12, x1 = Math.max(...ms.map((m) => m.x)) + W / 2 + 12;
    const y0 = Math.min(...ms.map((m) => m.y)) - H / 2 - 12, y1 = Math.max(...ms.map((m) => m.y)) + H / 2 + 24;
    parts.push(`<rect x="${x0}" y="${y0}" width="${x1 - x0}" height="${y1 - y0}" rx="12" fill="none" stroke="black"/>`);
    parts.push(`<text x="${x1 - 8}" y="${y1 - 8}" text-anchor="end" font-size="12">${esc(plate)}</text>`);
  }
  for (const n of placed) {
    for (const p of n.parents) {
      const a = at.get(p);
      if (!a) continue;
      parts.push(`<line x1="${a.x}" y1="${a.y + H / 2}" x2="${n.x}" y2="${n.y - H / 2}" stroke="black" marker-end="url(#arrow)"/>`);
    }
  }
  for (const n of placed) {
    parts.push(shape(n));
    const lines = [n.name, ...n.label.split("\n")];
    lines.forEach((l, i) => parts.push(`<text x="${n.x}" y="${n.y - 14 + i * 15}" text-anchor="middle" font-size="13" font-family="Times, serif">${esc(l)}</text>`));
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${maxX}" height="${maxY}" viewBox="0 0 ${maxX} ${maxY}">`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>`,
    `<rect width="100%" height="100%" fill="white"/>`,
    ...parts,
    "</svg>",
  ].join("\n");
}
