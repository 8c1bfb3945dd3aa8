// LKJCholeskyCov: a packed lower-triangular Cholesky factor L of a covariance whose correlation
// matrix is LKJ(eta) and whose standard deviations (the row norms of L) follow `sd_dist`, an
// unnamed random variable such as `pm.Exponential.dist({ lam: 1 })`. Packed storage is by rows,
// [L00, L10, L11, L20, L21, L22, …]; the default transform logs the diagonal (PyMC's
// CholeskyCovPacked). The normalising constant is the one that makes the LKJ density integrate
// to 1 (Lewandowski, Kurowicka & Joe 2009): PyMC adds it with the opposite sign.
import { Constant, type Variable, isConstant } from "../../../core/graph.ts";
import { NDArray } from "../../../core/ndarray.ts";
import { add, div, gt, le, mul, sub, switchOp } from "../../ops/elemwise.ts";
import { exp, gammaln, log, sqr, sqrt } from "../../ops/elemwise_math.ts";
import { any, sum } from "../../ops/reduce.ts";
import { matmul } from "../../ops/linalg.ts";
import { take } from "../../ops/subtensor.ts";
import { broadcastTo } from "../../ops/broadcast.ts";
import type { Transform } from "../transforms/types.ts";
import type { DistributionSpec } from "./types.ts";
import { param } from "./common.ts";
import { coreOffsets, scalarAt } from "./multivariate_batch.ts";
import { RandomVariable } from "../rv.ts";
import { beta, standardNormal } from "../rng/sample.ts";

const WHO = "LKJCholeskyCov";

/** Positions of the diagonal in the packed vector: 0, 2, 5, 9, … */
export const packedDiagonal = (n: number): number[] => Array.from({ length: n }, (_, i) => ((i + 1) * (i + 2)) / 2 - 1);

/** n from a constant parameter: a whole number ≥ 1 known when the graph is built. */
function staticN(v: Variable): number {
  const n = isConstant(v) && v.value.size === 1 ? v.value.data[0] : NaN;
  if (!Number.isInteger(n) || n < 1) throw new TypeError(`${WHO}: n must be a constant whole number ≥ 1 (the logp is only defined for constant n), got ${v.describe()}`);
  return n;
}

/**
 * sd_dist as an RV with n independent entries on its last axis: scalar distributions are
 * redrawn with size [...batch, n], as PyMC resizes them.
 */
function sdWithN(sd: unknown, n: number, rv: string): Variable {
  const op = (sd as Variable | undefined)?.owner?.op;
  if (!(op instanceof RandomVariable) || op.dist.ndimSupp >= 2) throw new TypeError(`${rv}: sd_dist must be a scalar or vector distribution variable (e.g. pm.Exponential.dist({ lam: 1 }))`);
  const v = sd as Variable, shape = v.type.shape;
  if (op.dist.ndimSupp === 1) {
    if (shape[shape.length - 1] !== null && shape[shape.length - 1] !== n) throw new RangeError(`${rv}: sd_dist ${v.describe()} must have n = ${n} entries on its last axis`);
    return v;
  }
  const size = [...shape.slice(0, -1), n];
  if (shape.length && shape.every((d, i) => d === size[i])) return v;
  if (size.some((d) => d === null)) throw new TypeError(`${rv}: sd_dist ${v.describe()} needs a static shape to be resized to n = ${n}`);
  const [rng, , ...params] = v.owner!.inputs;
  const sizeVar = new Constant(NDArray.from(size as number[], "int32").reshape([size.length]));
  return new RandomVariable(op.dist, op.rng).apply([rng, sizeVar, ...params]).outputs[1];
}

/** [m, n] with a 1 where packed entry j lies in row i: squared entries @ it = squared row norms. */
function rowIndicator(n: number): Constant {
  const m = (n * (n + 1)) / 2, a = new NDArray("float64", [m, n]);
  for (let i = 0, j = 0; i < n; i++) for (let c = 0; c <= i; c++, j++) a.data[j * n + i] = 1;
  return new Constant(a);
}

/**
 * log of the LKJ normalising factor, the term that makes ∫ det(R)^(η−1) dR times its exp equal 1:
 * Σ_k [½k log π + lgamma(η + (n−1−k)/2)] − (n−1) lgamma(η + (n−1)/2), negated. Smooth in eta, so
 * eta may be a graph; PyMC's separate eta = 1 branch agrees with it for odd n only.
 */
function lkjLogNorm(eta: Variable, n: number): Variable {
  let s: Variable = mul(-(n - 1), gammaln(add(eta, 0.5 * (n - 1))));
  for (let k = 1; k < n; k++) s = add(s, add(0.5 * k * Math.log(Math.PI), gammaln(add(eta, 0.5 * (n - 1 - k)))));
  return mul(s, -1);
}

