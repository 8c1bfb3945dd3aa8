// Elemwise and Composite: one loop over the broadcast output with the scalar program inline.
// Each scalar op is a JS expression template that computes exactly what its `fn` does; ops
// without a template (special functions, user ops) are called through the closure.
import type { Apply } from "../../../core/graph.ts";
import { Elemwise, type ScalarOp } from "../../ops/elemwise_base.ts";
import { CompositeScalar } from "../../ops/composite.ts";
import * as E from "../../ops/elemwise.ts";
import * as M from "../../ops/elemwise_math.ts";
import { type EmitContext, type JsLowering, rowMajor, sizeOfDims, type LoweringEntry } from "./lowering.ts";
import { LoopNest, type Tree } from "./nest.ts";
import { convert } from "./source.ts";

type Template = (a: string[]) => string;
const cmp = (op: string): Template => ([a, b]) => `(${a} ${op} ${b} ? 1 : 0)`;
const call = (f: string): Template => (a) => `${f}(${a.join(", ")})`;

/** Scalar op → expression; arguments are always identifiers or literals, so repeating them is free. */
export const TEMPLATES = new Map<ScalarOp, Template>([
  [E.Add, ([a, b]) => `${a} + ${b}`],
  [E.Sub, ([a, b]) => `${a} - ${b}`],
  [E.Mul, ([a, b]) => `${a} * ${b}`],
  [E.TrueDiv, ([a, b]) => `${a} / ${b}`],
  [E.IntDiv, ([a, b]) => `Math.floor(${a} / ${b})`],
  [E.Mod, ([a, b]) => `${a} - Math.floor(${a} / ${b}) * ${b}`],
  [E.Neg, ([a]) => `-${a}`],
  [E.Abs, call("Math.abs")],
  [E.Sign, ([a]) => `(${a} > 0 ? 1 : ${a} < 0 ? -1 : ${a} === ${a} ? 0 : NaN)`],
  [E.Maximum, ([a, b]) => `(${a} !== ${a} || ${b} !== ${b} ? NaN : ${a} >= ${b} ? ${a} : ${b})`],
  [E.Minimum, ([a, b]) => `(${a} !== ${a} || ${b} !== ${b} ? NaN : ${a} <= ${b} ? ${a} : ${b})`],
  [E.Second, ([, b]) => b],
  [E.Lt, cmp("<")], [E.Gt, cmp(">")], [E.Le, cmp("<=")], [E.Ge, cmp(">=")], [E.Eq, cmp("===")], [E.Neq, cmp("!==")],
  [E.And, ([a, b]) => `(${a} !== 0 && ${b} !== 0 ? 1 : 0)`],
  [E.Or, ([a, b]) => `(${a} !== 0 || ${b} !== 0 ? 1 : 0)`],
  [E.Xor, ([a, b]) => `((${a} !== 0) !== (${b} !== 0) ? 1 : 0)`],
  [E.Not, ([a]) => `(${a} === 0 ? 1 : 0)`],
  [E.IsNan, ([a]) => `(${a} !== ${a} ? 1 : 0)`],
  [E.IsInf, ([a]) => `(${a} === Infinity || ${a} === -Infinity ? 1 : 0)`],
  [E.Switch, ([c, a, b]) => `(${c} !== 0 ? ${a} : ${b})`],
  [E.castOp("float64"), ([a]) => a],
  [E.castOp("float32"), ([a]) => a],
  [E.castOp("int32"), call("Math.trunc")],
  [E.castOp("bool"), ([a]) => `(${a} !== 0 ? 1 : 0)`],
  [M.Exp, call("Math.exp")], [M.Exp2, ([a]) => `Math.pow(2, ${a})`], [M.Expm1, call("Math.expm1")],
  [M.Log, call("Math.log")], [M.Log2, call("Math.log2")], [M.Log10, call("Math.log10")], [M.Log1p, call("Math.log1p")],
  [M.Sqrt, call("Math.sqrt")], [M.Sqr, ([a]) => `${a} * ${a}`], [M.Reciprocal, ([a]) => `1 / ${a}`],
  [M.Pow, ([a, b]) => `(${a} === 1 || (${a} === -1 && (${b} === Infinity || ${b} === -Infinity)) ? 1 : Math.pow(${a}, ${b}))`],
  [M.Sin, call("Math.sin")], [M.Cos, call("Math.cos")], [M.Tan, call("Math.tan")],
  [M.Arcsin, call("Math.asin")], [M.Arccos, call("Math.acos")], [M.Arctan, call("Math.atan")],
  [M.Sinh, call("Math.sinh")], [M.Cosh, call("Math.cosh")], [M.Tanh, call("Math.tanh")],
  [M.Floor, call("Math.floor")], [M.Ceil, call("Math.ceil")],
]);

