// numpy's default bit generator, PCG64 (PCG XSL-RR 128/64): a 128-bit LCG with a per-stream odd
// increment, output = (high 64 ⊕ low 64) rotated right by the top 6 state bits. The 128-bit
// multiply-add multiplies 32-bit state words by 16-bit multiplier limbs in doubles (each partial
// sum < 2⁵³, so exact) with a 4-stage carry chain — no BigInt, fast, identical on every JS engine.
//
// State vector (Int32Array, 10 words; uint32 bit patterns stored as int32):
//   [0..3]  LCG state, 32-bit words, least significant first
//   [4..7]  increment (odd), same order
//   [8]     1 when a 32-bit half is buffered for the next nextUint32(), else 0  (numpy's has_uint32)
//   [9]     that buffered half                                                   (numpy's uinteger)
// This is numpy's `bit_generator.state` dict word for word. Words 8–9 exist because numpy's
// nextUint32 hands out the low half of a 64-bit output and keeps the high half for the next call;
// without them a state taken between two such calls could not continue the stream exactly.
import type { BitGenerator, RngAlgorithm } from "./types.ts";
import { type Entropy, SeedSequence } from "./seed_sequence.ts";

export { SeedSequence } from "./seed_sequence.ts";

const STATE_SIZE = 10;
// numpy's PCG_DEFAULT_MULTIPLIER_128 = 0x2360ED051FC65DA4_4385DF649FCCF645 as 16-bit limbs, low first.
const M0 = 0xf645, M1 = 0x9fcc, M2 = 0xdf64, M3 = 0x4385, M4 = 0x5da4, M5 = 0x1fc6, M6 = 0xed05, M7 = 0x2360;
const T16 = 65536, I16 = 1 / 65536, T32 = 4294967296, I32 = 1 / 4294967296, I26 = 1 / 67108864;
const TWO_M53 = 1 / 9007199254740992;
const floor = Math.floor;

export class Pcg64 implements BitGenerator {
  /** State words 0–3 then increment words 4–7, each a uint32 held exactly in a double. */
  private readonly w = new Float64Array(8);
  private hasUint32 = false;
  private uinteger = 0;
  /** Low half of the last 64-bit output (the high half is returned by `next64`). */
  private lo = 0;

  constructor(state: Int32Array) {
    if (state.length !== STATE_SIZE) throw new RangeError(`pcg64: a state has ${STATE_SIZE} int32 words, got ${state.length}`);
    if ((state[4] & 1) === 0) throw new RangeError("pcg64: invalid state: the increment (words 4–7) must be odd");
    for (let k = 0; k < 8; k++) this.w[k] = state[k] >>> 0;
    this.hasUint32 = state[8] !== 0;
    this.uinteger = state[9] >>> 0;
  }

  /** Advance (state ← state·M + inc mod 2¹²⁸) and return the high 32 bits of the XSL-RR output of the
   * new state; the low 32 bits are left in `lo`. Products S_i·M_j go into column L_k (weight 2^32k)
   * or H_k (weight 2^(32k+16)); H_k is split at 16 bits so no sum exceeds ~2⁵¹. */
  private next64(): number {
    const w = this.w;
    const S0 = w[0], S1 = w[1], S2 = w[2], S3 = w[3];
    const L0 = S0 * M0, H0 = S0 * M1;
    const L1 = S0 * M2 + S1 * M0, H1 = S0 * M3 + S1 * M1;
    const L2 = S0 * M4 + S1 * M2 + S2 * M0, H2 = S0 * M5 + S1 * M3 + S2 * M1;
    const L3 = S0 * M6 + S1 * M4 + S2 * M2 + S3 * M0, H3 = S0 * M7 + S1 * M5 + S2 * M3 + S3 * M1;
    const q0 = floor(H0 * I16), q1 = floor(H1 * I16), q2 = floor(H2 * I16), q3 = floor(H3 * I16);
    let t = L0 + (H0 - q0 * T16) * T16 + w[4];
    let k = floor(t * I32);
    const n0 = t - k * T32;
    t = L1 + (H1 - q1 * T16) * T16 + q0 + w[5] + k;
    k = floor(t * I32);
    const n1 = t - k * T32;
    t = L2 + (H2 - q2 * T16) * T16 + q1 + w[6] + k;
    k = floor(t * I32);
    const n2 = t - k * T32;
    t = L3 + (H3 - q3 * T16) * T16 + q2 + w[7] + k;
    k = floor(t * I32);
    const n3 = t - k * T32;
    w[0] = n0; w[1] = n1; w[2] = n2; w[3] = n3;
    let hi = n3 ^ n1, lo = n2 ^ n0;
    let rot = floor(n3 * I26); // the top 6 bits of the state
    if (rot >= 32) {
      const x = hi; hi = lo; lo = x;
      rot -= 32;
    }
    if (rot !== 0) {
      const h = (hi >>> rot) | (lo << (32 - rot));
      lo = (lo >>> rot) | (hi << (32 - rot));
      hi = h;
    }
    this.lo = lo >>> 0;
    return hi >>> 0;
  }

