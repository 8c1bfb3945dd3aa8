// Vector-valued families: Dirichlet (on the simplex), Multinomial (counts summing to n) and
// MvNormal (mu with cov | chol | tau; logp through the Cholesky factor). Each logp reduces over
// the support axis, leaving one entry per batch element.
import { Constant, type Variable } from "../../../core/graph.ts";
import { NDArray } from "../../../core/ndarray.ts";
import { add, cast, div, eq, ge, gt, lt, mul, neg, neq, or, sub, switchOp, zerosLike } from "../../ops/elemwise.ts";
import { gammaln, log, round, sqr } from "../../ops/elemwise_math.ts";
import { any, argmax, sum } from "../../ops/reduce.ts";
import { expandDims } from "../../ops/dimshuffle.ts";
import { broadcastTo } from "../../ops/broadcast.ts";
import { mT, matmul } from "../../ops/linalg.ts";
import { cholesky, inv, logdet, solveTriangular } from "../../ops/linalg_decomp.ts";
import { reshape } from "../../ops/shape.ts";
import { shapeI } from "../../ops/shape_core.ts";
import { index, slice, take } from "../../ops/subtensor.ts";
import type { DistributionSpec } from "./types.ts";
import { type Args, param } from "./common.ts";
import { factln, isCloseTo, logpow, normaliseConstantP, notInteger, unitInterval } from "./discrete_math.ts";
import { coreOffsets, scalarAt } from "./multivariate_batch.ts";
import { simplexTransform } from "../transforms/vector.ts";
import { dirichlet, multinomial, multivariateNormal } from "../rng/sample.ts";

const LOG_2PI = Math.log(2 * Math.PI);
type Shape = readonly (number | null)[];

/** v broadcast to the draw's shape when that shape is fully known. */
function fill(v: Variable, shape: Shape): Variable {
  return shape.every((d) => d !== null) && shape.length >= v.ndim ? broadcastTo(v, shape as number[]) : v;
}

/** The length of the last axis: a number when static, else a float64 scalar graph. */
function lastLength(v: Variable): number | Variable {
  const k = v.type.shape[v.ndim - 1];
  return k !== null ? k : cast(shapeI(v, -1), "float64");
}

function vectorParam(args: Args, key: string, rv: string): Variable {
  const v = param(args, key, rv);
  if (v.ndim < 1) throw new TypeError(`${rv}: ${key} ${v.describe()} must have at least one dimension (its last axis is the support)`);
  return v;
}

export const Dirichlet: DistributionSpec = {
  name: "Dirichlet", rvName: "dirichlet", params: ["a"], ndimsParams: [1], ndimSupp: 1, dtype: "float64",
  parametrize: (args, rv) => [vectorParam(args, "a", rv)],
  supportShape: ([a]) => [a.type.shape[a.ndim - 1]],
  sample: (g, [a], out) => {
    const k = a.shape[a.ndim - 1], offs = coreOffsets(a, 1, out.shape.slice(0, -1), "Dirichlet");
    offs.forEach((o, t) => dirichlet(g, a.data.subarray(o, o + k), out.data.subarray(t * k, (t + 1) * k)));
  },
  // only a density on the simplex: the caller's value is taken to sum to 1, as in PyMC
  logp: (x, [a]) => {
    const res = add(sum(sub(logpow(x, sub(a, 1)), gammaln(a)), { axis: -1 }), gammaln(sum(a, { axis: -1 })));
    return switchOp(or(any(lt(x, 0), { axis: -1 }), any(gt(x, 1), { axis: -1 })), -Infinity, res);
  },
  checks: ([a]) => [[gt(a, 0), "a > 0"]],
  moment: ([a], shape) => fill(div(a, sum(a, { axis: -1, keepdims: true })), shape),
  transform: () => simplexTransform,
};

export const Multinomial: DistributionSpec = {
  name: "Multinomial", rvName: "multinomial", params: ["n", "p"], ndimsParams: [0, 1], ndimSupp: 1, dtype: "int32",
  parametrize: (args, rv) => [param(args, "n", rv), normaliseConstantP(vectorParam(args, "p", rv), rv)],
  supportShape: ([, p]) => [p.type.shape[p.ndim - 1]],
  sample: (g, [n, p], out) => {
    const k = p.shape[p.ndim - 1], batch = out.shape.slice(0, -1);
    const ns = scalarAt(n, batch, "Multinomial"), offs = coreOffsets(p, 1, batch, "Multinomial");
    offs.forEach((o, t) => multinomial(g, ns[t], p.data.subarray(o, o + k), out.data.subarray(t * k, (t + 1) * k)));
  },
  logp: (x, [n, p]) => {
    const res = add(factln(n), sum(add(neg(factln(x)), logpow(p, x)), { axis: -1 }));
    const frac = notInteger(x);
    let outside = or(any(lt(x, 0), { axis: -1 }), neq(sum(x, { axis: -1 }), n));
    if (frac) outside = or(outside, any(frac, { axis: -1 }));
    return switchOp(outside, -Infinity, res);
  },
  checks: ([n, p]) => [[unitInterval(p), "0 <= p <= 1"], [isCloseTo(sum(p, { axis: -1 }), 1), "sum(p) = 1"], [ge(n, 0), "n >= 0"]],
  // round(n·p), with the rounding error put on the largest expected count (PyMC's support point)
  moment: ([n, p], shape) => {
    const mean = mul(expandDims(n, n.ndim), p);
    const mode = round(mean);
    const diff = sub(expandDims(n, n.ndim), sum(mode, { axis: -1, keepdims: true }));
    const k = p.type.shape[p.ndim - 1];
    const idx = k !== null ? new Constant(NDArray.from(Array.from({ length: k }, (_, i) => i), "int32")) : null;
    if (!idx) throw new TypeError("Multinomial: the support point needs a static number of categories");
    const top = eq(idx, expandDims(argmax(mean, { axis: -1 }), mean.ndim - 1));
    return cast(fill(add(mode, mul(top, diff)), shape), "int32");
  },
};

