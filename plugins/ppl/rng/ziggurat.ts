// Standard normal and standard exponential draws by the Marsaglia–Tsang ziggurat (256 layers), laid
// out as numpy's Generator does it: one 64-bit output per draw ≈ 99% of the time, the same bit
// fields, the same tail and wedge tests. Exact: the layers cover the density and the rare
// wedge/tail cases are settled by rejection against the true density. The tables are built here
// from (r, v) at load time, so a draw may differ from numpy's in the last bits (numpy's tables were
// generated elsewhere), while the stream is consumed in the same way. exp/log are ./detmath.ts's, so
// the tables and draws are the same on every JS engine.
import type { BitGenerator } from "./types.ts";
import * as dm from "./detmath.ts";

const LAYERS = 256;

interface Zig {
  /** Acceptance thresholds on the integer part: below k[i] the point is inside the layer's core. */
  k: Float64Array;
  /** Integer → x scale per layer: x = u · w[i]. */
  w: Float64Array;
  /** Density at the layer edges, f[0] = 1 at the top. */
  f: Float64Array;
}

/** Layer i spans [0, x_i] with x_255 = r; equal areas v give x_i = f⁻¹(v/x_{i+1} + f(x_{i+1})).
 * Layer 0 is the base strip plus the tail beyond r. `scale` = 2^(bits of the integer part). */
function tables(r: number, v: number, f: (x: number) => number, finv: (y: number) => number, scale: number): Zig {
  const k = new Float64Array(LAYERS), w = new Float64Array(LAYERS), fx = new Float64Array(LAYERS);
  let x1 = r;
  fx[LAYERS - 1] = f(r);
  w[LAYERS - 1] = r / scale;
  k[0] = Math.floor(((r * fx[LAYERS - 1]) / v) * scale);
  w[0] = v / fx[LAYERS - 1] / scale;
  fx[0] = 1;
  for (let i = LAYERS - 2; i > 0; i--) {
    const x = finv(v / x1 + fx[i + 1]);
    k[i + 1] = Math.floor((x / x1) * scale);
    w[i] = x / scale;
    fx[i] = f(x);
    x1 = x;
  }
  k[1] = 0;
  return { k, w, f: fx };
}

// r: the base layer's edge for 256 layers; v: the common layer area r·f(r) + ∫_r^∞ f.
const NOR_R = 3.6541528853610088;
const NOR_INV_R = 1 / NOR_R;
const NOR = tables(NOR_R, 0.004928673233974652, (x) => dm.exp(-0.5 * x * x), (y) => Math.sqrt(-2 * dm.log(y)), 4503599627370496);
const EXP_R = 7.69711747013105;
const EXP = tables(EXP_R, 0.0039496598225815572, (x) => dm.exp(-x), (y) => -dm.log(y), 9007199254740992);

const bits = new Uint32Array(2);

/** N(0, 1). Bits of the 64-bit word: 0–7 layer, 8 sign, 9–60 the 52-bit position in the layer. */
export function standardNormal(g: BitGenerator): number {
  const { k, w, f } = NOR;
  for (;;) {
    g.nextUint64Parts(bits);
    const hi = bits[0], lo = bits[1];
    const idx = lo & 0xff;
    const u = (hi & 0x1fffffff) * 8388608 + (lo >>> 9);
    const x = lo & 0x100 ? -u * w[idx] : u * w[idx];
    if (u < k[idx]) return x;
    if (idx === 0) {
      // the tail beyond r: Marsaglia's exponential rejection (1 − U avoids log 0)
      for (;;) {
        const xx = -NOR_INV_R * dm.log1p(-g.nextDouble());
        const yy = -dm.log1p(-g.nextDouble());
        if (yy + yy > xx * xx) return (lo >>> 17) & 1 ? -(NOR_R + xx) : NOR_R + xx;
      }
    }
    if ((f[idx - 1] - f[idx]) * g.nextDouble() + f[idx] < dm.exp(-0.5 * x * x)) return x;
  }
}

/** Exp(1). Bits of the 64-bit word: 3–10 layer, 11–63 the 53-bit position in the layer. */
export function standardExponential(g: BitGenerator): number {
  const { k, w, f } = EXP;
  for (;;) {
    g.nextUint64Parts(bits);
    const hi = bits[0], lo = bits[1];
    const idx = (lo >>> 3) & 0xff;
    const u = hi * 2097152 + (lo >>> 11);
    const x = u * w[idx];
    if (u < k[idx]) return x;
    if (idx === 0) return EXP_R - dm.log1p(-g.nextDouble()); // memorylessness: the tail is r + Exp(1)
    if ((f[idx - 1] - f[idx]) * g.nextDouble() + f[idx] < dm.exp(-x)) return x;
  }
}

/** U(0, 1) open at both ends (nextDouble redrawn on an exact 0): for inversions that take a log. */
export function openUniform(g: BitGenerator): number {
  let u = g.nextDouble();
  while (u === 0) u = g.nextDouble();
  return u;
}
