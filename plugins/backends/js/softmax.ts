// LogSumExp as a two-pass reduction (max, then the shifted sum), and Softmax / LogSoftmax as
// lane loops writing the normalized values — the same arithmetic, in the same order, as the ops.
import type { Apply } from "../../../core/graph.ts";
import { LogSoftmax, LogSumExp, Softmax } from "../../ops/softmax.ts";
import { LogSumExpSoftmax } from "../../ops/logsumexp_softmax.ts";
import { type EmitContext, type JsLowering, type Kernel, type LoweringEntry, rowMajor } from "./lowering.ts";
import { LoopNest } from "./nest.ts";
import { emitReduction } from "./reduce.ts";

const LSE: Kernel = {
  init: (n) => [`let ${n.m} = -Infinity, ${n.at} = -1, ${n.nan} = false, ${n.acc} = 0, ${n.k} = 0;`],
  passes: [
    (x, n) => [`if (${x} !== ${x}) ${n.nan} = true; else if (${x} > ${n.m} || ${n.at} < 0) { ${n.m} = ${x}; ${n.at} = ${n.k}; }`, `${n.k}++;`],
    // the max contributes exp(0) = 1, which log1p adds back exactly
    (x, n) => [`if (${n.k} !== ${n.at}) ${n.acc} += Math.exp(${x} - ${n.m});`, `${n.k}++;`],
  ],
  between: [(n) => [`${n.k} = 0;`]],
  result: (n) => `(${n.nan} ? NaN : ${n.m} === -Infinity || ${n.m} === Infinity ? ${n.m} : ${n.m} + Math.log1p(${n.acc}))`,
};

const axesOf = (node: Apply, ndim: number): number[] => (node.op as LogSumExp | Softmax | LogSumExpSoftmax).axesOf(ndim);

const logSumExpLowering: JsLowering = {
  shape: (node, q) => {
    const x = q.shapes[0], axes = axesOf(node, x.length);
    return axes.some((a) => a >= x.length) ? null : [x.filter((_, i) => !axes.includes(i))];
  },
  absorbs: () => true,
  emit: (node, cx) => emitReduction(cx, node.inputs[0], node.outputs[0], axesOf(node, node.inputs[0].ndim), LSE),
};

/** Softmax-like lanes: pass 0 finds the max; the kind decides the rest. */
function normalizeLowering(log: boolean): JsLowering {
  return {
    shape: (node, q) => (axesOf(node, q.shapes[0].length).some((a) => a >= q.shapes[0].length) ? null : [[...q.shapes[0]]]),
    emit(node: Apply, cx: EmitContext) {
      const x = node.inputs[0], out = node.outputs[0], shape = cx.shape(x);
      const axes = axesOf(node, shape.length);
      const kept = shape.map((_, i) => i).filter((a) => !axes.includes(a));
      const perm = [...kept, ...axes];
      const nest = new LoopNest(cx.src, perm.map((a) => shape[a]), kept.length);
      const elem = cx.tree(x, perm, nest);
      const buf = cx.buffer(out), rm = rowMajor(shape);
      const o = nest.access(buf.name, 0, perm.map((a) => rm[a]));
      const m = cx.src.fresh("m"), s = cx.src.fresh("sum"), ls = cx.src.fresh("ls");
      const dst = (pass: number) => `${buf.name}[${nest.at(o, pass)}]`;
      nest.init.push(`let ${m} = -Infinity, ${s} = 0${log ? `, ${ls} = 0` : ""};`);
      const x0 = nest.value(elem, 0);
      nest.effect(0, `if (${x0} !== ${x0}) ${m} = NaN; else if (${x0} > ${m}) ${m} = ${x0};`);
      if (log) {
        // scipy: shift by the max, or by 0 when the max is not finite
        nest.after(0, `if (!Number.isFinite(${m})) ${m} = 0;`);
        nest.effect(1, `${s} += Math.exp(${nest.value(elem, 1)} - ${m});`);
        nest.after(1, `${ls} = Math.log(${s});`);
        nest.effect(2, `${dst(2)} = ${nest.value(elem, 2)} - ${m} - ${ls};`);
      } else {
        nest.effect(1, `${s} += ${dst(1)} = Math.exp(${nest.value(elem, 1)} - ${m});`);
        nest.effect(2, `${dst(2)} /= ${s};`);
      }
      nest.emit(cx.depth);
    },
  };
}

/** logsumexp and softmax from one pass of exponentials: the arithmetic of lseSoftmaxLane. */
const lseSoftmaxLowering: JsLowering = {
  // an elementwise producer (alpha + log transition in the HMM) is computed inside the lane loops
  absorbs: () => true,
  shape: (node, q) => {
    const x = q.shapes[0], axes = axesOf(node, x.length);
    return axes.some((a) => a >= x.length) ? null : [x.filter((_, i) => !axes.includes(i)), [...x]];
  },
  emit(node: Apply, cx: EmitContext) {
    const x = node.inputs[0], shape = cx.shape(x);
    const axes = axesOf(node, shape.length);
    const kept = shape.map((_, i) => i).filter((a) => !axes.includes(a));
    const perm = [...kept, ...axes];
    const nest = new LoopNest(cx.src, perm.map((a) => shape[a]), kept.length);
    const elem = cx.tree(x, perm, nest);
    const wBuf = cx.buffer(node.outputs[1]), lBuf = cx.buffer(node.outputs[0]);
    const rm = rowMajor(shape), lrm = rowMajor(kept.map((a) => shape[a]));
    const wo = nest.access(wBuf.name, 0, perm.map((a) => rm[a]));
    const lo = nest.access(lBuf.name, 0, perm.map((a) => (kept.includes(a) ? lrm[kept.indexOf(a)] : 0)));
    const [m, acc, l, inv] = ["m", "acc", "lse", "inv"].map((h) => cx.src.fresh(h));
    const w = (pass: number) => `${wBuf.name}[${nest.at(wo, pass)}]`;
    nest.init.push(`let ${m} = -Infinity, ${acc} = 0, ${l} = 0, ${inv} = 0;`);
    // Math.max propagates NaN, and the lanes stay free of branches (measured: a NaN test or an
    // argmax in the max pass costs more than the exponential it could save)
    nest.effect(0, `${m} = Math.max(${m}, ${nest.value(elem, 0)});`);
    nest.effect(1, `${acc} += ${w(1)} = Math.exp(${nest.value(elem, 1)} - ${m});`);
    nest.after(1, `${l} = ${m} === -Infinity || ${m} === Infinity ? ${m} : ${m} + Math.log(${acc}); ${inv} = 1 / ${acc};`);
    nest.effect(2, `${w(2)} *= ${inv};`);
    nest.final.push(`${lBuf.name}[${nest.at(lo, "outer")}] = ${l};`);
    nest.emit(cx.depth);
  },
};

export const softmaxLowerings: LoweringEntry[] = [
  [LogSumExpSoftmax, lseSoftmaxLowering],
  [LogSumExp, logSumExpLowering],
  [Softmax, normalizeLowering(false)],
  [LogSoftmax, normalizeLowering(true)],
];
