// Pattern combinators for rules: small predicates over variables that bind named sub-terms.
import { Constant, type Op, type Variable } from "../graph.ts";
import type { Bindings } from "./types.ts";

/**
 * Matches `v`, possibly binding names into `b`; must leave `b` unchanged when it fails. `root` is
 * the test it applies to v's op, when it has one (see RewriteRule.root); `depth` how many levels
 * of nodes it looks at (0: v itself only, as a leaf), when known (see RewriteRule.reach).
 */
export type Pattern = ((v: Variable, b: Bindings) => boolean) & { readonly root?: (op: Op) => boolean; readonly depth?: number };

/** The test a pattern applies to the matched node's op, when it has one (see RewriteRule.root). */
export function rootOf(p: Pattern): ((op: Op) => boolean) | undefined {
  return p.root;
}

const rooted = (root: ((op: Op) => boolean) | undefined, p: (v: Variable, b: Bindings) => boolean, depth: number | undefined): Pattern =>
  Object.assign(p, root ? { root, depth } : { depth });

/** The deepest of some patterns, unknown when one is. */
const deepest = (ps: readonly Pattern[]): number | undefined =>
  ps.every((p) => p.depth !== undefined) ? Math.max(0, ...ps.map((p) => p.depth!)) : undefined;

/** A hand-written pattern, declared to look at `depth` levels of nodes (0: a leaf test). */
export function reaching(depth: number, p: (v: Variable, b: Bindings) => boolean): Pattern {
  return rooted(undefined, p, depth);
}

/** Any variable, bound to `name`; a second use of the same name must be the same variable. */
export function any(name: string): Pattern {
  return reaching(0, (v, b) => {
    const prev = b[name];
    if (prev === undefined) {
      b[name] = v;
      return true;
    }
    return prev === v || (prev instanceof Constant && v instanceof Constant && prev.signature === v.signature);
  });
}

/** A constant whose every entry equals `value` (any value when omitted), optionally bound. */
export function constant(value?: number, name?: string): Pattern {
  return reaching(0, (v, b) => {
    if (!(v instanceof Constant)) return false;
    if (value !== undefined && !Array.prototype.every.call(v.value.data, (x: number) => x === value)) return false;
    if (name) b[name] = v;
    return true;
  });
}

/** A node output whose op satisfies `test`, with inputs matching `args` in order. */
export function node(test: (op: Op) => boolean, ...args: Pattern[]): Pattern {
  const below = deepest(args);
  return rooted(test, (v, b) => {
    const n = v.owner;
    if (!n || !test(n.op) || n.inputs.length !== args.length) return false;
    const trial: Bindings = { ...b };
    if (!args.every((p, i) => p(n.inputs[i], trial))) return false;
    Object.assign(b, trial);
    return true;
  }, below === undefined ? undefined : below + 1);
}

/** Either argument order, for commutative ops. */
export function commuted(test: (op: Op) => boolean, p: Pattern, q: Pattern): Pattern {
  const ab = node(test, p, q), ba = node(test, q, p);
  return rooted(test, (v, b) => ab(v, b) || ba(v, b), ab.depth);
}

export function oneOf(...ps: Pattern[]): Pattern {
  const roots = ps.map(rootOf);
  const root = roots.every((r) => r !== undefined) ? (op: Op) => roots.some((r) => r!(op)) : undefined;
  return rooted(root, (v, b) => ps.some((p) => p(v, b)), deepest(ps));
}

/** Bind the whole matched variable as well. */
export function as(name: string, p: Pattern): Pattern {
  return rooted(p.root, (v, b) => {
    if (!p(v, b)) return false;
    b[name] = v;
    return true;
  }, p.depth);
}

/** Run a pattern from scratch: the bindings, or null. */
export function matchPattern(p: Pattern, v: Variable): Bindings | null {
  const b: Bindings = {};
  return p(v, b) ? b : null;
}
