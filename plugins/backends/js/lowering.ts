// The contract between the js backend's code generator and its per-family lowerings.
import type { Apply, Variable } from "../../../core/graph.ts";
import { type NDArray, type TypedArray, sizeOf, stridesOf } from "../../../core/ndarray.ts";
import type { LoopNest, Tree } from "./nest.ts";
import type { Source } from "./source.ts";

export type Dims = readonly number[];

/** Accumulator code around an element expression `x`; state names come fresh from the generator. */
export interface Kernel {
  /** Declarations before the first pass. */
  init(n: Names): string[];
  /** Per pass: statements run for each element `x` (in row-major order of the reduced axes). */
  passes: ((x: string, n: Names) => string[])[];
  /** Statements between pass k and k+1. */
  between?: ((n: Names) => string[])[];
  /** The result as an expression. */
  result(n: Names): string;
}
export type Names = Record<"acc" | "k" | "m" | "at" | "nan", string>;

/** A typed-array view: element (i0, i1, …) is at `offset + Σ ik·strides[k]` of `name`. */
export interface BufLoc {
  readonly kind: "buf";
  readonly name: string;
  readonly offset: number;
  readonly strides: readonly number[];
  /** Length of the whole typed array. */
  readonly length: number;
  /** The array itself when it lives in the closure (preallocated or constant), not per call. */
  readonly data?: TypedArray;
}

/** Where a value lives in the generated code; size-1 values live in locals or literals. */
export type Loc = { readonly kind: "lit"; readonly value: number } | { readonly kind: "reg"; readonly name: string } | BufLoc;

/** What a lowering sees while emitting one node. */
export interface EmitContext {
  readonly src: Source;
  /** Indentation depth of the node's code. */
  readonly depth: number;
  shape(v: Variable): Dims;
  /** v's value when it was known before the run (constants, folded shapes). */
  known(v: Variable): NDArray | undefined;
  loc(v: Variable): Loc;
  /** Say where an output lives without computing anything (views). */
  define(v: Variable, loc: Loc): void;
  /** A contiguous preallocated buffer for output `v` (reused by every call of this specialization). */
  buffer(v: Variable): BufLoc;
  /**
   * v's own buffer when `reader` is the last to read v, so it may overwrite it in place and make it
   * its output's (never a view's buffer: the view's readers are not all of the buffer's); else null.
   */
  reuse(v: Variable, reader: Apply): BufLoc | null;
  /**
   * The buffer of `node`'s output, starting as a copy of input `x` (node updates it): x's own
   * buffer when node is its last reader (PyTensor's inplace), else a fresh one and a copy loop.
   */
  updatable(x: Variable, node: Apply): BufLoc;
  /** v's value as a contiguous view (copying a strided view when needed). */
  contiguous(v: Variable): Loc;
  /** Read `v` at each point of `nest`, whose axis j is v's axis map[j] (-1: v does not vary along it). */
  tree(v: Variable, map: readonly number[], nest: LoopNest): Tree;
  /** Run `impl.perform` on the node's input arrays, as the fallback does with the op's own. */
  performWith(node: Apply, impl: { perform(inputs: NDArray[]): NDArray[] }): void;
}

/** Concrete shapes of a node's inputs, and their values where known before the run. */
export interface ShapeQuery {
  readonly shapes: readonly Dims[];
  readonly known: readonly (NDArray | undefined)[];
}

export interface JsLowering {
  /** Whether this node can ever be lowered (false: its perform always runs, and fallbacks() says so). */
  handles?(node: Apply): boolean;
  /** Output shapes from input shapes; null when only the run can tell (or the inputs are invalid). */
  shape?(node: Apply, q: ShapeQuery): number[][] | null;
  /** Output values known before the run from input shapes alone (Shape, Size, …); null if not. */
  fold?(node: Apply, q: ShapeQuery): NDArray[] | null;
  /** The input whose value the output is, unchanged (same shape and layout): the node then vanishes. */
  alias?(node: Apply, q: ShapeQuery, outShapes: readonly Dims[]): number | null;
  /** Inputs read only for their shape: they need no value, so they never keep a value alive. */
  readonly shapeOnly?: readonly number[];
  /** False sends this node through its op's perform for this shape signature (edge cases, errors). */
  supports?(node: Apply, q: ShapeQuery, outShapes: readonly Dims[]): boolean;
  /** May the node read input `i` computed inline (an elementwise producer fused into its loop)? */
  absorbs?(node: Apply, i: number, q: ShapeQuery, outShapes: readonly Dims[]): boolean;
  /** For reductions of all of input 0 in one row-major pass: the accumulator code (loop fusion). */
  reduction?(node: Apply, q: ShapeQuery): Kernel | null;
  /**
   * For nodes that add (or write) each element of one input somewhere in their output: sums over
   * some axes, writes through an index table. The node then shares the loop over that input with
   * its producers, adding each element in row-major order, the order the reference adds in.
   */
  scatter?(node: Apply, q: ShapeQuery): Scatter | null;
  /** For elementwise producers: the node's output as an expression over its own inputs. */
  tree?(node: Apply, cx: EmitContext, map: readonly number[], nest: LoopNest): Tree;
  /** For a lowering whose nodes are not all elementwise (indexing): whether `tree` serves this one. */
  treeFor?(node: Apply): boolean;
  /** Write the node's code; without it the op's perform runs (the entry then only informs shapes). */
  emit?(node: Apply, cx: EmitContext): void;
  /** Emit even when the output shapes come from a reference run (emit goes through performWith). */
  readonly whenDiscovered?: boolean;
}

/** Where a scattering node puts each element of its input `from` (see JsLowering.scatter). */
export interface Scatter {
  /** The input whose elements are placed: the loop runs over its shape. */
  readonly from: number;
  /** The output's stride along each axis of that input (0 on summed axes) … */
  readonly strides?: readonly number[];
  /** … or each element's offset in the output, in row-major order of the input. */
  readonly table?: Int32Array;
  /** The output before the loop: zeros, or a copy of this input. */
  readonly init?: number;
  /** Overwrite instead of adding. */
  readonly set?: boolean;
}

/** An op class and its lowering (subclasses inherit it), as each family file lists them. */
export type LoweringEntry = readonly [abstract new (...args: never[]) => unknown, JsLowering];

/** Fresh names for a kernel's state. */
export const kernelNames = (src: Source): Names =>
  ({ acc: src.fresh("acc"), k: src.fresh("k"), m: src.fresh("m"), at: src.fresh("at"), nan: src.fresh("nan") });

export const sameDims = (a: Dims, b: Dims): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/** Row-major strides (the NDArray layout). */
export const rowMajor = (shape: Dims): number[] => stridesOf(shape);

export const sizeOfDims = (shape: Dims): number => sizeOf(shape);

/** Read stride of a view along each iteration axis, 0 where it is broadcast or absent. */
export function iterStrides(loc: BufLoc, shape: Dims, map: readonly number[]): number[] {
  return map.map((ax) => (ax < 0 || shape[ax] === 1 ? 0 : loc.strides[ax]));
}

/** True when a view walks its elements in row-major order without gaps. */
export function isContiguous(loc: BufLoc, shape: Dims): boolean {
  const rm = rowMajor(shape);
  return shape.every((d, i) => d === 1 || loc.strides[i] === rm[i]);
}

/** The node's expression builder when it is an elementwise producer (see JsLowering.tree). */
export function treeOf(lw: JsLowering | undefined, node: Apply): JsLowering["tree"] {
  return lw?.tree && (lw.treeFor?.(node) ?? true) ? lw.tree : undefined;
}
