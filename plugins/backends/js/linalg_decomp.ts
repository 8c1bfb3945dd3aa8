// Cholesky and triangular solves as generated loops over strided views (the inputs of a
// multivariate normal's logp, run on every gradient call): the reference kernels' loop order and
// arithmetic, so results agree bit for bit, and their errors. float32 and LU-based ops (solve,
// det, slogdet, inv) run their perform.
import type { Apply } from "../../../core/graph.ts";
import { Cholesky, SolveTriangular } from "../../ops/linalg_decomp.ts";
import type { EmitContext, JsLowering, Loc, LoweringEntry } from "./lowering.ts";
import { lit } from "./source.ts";

/** Element (i, j) of a matrix operand, i and j being JS expressions. */
function element(loc: Loc): (i: string, j: string) => string {
  if (loc.kind === "lit") return () => lit(loc.value);
  if (loc.kind === "reg") return () => loc.name;
  const [si, sj] = loc.strides;
  const term = (v: string, s: number) => (s === 0 ? [] : [s === 1 ? v : `${v} * ${s}`]);
  return (i, j) => `${loc.name}[${[String(loc.offset), ...term(i, si), ...term(j, sj)].join(" + ")}]`;
}

/** Only float64 results are generated (float32 rounds at each step in the reference). */
const float64 = (node: Apply) => node.outputs[0].dtype === "float64" && node.inputs.every((v) => v.dtype === "float64");

/** A closure function that throws `message(...args)` as a RangeError (the reference's error). */
function thrower(cx: EmitContext, message: (...args: number[]) => string): string {
  return cx.src.closure((...args: number[]) => {
    throw new RangeError(message(...args));
  }, "fail");
}

const choleskyLowering: JsLowering = {
  shape: (_node, q) => {
    const [r, c] = q.shapes[0];
    return q.shapes[0].length === 2 && r === c ? [[r, r]] : null;
  },
  supports: (node) => float64(node),
  emit(node: Apply, cx: EmitContext) {
    const op = node.op as Cholesky, n = cx.shape(node.inputs[0])[0];
    const src = element(cx.loc(node.inputs[0]));
    // read from the chosen triangle; the factor is written transposed for upper (U = Lᵀ)
    const a = op.lower ? src : (i: string, j: string) => src(j, i);
    const O = cx.buffer(node.outputs[0]).name;
    const L = (i: string, j: string) => (op.lower ? `${O}[${i} * ${n} + ${j}]` : `${O}[${j} * ${n} + ${i}]`);
    const fail = thrower(cx, (j, d) => `${op}: the matrix is not positive definite (pivot ${j} is ${d})`);
    const line = (d: number, s: string) => cx.src.line(cx.depth + d, s);
    line(0, `${O}.fill(0);`);
    line(0, `for (let j = 0; j < ${n}; j++) {`);
    line(1, `let d = ${a("j", "j")};`);
    line(1, `for (let k = 0; k < j; k++) d -= ${L("j", "k")} ** 2;`);
    line(1, `if (!(d > 0)) ${fail}(j, d);`);
    line(1, `const ljj = ${L("j", "j")} = Math.sqrt(d);`);
    line(1, `for (let i = j + 1; i < ${n}; i++) {`);
    line(2, `let s = ${a("i", "j")};`);
    line(2, `for (let k = 0; k < j; k++) s -= ${L("i", "k")} * ${L("j", "k")};`);
    line(2, `${L("i", "j")} = s / ljj;`);
    line(1, "}");
    line(0, "}");
  },
};

const solveTriangularLowering: JsLowering = {
  shape: (_node, q) => {
    const [A, b] = q.shapes;
    return A.length === 2 && A[0] === A[1] && (b.length === 1 || b.length === 2) && b[0] === A[0] ? [[...b]] : null;
  },
  supports: (node) => float64(node),
  emit(node: Apply, cx: EmitContext) {
    const op = node.op as SolveTriangular, [a, b] = node.inputs, bs = cx.shape(b);
    const n = bs[0], m = bs.length === 1 ? 1 : bs[1];
    const src = element(cx.loc(a));
    const t = op.transA ? (i: string, j: string) => src(j, i) : src;
    const bl = cx.loc(b), bv = bs.length === 1 ? ((i: string) => element(bl.kind === "buf" ? { ...bl, strides: [bl.strides[0], 0] } : bl)(i, "0")) : null;
    const B = bv ? (i: string) => bv(i) : (i: string, c: string) => element(bl)(i, c);
    const X = cx.buffer(node.outputs[0]).name;
    const x = (i: string, c: string) => `${X}[${i} * ${m} + ${c}]`;
    const fail = thrower(cx, (i) => `SolveTriangular: the matrix is singular (diagonal entry ${i} is 0)`);
    const forward = op.lower !== op.transA;
    const line = (d: number, s: string) => cx.src.line(cx.depth + d, s);
    line(0, `for (let i = 0; i < ${n}; i++) for (let c = 0; c < ${m}; c++) ${x("i", "c")} = ${B("i", "c")};`);
    line(0, `for (let s = 0; s < ${n}; s++) {`);
    line(1, `const i = ${forward ? "s" : `${n - 1} - s`};`);
    line(1, "for (let q = 0; q < s; q++) {");
    line(2, `const j = ${forward ? "q" : `${n - 1} - q`}, f = ${t("i", "j")};`);
    line(2, `if (f !== 0) for (let c = 0; c < ${m}; c++) ${x("i", "c")} -= f * ${x("j", "c")};`);
    line(1, "}");
    if (!op.unitDiagonal) {
      line(1, `const d = ${t("i", "i")};`);
      line(1, `if (d === 0) ${fail}(i);`);
      line(1, `for (let c = 0; c < ${m}; c++) ${x("i", "c")} /= d;`);
    }
    line(0, "}");
  },
};

export const linalgDecompLowerings: LoweringEntry[] = [
  [Cholesky, choleskyLowering],
  [SolveTriangular, solveTriangularLowering],
];
