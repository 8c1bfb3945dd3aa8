// Arithmetic, comparison and logical elementwise ops: forward, dtype rule and pullback together.
import { disconnected, type GradTerm, type Variable } from "../../core/graph.ts";
import { type DType, upcast } from "../../core/types.ts";
import { type ScalarOp, type TensorLike, type NameOpt, lift } from "./elemwise_base.ts";
import { sumToShape } from "./broadcast.ts";

const none = (): GradTerm[] => [disconnected, disconnected];
/** Each term reduced to the shape of the input it belongs to. */
const reduce = (ins: readonly Variable[], terms: GradTerm[]): GradTerm[] =>
  terms.map((t, i) => (t === disconnected || !(t as Variable).type ? t : sumToShape(t as Variable, ins[i])));

// ── arithmetic ──────────────────────────────────────────────────────────────────────────────
export const Add: ScalarOp = {
  name: "Add", arity: 2, dtype: "upcast", commutative: true, associative: true,
  fn: (a, b) => a + b,
  pullback: (ins, _o, g) => reduce(ins, [g, g]),
};
export const Sub: ScalarOp = {
  name: "Sub", arity: 2, dtype: "upcast",
  fn: (a, b) => a - b,
  pullback: (ins, _o, g) => reduce(ins, [g, neg(g)]),
};
export const Mul: ScalarOp = {
  name: "Mul", arity: 2, dtype: "upcast", commutative: true, associative: true,
  fn: (a, b) => a * b,
  pullback: ([a, b], _o, g) => reduce([a, b], [mul(g, b), mul(g, a)]),
};
export const TrueDiv: ScalarOp = {
  name: "True_div", arity: 2, dtype: "float",
  fn: (a, b) => a / b,
  pullback: ([a, b], o, g) => reduce([a, b], [div(g, b), neg(mul(g, div(o, b)))]),
};
export const IntDiv: ScalarOp = {
  name: "IntDiv", arity: 2, dtype: "upcast",
  fn: (a, b) => Math.floor(a / b),
  pullback: none,
};
/** Python/NumPy modulo: the result has the sign of the divisor. */
export const Mod: ScalarOp = {
  name: "Mod", arity: 2, dtype: "upcast",
  fn: (a, b) => a - Math.floor(a / b) * b,
  pullback: ([a, b], _o, g) => reduce([a, b], [g, neg(mul(g, intDiv(a, b)))]),
};
export const Neg: ScalarOp = {
  name: "Neg", arity: 1, dtype: "upcast",
  fn: (a) => -a,
  pullback: (_i, _o, g) => [neg(g)],
};
export const Abs: ScalarOp = {
  name: "Abs", arity: 1, dtype: "upcast",
  fn: Math.abs,
  pullback: ([a], _o, g) => [mul(g, sign(a))],
};
export const Sign: ScalarOp = {
  name: "Sign", arity: 1, dtype: "upcast",
  fn: (a) => (Number.isNaN(a) ? NaN : a > 0 ? 1 : a < 0 ? -1 : 0),
  pullback: ([a]) => [zerosLike(a)],
};
export const Maximum: ScalarOp = {
  name: "Maximum", arity: 2, dtype: "upcast", commutative: true, associative: true,
  fn: (a, b) => (a !== a || b !== b ? NaN : a >= b ? a : b),
  // at a tie each input gets the full gradient, as PyTensor does
  pullback: ([a, b], o, g) => reduce([a, b], [mul(g, eq(o, a)), mul(g, eq(o, b))]),
};
export const Minimum: ScalarOp = {
  name: "Minimum", arity: 2, dtype: "upcast", commutative: true, associative: true,
  fn: (a, b) => (a !== a || b !== b ? NaN : a <= b ? a : b),
  pullback: ([a, b], o, g) => reduce([a, b], [mul(g, eq(o, a)), mul(g, eq(o, b))]),
};
/** Fill: the value of b spread over the broadcast shape of a and b (PyTensor's `second`). */
export const Second: ScalarOp = {
  name: "Second", arity: 2, dtype: (ins) => ins[1],
  fn: (_a, b) => b,
  // a's values are never read: a true zero (not disconnected), so a graph like Flat's logp
  // still depends on its value variable, as in PyTensor
  pullback: ([a, b], _o, g) => [zerosLike(a), sumToShape(g, b)],
};

