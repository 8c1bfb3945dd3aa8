// Building blocks for rule tables: op tests, shape-safety checks, and a rule constructor.
import { Constant, type Op, type Variable } from "../../core/graph.ts";
import type { FunctionGraph } from "../../core/fgraph.ts";
import { type Pattern, matchPattern, node, reaching, rootOf } from "../../core/rewrite/pattern.ts";
import type { Bindings, RewriteRule } from "../../core/rewrite/types.ts";
import type { DType } from "../../core/types.ts";
import { Elemwise, type ScalarOp } from "../ops/elemwise_base.ts";
import { cast, second } from "../ops/elemwise.ts";

/** An Elemwise node of the given scalar op. */
export const isElem = (s: ScalarOp) => (op: Op) => op instanceof Elemwise && op.scalar === s;
export const elem = (s: ScalarOp, ...args: Pattern[]) => node(isElem(s), ...args);

export interface RuleSpec {
  name: string;
  tags: string[];
  pattern: Pattern;
  /** The ops the rule can rewrite, when the pattern cannot tell (a hand-written matcher). */
  root?: (op: Op) => boolean;
  /** How deep the rule looks (see RewriteRule.reach), when the pattern's depth does not say it all. */
  reach?: number;
  /** Extra condition on the bindings and v: their types and constant values. */
  when?: (b: Bindings, v: Variable) => boolean;
  /**
   * Extra condition that looks at the graph (readers, outputs): the rule then has no reach, and
   * is offered every node in every pass (see RewriteRule.reach).
   */
  whenInGraph?: (b: Bindings, v: Variable, fg: FunctionGraph) => boolean;
  build: (b: Bindings, v: Variable, fg: FunctionGraph) => Variable;
}

export function rule(spec: RuleSpec): RewriteRule {
  return {
    name: spec.name,
    tags: spec.tags,
    root: spec.root ?? rootOf(spec.pattern),
    reach: spec.whenInGraph ? undefined : spec.reach ?? spec.pattern.depth,
    match: (v, fg) => {
      const b = matchPattern(spec.pattern, v);
      return b && (!spec.when || spec.when(b, v)) && (!spec.whenInGraph || spec.whenInGraph(b, v, fg)) ? b : null;
    },
    build: spec.build,
  };
}

export function castTo(x: Variable, dtype: DType): Variable {
  return x.dtype === dtype ? x : cast(x, dtype);
}

/**
 * `x` standing in for `v`, where v = op(x, others…): kept as is when the others cannot widen x's
 * shape (their dims are 1 or statically equal to x's), else filled to v's broadcast shape.
 */
export function standIn(x: Variable, others: readonly Variable[], v: Variable): Variable {
  const safe = others.every((o) => o.ndim <= x.ndim && o.type.shape.every((d, i) => {
    const xd = x.type.shape[i + x.ndim - o.ndim];
    return d === 1 || (d !== null && d === xd);
  }));
  let out = x;
  for (const o of safe ? [] : others) out = second(o, out);
  return castTo(out, v.dtype);
}

/** A constant whose entries are all `value` and whose dims are all 1 (cannot broadcast anything). */
export function isUnitConstant(v: Variable, value: number): boolean {
  return v instanceof Constant && v.value.shape.every((d) => d === 1) && v.value.data.every((x: number) => x === value);
}

/** Pattern: a unit constant (see isUnitConstant) equal to `value`, bound to `name`. */
export const unit = (value: number, name = `const_${value}`): Pattern => reaching(0, (v, b) => {
  if (!isUnitConstant(v, value)) return false;
  b[name] = v;
  return true;
});
