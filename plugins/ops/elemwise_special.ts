// Elementwise special functions distributions need in graphs: regularized incomplete gamma and
// beta, log B(a, b), the normal CDF and its log, and xlogy-style products that are 0 at 0·log 0.
import { type Variable, notImplemented } from "../../core/graph.ts";
import { type ScalarOp, lift } from "./elemwise_base.ts";
import { add, div, eq, mul, neg, sub, switchOp } from "./elemwise.ts";
import { digamma, erfcx, exp, gammaln, log, log1p } from "./elemwise_math.ts";
import { sumToShape } from "./broadcast.ts";
import * as sp from "./special.ts";

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const shapeParam = (fn: string, p: string) =>
  notImplemented(`${fn}: the derivative with respect to the shape parameter ${p} has no closed form and is not implemented`);

/** x·log(y), taken as 0 where x = 0 (also at y = 0), as scipy.special.xlogy. */
export const Xlogy: ScalarOp = {
  name: "Xlogy", arity: 2, dtype: "float",
  fn: (x, y) => (x === 0 && !Number.isNaN(y) ? 0 : x * Math.log(y)),
  pullback: ([x, y], _o, g) => [
    sumToShape(mul(g, log(y)), x),
    sumToShape(mul(g, switchOp(eq(x, 0), 0, div(x, y))), y),
  ],
};

/** x·log1p(y), taken as 0 where x = 0, as scipy.special.xlog1py. */
export const Xlog1py: ScalarOp = {
  name: "Xlog1py", arity: 2, dtype: "float",
  fn: (x, y) => (x === 0 && !Number.isNaN(y) ? 0 : x * Math.log1p(y)),
  pullback: ([x, y], _o, g) => [
    sumToShape(mul(g, log1p(y)), x),
    sumToShape(mul(g, switchOp(eq(x, 0), 0, div(x, add(y, 1)))), y),
  ],
};

/** log |B(a, b)|. */
export const Betaln: ScalarOp = {
  name: "Betaln", arity: 2, dtype: "float",
  fn: sp.betaln,
  pullback: ([a, b], _o, g) => {
    const dab = digamma(add(a, b));
    return [sumToShape(mul(g, sub(digamma(a), dab)), a), sumToShape(mul(g, sub(digamma(b), dab)), b)];
  },
};

/** ∂P(a, x)/∂x = x^(a−1) e^(−x) / Γ(a), in logs so large a and x neither overflow nor give 0·∞. */
function gammaDensity(a: Variable, x: Variable): Variable {
  return exp(sub(sub(xlogy(sub(a, 1), x), x), gammaln(a)));
}

/** Regularized lower incomplete gamma P(a, x). */
export const GammaInc: ScalarOp = {
  name: "GammaInc", arity: 2, dtype: "float",
  fn: sp.gammainc,
  pullback: ([a, x], _o, g) => [shapeParam("gammainc", "a"), sumToShape(mul(g, gammaDensity(a, x)), x)],
};

/** Regularized upper incomplete gamma Q(a, x) = 1 − P(a, x). */
export const GammaIncC: ScalarOp = {
  name: "GammaIncC", arity: 2, dtype: "float",
  fn: sp.gammaincc,
  pullback: ([a, x], _o, g) => [shapeParam("gammaincc", "a"), sumToShape(neg(mul(g, gammaDensity(a, x))), x)],
};

/** Regularized incomplete beta I_x(a, b). */
export const BetaInc: ScalarOp = {
  name: "BetaInc", arity: 3, dtype: "float",
  fn: sp.betainc,
  pullback: ([a, b, x], _o, g) => {
    // ∂I/∂x = x^(a−1) (1−x)^(b−1) / B(a, b)
    const dens = exp(sub(add(xlogy(sub(a, 1), x), xlog1py(sub(b, 1), neg(x))), betaln(a, b)));
    return [shapeParam("betainc", "a"), shapeParam("betainc", "b"), sumToShape(mul(g, dens), x)];
  },
};

/** Standard normal CDF Φ(x). */
export const Ndtr: ScalarOp = {
  name: "Ndtr", arity: 1, dtype: "float",
  fn: sp.ndtr,
  pullback: ([x], _o, g) => [mul(g, exp(sub(mul(-0.5, mul(x, x)), LOG_SQRT_2PI)))],
};

/** log Φ(x), accurate in both tails. */
export const LogNdtr: ScalarOp = {
  name: "LogNdtr", arity: 1, dtype: "float",
  fn: sp.logNdtr,
  // φ(x)/Φ(x) = √(2/π) / erfcx(−x/√2): no exp(−x²/2) to underflow in the left tail
  pullback: ([x], _o, g) => [div(mul(g, SQRT_2_OVER_PI), erfcx(mul(x, -Math.SQRT1_2)))],
};

// ── tensor functions ────────────────────────────────────────────────────────────────────────
export const xlogy = lift(Xlogy), xlog1py = lift(Xlog1py), betaln = lift(Betaln);
export const gammainc = lift(GammaInc), gammaincc = lift(GammaIncC), betainc = lift(BetaInc);
export const ndtr = lift(Ndtr), logNdtr = lift(LogNdtr);

export const specialFunctions = { xlogy, xlog1py, betaln, gammainc, gammaincc, betainc, ndtr, logNdtr };