// ── comparisons and logic (bool results: no gradient flows) ───────────────────────────────
const cmp = (name: string, fn: (a: number, b: number) => boolean, commutative = false): ScalarOp => ({
  name, arity: 2, dtype: "bool", commutative, fn: (a, b) => (fn(a, b) ? 1 : 0), pullback: none,
});
export const Lt = cmp("Lt", (a, b) => a < b);
export const Gt = cmp("Gt", (a, b) => a > b);
export const Le = cmp("Le", (a, b) => a <= b);
export const Ge = cmp("Ge", (a, b) => a >= b);
export const Eq = cmp("Eq", (a, b) => a === b, true);
export const Neq = cmp("Neq", (a, b) => a !== b, true);
export const And = cmp("AND", (a, b) => a !== 0 && b !== 0, true);
export const Or = cmp("OR", (a, b) => a !== 0 || b !== 0, true);
export const Xor = cmp("XOR", (a, b) => (a !== 0) !== (b !== 0), true);
export const Not: ScalarOp = { name: "Invert", arity: 1, dtype: "bool", fn: (a) => (a === 0 ? 1 : 0), pullback: () => [disconnected] };
export const IsNan: ScalarOp = { name: "IsNan", arity: 1, dtype: "bool", fn: (a) => (a !== a ? 1 : 0), pullback: () => [disconnected] };
export const IsInf: ScalarOp = {
  name: "IsInf", arity: 1, dtype: "bool", fn: (a) => (a === Infinity || a === -Infinity ? 1 : 0), pullback: () => [disconnected],
};
export const Switch: ScalarOp = {
  name: "Switch", arity: 3, dtype: (ins) => upcast(ins[1], ins[2]),
  fn: (c, a, b) => (c !== 0 ? a : b),
  pullback: ([c, a, b], _o, g) => [disconnected, sumToShape(switchOp(c, g, 0), a), sumToShape(switchOp(c, 0, g), b)],
};

// ── casts ───────────────────────────────────────────────────────────────────────────────────
const castOps = new Map<DType, ScalarOp>();
export function castOp(dtype: DType): ScalarOp {
  let op = castOps.get(dtype);
  if (!op) {
    const fn = dtype === "int32" ? (a: number) => Math.trunc(a) : dtype === "bool" ? (a: number) => (a !== 0 ? 1 : 0) : (a: number) => a;
    op = {
      name: `Cast{${dtype}}`, arity: 1, dtype: () => dtype, fn,
      pullback: ([a], _o, g) => (dtype === "int32" || dtype === "bool" ? [disconnected] : [cast(g, a.dtype)]),
    };
    castOps.set(dtype, op);
  }
  return op;
}

// ── tensor functions ────────────────────────────────────────────────────────────────────────
export const add = lift(Add), sub = lift(Sub), mul = lift(Mul), div = lift(TrueDiv);
export const intDiv = lift(IntDiv), mod = lift(Mod), neg = lift(Neg), abs = lift(Abs);
export const sign = lift(Sign), maximum = lift(Maximum), minimum = lift(Minimum), second = lift(Second);
export const lt = lift(Lt), gt = lift(Gt), le = lift(Le), ge = lift(Ge), eq = lift(Eq), neq = lift(Neq);
export const and = lift(And), or = lift(Or), xor = lift(Xor), not = lift(Not);
export const isnan = lift(IsNan), isinf = lift(IsInf);
export const switchOp = lift(Switch);
/** NumPy's `where(cond, a, b)`. */
export const where = switchOp;

export function cast(x: TensorLike, dtype: DType, opts?: NameOpt): Variable {
  const f = lift(castOp(dtype));
  return opts ? f(x, opts) : f(x);
}

/** Zeros with x's shape and dtype — a deliberate zero, not an absent gradient. */
export function zerosLike(x: Variable): Variable {
  return second(x, 0);
}
export function onesLike(x: Variable): Variable {
  return second(x, 1);
}


/** The family's tensor functions, as they appear on `pt`. */
export const elemwiseFunctions = {
  add, sub, mul, div, intDiv, mod, neg, abs, sign, maximum, minimum, second,
  lt, gt, le, ge, eq, neq, and, or, xor, not, isnan, isinf, switch: switchOp, where, cast, zerosLike, onesLike,
};
