// Matrix products, triangular masks, decompositions and solvers against numpy/scipy fixtures
// (test/fixtures/gen_linalg.py), with static and unknown input shapes, then gradients.
import { strict as assert } from "node:assert";
import { runtime } from "../../../mod.ts";
import { Variable } from "../../../core/graph.ts";
import { NDArray, type NestedArray } from "../../../core/ndarray.ts";
import { TensorType } from "../../../core/types.ts";
import { type FixArray, assertClose, assertThrowsMatching, fromFixture, loadFixture } from "../../helpers.ts";
import { dot, matmul, outer, productFunctions, tril, triu } from "../../../plugins/ops/linalg.ts";
import { cholesky, det, inv, linalgFunctions, logdet, slogdet, solve, solveTriangular } from "../../../plugins/ops/linalg_decomp.ts";
import { linalgBuilders } from "./fixture_builders.ts";
import { verifyGradWith, vjp } from "../../../plugins/ops/gradient.ts";
import { constant } from "../../../plugins/ops/tensor.ts";
import { add, mul } from "../../../plugins/ops/elemwise.ts";
import { transpose } from "../../../plugins/ops/dimshuffle.ts";

interface Case {
  name: string;
  op: string;
  opts: Record<string, number | boolean>;
  inputs: { name: string; array: FixArray }[];
  expected?: FixArray | FixArray[];
  error?: { fragments: string[]; when: "build" | "run"; message?: string };
  rtol?: number;
  atol?: number;
}
interface Fixture {
  cases: Case[];
  gradPoints: Record<string, NestedArray>;
}
const fx = loadFixture<Fixture>("linalg.json");

const BUILD = linalgBuilders;

function inputsOf(c: Case, staticShapes: boolean): Variable[] {
  return c.inputs.map(({ name, array }) =>
    new Variable(new TensorType(array.dtype, staticShapes ? array.shape : array.shape.map(() => null)), null, 0, name));
}

function run(c: Case, staticShapes: boolean): { outs: Variable[]; results: NDArray[] } {
  const ins = inputsOf(c, staticShapes);
  const built = BUILD[c.op](ins, c.opts);
  const outs = Array.isArray(built) ? built : [built];
  const f = runtime.pt.fn(ins, outs, { mode: "interp" });
  return { outs, results: f(...c.inputs.map((i) => fromFixture(i.array))) };
}

describe("linalg", () => {
  it("exports its tensor functions", () => {
    assert.deepEqual(Object.keys(productFunctions).sort(), ["dot", "matmul", "outer"]);
    for (const k of ["cholesky", "solveTriangular", "solve", "det", "logdet", "slogdet", "inv", "tril", "triu"]) {
      assert.equal(typeof (linalgFunctions as Record<string, unknown>)[k], "function", k);
    }
  });

  for (const staticShapes of [true, false]) {
    describe(staticShapes ? "numpy fixtures, static shapes" : "numpy fixtures, unknown shapes", () => {
      for (const c of fx.cases) {
        it(c.name, () => {
          if (c.error) {
            const { fragments, when, message } = c.error;
            if (staticShapes && when === "build") {
              assertThrowsMatching(() => BUILD[c.op](inputsOf(c, true), c.opts), ...fragments);
              if (message) assert.throws(() => BUILD[c.op](inputsOf(c, true), c.opts), { message });
            } else {
              // with unknown shapes, shape errors surface when the arrays arrive
              assertThrowsMatching(() => run(c, staticShapes), ...fragments);
            }
            return;
          }
          const { outs, results } = run(c, staticShapes);
          const expected = Array.isArray(c.expected) ? c.expected : [c.expected!];
          assert.equal(results.length, expected.length);
          expected.forEach((e, k) => {
            const exp = fromFixture(e);
            assertClose(results[k], exp, { rtol: c.rtol ?? 1e-12, atol: c.atol ?? 0, what: `${c.name} output ${k}` });
            const t = outs[k].type;
            assert.equal(t.dtype, exp.dtype, "static dtype");
            assert.equal(t.ndim, exp.ndim, "static rank");
            t.shape.forEach((d, i) => assert.ok(d === null || d === exp.shape[i], `static shape ${t} vs result [${exp.shape}]`));
            if (staticShapes) assert.deepEqual([...t.shape], [...exp.shape], "fully static inputs give a fully static output");
          });
        });
      }
    });
  }

  it("prints ops with their parameters", () => {
    const A = new Variable(new TensorType("float64", [3, 3]), null, 0, "A");
    assert.equal(String(cholesky(A).owner!.op), "Cholesky{lower=true}");
    assert.equal(String(tril(A, -1).owner!.op), "Tril{k=-1}");
    assert.equal(String(solveTriangular(A, [1, 2, 3], { lower: false }).owner!.op), "SolveTriangular{lower=false, transA=false, unitDiagonal=false}");
    assert.equal(String(dot(A, A).owner!.op), "Dot");
    assert.equal(String(inv(A).owner!.op), "MatrixInverse");
  });

  it("dot of a matrix and a vector names both inputs when inner dimensions differ", () => {
    const A = new Variable(new TensorType("float64", [3, 4]), null, 0, "A");
    const v = new Variable(new TensorType("float64", [5]), null, 0, "v");
    assert.throws(() => dot(A, v), { message: "Dot: cannot multiply 'A' with shape [3, 4] by 'v' with shape [5] — inner dimensions 4 and 5 differ" });
  });
});

