// Elementwise math functions: powers, exp/log family, trigonometry, and special functions.
import { notImplemented } from "../../core/graph.ts";
import { type ScalarOp, lift } from "./elemwise_base.ts";
import { add, div, eq, mul, neg, sub, switchOp, zerosLike } from "./elemwise.ts";
import { sumToShape } from "./broadcast.ts";
import * as sp from "./special.ts";

/** A float-valued unary op: ints are computed in float64, as NumPy does. */
const unary = (name: string, fn: (x: number) => number, pullback: ScalarOp["pullback"]): ScalarOp => ({
  name, arity: 1, dtype: "float", fn, pullback,
});
const SQRT_PI = Math.sqrt(Math.PI);

/** C99/NumPy pow: 1^y = 1 and (−1)^±∞ = 1, where JS's Math.pow gives NaN. */
export function powC(a: number, b: number): number {
  if (a === 1 || (a === -1 && (b === Infinity || b === -Infinity))) return 1;
  return Math.pow(a, b);
}

export const Pow: ScalarOp = {
  name: "Pow", arity: 2, dtype: "upcast",
  fn: powC,
  pullback: ([a, b], o, g) => [
    sumToShape(mul(g, mul(b, pow(a, sub(b, 1)))), a),
    // d/db a^b = a^b·log a, taken as 0 where a^b = 0 so that 0·(−inf) is not NaN
    sumToShape(mul(g, switchOp(eq(o, 0), 0, mul(o, log(a)))), b),
  ],
};
export const Exp = unary("Exp", Math.exp, (_i, o, g) => [mul(g, o)]);
export const Exp2 = unary("Exp2", (x) => Math.pow(2, x), (_i, o, g) => [mul(g, mul(o, Math.LN2))]);
export const Expm1 = unary("Expm1", Math.expm1, (_i, o, g) => [mul(g, add(o, 1))]);
export const Log = unary("Log", Math.log, ([x], _o, g) => [div(g, x)]);
export const Log2 = unary("Log2", Math.log2, ([x], _o, g) => [div(g, mul(x, Math.LN2))]);
export const Log10 = unary("Log10", Math.log10, ([x], _o, g) => [div(g, mul(x, Math.LN10))]);
export const Log1p = unary("Log1p", Math.log1p, ([x], _o, g) => [div(g, add(x, 1))]);
/** log(1 − exp(x)) for x ≤ 0. */
export const Log1mexp = unary("Log1mexp", sp.log1mexp, ([x], _o, g) => [neg(div(g, expm1(neg(x))))]);
export const Sqrt = unary("Sqrt", Math.sqrt, (_i, o, g) => [div(mul(g, 0.5), o)]);
export const Sqr = { ...unary("Sqr", (x) => x * x, ([x], _o, g) => [mul(g, mul(x, 2))]), dtype: "upcast" } as ScalarOp;
export const Reciprocal = unary("Reciprocal", (x) => 1 / x, (_i, o, g) => [neg(mul(g, sqr(o)))]);

export const Sin = unary("Sin", Math.sin, ([x], _o, g) => [mul(g, cos(x))]);
export const Cos = unary("Cos", Math.cos, ([x], _o, g) => [neg(mul(g, sin(x)))]);
export const Tan = unary("Tan", Math.tan, (_i, o, g) => [mul(g, add(1, sqr(o)))]);
export const Arcsin = unary("ArcSin", Math.asin, ([x], _o, g) => [div(g, sqrt(sub(1, sqr(x))))]);
export const Arccos = unary("ArcCos", Math.acos, ([x], _o, g) => [neg(div(g, sqrt(sub(1, sqr(x)))))]);
export const Arctan = unary("ArcTan", Math.atan, ([x], _o, g) => [div(g, add(1, sqr(x)))]);
export const Sinh = unary("Sinh", Math.sinh, ([x], _o, g) => [mul(g, cosh(x))]);
export const Cosh = unary("Cosh", Math.cosh, ([x], _o, g) => [mul(g, sinh(x))]);
export const Tanh = unary("Tanh", Math.tanh, (_i, o, g) => [mul(g, sub(1, sqr(o)))]);

export const Sigmoid = unary("Sigmoid", sp.sigmoid, (_i, o, g) => [mul(g, mul(o, sub(1, o)))]);
export const Softplus = unary("Softplus", sp.softplus, ([x], _o, g) => [mul(g, sigmoid(x))]);
export const Logit = unary("Logit", sp.logit, ([x], _o, g) => [div(g, mul(x, sub(1, x)))]);
export const Erf = unary("Erf", sp.erf, ([x], _o, g) => [mul(g, mul(2 / SQRT_PI, exp(neg(sqr(x)))))]);
export const Erfc = unary("Erfc", sp.erfc, ([x], _o, g) => [mul(g, mul(-2 / SQRT_PI, exp(neg(sqr(x)))))]);
export const Erfcx = unary("Erfcx", sp.erfcx, ([x], o, g) => [mul(g, sub(mul(mul(x, o), 2), 2 / SQRT_PI))]);
export const Erfinv = unary("Erfinv", sp.erfinv, (_i, o, g) => [mul(g, mul(SQRT_PI / 2, exp(sqr(o))))]);
export const Gammaln = unary("Gammaln", sp.gammaln, ([x], _o, g) => [mul(g, digamma(x))]);
export const Psi = unary("Psi", sp.digamma, ([x], _o, g) => [mul(g, trigamma(x))]);
export const TriGamma = unary("TriGamma", sp.trigamma, () => [notImplemented("the derivative of trigamma (polygamma of order 2) is not available")]);

/** Rounding: piecewise constant, so the gradient is a true zero. */
const rounding = (name: string, fn: (x: number) => number): ScalarOp => ({
  name, arity: 1, dtype: "upcast", fn, pullback: ([x]) => [zerosLike(x)],
});
export const Floor = rounding("Floor", Math.floor);
export const Ceil = rounding("Ceil", Math.ceil);
/** NumPy rounds half to even. */
export const Round = rounding("RoundHalfToEven", (x) => {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
});

// ── tensor functions ────────────────────────────────────────────────────────────────────────
export const pow = lift(Pow), exp = lift(Exp), exp2 = lift(Exp2), expm1 = lift(Expm1);
export const log = lift(Log), log2 = lift(Log2), log10 = lift(Log10), log1p = lift(Log1p), log1mexp = lift(Log1mexp);
export const sqrt = lift(Sqrt), sqr = lift(Sqr), reciprocal = lift(Reciprocal);
export const sin = lift(Sin), cos = lift(Cos), tan = lift(Tan), arcsin = lift(Arcsin), arccos = lift(Arccos), arctan = lift(Arctan);
export const sinh = lift(Sinh), cosh = lift(Cosh), tanh = lift(Tanh);
export const sigmoid = lift(Sigmoid), softplus = lift(Softplus), logit = lift(Logit);
export const erf = lift(Erf), erfc = lift(Erfc), erfcx = lift(Erfcx), erfinv = lift(Erfinv);
export const gammaln = lift(Gammaln), digamma = lift(Psi), trigamma = lift(TriGamma);
export const floor = lift(Floor), ceil = lift(Ceil), round = lift(Round);
/** NumPy's name for sqr. */
export const square = sqr;


export const mathFunctions = {
  pow, exp, exp2, expm1, log, log2, log10, log1p, log1mexp, sqrt, sqr, square, reciprocal,
  sin, cos, tan, arcsin, arccos, arctan, sinh, cosh, tanh, sigmoid, softplus, logit,
  erf, erfc, erfcx, erfinv, gammaln, digamma, trigamma, floor, ceil, round,
};
