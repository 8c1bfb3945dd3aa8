// Reductions as loop nests: the kept axes outside, the reduced axes inside in row-major order (the
// order the reference kernels add in, so sums agree bit for bit), the element read inline from
// an elementwise producer when one was fused in.
import type { Apply, Variable } from "../../../core/graph.ts";
import { type DType, isFloat } from "../../../core/types.ts";
import { All, Any, Argmax, Argmin, Max, Mean, Min, Prod, ProdWithoutZeros, type Reduce, Sum } from "../../ops/reduce.ts";
import { type Dims, type EmitContext, type JsLowering, type Kernel, kernelNames, rowMajor, sizeOfDims, type LoweringEntry } from "./lowering.ts";
import { LoopNest } from "./nest.ts";
import { convert } from "./source.ts";

/**
 * Emit a reduction of `x` (axes `reduced`, the rest kept in order) into `out`, whose element for
 * a kept index is at Σ index·outStrides. A size-1 result becomes a register.
 */
export function emitReduction(
  cx: EmitContext, x: Variable, out: Variable, reduced: readonly number[], kernel: Kernel, outStrides?: readonly number[],
): void {
  const shape = cx.shape(x);
  const kept = shape.map((_, i) => i).filter((a) => !reduced.includes(a));
  const perm = [...kept, ...reduced];
  const nest = new LoopNest(cx.src, perm.map((a) => shape[a]), kept.length);
  const elem = cx.tree(x, perm, nest);
  const n = kernelNames(cx.src);
  const reg = sizeOfDims(cx.shape(out)) === 1 ? cx.src.fresh("v") : null;
  const buf = reg ? null : cx.buffer(out);
  const os = outStrides ?? rowMajor(kept.map((a) => shape[a]));
  const store = buf ? nest.access(buf.name, 0, perm.map((_, j) => (j < kept.length ? os[j] : 0))) : -1;
  nest.init.push(...kernel.init(n));
  kernel.passes.forEach((p, i) => {
    nest.effect(i, ...p(nest.value(elem, i), n));
    if (kernel.between?.[i]) nest.after(i, ...kernel.between[i](n));
  });
  if (buf) nest.final.push(`${buf.name}[${nest.at(store, "outer")}] = ${kernel.result(n)};`);
  else nest.final.push(`const ${reg} = ${convert(out.dtype, kernel.result(n))};`);
  nest.emit(cx.depth);
  if (reg) cx.define(out, { kind: "reg", name: reg });
}

const isInt = (d: DType) => !isFloat(d);

function kernelFor(op: Reduce, input: DType, count: number): Kernel {
  const int = isInt(input);
  const fold = (init: string, step: (acc: string, x: string) => string): Kernel => ({
    init: (n) => [`let ${n.acc} = ${init};`],
    passes: [(x, n) => [step(n.acc, x)]],
    result: (n) => n.acc,
  });
  if (op instanceof Sum) return fold("0", (a, x) => (int ? `${a} = (${a} + ${x}) | 0;` : `${a} += ${x};`));
  if (op instanceof Prod) return fold("1", (a, x) => (int ? `${a} = Math.imul(${a}, ${x});` : `${a} *= ${x};`));
  if (op instanceof ProdWithoutZeros) {
    return fold("1", (a, x) => `if (${x} !== 0) ${int ? `${a} = Math.imul(${a}, ${x})` : `${a} *= ${x}`};`);
  }
  if (op instanceof Mean) return { ...fold("0", (a, x) => `${a} += ${x};`), result: (n) => `${n.acc} / ${count}` };
  if (op instanceof All) return fold("1", (a, x) => `if (${x} === 0) ${a} = 0;`);
  if (op instanceof Any) return fold("0", (a, x) => `if (${x} !== 0) ${a} = 1;`);
  const argMode = op instanceof Argmax || op instanceof Argmin;
  const better = op instanceof Max || op instanceof Argmax ? ">" : "<";
  const start = better === ">" ? "-Infinity" : "Infinity";
  // NaN wins and sticks; the first extreme (or first NaN) gives the index
  if (!argMode) return fold(start, (a, x) => `if (${x} !== ${x} || ${x} ${better} ${a}) ${a} = ${x};`);
  return {
    init: (n) => [`let ${n.m} = ${start}, ${n.at} = 0, ${n.k} = 0;`],
    passes: [(x, n) => [`if (${n.m} === ${n.m} && (${x} !== ${x} || ${x} ${better} ${n.m})) { ${n.m} = ${x}; ${n.at} = ${n.k}; }`, `${n.k}++;`]],
    result: (n) => n.at,
  };
}

function reduceLowering(): JsLowering {
  const axesOf = (node: Apply, ndim: number) => (node.op as Reduce).axesOf(ndim);
  return {
    shape: (node, q) => {
      const x = q.shapes[0];
      const axes = axesOf(node, x.length);
      if (axes.some((a) => a >= x.length)) return null;
      return [x.filter((_, i) => !axes.includes(i))];
    },
    // max/argmax of an empty lane has no value: perform raises numpy's error
    supports: (node, q) => {
      const op = node.op;
      if (!(op instanceof Max || op instanceof Min || op instanceof Argmax || op instanceof Argmin)) return true;
      const x = q.shapes[0], axes = axesOf(node, x.length);
      const r = sizeOfDims(axes.map((a) => x[a])), kept = sizeOfDims(x.filter((_, i) => !axes.includes(i)));
      return r > 0 || kept === 0;
    },
    absorbs: () => true,
    reduction: (node, q) => {
      const x = q.shapes[0];
      return axesOf(node, x.length).length === x.length ? kernelFor(node.op as Reduce, node.inputs[0].dtype, sizeOfDims(x)) : null;
    },
    scatter: (node, q) => {
      const x = q.shapes[0], axes = axesOf(node, x.length);
      if (!(node.op instanceof Sum) || node.outputs[0].dtype !== "float64" || axes.length === x.length || axes.some((a) => a >= x.length)) return null;
      const os = rowMajor(x.filter((_, i) => !axes.includes(i)));
      let k = 0;
      return { from: 0, strides: x.map((_, i) => (axes.includes(i) ? 0 : os[k++])) };
    },
    emit(node, cx) {
      const x = node.inputs[0], shape: Dims = cx.shape(x);
      const axes = axesOf(node, shape.length);
      const count = sizeOfDims(axes.map((a) => shape[a]));
      emitReduction(cx, x, node.outputs[0], axes, kernelFor(node.op as Reduce, x.dtype, count));
    },
  };
}

export const reduceLowerings: LoweringEntry[] =
  [Sum, Prod, ProdWithoutZeros, Mean, Max, Min, Argmax, Argmin, All, Any].map((c) => [c, reduceLowering()]);