describe("linalg gradients", () => {
  const P = fx.gradPoints;
  const check = (f: (...xs: Variable[]) => Variable, ...point: NestedArray[]) => verifyGradWith(runtime.pt, f, point, { mode: "interp" });
  const sym = (x: Variable) => mul(add(x, transpose(x)), 0.5);

  it("dot: matrix·vector, vector·matrix, matrix·matrix, vector·vector", () => {
    check((a, b) => dot(a, b), P.mat2x3, P.vec3);
    check((a, b) => dot(a, b), P.vec3, P.mat3x2);
    check((a, b) => dot(a, b), P.mat2x3, P.mat3x2);
    check((a, b) => dot(a, b), P.vec3, P.vec3);
  });
  it("matmul with broadcast batch dimensions and vector operands", () => {
    check((a, b) => matmul(a, b), P.batchA, P.batchB);
    check((a, b) => matmul(a, b), P.vec3, P.batchB);
    check((a, b) => matmul(a, b), P.batchB, P.vec2);
  });
  it("outer", () => check((a, b) => outer(a, b), P.vec3, P.vec2));
  it("tril and triu", () => {
    check((x) => tril(x, -1), P.square);
    check((x) => triu(x, 1), P.mat2x3);
  });
  it("cholesky (symmetric gradient; the input is symmetrized so finite differences agree)", () => {
    check((x) => cholesky(sym(x)), P.spd);
    check((x) => cholesky(sym(x), { lower: false }), P.spd);
  });
  it("solveTriangular with respect to A and b, every option", () => {
    for (const lower of [true, false]) {
      for (const transA of [false, true]) {
        for (const unitDiagonal of [false, true]) {
          const A = lower ? P.lower : P.upper;
          check((a, b) => solveTriangular(a, b, { lower, transA, unitDiagonal }), A, P.vec3);
          check((a, b) => solveTriangular(a, b, { lower, transA, unitDiagonal }), A, P.mat3x2);
        }
      }
    }
  });
  it("solve with respect to A and b", () => {
    check((a, b) => solve(a, b), P.square, P.vec3);
    check((a, b) => solve(a, b), P.square, P.mat3x2);
  });
  it("det, logdet, slogdet and inv", () => {
    check((a) => det(a), P.square);
    check((a) => logdet(a), P.square);
    check((a) => slogdet(a)[1], P.spd);
    check((a) => inv(a), P.square);
  });
  it("an int32 operand is a constant to differentiate through; a float32 one gets a float32 gradient", () => {
    const M = constant([[1, 2, 3], [4, 5, 6]], { dtype: "int32" });
    check((x) => dot(M, x), P.vec3);
    const x = new Variable(new TensorType("float32", [3]), null, 0, "x");
    const A = constant([[1, 2, 3], [4, 5, 6]]);
    const g = new Variable(new TensorType("float64", [2]), null, 0, "g");
    const [gx] = vjp(dot(A, x), g, [x]);
    assert.equal(gx.dtype, "float32");
    const f = runtime.pt.fn([g, x], gx, { mode: "interp" });
    assertClose(f([1, -1], NDArray.from([0, 0, 0], "float32")), NDArray.from([-3, -3, -3], "float32"));
  });
});