/** The packed diagonal through log (PyMC's CholeskyCovPacked(n)); off-diagonal entries pass. */
export function choleskyCovPacked(n: number): Transform {
  const diag = packedDiagonal(n), m = (n * (n + 1)) / 2;
  const mask = new Constant(NDArray.from(Array.from({ length: m }, (_, j) => diag.includes(j)), "bool"));
  return {
    name: "cholesky-cov-packed",
    ndimSupp: 1,
    forward: (x) => switchOp(mask, log(x), x),
    backward: (y) => switchOp(mask, exp(y), y),
    logJacDet: (y) => sum(take(y, diag, { axis: -1 }), { axis: -1 }),
  };
}

export const LKJCholeskyCov: DistributionSpec = {
  name: "LKJCholeskyCov", rvName: "_lkjcholeskycov", params: ["n", "eta", "sd_dist"], ndimsParams: [0, 0, 1], ndimSupp: 1, dtype: "float64",
  parametrize: (args, rv) => {
    const n = param(args, "n", rv);
    const k = staticN(n);
    return [n, param(args, "eta", rv), sdWithN(args.sd_dist, k, rv)];
  },
  supportShape: ([n]) => {
    const k = staticN(n);
    return [(k * (k + 1)) / 2];
  },
  // the onion method for the correlation factor U, then each row scaled by its sd draw
  sample: (g, [nArr, etaArr, sd], out) => {
    const n = nArr.data[0], m = (n * (n + 1)) / 2, batch = out.shape.slice(0, -1);
    const etas = scalarAt(etaArr, batch, WHO), offs = coreOffsets(sd, 1, batch, WHO);
    const U = new Float64Array(n * n), z = new Float64Array(n);
    for (let t = 0; t < offs.length; t++) {
      onionCholesky(g, n, etas[t], U, z);
      for (let i = 0, j = 0; i < n; i++) for (let c = 0; c <= i; c++, j++) out.data[t * m + j] = sd.data[offs[t] + i] * U[i * n + c];
    }
  },
  // PyMC's decomposition: sd = row norms of L, U = diag(sd)⁻¹ L, density of (sd, U) times the
  // Jacobian of (sd, U) → L; only U's diagonal enters the LKJ term and that Jacobian
  logp: (x, [nVar, eta, sd]) => {
    const n = staticN(nVar);
    const sdOp = sd.owner!.op as RandomVariable, sdParams = sd.owner!.inputs.slice(2);
    const sds = sqrt(matmul(sqr(x), rowIndicator(n)));
    let logpSd = sdOp.dist.logp(sds, sdParams);
    if (sdOp.dist.ndimSupp === 0) logpSd = sum(logpSd, { axis: -1 });
    const diag = take(x, packedDiagonal(n), { axis: -1 });
    const logU = log(div(diag, sds));
    const rows = new Constant(NDArray.from(Array.from({ length: n }, (_, i) => i)));
    const lkj = sum(mul(add(sub(mul(2, eta), 3 - n), mul(rows, -1)), logU), { axis: -1 });
    const jac = sum(sub(logU, mul(rows, log(sds))), { axis: -1 });
    const lp = add(add(add(lkjLogNorm(eta, n), lkj), logpSd), jac);
    // a Cholesky factor has a positive diagonal; PyMC gives nan there, −inf is the density's limit
    return switchOp(any(le(diag, 0), { axis: -1 }), -Infinity, lp);
  },
  checks: ([, eta, sd]) => {
    const sdOp = sd.owner?.op;
    const sdChecks = sdOp instanceof RandomVariable ? (sdOp.dist.checks?.(sd.owner!.inputs.slice(2)) ?? []) : [];
    return [[gt(eta, 0), "eta > 0"], ...sdChecks];
  },
  // the identity factor: unit diagonal, zero correlations
  moment: ([n], shape) => {
    const k = staticN(n), diag = packedDiagonal(k);
    const eye = new Constant(NDArray.from(Array.from({ length: (k * (k + 1)) / 2 }, (_, j) => (diag.includes(j) ? 1 : 0))));
    return shape.every((d) => d !== null) ? broadcastTo(eye, shape as number[]) : eye;
  },
  transform: ([n]) => choleskyCovPacked(staticN(n)),
};

/**
 * The lower Cholesky factor of an LKJ(eta) correlation matrix by the onion method (Lewandowski et
 * al. 2009, §3.2): row m is √y·(a uniform direction) with y ~ Beta(m/2, b), b falling by ½ per row.
 */
function onionCholesky(g: Parameters<DistributionSpec["sample"]>[0], n: number, eta: number, U: Float64Array, z: Float64Array): void {
  U.fill(0);
  U[0] = 1;
  if (n === 1) return;
  let b = eta - 1 + n / 2;
  const r = 2 * beta(g, b, b) - 1;
  U[n] = r;
  U[n + 1] = Math.sqrt(1 - r * r);
  for (let m = 2; m < n; m++) {
    b -= 0.5;
    const y = beta(g, m / 2, b);
    let norm = 0;
    for (let j = 0; j < m; j++) norm += (z[j] = standardNormal(g)) ** 2;
    const scale = Math.sqrt(y / norm);
    for (let j = 0; j < m; j++) U[m * n + j] = z[j] * scale;
    U[m * n + m] = Math.sqrt(1 - y);
  }
}

export const multivariateLkjDistributions = { LKJCholeskyCov };
