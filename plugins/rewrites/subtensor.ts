// Rules about indexing: sums of gradients that each write one region into zeros become one
// chain of in-place increments (PyTensor's local_IncSubtensor_serialize).
import { Constant, type Variable } from "../../core/graph.ts";
import { type Pattern, any, commuted, reaching } from "../../core/rewrite/pattern.ts";
import type { RewriteRule } from "../../core/rewrite/types.ts";
import { Add, Second } from "../ops/elemwise.ts";
import { Alloc } from "../ops/creation.ts";
import { IndexUpdateOp } from "../ops/subtensor_ops.ts";
import { isElem, rule } from "./helpers.ts";

/** A value that is all zeros: a zero constant, a fill with zero, or an allocation of zero. */
function isZeros(v: Variable): boolean {
  const zero = (c: Variable) => c instanceof Constant && c.value.data.every((x: number) => x === 0);
  if (zero(v)) return true;
  const n = v.owner;
  if (!n) return false;
  if (isElem(Second)(n.op)) return zero(n.inputs[1]);
  return n.op instanceof Alloc && zero(n.inputs[0]);
}

/** An increment (not a set) of some region, whatever its index inputs: binds inc and z. */
const increment: Pattern = reaching(1, (v, b) => {
  const n = v.owner;
  if (!n || !(n.op instanceof IndexUpdateOp) || n.op.set) return false;
  b.inc = v;
  b.z = n.inputs[0];
  return true;
});

const knownEqual = (a: Variable, b: Variable) =>
  a.ndim === b.ndim && a.type.shape.every((d, i) => d !== null && d === b.type.shape[i]);

export const subtensorRules: RewriteRule[] = [
  rule({
    name: "inc_subtensor_serialize", tags: ["canonicalize"], // a + inc(zeros, y, idx) → inc(a, y, idx)
    pattern: commuted(isElem(Add), any("a"), increment),
    reach: 3, // isZeros looks at what produces z, and at its constant
    when: ({ a, z }, v) => isZeros(z) && knownEqual(a, v) && knownEqual(z, v) && a.dtype === v.dtype,
    build: ({ a, inc }) => {
      const n = inc.owner!;
      return n.op.call([a, ...n.inputs.slice(1)]);
    },
  }),
];
