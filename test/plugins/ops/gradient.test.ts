import { strict as assert } from "node:assert";
import { NDArray, pt, type Variable } from "../../../mod.ts";
import { TriGamma } from "../../../plugins/ops/elemwise_math.ts";
import { lift } from "../../../plugins/ops/elemwise_base.ts";
import { assertClose, assertThrowsMatching } from "../../helpers.ts";

/** Central second differences of a scalar function of a vector. */
function numericHessian(f: (x: number[]) => number, x: number[], h = 1e-4): number[][] {
  const n = x.length;
  const H = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const at = (di: number, dj: number) => {
        const y = x.slice();
        y[i] += di;
        y[j] += dj;
        return f(y);
      };
      H[i][j] = (at(h, h) - at(h, -h) - at(-h, h) + at(-h, -h)) / (4 * h * h);
    }
  }
  return H;
}

describe("gradients: hessians vs finite differences", () => {
  const cases: [string, (x: Variable) => Variable, number[]][] = [
    ["sum of squares times exp", (x) => pt.sum(pt.mul(pt.sqr(x), pt.exp(pt.mul(x, 0.3)))), [0.5, -1.2, 2]],
    ["log-sum-exp", (x) => pt.logsumexp(x), [0.1, 1.5, -0.7]],
    ["quadratic form", (x) => pt.dot(x, pt.dot(pt.constant([[2, 0.5, 0], [0.5, 3, 1], [0, 1, 4]]), x)), [1, 2, -1]],
    ["normal log-density in (mu, log sigma)", (x) => {
      const mu = pt.index(x, [0]), sigma = pt.exp(pt.index(x, [1]));
      const data = pt.constant([0.3, -1.1, 2.4]);
      return pt.sum(pt.sub(pt.mul(-0.5, pt.sqr(pt.div(pt.sub(data, mu), sigma))), pt.log(sigma)));
    }, [0.2, 0.4]],
    ["gammaln and products", (x) => pt.add(pt.sum(pt.gammaln(x)), pt.prod(x)), [1.5, 2.5, 0.7]],
  ];
  for (const [name, build, point] of cases) {
    it(name, () => {
      const x = pt.vector("x", { shape: [point.length] });
      const cost = build(x);
      const H = pt.fn([x], pt.hessian(cost, x), { mode: "interp" })(point);
      const f = pt.fn([x], cost, { mode: "interp" });
      const num = numericHessian((v) => f(v).item(), point);
      assertClose(H, NDArray.from(num), { rtol: 1e-5, atol: 1e-6, what: `hessian of ${name}` });
    });
  }
  it("jacobian of a vector function", () => {
    const x = pt.vector("x", { shape: [2] });
    const y = pt.stack([pt.mul(pt.index(x, [0]), pt.index(x, [1])), pt.sin(pt.index(x, [0]))]);
    const J = pt.fn([x], pt.jacobian(y, x))([2, 3]);
    assertClose(J, NDArray.from([[3, 2], [Math.cos(2), 0]]), { rtol: 1e-14 });
  });
});

describe("gradients: what is and is not a gradient", () => {
  it("raises for a not-implemented gradient only when it is needed", () => {
    const trigamma = lift(TriGamma);
    const x = pt.scalar("x"), y = pt.scalar("y");
    // d trigamma/dx is not implemented; the cost also depends on y through another path
    const cost = pt.add(trigamma(x), pt.sqr(y));
    const gy = pt.grad(cost, y);
    assertClose(pt.fn([x, y], gy)(1, 3), 6);
    assertThrowsMatching(() => pt.grad(cost, x), "TriGamma", "not implemented", "polygamma");
  });
  it("disconnected inputs raise, warn or give zeros", () => {
    const x = pt.vector("x"), y = pt.vector("y");
    const cost = pt.sum(pt.exp(x));
    assertThrowsMatching(() => pt.grad(cost, y), "does not depend on", "'y'");
    const [, gy] = pt.grad(cost, [x, y], { disconnectedInputs: "ignore" });
    assertClose(pt.fn([y], gy)([1, 2]), [0, 0]);
  });
  it("refuses integer and non-scalar costs and integer wrt", () => {
    const x = pt.vector("x"), i = pt.vector("i", { dtype: "int32" });
    assertThrowsMatching(() => pt.grad(pt.exp(x), x), "must be a scalar");
    assertThrowsMatching(() => pt.grad(pt.sum(i), i), "cannot differentiate", "int32");
  });
  it("integer inputs on the path get no gradient, floats do", () => {
    const x = pt.vector("x"), i = pt.vector("i", { dtype: "int32" });
    const g = pt.grad(pt.sum(pt.mul(x, i)), x);
    assertClose(pt.fn([x, i], g)([1, 2], [3, 4]), [3, 4]);
  });
  it("accumulates gradients of a variable used twice", () => {
    const x = pt.scalar("x");
    const g = pt.grad(pt.mul(pt.exp(x), pt.sin(x)), x);
    const v = 0.7;
    assertClose(pt.fn([x], g)(v), Math.exp(v) * (Math.sin(v) + Math.cos(v)), { rtol: 1e-14 });
  });
});
