// What rules are: data with a name, phase tags, a matcher and a builder.
import type { Variable } from "../graph.ts";
import type { FunctionGraph } from "../fgraph.ts";
import type { Op } from "../graph.ts";

/** An op with a body of its own (Scan): rewrites run on the body too, and the op is rebuilt. */
export interface HasInnerGraph {
  readonly inner: FunctionGraph;
  withInner(inner: FunctionGraph): Op;
}

export function hasInnerGraph(op: Op): op is Op & HasInnerGraph {
  const o = op as Op & Partial<HasInnerGraph>;
  return o.inner !== undefined && typeof o.withInner === "function";
}

export type Phase = "canonicalize" | "stabilize" | "specialize" | "fusion";
export const PHASES: readonly Phase[] = ["canonicalize", "stabilize", "specialize", "fusion"];

/** Named sub-terms a match binds, handed to `build`. */
export type Bindings = Record<string, Variable>;

export interface RewriteRule {
  readonly name: string;
  /** The phase the rule runs in, plus free tags (e.g. "stability") to select by. */
  readonly tags: readonly string[];
  /**
   * Which ops the rule can rewrite at all (PyTensor's "tracks"): a cheap test, run once per
   * distinct op, so a pass offers each node only to the rules that can match it. Absent: any op.
   */
  readonly root?: (op: Op) => boolean;
  /**
   * How many levels of nodes `match` (and its conditions) look at: 1 is v's node with its
   * inputs' types and constant values, 2 adds the nodes producing those inputs, and so on. After
   * a phase's first pass, a node is offered only when something within this reach changed.
   * Absent (any distance): for matchers that look at readers or elsewhere in the graph.
   */
  readonly reach?: number;
  /** Return bindings when `v` (a node's output) has the rule's shape, else null. */
  match(v: Variable, fg: FunctionGraph): Bindings | null;
  /** The replacement for `v`; it must keep v's dtype and shape. */
  build(b: Bindings, v: Variable, fg: FunctionGraph): Variable;
}

export interface RewriteOptions {
  /** Rule names (or tags) to leave out. */
  exclude?: readonly string[];
  /** Run no rewrites at all, not even merging. */
  none?: boolean;
  /** Called with each rule's name when it fires (for debugging and tests). */
  trace?: (rule: string) => void;
}
