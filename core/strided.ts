// Strided walks: where each element of a broadcast, permuted or sliced view sits in its source's
// row-major buffer. Loops over such views read a table of offsets instead of keeping their own
// odometer, so one walk serves elementwise ops, broadcasting, transposes, indexing and sampling.
import { type TypedArray, allocData, dtypeOfData, sizeOf, stridesOf } from "./ndarray.ts";

/** The strides of an array of shape `own` along each axis of the shape `to` it broadcasts to
 * (NumPy: aligned at the right), 0 where it is broadcast. */
export function broadcastStrides(own: readonly number[], to: readonly number[]): number[] {
  const st = stridesOf(own), off = to.length - own.length;
  return to.map((_, ax) => (ax < off || own[ax - off] === 1 ? 0 : st[ax - off]));
}

/** base + Σ index[ax]·steps[ax] for every index of `shape`, in row-major order. */
export function stridedOffsets(shape: readonly number[], steps: readonly number[], base = 0): Int32Array {
  const n = sizeOf(shape), nd = shape.length;
  const out = new Int32Array(n);
  if (nd === 0) {
    out[0] = base;
    return out;
  }
  const len = shape[nd - 1], step = steps[nd - 1];
  const idx = new Array<number>(nd).fill(0);
  let pos = base;
  for (let i = 0; i < n; ) {
    for (let j = 0; j < len; j++) out[i++] = pos + j * step;
    // odometer over the outer axes: bump the innermost, carrying into earlier ones as axes wrap
    for (let ax = nd - 2; ax >= 0; ax--) {
      idx[ax]++;
      pos += steps[ax];
      if (idx[ax] < shape[ax]) break;
      pos -= steps[ax] * shape[ax];
      idx[ax] = 0;
    }
  }
  return out;
}

/**
 * For every index of `shape`, the offset in the buffer of an array of shape `own` broadcast to it;
 * with `block`, the start of the matching block when each element of `own` is a block of that size.
 */
export function broadcastOffsets(own: readonly number[], shape: readonly number[], block = 1): Int32Array {
  return stridedOffsets(shape, broadcastStrides(own, shape).map((s) => s * block));
}

/** data read at each offset: a contiguous copy of a strided view. */
export function gather(data: TypedArray, offsets: Int32Array): TypedArray {
  const out = allocData(dtypeOfData(data), offsets.length);
  for (let i = 0; i < offsets.length; i++) out[i] = data[offsets[i]];
  return out;
}
