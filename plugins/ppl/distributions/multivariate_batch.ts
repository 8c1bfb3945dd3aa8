// Sampling helpers for parameters with core dimensions (a probability vector, a covariance
// matrix): where each batch entry's core block starts once the batch dims are broadcast.
import type { NDArray } from "../../../core/ndarray.ts";
import { sizeOf } from "../../../core/ndarray.ts";
import { broadcastOffsets } from "../../../core/strided.ts";
import { fmtShape } from "../../../core/types.ts";

/**
 * For every entry of `batch` (row-major), the offset in `p.data` of the core block of `p`
 * (its last `ndimCore` axes), broadcasting p's batch axes against `batch` as NumPy does.
 */
export function coreOffsets(p: NDArray, ndimCore: number, batch: readonly number[], who: string): Int32Array {
  const own = p.shape.slice(0, p.ndim - ndimCore);
  const block = sizeOf(p.shape.slice(p.ndim - ndimCore));
  if (own.length > batch.length) throw new RangeError(`${who}: parameter of shape ${fmtShape(p.shape)} has more batch dimensions than the draw's ${fmtShape(batch)}`);
  const off = batch.length - own.length;
  own.forEach((d, i) => {
    if (d !== 1 && d !== batch[off + i]) throw new RangeError(`${who}: parameter of shape ${fmtShape(p.shape)} does not broadcast to the batch ${fmtShape(batch)}`);
  });
  return broadcastOffsets(own, batch, block);
}

/** The scalar parameter `p` (batch-shaped, broadcast) at every batch entry. */
export function scalarAt(p: NDArray, batch: readonly number[], who: string): Float64Array {
  const offs = coreOffsets(p, 0, batch, who);
  return Float64Array.from(offs, (o) => p.data[o]);
}
