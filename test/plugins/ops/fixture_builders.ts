// How a fixture case's op name becomes a graph, shared by the family tests and the interp-vs-js
// conformance suite so both read the fixture tables the same way.
import type { Variable } from "../../../core/graph.ts";
import type { DType } from "../../../core/types.ts";
import { dot, matmul, outer, tril, triu } from "../../../plugins/ops/linalg.ts";
import { cholesky, det, inv, logdet, slogdet, solve, solveTriangular } from "../../../plugins/ops/linalg_decomp.ts";
import { arange, eye, full, linspace, ones, zeros } from "../../../plugins/ops/creation.ts";
import { shapeFunctions } from "../../../plugins/ops/shape.ts";
import { expandDims, squeeze, transpose } from "../../../plugins/ops/dimshuffle.ts";

const { reshape, flatten, concatenate, stack, shape, size, specifyShape } = shapeFunctions;

export type LinalgOpts = Record<string, number | boolean>;
export const linalgBuilders: Record<string, (xs: Variable[], o: LinalgOpts) => Variable | Variable[]> = {
  dot: ([a, b]) => dot(a, b),
  matmul: ([a, b]) => matmul(a, b),
  outer: ([a, b]) => outer(a, b),
  tril: ([x], o) => tril(x, o.k as number),
  triu: ([x], o) => triu(x, o.k as number),
  cholesky: ([a], o) => cholesky(a, o),
  solveTriangular: ([a, b], o) => solveTriangular(a, b, o),
  solve: ([a, b]) => solve(a, b),
  det: ([a]) => det(a),
  slogdet: ([a]) => slogdet(a),
  logdet: ([a]) => logdet(a),
  inv: ([a]) => inv(a),
};

export type CreationOpts = { dtype?: DType; k?: number; endpoint?: boolean };
export const creationBuilders: Record<string, (args: unknown[], o: CreationOpts, value?: Variable) => Variable> = {
  arange: (a, o) => arange(a[0] as number, a[1] as number | undefined, a[2] as number | undefined, o),
  zeros: ([s], o) => zeros(s as number[], o),
  ones: ([s], o) => ones(s as number[], o),
  full: ([s, v], o, value) => full(s as number[], value ?? (v as number), o),
  eye: ([n, m], o) => eye(n as number, m as number | undefined, o),
  linspace: ([a, b, n], o) => linspace(a as number, b as number, n as number | undefined, o),
};

export const shapeBuilders: Record<string, (xs: Variable[], a: Record<string, unknown>) => Variable> = {
  reshape: ([x], a) => reshape(x, a.shape as number[]),
  flatten: ([x], a) => flatten(x, a),
  concatenate: (xs, a) => concatenate(xs, a),
  stack: (xs, a) => stack(xs, a),
  shape: ([x]) => shape(x),
  size: ([x]) => size(x),
  specifyShape: ([x], a) => specifyShape(x, a.shape as (number | null)[]),
  expandDims: ([x], a) => expandDims(x, a.axis as number),
  squeeze: ([x], a) => squeeze(x, a.axis as number | undefined),
  transpose: ([x], a) => transpose(x, a.axes as number[] | undefined),
};
