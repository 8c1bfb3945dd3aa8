// Stabilize: rewrite expressions that lose precision or overflow into their stable forms.
import { any, commuted } from "../../core/rewrite/pattern.ts";
import type { RewriteRule } from "../../core/rewrite/types.ts";
import { Add, Neg, Sub, neg } from "../ops/elemwise.ts";
import { Exp, Log, Log1p, Sigmoid, expm1, log1mexp, log1p, softplus } from "../ops/elemwise_math.ts";
import { castTo, elem, isElem, rule, unit } from "./helpers.ts";
import { node } from "../../core/rewrite/pattern.ts";
import { Sum } from "../ops/reduce.ts";
import { LogSumExp } from "../ops/softmax.ts";
import { DimShuffle } from "../ops/dimshuffle.ts";

const isSum = (op: unknown) => op instanceof Sum;

export const stabilizeRules: RewriteRule[] = [
  rule({
    name: "logsumexp", tags: ["stabilize"], // log(sum(exp(x))) → max-shifted logsumexp(x)
    pattern: elem(Log, node(isSum, elem(Exp, any("x")))),
    build: ({ x }, v) => castTo(new LogSumExp((v.owner!.inputs[0].owner!.op as Sum).axis).call([x]), v.dtype),
  }),
  rule({
    name: "logsumexp_keepdims", tags: ["stabilize"], // log(expandDims(sum(exp(x)))) → expandDims(logsumexp(x))
    pattern: elem(Log, node((op) => op instanceof DimShuffle, node(isSum, elem(Exp, any("x"))))),
    build: ({ x }, v) => {
      const shuffle = v.owner!.inputs[0].owner!;
      const sum = shuffle.inputs[0].owner!.op as Sum;
      return castTo(shuffle.op.call([new LogSumExp(sum.axis).call([x])]), v.dtype);
    },
  }),
  rule({
    name: "log1p", tags: ["stabilize"], // log(1 + x) → log1p(x)
    pattern: elem(Log, commuted(isElem(Add), unit(1), any("x"))),
    build: ({ x }, v) => castTo(log1p(x), v.dtype),
  }),
  rule({
    name: "expm1", tags: ["stabilize"], // exp(x) − 1 → expm1(x)
    pattern: elem(Sub, elem(Exp, any("x")), unit(1)),
    build: ({ x }, v) => castTo(expm1(x), v.dtype),
  }),
  rule({
    name: "log_sigmoid", tags: ["stabilize"], // log(sigmoid(x)) → −softplus(−x)
    pattern: elem(Log, elem(Sigmoid, any("x"))),
    build: ({ x }, v) => castTo(neg(softplus(neg(x))), v.dtype),
  }),
  rule({
    name: "log1m_sigmoid", tags: ["stabilize"], // log(1 − sigmoid(x)) → −softplus(x)
    pattern: elem(Log, elem(Sub, unit(1), elem(Sigmoid, any("x")))),
    build: ({ x }, v) => castTo(neg(softplus(x)), v.dtype),
  }),
  rule({
    name: "log1m_exp", tags: ["stabilize"], // log(1 − exp(x)) → log1mexp(x)
    pattern: elem(Log, elem(Sub, unit(1), elem(Exp, any("x")))),
    build: ({ x }, v) => castTo(log1mexp(x), v.dtype),
  }),
  rule({
    name: "log1p_neg_exp", tags: ["stabilize"], // log1p(−exp(x)) → log1mexp(x)
    pattern: elem(Log1p, elem(Neg, elem(Exp, any("x")))),
    build: ({ x }, v) => castTo(log1mexp(x), v.dtype),
  }),
];