/** The covariance from exactly one of cov | chol | tau (PyMC's quaddist_matrix). */
function covariance(args: Args, rv: string): Variable {
  const given = ["cov", "chol", "tau"].filter((k) => args[k] !== undefined);
  if (given.length !== 1) throw new TypeError(`${rv}: Incompatible parameterization. Specify exactly one of tau, cov, or chol.`);
  const key = given[0], m = param(args, key, rv);
  if (m.ndim < 2) throw new TypeError(`${rv}: ${key} must be at least two dimensional, got ${m.describe()}`);
  if (key === "cov") return m;
  if (key === "tau") return inv(m);
  const L = (args as Record<string, unknown>).lower === false ? mT(m) : m;
  return matmul(L, mT(L));
}

/** Σ⁻¹-weighted squared distances and log|Σ|^½ from the Cholesky factor: one entry per batch row. */
function quaddistChol(delta: Variable, cov: Variable): { quad: Variable; halfLogdet: Variable } {
  const L = cholesky(cov);
  const k = cov.type.shape[cov.ndim - 1] ?? delta.type.shape[delta.ndim - 1];
  let quad: Variable;
  if (delta.ndim === 1) quad = sum(sqr(solveTriangular(L, delta, { lower: true })));
  else {
    // every batch row as one column of a single triangular solve
    const rows = delta.ndim === 2 ? delta : reshape(delta, [-1, k ?? shapeI(delta, -1)]);
    quad = sum(sqr(solveTriangular(L, mT(rows), { lower: true })), { axis: 0 });
    if (delta.ndim > 2) quad = reshape(quad, delta.type.shape.slice(0, -1).map((d, i) => d ?? shapeI(delta, i)));
  }
  const halfLogdet = k !== null
    ? sum(log(take(L, Array.from({ length: k }, (_, i) => i * (k + 1)))))
    : mul(0.5, logdet(cov));
  return { quad, halfLogdet };
}

export const MvNormal: DistributionSpec = {
  name: "MvNormal", rvName: "multivariate_normal", params: ["mu", "cov"], ndimsParams: [1, 2], ndimSupp: 1, dtype: "float64",
  parametrize: (args, rv) => {
    const cov = covariance(args, rv);
    let mu = param(args, "mu", rv, 0);
    const k = cov.type.shape[cov.ndim - 1];
    // mu broadcast against one row of cov, so a scalar mu becomes a vector of the right length
    if (mu.ndim === 0 || k === null || mu.type.shape[mu.ndim - 1] !== k) mu = add(mu, zerosLike(index(cov, [slice(), -1])));
    return [mu, cov];
  },
  supportShape: ([mu, cov]) => [mu.type.shape[mu.ndim - 1] ?? cov.type.shape[cov.ndim - 1]],
  // mu + L z with z standard normal, L the Cholesky factor of each batch entry's covariance
  sample: (g, [mu, cov], out) => {
    const k = out.shape[out.ndim - 1], batch = out.shape.slice(0, -1);
    const mOff = coreOffsets(mu, 1, batch, "MvNormal"), cOff = coreOffsets(cov, 2, batch, "MvNormal");
    let L: Float64Array = new Float64Array(0), lastOff = -1;
    for (let t = 0; t < mOff.length; t++) {
      if (cOff[t] !== lastOff) [L, lastOff] = [choleskyOf(cov.data, cOff[t], k), cOff[t]];
      multivariateNormal(g, mu.data.subarray(mOff[t], mOff[t] + k), L, out.data.subarray(t * k, (t + 1) * k));
    }
  },
  logp: (x, [mu, cov]) => {
    if (x.ndim === 0) throw new TypeError(`MvNormal: the value ${x.describe()} can't be a scalar`);
    const { quad, halfLogdet } = quaddistChol(sub(x, mu), cov);
    const k = lastLength(x);
    return sub(sub(mul(mul(-0.5, k), LOG_2PI), mul(0.5, quad)), halfLogdet);
  },
  moment: ([mu], shape) => fill(mu, shape),
};

/** The lower Cholesky factor of the k×k block at `off`, for drawing. */
function choleskyOf(a: ArrayLike<number>, off: number, k: number): Float64Array {
  const L = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    let d = a[off + j * k + j];
    for (let q = 0; q < j; q++) d -= L[j * k + q] ** 2;
    if (!(d > 0)) throw new RangeError(`MvNormal: the covariance is not positive definite (pivot ${j} is ${d})`);
    L[j * k + j] = Math.sqrt(d);
    for (let i = j + 1; i < k; i++) {
      let s = a[off + i * k + j];
      for (let q = 0; q < j; q++) s -= L[i * k + q] * L[j * k + q];
      L[i * k + j] = s / L[j * k + j];
    }
  }
  return L;
}

export const multivariateDistributions = { Dirichlet, Multinomial, MvNormal };
