// Specialize: replace general ops by cheaper special cases.
import { any } from "../../core/rewrite/pattern.ts";
import type { RewriteRule } from "../../core/rewrite/types.ts";
import { Mul, Sub, neg } from "../ops/elemwise.ts";
import { Pow, reciprocal, sqr, sqrt } from "../ops/elemwise_math.ts";
import { castTo, elem, rule, unit } from "./helpers.ts";
import { commuted } from "../../core/rewrite/pattern.ts";
import { isElem } from "./helpers.ts";

export const specializeRules: RewriteRule[] = [
  rule({ name: "pow_2_sqr", tags: ["specialize"], pattern: elem(Pow, any("x"), unit(2)), build: ({ x }, v) => castTo(sqr(x), v.dtype) }),
  rule({ name: "pow_half_sqrt", tags: ["specialize"], pattern: elem(Pow, any("x"), unit(0.5)), build: ({ x }, v) => castTo(sqrt(x), v.dtype) }),
  rule({ name: "pow_one", tags: ["specialize"], pattern: elem(Pow, any("x"), unit(1)), build: ({ x }, v) => castTo(x, v.dtype) }),
  rule({ name: "pow_neg_one", tags: ["specialize"], pattern: elem(Pow, any("x"), unit(-1)), build: ({ x }, v) => castTo(reciprocal(x), v.dtype) }),
  rule({ name: "zero_sub_neg", tags: ["specialize"], pattern: elem(Sub, unit(0), any("x")), build: ({ x }, v) => castTo(neg(x), v.dtype) }),
  rule({ name: "mul_neg_one", tags: ["specialize"], pattern: commuted(isElem(Mul), unit(-1), any("x")), build: ({ x }, v) => castTo(neg(x), v.dtype) }),
];
