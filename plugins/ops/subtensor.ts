// NumPy indexing as tensor functions: index(x, [...]) with integers, slices, newaxis and one
// integer-array or boolean index; take; setSubtensor / incSubtensor on the result of either.
// The ops are in subtensor_ops.ts (basic) and subtensor_advanced.ts (arrays and masks).
import { Constant, Variable, asVariable } from "../../core/graph.ts";
import { type ArrayLike, NDArray, type NestedArray } from "../../core/ndarray.ts";
import { DimShuffle, dimshuffle, padLeft } from "./dimshuffle.ts";
import { elemwiseInputs } from "./elemwise_base.ts";
import { Reshape, flatten, reshape } from "./shape.ts";
import { shape } from "./shape_core.ts";
import { MaskIndex, TakeIndex } from "./subtensor_advanced.ts";
import { type BasicEntry, BasicIndex, type Bound, IndexOp, IndexUpdateOp, type Indexer } from "./subtensor_ops.ts";

export type SliceBound = number | Variable | null | undefined;

/** A slice for index(): bounds and step are numbers, null/undefined (absent) or int32 scalars. */
export class Slice {
  constructor(readonly start: SliceBound, readonly stop: SliceBound, readonly step: SliceBound) {}
}

/** `slice(start, stop, step)` as in x[start:stop:step]; note slice(2) means x[2:], not Python's slice(2). */
export function slice(start?: SliceBound, stop?: SliceBound, step?: SliceBound): Slice {
  return new Slice(start, stop, step);
}

/** One entry of an index: an integer, a slice, null (new axis), or an int/bool array. */
export type IndexEntry = number | Variable | Slice | null | NestedArray | NDArray | Int32Array | Uint8Array;

type Parsed =
  | { kind: "newaxis" }
  | { kind: "int"; value: number | Variable }
  | { kind: "slice"; bounds: SliceBound[] }
  | { kind: "array" | "mask"; value: Variable };

/** Variables made inside one index()/take() call: setSubtensor writes through them to the base. */
const internal = new WeakSet<Variable>();

/** An int32 array constant from JS values, refusing non-integers instead of truncating them. */
function intArray(fn: string, a: ArrayLike): Variable {
  const arr = NDArray.from(a);
  if (arr.dtype !== "int32" && !Array.prototype.every.call(arr.data, (v: number) => Number.isInteger(v))) {
    throw new TypeError(`${fn}: indices must be integers, got ${arr.dtype} values`);
  }
  return new Constant(arr.astype("int32"));
}

function parseEntry(e: IndexEntry, k: number): Parsed {
  if (e === null) return { kind: "newaxis" };
  if (e instanceof Slice) {
    const bounds = [e.start, e.stop, e.step];
    bounds.forEach((b) => {
      if (b instanceof Variable && (b.ndim !== 0 || b.dtype !== "int32")) throw new TypeError(`index: slice bound ${b.describe()} in entry ${k} must be an int32 scalar`);
      if (typeof b === "number" && !Number.isInteger(b)) throw new TypeError(`index: slice bound ${b} in entry ${k} is not an integer`);
    });
    return { kind: "slice", bounds };
  }
  if (typeof e === "number") {
    if (!Number.isInteger(e)) throw new TypeError(`index: entry ${k} (${e}) is not an integer`);
    return { kind: "int", value: e };
  }
  if (typeof e === "boolean") throw new TypeError(`index: entry ${k} is a bare boolean; use a boolean array as a mask`);
  const v = e instanceof Variable ? e : NDArray.from(e as ArrayLike).dtype === "bool" ? asVariable(e as ArrayLike) : intArray("index", e as ArrayLike);
  if (v.dtype === "bool") {
    if (v.ndim === 0) throw new TypeError(`index: entry ${k} ${v.describe()} is a boolean scalar; use a boolean array as a mask`);
    return { kind: "mask", value: v };
  }
  if (v.dtype !== "int32") throw new TypeError(`index: entry ${k} ${v.describe()} must be int32 or bool, not ${v.dtype}`);
  return v.ndim === 0 ? { kind: "int", value: v } : { kind: "array", value: v };
}

