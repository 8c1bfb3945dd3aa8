// Specialize: replace general ops by cheaper special cases.
import { any } from "../../core/rewrite/pattern.ts";
import type { RewriteRule } from "../../core/rewrite/types.ts";
import { Mul, Sub, TrueDiv, mul, neg } from "../ops/elemwise.ts";
import { Pow, reciprocal, sqr, sqrt } from "../ops/elemwise_math.ts";
import { castTo, elem, rule, unit } from "./helpers.ts";
import { commuted } from "../../core/rewrite/pattern.ts";
import { isElem } from "./helpers.ts";
import type { Variable } from "../../core/graph.ts";

/** b is broadcast against a: it has fewer elements, so 1/b is computed fewer times than a/b. */
const broadcastDivisor = (a: Variable, b: Variable) =>
  b.type.shape.every((d, i) => d === 1 || (d !== null && d === a.type.shape[i])) && b.type.shape.some((d, i) => d === 1 && a.type.shape[i] !== 1);

export const specializeRules: RewriteRule[] = [
  rule({
    // a / b → a · (1/b) when b is broadcast: one division per element of b, not of a
    name: "div_by_broadcast_to_mul", tags: ["specialize"],
    pattern: elem(TrueDiv, any("a"), any("b")),
    when: ({ a, b }, v) => a.ndim === b.ndim && v.dtype === a.dtype && broadcastDivisor(a, b),
    build: ({ a, b }, v) => castTo(mul(a, reciprocal(b)), v.dtype),
  }),
  rule({ name: "pow_2_sqr", tags: ["specialize"], pattern: elem(Pow, any("x"), unit(2)), build: ({ x }, v) => castTo(sqr(x), v.dtype) }),
  rule({ name: "pow_half_sqrt", tags: ["specialize"], pattern: elem(Pow, any("x"), unit(0.5)), build: ({ x }, v) => castTo(sqrt(x), v.dtype) }),
  rule({ name: "pow_one", tags: ["specialize"], pattern: elem(Pow, any("x"), unit(1)), build: ({ x }, v) => castTo(x, v.dtype) }),
  rule({ name: "pow_neg_one", tags: ["specialize"], pattern: elem(Pow, any("x"), unit(-1)), build: ({ x }, v) => castTo(reciprocal(x), v.dtype) }),
  rule({ name: "zero_sub_neg", tags: ["specialize"], pattern: elem(Sub, unit(0), any("x")), build: ({ x }, v) => castTo(neg(x), v.dtype) }),
  rule({ name: "mul_neg_one", tags: ["specialize"], pattern: commuted(isElem(Mul), unit(-1), any("x")), build: ({ x }, v) => castTo(neg(x), v.dtype) }),
];
