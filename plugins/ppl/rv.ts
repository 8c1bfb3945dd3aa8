// RandomVariable: (rng, size, ...params) → (rng', draw). The RNG state is an int32 tensor, so a
// draw is a pure function and `pm.draw` threads the state from one call to the next.
import { type GradTerm, Op, type Props, type Variable, notImplemented } from "../../core/graph.ts";
import { NDArray } from "../../core/ndarray.ts";
import { type Dim, TensorType, broadcastShapes, broadcastStatic, fmtShape } from "../../core/types.ts";
import { Constant } from "../../core/graph.ts";
import type { DistributionSpec } from "./distributions/types.ts";
import type { RngAlgorithm } from "./rng/types.ts";

export class RandomVariable extends Op {
  readonly name: string;
  readonly defaultOutput = 1;
  readonly foldable = false;
  constructor(readonly dist: DistributionSpec, readonly rng: RngAlgorithm) {
    super();
    this.name = dist.rvName;
  }
  override props(): Props {
    return { rng: this.rng.name };
  }
  override toString(): string {
    return this.name;
  }

  /** Static batch shape: `size` when constant, else the parameters' broadcast batch shapes. */
  batchShape(size: Variable, params: readonly Variable[]): Dim[] {
    if (size instanceof Constant && size.value.size > 0) return Array.from(size.value.data);
    if (size.type.shape[0] !== 0 && size.type.shape[0] !== null) return Array(size.type.shape[0]).fill(null);
    const batches = params.map((p, i) => p.type.shape.slice(0, p.ndim - this.dist.ndimsParams[i]));
    const b = broadcastStatic(batches);
    if ("conflict" in b) {
      throw new RangeError(`${this.dist.name}: parameters ${params.map((p, i) => `${this.dist.params[i]} ${fmtShape(p.type.shape)}`).join(", ")} cannot be broadcast`);
    }
    return b.shape;
  }

  make([rng, size, ...params]: readonly Variable[]): TensorType[] {
    if (rng.dtype !== "int32" || rng.ndim !== 1) throw new TypeError(`${this.name}: the rng input must be an int32 state vector, got ${rng.type}`);
    if (size.dtype !== "int32" || size.ndim !== 1) throw new TypeError(`${this.name}: size must be an int32 vector, got ${size.type}`);
    const d = this.dist;
    if (params.length !== d.params.length) throw new TypeError(`${this.name}: takes ${d.params.length} parameters (${d.params.join(", ")}), got ${params.length}`);
    params.forEach((p, i) => {
      if (p.ndim < d.ndimsParams[i]) {
        throw new TypeError(`${d.name}: ${d.params[i]} ${p.describe()} needs at least ${d.ndimsParams[i]} dimensions`);
      }
    });
    const supp = d.ndimSupp ? d.supportShape!(params) : [];
    return [rng.type, new TensorType(d.dtype, [...this.batchShape(size, params), ...supp])];
  }

  perform([rng, size, ...params]: NDArray[]): NDArray[] {
    const d = this.dist;
    const batches = params.map((p, i) => p.shape.slice(0, p.ndim - d.ndimsParams[i]));
    const implied = broadcastShapes(batches, () => `${d.name}: parameter batch shapes`);
    const batch = size.size ? Array.from(size.data) : implied;
    if (size.size && broadcastShapes([implied, batch], () => `${d.name}: size ${fmtShape(batch)} does not fit the parameters' shape ${fmtShape(implied)}`).some((n, i) => n !== batch[i])) {
      throw new RangeError(`${d.name}: size ${fmtShape(batch)} is smaller than the parameters' broadcast shape ${fmtShape(implied)}`);
    }
    const supp = d.ndimSupp ? supportOf(d, params) : [];
    const out = new NDArray(d.dtype, [...batch, ...supp]);
    const g = this.rng.resume(rng.data as Int32Array);
    d.sample(g, params, out);
    return [new NDArray("int32", rng.shape, g.state()), out];
  }

  pullback(inputs: readonly Variable[]): GradTerm[] {
    return inputs.map(() => notImplemented(`${this.name}: random draws are not differentiable; take gradients of logp instead`));
  }
}

/**
 * The support shape of concrete parameters: the spec's own rule on the values as constants,
 * else the trailing dims of the first vector parameter.
 */
function supportOf(d: DistributionSpec, params: readonly NDArray[]): number[] {
  if (d.supportShape) {
    const s = d.supportShape(params.map((p) => new Constant(p)));
    if (s.every((x) => x !== null)) return s as number[];
  }
  const i = d.ndimsParams.findIndex((n) => n > 0);
  const p = params[i];
  return p.shape.slice(p.ndim - d.ndimSupp);
}