/**
 * NumPy indexing `x[e0, e1, …]`: numbers and int32 scalars pick (negative counts from the end),
 * slices cut, null inserts an axis, one int32 array or bool mask indexes advanced-style. Fewer
 * entries than dimensions index the leading axes.
 */
export function index(x: Variable | ArrayLike, entries: readonly IndexEntry[], opts: { name?: string } = {}): Variable {
  const v = asVariable(x);
  const parsed = entries.map(parseEntry);
  const adv = parsed.filter((p): p is Parsed & { kind: "array" | "mask" } => p.kind === "array" || p.kind === "mask");
  if (adv.length > 1) throw new TypeError(`index: only one integer-array or boolean index is supported, got ${adv.length}`);
  const width = (p: Parsed) => (p.kind === "newaxis" ? 0 : p.kind === "mask" ? p.value.ndim : 1);
  const consumed = parsed.reduce((s, p) => s + width(p), 0);
  if (consumed > v.ndim) throw new RangeError(`index: too many indices for ${v.describe()}: ${consumed} axes indexed, it has ${v.ndim}`);

  // 1. integers and slices (advanced entries keep their axes whole for now)
  const basic: BasicEntry[] = [], symbolic: Variable[] = [];
  const bound = (b: SliceBound): Bound => {
    if (b instanceof Variable) {
      symbolic.push(b);
      return "s";
    }
    return b ?? null;
  };
  for (const p of parsed) {
    if (p.kind === "int") {
      if (p.value instanceof Variable) symbolic.push(p.value);
      basic.push(p.value instanceof Variable ? "i" : p.value);
    } else if (p.kind === "slice") basic.push([bound(p.bounds[0]), bound(p.bounds[1]), bound(p.bounds[2])]);
    else if (p.kind !== "newaxis") for (let i = 0; i < width(p); i++) basic.push([null, null, null]);
  }
  while (basic.length && isFull(basic[basic.length - 1])) basic.pop();
  // x[:] and x[None] still read through a Subtensor, so that setSubtensor has a region to write
  if (!basic.length && !adv.length && parsed.length) basic.push([null, null, null]);
  const steps: Variable[] = [];
  let cur = v;
  if (basic.length) steps.push((cur = new IndexOp(new BasicIndex(basic)).call([v, ...symbolic])));

  // 2. the advanced entry, at its axis among the axes the basic step kept
  let c = 0, group: number[] = [];
  const sliceAxis = new Map<Parsed, number>();
  for (const p of parsed) {
    if (p.kind === "slice") sliceAxis.set(p, c++);
    else if (p.kind === "array" || p.kind === "mask") {
      const indexer: Indexer = p.kind === "array" ? new TakeIndex(c) : new MaskIndex(c);
      steps.push((cur = new IndexOp(indexer).call([cur, p.value])));
      const g = p.kind === "array" ? p.value.ndim : 1;
      group = [...Array(g).keys()].map((i) => c + i);
      c += g;
    }
  }

  // 3. NumPy's layout: new axes in place; advanced dimensions first unless the advanced
  // entries (integers count as advanced next to an array) are adjacent
  const advPos = adv.length ? parsed.flatMap((p, i) => (p.kind === "int" || p.kind === "array" || p.kind === "mask" ? [i] : [])) : [];
  const adjacent = advPos.length === 0 || advPos[advPos.length - 1] - advPos[0] + 1 === advPos.length;
  const order: (number | "x")[] = adjacent ? [] : [...group];
  for (const p of parsed) {
    if (p.kind === "newaxis") order.push("x");
    else if (p.kind === "slice") order.push(sliceAxis.get(p)!);
    else if (p.kind !== "int" && adjacent) order.push(...group);
  }
  for (let ax = c; ax < cur.ndim; ax++) order.push(ax);
  const shuffled = dimshuffle(cur, order);
  if (shuffled !== cur) steps.push((cur = shuffled));

  steps.slice(0, -1).forEach((s) => internal.add(s));
  if (opts.name !== undefined && cur !== v) cur.name = opts.name;
  return cur;
}

