import { strict as assert } from "node:assert";
import { NDArray, pt } from "../../../mod.ts";
import { interval, logTransform, logoddsTransform, lowerBound, upperBound } from "../../../plugins/ppl/transforms/elementwise.ts";
import { chain, orderedTransform, positiveOrderedTransform, simplexTransform } from "../../../plugins/ppl/transforms/vector.ts";
import type { Transform } from "../../../plugins/ppl/transforms/types.ts";
import { assertClose } from "../../helpers.ts";

/** log|det ∂x/∂y| by central differences (x without its last entry for simplex, where x_K = 1 − Σ). */
function numericLogJacDet(backward: (y: number[]) => number[], y: number[], dropLast: boolean): number {
  const h = 1e-6, n = y.length;
  const J: number[][] = [];
  for (let j = 0; j < n; j++) {
    const yp = y.slice(), ym = y.slice();
    yp[j] += h;
    ym[j] -= h;
    const xp = backward(yp), xm = backward(ym);
    const col = xp.map((v, i) => (v - xm[i]) / (2 * h));
    J.push(dropLast ? col.slice(0, n) : col);
  }
  // log|det| by Gaussian elimination with partial pivoting (J is stored by columns)
  const A = Array.from({ length: n }, (_, i) => J.map((c) => c[i]));
  let logdet = 0;
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(A[i][k]) > Math.abs(A[p][k])) p = i;
    [A[k], A[p]] = [A[p], A[k]];
    logdet += Math.log(Math.abs(A[k][k]));
    for (let i = k + 1; i < n; i++) {
      const f = A[i][k] / A[k][k];
      for (let j = k; j < n; j++) A[i][j] -= f * A[k][j];
    }
  }
  return logdet;
}

const elementwise: [string, Transform, number[]][] = [
  ["log", logTransform, [0.3, 1, 7.5]],
  ["logodds", logoddsTransform, [0.01, 0.5, 0.93]],
  ["interval(-2, 5)", interval(-2, 5), [-1.9, 0, 4.99]],
  ["lowerBound(1)", lowerBound(1), [1.001, 2, 50]],
  ["upperBound(3)", upperBound(3), [-4, 0, 2.99]],
];
const vector: [string, Transform, number[], boolean][] = [
  ["simplex", simplexTransform, [0.2, 0.5, 0.3], true],
  ["ordered", orderedTransform, [-1.5, 0.2, 0.25, 3], false],
  ["positiveOrdered", positiveOrderedTransform, [0.1, 0.2, 2], false],
  ["chain(ordered, log) on positive increasing", chain(logTransform, orderedTransform), [0.5, 1, 4], false],
];

describe("transforms", () => {
  for (const [name, t, xs] of [...elementwise.map(([n, t, x]) => [n, t, x, false] as const), ...vector]) {
    it(`${name}: backward(forward(x)) = x and log|det J| matches finite differences`, () => {
      const x = pt.vector("x"), y = pt.vector("y");
      const fwd = pt.fn([x], t.forward(x)), bwd = pt.fn([y], t.backward(y)), ljd = pt.fn([y], t.logJacDet(y));
      const yv = fwd(xs);
      assertClose(bwd(yv), xs, { rtol: 1e-12, atol: 1e-14 });
      const ys = Array.from(yv.data);
      const back = (v: number[]) => Array.from(bwd(v).data);
      if (t.ndimSupp === 0) {
        const got = ljd(ys);
        ys.forEach((_, i) => {
          const one = (v: number) => back(ys.map((w, k) => (k === i ? v : w)))[i];
          const num = Math.log(Math.abs((one(ys[i] + 1e-6) - one(ys[i] - 1e-6)) / 2e-6));
          assert.ok(Math.abs(got.data[i] - num) < 1e-6, `${name} entry ${i}: ${got.data[i]} vs ${num}`);
        });
      } else {
        const dropLast = name === "simplex";
        assertClose(ljd(ys), numericLogJacDet(back, ys, dropLast), { rtol: 1e-6, atol: 1e-7 });
      }
    });
  }
  it("simplex works on batches (last axis) and its value shape drops one entry", () => {
    const x = pt.matrix("x");
    const y = simplexTransform.forward(x);
    const back = pt.fn([x], simplexTransform.backward(y))([[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]]);
    assertClose(back, NDArray.from([[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]]), { rtol: 1e-12 });
    assert.deepEqual(simplexTransform.valueShape!([3, 4]), [3, 3]);
    assert.deepEqual(pt.fn([x], simplexTransform.logJacDet(y))([[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]]).shape, [2]);
  });
  it("simplex log|det J| at 0 is log K − K log K (the seed HMM's Dirichlet terms)", () => {
    const y = pt.vector("y");
    assertClose(pt.fn([y], simplexTransform.logJacDet(y))([0, 0]), Math.log(3) - 3 * Math.log(3), { rtol: 1e-14 });
  });
});
