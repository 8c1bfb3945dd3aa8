// Random graphs (seeded, so the same on every run and runtime): chains of elementwise ops,
// reductions along an axis, softmax-like lanes, products and views over small shapes, repeated
// like the steps of an unrolled recurrence, with their gradients.
import { NDArray } from "../../core/ndarray.ts";
import type { Variable } from "../../core/graph.ts";
import { pt } from "./compare.ts";

/** A small linear congruential generator: deterministic across runtimes. */
function rng(seed: number) {
  let s = seed >>> 0;
  const next = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296;
  return { next, int: (n: number) => Math.floor(next() * n) };
}

interface Term { x: Variable; shape: number[] }

export function randomGraph(seed: number) {
  const r = rng(seed);
  const a = 1 + r.int(5), b = 1 + r.int(5);
  const X = pt.matrix("X"), v = pt.vector("v"), w = pt.vector("w"), s = pt.scalar("s");
  const pool: Term[] = [{ x: X, shape: [a, b] }, { x: v, shape: [b] }, { x: w, shape: [a] }, { x: s, shape: [] }];
  const fits = (p: Term, e: Term) => p.shape.length <= e.shape.length && p.shape.every((d, i) => d === e.shape[e.shape.length - p.shape.length + i]);
  const axis = () => r.int(2);
  const ops: ((e: Term) => Term | null)[] = [
    (e) => ({ x: pt.tanh(e.x), shape: e.shape }),
    (e) => ({ x: pt.exp(pt.mul(e.x, 0.3)), shape: e.shape }),
    (e) => ({ x: pt.sqr(e.x), shape: e.shape }),
    (e) => {
      const others = pool.filter((p) => fits(p, e));
      const o = others[r.int(others.length)];
      return { x: pt.add(e.x, pt.mul(o.x, 0.5)), shape: e.shape };
    },
    (e) => (e.shape.length === 2 ? ((k) => ({ x: pt.sum(e.x, { axis: k }), shape: [e.shape[1 - k]] }))(axis()) : null),
    (e) => (e.shape.length === 2 ? ((k) => ({ x: pt.max(e.x, { axis: k }), shape: [e.shape[1 - k]] }))(axis()) : null),
    (e) => (e.shape.length === 2 ? ((k) => ({ x: pt.logsumexp(e.x, { axis: k }), shape: [e.shape[1 - k]] }))(axis()) : null),
    (e) => (e.shape.length >= 1 ? { x: pt.softmax(e.x, { axis: e.shape.length - 1 }), shape: e.shape } : null),
    (e) => (e.shape.length >= 1 ? { x: pt.cumsum(e.x, { axis: e.shape.length - 1 }), shape: e.shape } : null),
    (e) => (e.shape.length >= 1 ? { x: pt.sum(e.x), shape: [] } : null),
    (e) => (e.shape.length === 1 && e.shape[0] === b ? { x: pt.dot(X, e.x), shape: [a] } : null),
    (e) => (e.shape.length === 2 ? { x: pt.transpose(e.x), shape: [e.shape[1], e.shape[0]] } : null),
    (e) => (e.shape.length === 1 ? { x: pt.add(pt.expandDims(e.x, 1), pt.expandDims(e.x, 0)), shape: [e.shape[0], e.shape[0]] } : null),
  ];
  // one chain of ops, applied again to its own result a few times (the steps of a recurrence)
  const chain = Array.from({ length: 3 + r.int(8) }, () => ops[r.int(ops.length)]);
  let e = pool[r.int(pool.length)];
  for (let t = 0, steps = 1 + r.int(4); t < steps; t++) {
    for (const op of chain) {
      const next = op(e);
      if (next) pool.push((e = next));
    }
  }
  const loss = pt.add(pt.sum(pool[pool.length - 1].x), pt.sum(pool[Math.max(0, pool.length - 3)].x));
  const inputs = [X, v, w, s];
  const outs = [loss, pool[pool.length - 1].x, ...pt.grad(loss, inputs, { disconnectedInputs: "ignore" })];
  const args = [
    new NDArray("float64", [a, b], Float64Array.from({ length: a * b }, () => r.next() * 4 - 2)),
    NDArray.from(Array.from({ length: b }, () => r.next() * 2 - 1)),
    NDArray.from(Array.from({ length: a }, () => r.next() * 2 - 1)),
    NDArray.scalar(r.next()),
  ];
  return { inputs, outs, args };
}

