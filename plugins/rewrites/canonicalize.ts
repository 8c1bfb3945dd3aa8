// Canonicalize: fold constants and remove algebraic no-ops, keeping shapes and dtypes.
import { Apply, Constant } from "../../core/graph.ts";
import { any, commuted, node } from "../../core/rewrite/pattern.ts";
import type { RewriteRule } from "../../core/rewrite/types.ts";
import { sizeOf } from "../../core/ndarray.ts";
import { Add, Mul, Neg, Sub, TrueDiv, zerosLike } from "../ops/elemwise.ts";
import { Exp, Log } from "../ops/elemwise_math.ts";
import { DimShuffle, dimshuffle } from "../ops/dimshuffle.ts";
import { castTo, elem, isElem, rule, standIn, unit } from "./helpers.ts";
import { Sum } from "../ops/reduce.ts";
import { Alloc } from "../ops/creation.ts";
import { BroadcastTo } from "../ops/broadcast.ts";
import { mul } from "../ops/elemwise.ts";
import { Reshape, SpecifyShape } from "../ops/shape.ts";
import type { Variable } from "../../core/graph.ts";

/** Both static shapes fully known and equal. */
const sameKnownShape = (a: Variable, b: Variable) =>
  a.ndim === b.ndim && a.type.shape.every((d, i) => d !== null && d === b.type.shape[i]);

/** Precompute nodes whose inputs are all constants (small results only, to keep graphs light). */
const constantFolding: RewriteRule = {
  name: "constant_folding",
  tags: ["canonicalize", "stabilize", "specialize"],
  reach: 1,
  match: (v) => {
    const n = v.owner;
    if (!n || n.op.foldable === false) return null;
    if (!n.inputs.every((i) => i instanceof Constant)) return null;
    const known = v.type.shape.every((d) => d !== null);
    return known && sizeOf(v.type.shape as number[]) > 100_000 ? null : {};
  },
  build: (_b, v) => {
    const n = v.owner as Apply;
    const out = n.op.perform(n.inputs.map((i) => (i as Constant).value))[v.index];
    return new Constant(out);
  },
};


export const canonicalizeRules: RewriteRule[] = [
  constantFolding,
  rule({
    name: "mul_one", tags: ["canonicalize"],
    pattern: commuted(isElem(Mul), any("x"), unit(1, "one")),
    build: ({ x }, v) => castTo(x, v.dtype),
  }),
  rule({
    name: "add_zero", tags: ["canonicalize"],
    pattern: commuted(isElem(Add), any("x"), unit(0, "zero")),
    build: ({ x }, v) => castTo(x, v.dtype),
  }),
  rule({
    name: "sub_zero", tags: ["canonicalize"],
    pattern: elem(Sub, any("x"), unit(0, "zero")),
    build: ({ x }, v) => castTo(x, v.dtype),
  }),
  rule({
    name: "div_one", tags: ["canonicalize"],
    pattern: elem(TrueDiv, any("x"), unit(1, "one")),
    build: ({ x }, v) => castTo(x, v.dtype),
  }),
  rule({
    name: "sub_self", tags: ["canonicalize"],
    pattern: elem(Sub, any("x"), any("x")),
    build: ({ x }, v) => castTo(zerosLike(x), v.dtype),
  }),
  rule({
    name: "neg_neg", tags: ["canonicalize"],
    pattern: elem(Neg, elem(Neg, any("x"))),
    build: ({ x }) => x,
  }),
  rule({
    name: "mul_div_cancel", tags: ["canonicalize"], // b * (a / b) → a
    pattern: commuted(isElem(Mul), any("b"), elem(TrueDiv, any("a"), any("b"))),
    build: ({ a, b }, v) => standIn(a, [b], v),
  }),
  rule({
    name: "div_mul_cancel", tags: ["canonicalize"], // (a * b) / b → a
    pattern: elem(TrueDiv, commuted(isElem(Mul), any("a"), any("b")), any("b")),
    build: ({ a, b }, v) => standIn(a, [b], v),
  }),
  rule({
    name: "log_exp", tags: ["canonicalize"],
    pattern: elem(Log, elem(Exp, any("x"))),
    build: ({ x }, v) => castTo(x, v.dtype),
  }),
  rule({
    name: "sum_of_broadcast_scalar", tags: ["canonicalize"], // sum(broadcast(s, shape)) → s · size
    pattern: node((op) => op instanceof Sum && op.axis === null, node((op) => op instanceof Alloc || op instanceof BroadcastTo, any("s"))),
    when: ({ s }, v) => s.type.shape.every((d) => d === 1) && v.owner!.inputs[0].type.shape.every((d) => d !== null),
    build: ({ s }, v) => {
      const spread = v.owner!.inputs[0];
      const n = sizeOf(spread.type.shape as number[]);
      const value = castTo(castTo(s.ndim ? dimshuffle(s, []) : s, spread.dtype), v.dtype);
      return castTo(mul(value, n), v.dtype);
    },
  }),
  rule({
    name: "reshape_useless", tags: ["canonicalize"], // reshape to the shape it already has
    pattern: node((op) => op instanceof Reshape, any("x"), any("shape")),
    when: ({ x }, v) => sameKnownShape(x, v),
    build: ({ x }) => x,
  }),
  rule({
    name: "specify_shape_useless", tags: ["canonicalize"], // the static type already says it
    pattern: node((op) => op instanceof SpecifyShape, any("x")),
    when: ({ x }, v) => x.ndim === v.ndim && v.type.shape.every((d, i) => d === null || d === x.type.shape[i]),
    build: ({ x }) => x,
  }),
  rule({
    name: "dimshuffle_merge", tags: ["canonicalize"], // two consecutive shuffles are one
    pattern: node((op) => op instanceof DimShuffle, node((op) => op instanceof DimShuffle, any("x"))),
    build: ({ x }, v) => {
      const outer = v.owner!.op as DimShuffle, inner = v.owner!.inputs[0].owner!.op as DimShuffle;
      return dimshuffle(x, outer.order.map((o) => (o === "x" ? "x" : inner.order[o])));
    },
  }),
  rule({
    name: "dimshuffle_useless", tags: ["canonicalize"],
    pattern: node((op) => op instanceof DimShuffle && op.order.every((o, i) => o === i) && op.inputNdim === op.order.length, any("x")),
    build: ({ x }) => x,
  }),
];

