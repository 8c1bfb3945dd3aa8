// Gradient graphs (pt.grad of a projection of each op's output, and vjp) under interp and js:
// pullbacks bring SumToShape, BroadcastLike, IncSubtensor, Split, … which must agree too.
import { NDArray } from "../../core/ndarray.ts";
import type { Variable } from "../../core/graph.ts";
import { mulberry32, vjp } from "../../plugins/ops/gradient.ts";
import { cholesky, det, inv, logdet, solve } from "../../plugins/ops/linalg_decomp.ts";
import { shapeFunctions } from "../../plugins/ops/shape.ts";
import { index, slice, take } from "../../plugins/ops/subtensor.ts";

const { reshape, flatten, concatenate, stack } = shapeFunctions;
import { agree, pt } from "./compare.ts";

const rand = mulberry32(7);
const values = (shape: number[], lo: number, hi: number) => {
  const a = new NDArray("float64", shape);
  for (let i = 0; i < a.size; i++) a.data[i] = lo + (hi - lo) * rand();
  return a;
};
const spd = () => NDArray.from([[4, 1, 0.5], [1, 3, 0.2], [0.5, 0.2, 2]]);

type Case = [string, (...xs: Variable[]) => Variable, NDArray[]];
const fns = pt as unknown as Record<string, (...xs: Variable[]) => Variable>;

const UNARY: [string, number, number][] = [
  ["exp", -2, 2], ["log", 0.2, 4], ["log1p", -0.5, 3], ["sqrt", 0.2, 4], ["sqr", -2, 2], ["tanh", -2, 2],
  ["sigmoid", -4, 4], ["softplus", -4, 4], ["erf", -2, 2], ["erfcx", -1, 3], ["gammaln", 0.3, 6], ["digamma", 0.3, 6],
  ["log1mexp", -3, -0.1], ["abs", -2, 2], ["arctan", -3, 3], ["logit", 0.1, 0.9],
];
const CASES: Case[] = [
  ...UNARY.map(([n, lo, hi]): Case => [n, (x) => fns[n](x), [values([2, 3], lo, hi)]]),
  ["add [3,1]+[1,4]", (a, b) => pt.add(a, b), [values([3, 1], -1, 1), values([1, 4], -1, 1)]],
  ["mul scalar·matrix", (a, b) => pt.mul(a, b), [values([], -1, 1), values([2, 3], -1, 1)]],
  ["div", (a, b) => pt.div(a, b), [values([4], -2, 2), values([4], 0.5, 2)]],
  ["pow", (a, b) => pt.pow(a, b), [values([4], 0.3, 3), values([4], -2, 2)]],
  ["maximum", (a, b) => pt.maximum(a, b), [values([5], -1, 1), values([5], -1, 1)]],
  ["switch", (a, b) => pt.switch(pt.gt(a, 0), pt.mul(a, b), pt.sqr(b)), [values([6], -1, 1), values([6], -1, 1)]],
  ["sum axis 1", (x) => pt.sum(x, { axis: 1 }), [values([3, 4], -1, 1)]],
  ["prod", (x) => pt.prod(x, { axis: 0 }), [values([3, 4], -1, 1)]],
  ["mean keepdims", (x) => pt.mean(x, { axis: -1, keepdims: true }), [values([3, 4], -1, 1)]],
  ["max", (x) => pt.max(x, { axis: 1 }), [values([3, 4], -1, 1)]],
  ["var / std", (x) => pt.add(pt.var(x, { axis: 0 }), pt.std(x, { axis: 0, ddof: 1 })), [values([4, 3], -1, 1)]],
  ["logsumexp", (x) => pt.logsumexp(x, { axis: 0 }), [values([3, 4], -3, 3)]],
  ["softmax", (x) => pt.softmax(x, { axis: 1 }), [values([3, 4], -3, 3)]],
  ["logSoftmax", (x) => pt.logSoftmax(x, { axis: 0 }), [values([3, 4], -3, 3)]],
  ["cumsum / cumprod", (x) => pt.add(pt.cumsum(x, { axis: 1 }), pt.cumprod(x, { axis: 0 })), [values([3, 4], -1, 1)]],
  ["dot matrix·vector", (a, b) => pt.dot(a, b), [values([3, 4], -1, 1), values([4], -1, 1)]],
  ["matmul batched", (a, b) => pt.matmul(a, b), [values([2, 3, 4], -1, 1), values([4, 2], -1, 1)]],
  ["outer", (a, b) => pt.outer(a, b), [values([3], -1, 1), values([2], -1, 1)]],
  ["transpose · expandDims", (x) => pt.mul(pt.transpose(x), pt.expandDims(pt.sum(x, { axis: 1 }), 0)), [values([3, 2], -1, 1)]],
  ["cholesky", (a) => cholesky(a), [spd()]],
  ["det / logdet", (a) => pt.add(det(a), logdet(a)), [spd()]],
  ["inv", (a) => inv(a), [spd()]],
  ["solve", (a, b) => solve(a, b), [spd(), values([3, 2], -1, 1)]],
  ["reshape / flatten", (x) => pt.add(reshape(x, [3, 2]), reshape(flatten(pt.transpose(x)), [3, 2])), [values([2, 3], -1, 1)]],
  ["concatenate / stack", (a, b) => pt.add(pt.sum(stack([a, b]), { axis: 0 }), index(concatenate([a, b], { axis: 1 }), [slice(), slice(1, 4)])),
    [values([2, 3], -1, 1), values([2, 3], -1, 1)]],
  ["index and take", (x) => pt.add(index(x, [slice(null, null, -1), 1]), pt.sum(take(x, [2, 0, 2], { axis: 1 }), { axis: 1 })), [values([3, 4], -1, 1)]],
];

describe("conformance: gradients (interp vs js)", () => {
  for (const [name, f, point] of CASES) {
    it(name, () => {
      const xs = point.map((p, i) => pt.tensor(`x${i}`, { ndim: p.ndim }));
      const out = f(...xs);
      const proj = pt.constant(values([...evalShape(xs, out, point)], 0.5, 1.5));
      const cost = pt.sum(pt.mul(out, proj));
      agree(xs, [out, ...pt.grad(cost, xs)], [point], { what: `${name}: forward and grad` });
      agree(xs, vjp(out, proj, xs), [point], { what: `${name}: vjp` });
    });
  }
});

function evalShape(xs: Variable[], out: Variable, point: NDArray[]): readonly number[] {
  return pt.fn(xs, out, { mode: "interp" })(...point).shape;
}