  nextDouble(): number {
    const hi = this.next64();
    return (hi * 2097152 + (this.lo >>> 11)) * TWO_M53; // (x >> 11) · 2⁻⁵³, as numpy's random()
  }

  /** numpy's next_uint32: the low half of a fresh 64-bit output, keeping the high half for the next call. */
  nextUint32(): number {
    if (this.hasUint32) {
      this.hasUint32 = false;
      return this.uinteger;
    }
    this.uinteger = this.next64();
    this.hasUint32 = true;
    return this.lo;
  }

  /** The next raw 64-bit output (numpy's `random_raw()`) as [high, low] uint32 halves, into `out` if given. */
  nextUint64Parts(out: Uint32Array = new Uint32Array(2)): Uint32Array {
    out[0] = this.next64();
    out[1] = this.lo;
    return out;
  }

  state(): Int32Array {
    const st = new Int32Array(STATE_SIZE);
    for (let k = 0; k < 8; k++) st[k] = this.w[k];
    st[8] = this.hasUint32 ? 1 : 0;
    st[9] = this.uinteger;
    return st;
  }
}

/** The PCG64 state numpy builds from a SeedSequence: 4 uint64 words (v0..v3, each the little-endian
 * pair of uint32 words) give initstate = v0·2⁶⁴ + v1 and initseq = v2·2⁶⁴ + v3; then pcg's srandom:
 * inc = 2·initseq + 1, state = 0, step, state += initstate, step. */
export function pcg64StateFrom(seq: SeedSequence): Int32Array {
  const w = seq.generateState(8);
  const initstate = [w[2], w[3], w[0], w[1]]; // 32-bit words, least significant first
  const initseq = [w[6], w[7], w[4], w[5]];
  const st = new Int32Array(STATE_SIZE);
  for (let k = 0; k < 4; k++) st[4 + k] = (initseq[k] << 1) | (k > 0 ? initseq[k - 1] >>> 31 : 1);
  const g = new Pcg64(st);
  g.nextDouble(); // one step from state 0
  const s = g.state();
  let carry = 0;
  for (let k = 0; k < 4; k++) {
    const sum = (s[k] >>> 0) + initstate[k] + carry;
    s[k] = sum | 0;
    carry = sum >= 4294967296 ? 1 : 0;
  }
  const h = new Pcg64(s);
  h.nextDouble();
  return h.state();
}

/** PCG64 seeded exactly as `np.random.default_rng(seed)`; spawn(seed, n) = `SeedSequence(seed).spawn(n)`. */
export const pcg64: RngAlgorithm = {
  name: "pcg64",
  stateSize: STATE_SIZE,
  seed: (seed: Entropy) => pcg64StateFrom(new SeedSequence(seed)),
  spawn: (seed: Entropy, n: number) => new SeedSequence(seed).spawn(n).map(pcg64StateFrom),
  resume: (state: Int32Array) => new Pcg64(state),
};
