// Advanced indexing schemes: an int32 index array along one axis (NumPy's take, x[:, idx]) and a
// boolean mask over consecutive axes (x[mask]). Both plug into IndexOp / IndexUpdateOp.
import { Constant, type Props, type Variable } from "../../core/graph.ts";
import { type NDArray, sizeOf } from "../../core/ndarray.ts";
import { type Dim, fmtShape } from "../../core/types.ts";
import type { Indexer, Plan } from "./subtensor_ops.ts";

/** Offsets of pre × picks × post blocks: x viewed as [pre, n, post], `picks` index the middle axis. */
function blockOffsets(pre: number, n: number, post: number, picks: ArrayLike<number>): Int32Array {
  const m = picks.length;
  const out = new Int32Array(pre * m * post);
  let i = 0;
  for (let p = 0; p < pre; p++) {
    for (let k = 0; k < m; k++) {
      const base = (p * n + picks[k]) * post;
      for (let q = 0; q < post; q++) out[i++] = base + q;
    }
  }
  return out;
}

/** An index scheme that starts at one axis of x: that axis is all its parameters. */
abstract class AtAxis {
  constructor(readonly axis: number) {}
  props(): Props {
    return { axis: this.axis };
  }
  describe(): string {
    return `axis=${this.axis}`;
  }
}

/** x indexed along `axis` by an int32 array of any rank; negative indices count from the end. */
export class TakeIndex extends AtAxis implements Indexer {
  readonly names = { get: "AdvancedSubtensor", inc: "AdvancedIncSubtensor", set: "AdvancedSetSubtensor" };
  resultShape(op: string, x: Variable, idx: readonly Variable[]): Dim[] {
    const [ind] = idx;
    if (idx.length !== 1) throw new TypeError(`${op}: expects one index array, got ${idx.length}`);
    if (ind.dtype !== "int32") throw new TypeError(`${op}: indices ${ind.describe()} must be int32, not ${ind.dtype}`);
    if (this.axis < 0 || this.axis >= x.ndim) throw new RangeError(`${op}: axis ${this.axis} is out of range for ${x.describe()}`);
    const n = x.type.shape[this.axis];
    if (ind instanceof Constant && n !== null) this.normalize(op, ind.value, n);
    const s = x.type.shape;
    return [...s.slice(0, this.axis), ...ind.type.shape, ...s.slice(this.axis + 1)];
  }
  private normalize(op: string, ind: NDArray, n: number): Int32Array {
    const out = new Int32Array(ind.size);
    for (let i = 0; i < out.length; i++) {
      const k = ind.data[i];
      if (k < -n || k >= n) throw new RangeError(`${op}: index ${k} is out of bounds for axis ${this.axis} with size ${n}`);
      out[i] = k < 0 ? k + n : k;
    }
    return out;
  }
  plan(op: string, xShape: readonly number[], [ind]: readonly NDArray[]): Plan {
    const ax = this.axis, n = xShape[ax];
    const picks = this.normalize(op, ind, n);
    const shape = [...xShape.slice(0, ax), ...ind.shape, ...xShape.slice(ax + 1)];
    return { shape, offsets: blockOffsets(sizeOf(xShape.slice(0, ax)), n, sizeOf(xShape.slice(ax + 1)), picks) };
  }
}

/** x indexed by a boolean mask covering axes axis … axis+mask.ndim-1; they become one axis. */
export class MaskIndex extends AtAxis implements Indexer {
  readonly names = { get: "AdvancedBooleanSubtensor", inc: "AdvancedBooleanIncSubtensor", set: "AdvancedBooleanSetSubtensor" };
  resultShape(op: string, x: Variable, idx: readonly Variable[]): Dim[] {
    const [mask] = idx;
    if (idx.length !== 1) throw new TypeError(`${op}: expects one mask, got ${idx.length}`);
    if (mask.dtype !== "bool" || mask.ndim === 0) throw new TypeError(`${op}: the mask ${mask.describe()} must be a bool array of at least one dimension (dtype ${mask.dtype})`);
    const ax = this.axis, k = mask.ndim, s = x.type.shape;
    if (ax < 0 || ax + k > x.ndim) throw new RangeError(`${op}: a ${k}-d mask at axis ${ax} does not fit ${x.describe()}`);
    mask.type.shape.forEach((d, i) => {
      const n = s[ax + i];
      if (d !== null && n !== null && d !== n) {
        throw new RangeError(`${op}: the mask ${mask.describe()} does not match axes ${ax}..${ax + k - 1} of ${x.describe()}`);
      }
    });
    // a constant mask has a known count of true entries
    const count = mask instanceof Constant ? Array.prototype.filter.call(mask.value.data, (v: number) => v !== 0).length : null;
    return [...s.slice(0, ax), count, ...s.slice(ax + k)];
  }
  plan(op: string, xShape: readonly number[], [mask]: readonly NDArray[]): Plan {
    const ax = this.axis, k = mask.ndim;
    const covered = xShape.slice(ax, ax + k);
    if (ax + k > xShape.length || covered.some((d, i) => d !== mask.shape[i])) {
      throw new RangeError(`${op}: a boolean index of shape ${fmtShape(mask.shape)} does not match axes ${ax}..${ax + k - 1} of an array of shape ${fmtShape(xShape)}`);
    }
    const picks: number[] = [];
    for (let i = 0; i < mask.size; i++) if (mask.data[i]) picks.push(i);
    const shape = [...xShape.slice(0, ax), picks.length, ...xShape.slice(ax + k)];
    return { shape, offsets: blockOffsets(sizeOf(xShape.slice(0, ax)), sizeOf(covered), sizeOf(xShape.slice(ax + k)), picks) };
  }
}
