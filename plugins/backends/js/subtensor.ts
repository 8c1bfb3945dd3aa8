// Indexing: basic integer/slice indexing with indices known before the run is a view (an offset
// and new strides), and writing through one is a copy plus a loop over the region. Integer-array
// indexing with a known index array (a group index in a hierarchical model) is a gather through
// a table of offsets, and writing through it a scatter; unknown index arrays and masks run their
// perform (their result shapes are still known up front).
import { type Apply, Constant } from "../../../core/graph.ts";
import { BasicIndex, IndexOp, IndexUpdateOp, sliceIndices } from "../../ops/subtensor_ops.ts";
import { TakeIndex } from "../../ops/subtensor_advanced.ts";
import { type Dims, type EmitContext, type JsLowering, type ShapeQuery, rowMajor, sameDims, type LoweringEntry } from "./lowering.ts";
import { emitTree } from "./elemwise.ts";
import { LoopNest, type Tree } from "./nest.ts";

interface Region {
  /** Index of the region's first element along each axis of x. */
  start: number[];
  /** Per result axis: its length, its step along x's axis `from`. */
  axes: { len: number; step: number; from: number }[];
}

/** The region a basic index selects in x of shape `x`, or null when an index is unknown or out of range. */
function region(indexer: BasicIndex, x: Dims, known: ShapeQuery["known"]): Region | null {
  if (indexer.entries.length > x.length) return null;
  let next = 0;
  const value = (b: number | null | "s" | "i"): number | null | undefined => (b !== "s" && b !== "i" ? b : known[next++]?.data[0]);
  const start = x.map(() => 0);
  const axes: Region["axes"] = [];
  for (let ax = 0; ax < x.length; ax++) {
    const e = ax < indexer.entries.length ? indexer.entries[ax] : ([null, null, null] as const);
    if (typeof e === "number" || e === "i") {
      const k = value(e);
      if (k === undefined || k === null || k < -x[ax] || k >= x[ax]) return null;
      start[ax] = k < 0 ? k + x[ax] : k;
      continue;
    }
    const [a, b, c] = e.map(value);
    if (a === undefined || b === undefined || c === undefined || c === 0) return null;
    const s = sliceIndices("", a, b, c, x[ax]);
    start[ax] = s.count > 0 ? s.start : 0;
    axes.push({ len: s.count, step: s.step, from: ax });
  }
  return { start, axes };
}

const basic = (node: Apply): BasicIndex | null => {
  const indexer = (node.op as IndexOp | IndexUpdateOp).indexer;
  return indexer instanceof BasicIndex ? indexer : null;
};
const take = (node: Apply): TakeIndex | null => {
  const indexer = (node.op as IndexOp | IndexUpdateOp).indexer;
  return indexer instanceof TakeIndex ? indexer : null;
};
/** A take whose index array is data in the graph (not an input): its offsets are known up front. */
const constantTake = (node: Apply) => take(node) !== null && node.inputs[node.op instanceof IndexUpdateOp ? 2 : 1] instanceof Constant;

/**
 * A take's region (its shape, and the row-major offset into x of each of its elements, in order)
 * when the index array is known before the run and in range; null otherwise (perform raises).
 */
function takePlan(node: Apply, q: ShapeQuery): { shape: number[]; offsets: Int32Array } | null {
  const ind = q.known[node.op instanceof IndexUpdateOp ? 2 : 1];
  if (!ind) return null;
  try {
    return take(node)!.plan(String(node.op), q.shapes[0], [ind]);
  } catch {
    return null;
  }
}

const query = (node: Apply, cx: EmitContext): ShapeQuery => ({ shapes: node.inputs.map((v) => cx.shape(v)), known: node.inputs.map((v) => cx.known(v)) });

