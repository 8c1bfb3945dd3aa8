// Matrix products as tight loops over strided views (a transposed operand costs nothing). The
// loop order and the skip of zero left entries are the reference kernel's, so results agree
// bit for bit, infinities and NaNs included. Cholesky and triangular solves: linalg_decomp.ts.
import type { Apply } from "../../../core/graph.ts";
import { Dot, Matmul, TriMask } from "../../ops/linalg.ts";
import { type Dims, type EmitContext, type JsLowering, type Loc, rowMajor, sizeOfDims, type LoweringEntry } from "./lowering.ts";
import { convert, lit } from "./source.ts";

/** NumPy's matmul shape: vectors promoted to a row (left) or column (right); batches broadcast. */
function productShape(a: Dims, b: Dims): { out: number[]; batch: number[]; m: number; k: number; n: number } | null {
  const A = a.length === 1 ? [1, a[0]] : a, B = b.length === 1 ? [b[0], 1] : b;
  const [m, k] = A.slice(-2), [kb, n] = B.slice(-2);
  if (k !== kb) return null;
  const ba = A.slice(0, -2), bb = B.slice(0, -2), nd = Math.max(ba.length, bb.length);
  const batch: number[] = [];
  for (let i = 0; i < nd; i++) {
    const x = ba[i - (nd - ba.length)] ?? 1, y = bb[i - (nd - bb.length)] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return null;
    batch.push(x === 1 ? y : x);
  }
  return { out: [...batch, ...(a.length >= 2 ? [m] : []), ...(b.length >= 2 ? [n] : [])], batch, m, k, n };
}

/** An operand's element at `base + Σ var·stride`, or its register when it has one element. */
function reader(loc: Loc): (base: string, ...terms: [string, number][]) => string {
  if (loc.kind === "lit") return () => lit(loc.value);
  if (loc.kind === "reg") return () => loc.name;
  return (base, ...terms) => `${loc.name}[${[base, ...terms.filter(([, s]) => s !== 0).map(([v, s]) => (s === 1 ? v : `${v} * ${s}`))].join(" + ")}]`;
}

/** Where each batch entry of an operand starts (its batch axes right-aligned, broadcast ones fixed). */
function batchStarts(loc: Loc, shape: Dims, batch: readonly number[]): number[] {
  const own = shape.length - 2, starts: number[] = [];
  const rm = rowMajor(batch);
  for (let t = 0; t < sizeOfDims(batch); t++) {
    let pos = loc.kind === "buf" ? loc.offset : 0;
    for (let ax = 0; ax < batch.length; ax++) {
      const k = ax - (batch.length - own);
      if (k < 0 || shape[k] === 1 || loc.kind !== "buf") continue;
      pos += (Math.floor(t / rm[ax]) % batch[ax]) * loc.strides[k];
    }
    starts.push(pos);
  }
  return starts;
}

function emitProduct(cx: EmitContext, node: Apply): void {
  const [a, b] = node.inputs, out = node.outputs[0];
  const as = cx.shape(a), bs = cx.shape(b), p = productShape(as, bs)!;
  const A = cx.loc(a), B = cx.loc(b);
  const st = (loc: Loc, ax: number) => (loc.kind === "buf" && ax >= 0 ? loc.strides[ax] : 0);
  const sAi = as.length === 1 ? 0 : st(A, as.length - 2), sAp = st(A, as.length - 1);
  const sBp = st(B, bs.length === 1 ? 0 : bs.length - 2), sBj = bs.length === 1 ? 0 : st(B, bs.length - 1);
  const readA = reader(A), readB = reader(B);
  const T = sizeOfDims(p.batch), { m, k, n } = p;
  const line = (d: number, s: string) => cx.src.line(cx.depth + d, s);
  const starts = (loc: Loc, shape: Dims) => {
    const s = batchStarts(loc, shape.length === 1 ? [1, shape[0]] : shape, p.batch);
    return T === 1 ? String(s[0] ?? 0) : `${cx.src.closure(Int32Array.from(s), "starts")}[bt]`;
  };
  const reg = sizeOfDims(p.out) === 1;
  const v = cx.src.fresh("v"), O = reg ? "" : cx.buffer(out).name;
  const store = (idx: string, s: string) => (reg ? `${v} = ${s};` : `${O}[${idx}] = ${s};`);
  const outVal = (s: string) => (out.dtype === "bool" ? `(${s} !== 0 ? 1 : 0)` : s);
  if (reg) line(0, `let ${v} = 0;`);
  line(0, `for (let bt = 0; bt < ${T}; bt++) {`);
  line(1, `const oa = ${starts(A, as)}, ob = ${starts(B, bs)};`);
  line(1, `for (let mi = 0; mi < ${m}; mi++) {`);
  if (n === 1) {
    line(2, `let s = 0;`);
    line(2, `for (let mp = 0; mp < ${k}; mp++) {`);
    line(3, `const a = ${readA("oa", ["mi", sAi], ["mp", sAp])};`);
    line(3, `if (a !== 0) s += a * ${readB("ob", ["mp", sBp])};`);
    line(2, "}");
    line(2, store(`bt * ${m} + mi`, outVal("s")));
  } else {
    // accumulate a row in doubles: in the output itself when it holds doubles
    const acc = out.dtype === "float64" ? O : cx.src.closure(new Float64Array(n), "scratch");
    const base = out.dtype === "float64" ? "row" : "0";
    line(2, `const row = (bt * ${m} + mi) * ${n};`);
    line(2, `for (let mj = 0; mj < ${n}; mj++) ${acc}[${base} + mj] = 0;`);
    line(2, `for (let mp = 0; mp < ${k}; mp++) {`);
    line(3, `const a = ${readA("oa", ["mi", sAi], ["mp", sAp])};`);
    line(3, `if (a === 0) continue;`);
    line(3, `const rb = ${sBp === 0 ? "ob" : sBp === 1 ? "ob + mp" : `ob + mp * ${sBp}`};`);
    line(3, `for (let mj = 0; mj < ${n}; mj++) ${acc}[${base} + mj] += a * ${readB("rb", ["mj", sBj])};`);
    line(2, "}");
    if (acc !== O) line(2, `for (let mj = 0; mj < ${n}; mj++) ${O}[row + mj] = ${outVal(`${acc}[mj]`)};`);
  }
  line(1, "}");
  line(0, "}");
  if (reg) {
    const r = cx.src.fresh("v");
    line(0, `const ${r} = ${convert(out.dtype, v)};`);
    cx.define(out, { kind: "reg", name: r });
  }
}

const productLowering: JsLowering = {
  shape: (_node, q) => {
    const p = productShape(q.shapes[0], q.shapes[1]);
    return p && [p.out];
  },
  emit: (node, cx) => emitProduct(cx, node),
};

export const linalgLowerings: LoweringEntry[] = [
  [Matmul, productLowering],
  [Dot, productLowering],
  // shape-preserving: no run needed to know the result's shape, but the op computes it
  [TriMask, { shape: (_n, q) => [[...q.shapes[0]]] }],
];