function isFull(e: BasicEntry): boolean {
  return typeof e !== "number" && e !== "i" && e[0] === null && e[1] === null && (e[2] === null || e[2] === 1);
}

/** NumPy's take: elements of x along `axis` (x flattened when no axis) at int32 `indices`. */
export function take(x: Variable | ArrayLike, indices: Variable | ArrayLike, opts: { axis?: number; name?: string } = {}): Variable {
  let v = asVariable(x);
  const ind = indices instanceof Variable ? indices : intArray("take", indices);
  if (ind.dtype !== "int32") throw new TypeError(`take: indices ${ind.describe()} must be int32, not ${ind.dtype}`);
  if (opts.axis === undefined && v.ndim !== 1) internal.add((v = flatten(v)));
  const axis = opts.axis === undefined ? 0 : opts.axis < 0 ? opts.axis + v.ndim : opts.axis;
  if (!(axis >= 0 && axis < v.ndim)) throw new RangeError(`take: axis ${opts.axis} is out of range for ${v.describe()}`);
  return new IndexOp(new TakeIndex(axis)).call([v, ind], opts.name);
}

/**
 * The base tensor with the region `indexed` refers to replaced (set) or incremented by y,
 * following `indexed` back through the steps of the index()/take() call that made it.
 */
function writeThrough(fn: string, indexed: Variable, y: Variable, set: boolean): Variable {
  const node = indexed.owner;
  if (node?.op instanceof DimShuffle && internal.has(node.inputs[0])) {
    if (y.ndim > indexed.ndim) throw new RangeError(`${fn}: ${y.describe()} has more dimensions than the indexed ${indexed.describe()}`);
    // undo the layout change on y: DimShuffle's own pullback is exactly that inverse
    const back = node.op.pullback(node.inputs, node.outputs, [padLeft(y, indexed.ndim)])[0] as Variable;
    return writeThrough(fn, node.inputs[0], back, set);
  }
  if (node?.op instanceof Reshape && internal.has(indexed)) {
    // take without an axis indexes x flattened: the written-back vector is x's data reshaped
    return reshape(y, shape(node.inputs[0]));
  }
  if (node?.op instanceof IndexOp) {
    const [base, ...idx] = node.inputs;
    const updated = new IndexUpdateOp(node.op.indexer, set).call([base, y, ...idx]);
    return internal.has(base) ? writeThrough(fn, base, updated, true) : updated;
  }
  const how = node ? `is computed by ${node.op}` : "is not computed from anything";
  throw new TypeError(`${fn}: the first argument must be the result of index() or take(); ${indexed.describe()} ${how}`);
}

function update(fn: string, indexed: Variable, y: Variable | ArrayLike, set: boolean, name?: string): Variable {
  // bare numbers take the indexed tensor's dtype, as Python scalars do in PyTensor
  const yv = elemwiseInputs([indexed, y])[1];
  const out = writeThrough(fn, indexed, yv, set);
  if (name !== undefined) out.name = name;
  return out;
}

/** x with x[index] replaced by y (broadcast): `indexed` is the result of index() or take(). */
export function setSubtensor(indexed: Variable, y: Variable | ArrayLike, opts: { name?: string } = {}): Variable {
  return update("setSubtensor", indexed, y, true, opts.name);
}

/** x with y added to x[index]; repeated integer indices accumulate (np.add.at). */
export function incSubtensor(indexed: Variable, y: Variable | ArrayLike, opts: { name?: string } = {}): Variable {
  return update("incSubtensor", indexed, y, false, opts.name);
}

export const subtensorFunctions = { index, slice, take, setSubtensor, incSubtensor };