const indexLowering: JsLowering = {
  handles: (node) => basic(node) !== null || constantTake(node),
  supports: (node, q) => basic(node) !== null || takePlan(node, q) !== null,
  // a take is elementwise over its result: x at the offset the table gives for each position, so
  // it is computed inside its readers' loops like any elementwise producer
  treeFor: (node) => take(node) !== null,
  absorbs: () => false,
  tree(node, cx, map, nest): Tree {
    const { offsets } = takePlan(node, query(node, cx))!;
    const loc = cx.contiguous(node.inputs[0]);
    if (loc.kind === "lit") return { t: "lit", value: loc.value };
    if (loc.kind === "reg") return { t: "name", name: loc.name };
    const shape = cx.shape(node.outputs[0]), rm = rowMajor(shape);
    const at = nest.read(cx.src.closure(offsets, "offs"), 0, map.map((ax) => (ax < 0 || shape[ax] === 1 ? 0 : rm[ax])));
    const base = loc.offset === 0 ? "" : `${loc.offset} + `;
    return { t: "op", fmt: ([k]) => `${loc.name}[${base}${k}]`, args: [at] };
  },
  shape: (node, q) => {
    const indexer = (node.op as IndexOp).indexer;
    if (indexer instanceof TakeIndex) {
      const x = q.shapes[0], ax = indexer.axis;
      return [[...x.slice(0, ax), ...q.shapes[1], ...x.slice(ax + 1)]];
    }
    const r = indexer instanceof BasicIndex ? region(indexer, q.shapes[0], q.known.slice(1)) : null;
    return r && [r.axes.map((a) => a.len)];
  },
  emit(node, cx) {
    if (take(node)) return emitTree(node, cx, indexLowering.tree!);
    const [x, ...idx] = node.inputs, out = node.outputs[0];
    const r = region(basic(node)!, cx.shape(x), idx.map((v) => cx.known(v)))!;
    const loc = cx.loc(x);
    if (loc.kind !== "buf") return cx.define(out, loc);
    const offset = r.start.reduce((o, k, ax) => o + k * loc.strides[ax], loc.offset);
    cx.define(out, { ...loc, offset, strides: r.axes.map((a) => a.step * loc.strides[a.from]) });
  },
};

/** What astype does to a value written into x's dtype. */
const castInto = (to: string, from: string, t: Tree): Tree =>
  to === from || to.startsWith("float") ? t
    : { t: "op", fmt: to === "int32" ? ([a]) => `Math.trunc(${a})` : ([a]) => `(${a} !== 0 ? 1 : 0)`, args: [t] };

/** Does y (right-aligned) broadcast to a region of shape `dims`? */
const fitsRegion = (y: Dims, dims: Dims) => {
  const off = dims.length - y.length;
  return off >= 0 && y.every((d, i) => d === 1 || d === dims[off + i]);
};

const updateLowering: JsLowering = {
  handles: (node) => basic(node) !== null || constantTake(node),
  // writing y through a take, y shaped like the region: one loop over y with the writes inside,
  // shared with y's producers (the gradient of a gather, in a hierarchical model's likelihood loop)
  scatter(node, q) {
    const p = take(node) ? takePlan(node, q) : null, [x, y] = node.inputs;
    if (!p || x.dtype === "bool" || x.dtype !== y.dtype || !sameDims(q.shapes[1], p.shape)) return null;
    return { from: 1, table: p.offsets, init: 0, set: (node.op as IndexUpdateOp).set };
  },
  shape: (node, q) => {
    const b = basic(node);
    return !b || region(b, q.shapes[0], q.known.slice(2)) ? [[...q.shapes[0]]] : null;
  },
  supports: (node, q) => {
    if (take(node)) {
      const p = takePlan(node, q);
      return p !== null && fitsRegion(q.shapes[1], p.shape);
    }
    return fitsRegion(q.shapes[1], region(basic(node)!, q.shapes[0], q.known.slice(2))!.axes.map((a) => a.len));
  },
  emit(node, cx) {
    const [x, y, ...idx] = node.inputs, set = (node.op as IndexUpdateOp).set;
    const shape = cx.shape(x), rm = rowMajor(shape);
    const buf = cx.updatable(x, node);
    const tp = take(node) ? takePlan(node, query(node, cx))! : null;
    const r = tp ? null : region(basic(node)!, shape, idx.map((v) => cx.known(v)))!;
    const dims = tp ? tp.shape : r!.axes.map((a) => a.len), off = dims.length - y.ndim;
    const nest = new LoopNest(cx.src, dims);
    const yv = castInto(x.dtype, y.dtype, cx.tree(y, dims.map((_, i) => i - off), nest));
    const write = (dst: string, v: string) => (set ? `${dst} = ${v};` : x.dtype === "bool" ? `${dst} = ${dst} || ${v} ? 1 : 0;` : `${dst} += ${v};`);
    if (tp) {
      // a scatter: the region's elements, in row-major order, are at the offsets of the table
      const k = cx.src.fresh("k"), j = cx.src.fresh("j"), offs = cx.src.closure(tp.offsets, "offs");
      cx.src.line(cx.depth, `let ${k} = 0;`);
      const v = nest.value(yv);
      nest.effect(0, `const ${j} = ${offs}[${k}++];`, write(`${buf.name}[${j}]`, v));
    } else {
      const at = nest.access(buf.name, r!.start.reduce((s, k, ax) => s + k * rm[ax], 0), r!.axes.map((a) => a.step * rm[a.from]));
      nest.effect(0, write(`${buf.name}[${nest.at(at)}]`, nest.value(yv)));
    }
    nest.emit(cx.depth);
  },
};

export const subtensorLowerings: LoweringEntry[] = [
  [IndexOp, indexLowering],
  [IndexUpdateOp, updateLowering],
];
