// The graphs of test/plugins/rewrites/rewrites.test.ts under interp and js, with the rewrites on
// (fused Composites, logsumexp, …) and off (the raw ops), on the same awkward inputs.
import { NDArray } from "../../core/ndarray.ts";
import type { Variable } from "../../core/graph.ts";
import { DimShuffle } from "../../plugins/ops/dimshuffle.ts";
import { agree, pt } from "./compare.ts";

const awkward = [0, -0, 1, -1, 0.5, -2.5, 3, 1e-20, -1e-12, 700, -800, Infinity, -Infinity, NaN];
const ys = [0.75, -3, 0, Infinity, NaN, 1e-150];

/** One graph per rule of the rewrite tables (the differential test's list), in x and y. */
const RULE_GRAPHS: [string, (x: Variable, y: Variable) => Variable][] = [
  ["constant_folding", (x) => pt.add(x, pt.mul(2, 3))],
  ["mul_one", (x) => pt.mul(x, 1)],
  ["add_zero", (x) => pt.add(0, x)],
  ["sub_zero", (x) => pt.sub(x, 0)],
  ["div_one", (x) => pt.div(x, 1)],
  ["sub_self", (x) => pt.sub(x, x)],
  ["neg_neg", (x) => pt.neg(pt.neg(x))],
  ["mul_div_cancel", (x, y) => pt.mul(y, pt.div(x, y))],
  ["div_mul_cancel", (x, y) => pt.div(pt.mul(x, y), y)],
  ["log_exp", (x) => pt.log(pt.exp(x))],
  ["dimshuffle_merge", (x) => pt.expandDims(pt.expandDims(x, 0), 0)],
  ["dimshuffle_useless", (x) => new DimShuffle(1, [0]).call([x])],
  ["sum_of_broadcast_scalar", (x) => pt.add(pt.sum(pt.broadcastTo(pt.sum(x), [3, 4])), pt.sum(pt.full([2, 2], 1.5)))],
  ["logsumexp", (x) => pt.log(pt.sum(pt.exp(x)))],
  ["logsumexp_keepdims", (x) => pt.log(pt.sum(pt.exp(x), { keepdims: true }))],
  ["log1p", (x) => pt.log(pt.add(1, x))],
  ["expm1", (x) => pt.sub(pt.exp(x), 1)],
  ["log_sigmoid", (x) => pt.log(pt.sigmoid(x))],
  ["log1m_sigmoid", (x) => pt.log(pt.sub(1, pt.sigmoid(x)))],
  ["log1m_exp", (x) => pt.log(pt.sub(1, pt.exp(x)))],
  ["log1p_neg_exp", (x) => pt.log1p(pt.neg(pt.exp(x)))],
  ["pow_2_sqr", (x) => pt.pow(x, 2)],
  ["pow_half_sqrt", (x) => pt.pow(x, 0.5)],
  ["pow_one", (x) => pt.pow(x, 1)],
  ["pow_neg_one", (x) => pt.pow(x, -1)],
  ["zero_sub_neg", (x) => pt.sub(0, x)],
  ["mul_neg_one", (x) => pt.mul(-1, x)],
  ["elemwise_fusion", (x, y) => pt.add(pt.mul(pt.exp(x), y), pt.tanh(y))],
];

const args = ys.map((y) => [NDArray.from(awkward), NDArray.from(awkward.map(() => y))]);

describe("conformance: rewrite graphs (interp vs js)", () => {
  for (const [rule, build] of RULE_GRAPHS) {
    it(rule, () => {
      const x = pt.vector("x"), y = pt.vector("y");
      const out = build(x, y);
      for (const none of [false, true]) agree([x, y], [out], args, { what: `${rule}${none ? " (no rewrites)" : ""}`, rewrites: { none } });
    });
  }

  it("the seed-003 graphs: b·(a/b), log(exp(x + y)), a fused chain", () => {
    const a = pt.scalar("a"), b = pt.scalar("b"), x = pt.scalar("x"), y = pt.vector("y");
    agree([a, b], [pt.mul(b, pt.div(a, b))], [[NDArray.scalar(3), NDArray.scalar(7)], [NDArray.scalar(0), NDArray.scalar(0)]]);
    agree([x, y], [pt.log(pt.exp(pt.add(x, y)))], [[NDArray.scalar(0), NDArray.from([1, Math.E])]]);
    const v = pt.vector("v"), w = pt.vector("w");
    agree([v, w], [pt.add(pt.mul(pt.exp(v), 2), pt.sin(w))], [[NDArray.from([0, 1]), NDArray.from([2, 3])]]);
    agree([v], [pt.add(pt.exp(v), pt.exp(v))], [[NDArray.from([0, 1, -Infinity])]], { rewrites: { exclude: ["elemwise_fusion"] } });
  });

  it("the stability graphs at their extreme inputs", () => {
    const x = pt.scalar("x"), v = pt.vector("v"), m = pt.matrix("m");
    const s = (k: number) => [NDArray.scalar(k)];
    agree([x], [pt.log(pt.add(1, x))], [s(1e-20), s(-1), s(NaN)]);
    agree([x], [pt.log(pt.sigmoid(x)), pt.log(pt.sub(1, pt.sigmoid(x))), pt.sub(pt.exp(x), 1)], [s(-800), s(800), s(1e-18)]);
    agree([v], [pt.log(pt.sum(pt.exp(v)))], [[NDArray.from([1000, 1000])], [NDArray.from([-Infinity, -Infinity])], [NDArray.from([])]]);
    agree([m], [pt.log(pt.sum(pt.exp(m), { axis: 1, keepdims: true }))], [[NDArray.from([[1000, 1000], [-1000, -1000]])]]);
  });

  it("graphs mixing fused loops, reductions, views and broadcasting", () => {
    const x = pt.matrix("x"), mu = pt.vector("mu"), sigma = pt.scalar("sigma");
    const z = pt.div(pt.sub(x, mu), sigma);
    const logp = pt.sum(pt.sub(pt.mul(-0.5, pt.sqr(z)), pt.add(pt.log(sigma), 0.5 * Math.log(2 * Math.PI))));
    const colMax = pt.max(z, { axis: 0 }), rowLse = pt.logsumexp(pt.transpose(z), { axis: 0 });
    const X = NDArray.from([[0.1, -0.3, 2], [1.5, NaN, -1], [0, 4, Infinity]]);
    const cases = [[X, NDArray.from([0, 1, -1]), NDArray.scalar(0.7)], [X, NDArray.from([0, 0, 0]), NDArray.scalar(0)]];
    agree([x, mu, sigma], [logp, colMax, rowLse, pt.mean(pt.exp(z), { axis: 1 }), pt.argmax(z, { axis: 1 })], cases);
  });
});