/** The expression of a scalar op; special functions and unknown ops call their `fn` from the closure. */
function scalarTree(cx: EmitContext, op: ScalarOp, args: Tree[]): Tree {
  const fmt = TEMPLATES.get(op) ?? call(cx.src.closure(op.fn, op.name.toLowerCase()));
  return { t: "op", fmt, args };
}

/** NumPy broadcasting of equal-rank shapes; null on a conflict (perform then reports it). */
function broadcast(shapes: readonly (readonly number[])[]): number[] | null {
  const out = shapes[0] ? [...shapes[0]].fill(1) : [];
  for (const s of shapes) {
    for (let ax = 0; ax < s.length; ax++) {
      if (s[ax] === 1 || s[ax] === out[ax]) continue;
      if (out[ax] !== 1) return null;
      out[ax] = s[ax];
    }
  }
  return out;
}

export const elemwiseLowering: JsLowering = {
  shape: (_node, q) => {
    const out = broadcast(q.shapes);
    return out && [out];
  },

  // a producer fuses into this loop when it is evaluated exactly once per output element
  absorbs: (_node, i, q, [out]) => q.shapes[i].every((d, ax) => d === out[ax]),

  tree(node: Apply, cx: EmitContext, map: readonly number[], nest: LoopNest): Tree {
    const scalar = (node.op as Elemwise).scalar;
    const leaves = node.inputs.map((v) => cx.tree(v, map, nest));
    if (!(scalar instanceof CompositeScalar)) return scalarTree(cx, scalar, leaves);
    // intermediate steps stay doubles, as Composite's own fn keeps them
    const steps: Tree[] = [];
    for (const s of scalar.steps) steps.push(scalarTree(cx, s.op, s.args.map((r) => ("leaf" in r ? leaves[r.leaf] : steps[r.step]))));
    return steps[steps.length - 1];
  },

  emit: (node, cx) => emitTree(node, cx, elemwiseLowering.tree!),
};

/** An elementwise producer computed on its own: one loop storing its expression (a register when it has one element). */
export function emitTree(node: Apply, cx: EmitContext, build: NonNullable<JsLowering["tree"]>): void {
  const out = node.outputs[0];
  const shape = cx.shape(out);
  const nest = new LoopNest(cx.src, shape);
  const tree = build(node, cx, shape.map((_, i) => i), nest);
  if (sizeOfDims(shape) === 1) {
    const name = cx.src.fresh("v");
    nest.effect(0, `const ${name} = ${convert(out.dtype, nest.value(tree))};`);
    nest.emit(cx.depth);
    cx.define(out, { kind: "reg", name });
    return;
  }
  const buf = cx.buffer(out);
  const o = nest.access(buf.name, 0, rowMajor(shape));
  nest.effect(0, `${buf.name}[${nest.at(o)}] = ${nest.value(tree)};`);
  nest.emit(cx.depth);
}

export const elemwiseLowerings: LoweringEntry[] = [[Elemwise, elemwiseLowering]];
