// Pattern combinators for rules: small predicates over variables that bind named sub-terms.
import { Constant, type Op, type Variable } from "../graph.ts";
import type { Bindings } from "./types.ts";

/** Matches `v`, possibly binding names into `b`; must leave `b` unchanged when it fails. */
export type Pattern = ((v: Variable, b: Bindings) => boolean) & { readonly root?: (op: Op) => boolean };

/** The test a pattern applies to the matched node's op, when it has one (see RewriteRule.root). */
export function rootOf(p: Pattern): ((op: Op) => boolean) | undefined {
  return p.root;
}

const rooted = (root: ((op: Op) => boolean) | undefined, p: (v: Variable, b: Bindings) => boolean): Pattern =>
  root ? Object.assign(p, { root }) : p;

/** Any variable, bound to `name`; a second use of the same name must be the same variable. */
export function any(name: string): Pattern {
  return (v, b) => {
    const prev = b[name];
    if (prev === undefined) {
      b[name] = v;
      return true;
    }
    return prev === v || (prev instanceof Constant && v instanceof Constant && prev.signature === v.signature);
  };
}

/** A constant whose every entry equals `value` (any value when omitted), optionally bound. */
export function constant(value?: number, name?: string): Pattern {
  return (v, b) => {
    if (!(v instanceof Constant)) return false;
    if (value !== undefined && !Array.prototype.every.call(v.value.data, (x: number) => x === value)) return false;
    if (name) b[name] = v;
    return true;
  };
}

/** A node output whose op satisfies `test`, with inputs matching `args` in order. */
export function node(test: (op: Op) => boolean, ...args: Pattern[]): Pattern {
  return rooted(test, (v, b) => {
    const n = v.owner;
    if (!n || !test(n.op) || n.inputs.length !== args.length) return false;
    const trial: Bindings = { ...b };
    if (!args.every((p, i) => p(n.inputs[i], trial))) return false;
    Object.assign(b, trial);
    return true;
  });
}

/** Either argument order, for commutative ops. */
export function commuted(test: (op: Op) => boolean, p: Pattern, q: Pattern): Pattern {
  const ab = node(test, p, q), ba = node(test, q, p);
  return rooted(test, (v, b) => ab(v, b) || ba(v, b));
}

export function oneOf(...ps: Pattern[]): Pattern {
  const roots = ps.map(rootOf);
  const root = roots.every((r) => r !== undefined) ? (op: Op) => roots.some((r) => r!(op)) : undefined;
  return rooted(root, (v, b) => ps.some((p) => p(v, b)));
}

/** Bind the whole matched variable as well. */
export function as(name: string, p: Pattern): Pattern {
  return rooted(p.root, (v, b) => {
    if (!p(v, b)) return false;
    b[name] = v;
    return true;
  });
}

/** Run a pattern from scratch: the bindings, or null. */
export function matchPattern(p: Pattern, v: Variable): Bindings | null {
  const b: Bindings = {};
  return p(v, b) ? b : null;
}
