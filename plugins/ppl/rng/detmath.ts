// exp, log, log1p and pow built only from IEEE-754 basic operations (+ − × ÷, which every engine
// rounds identically), for the samplers. Math.exp / Math.log are not specified to the bit and do differ
// between engines (Node 20's V8 and Deno 2's V8 disagree in the last bit on a large share of inputs),
// which would make seeded draws runtime-dependent. Accuracy ≲ 1 ulp for exp and log (measured in tests).

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0; // the exponent word
const LO = 1 - HI;

// ln 2 = LN2_HI + LN2_LO with LN2_HI on 29 bits, so k·LN2_HI is exact for |k| < 2^24.
const LN2_HI = 0.6931471806019545;
const LN2_LO = -4.2009150726810846e-11;
const INV_LN2 = 1.4426950408889634;
const SQRT2 = 1.4142135623730951;
const TWO54 = 18014398509481984;

// log(1+f) = 2s + s·R(s²), s = f/(2+f), R(z) = Σ_{j≥1} 2z^j/(2j+1); |s| ≤ 0.1716 so 12 terms reach 1e-19.
const LOG_R = Array.from({ length: 12 }, (_, j) => 2 / (2 * j + 3));
// e^r − 1 − r = r²·Σ_{n≥0} r^n/(n+2)!, |r| ≤ ½ln 2; 13 terms reach 1e-19.
const EXP_P = (() => {
  const c: number[] = [];
  let f = 2;
  for (let n = 0; n < 13; n++) {
    c.push(1 / f);
    f *= n + 3;
  }
  return c;
})();

/** Natural logarithm. */
export function log(x: number): number {
  if (!(x > 0)) return x === 0 ? -Infinity : NaN;
  if (x === Infinity) return x;
  F64[0] = x;
  let k = (U32[HI] >>> 20) - 1023;
  if (k === -1023) {
    // subnormal: scale into the normal range first
    F64[0] = x * TWO54;
    k = (U32[HI] >>> 20) - 1023 - 54;
  }
  U32[HI] = (U32[HI] & 0x000fffff) | 0x3ff00000;
  let m = F64[0]; // x = 2^k · m, m ∈ [1, 2)
  if (m > SQRT2) {
    m *= 0.5;
    k += 1;
  }
  const f = m - 1; // exact
  const s = f / (2 + f), z = s * s;
  let r = 0;
  for (let j = LOG_R.length - 1; j >= 0; j--) r = r * z + LOG_R[j];
  r *= z;
  // log(1+f) = f − hfsq + s(hfsq + R), using 2s = f − s·f; f enters exactly and the rest is a small correction
  const hfsq = 0.5 * f * f;
  return k * LN2_HI - (hfsq - (s * (hfsq + r) + k * LN2_LO) - f);
}

/** e^x. */
export function exp(x: number): number {
  if (x !== x) return NaN;
  if (x > 709.782712893384) return Infinity;
  if (x < -745.1332191019412) return 0;
  const k = Math.round(x * INV_LN2);
  const r = x - k * LN2_HI - k * LN2_LO; // |r| ≤ ½ln 2 (+ rounding)
  let p = 0;
  for (let n = EXP_P.length - 1; n >= 0; n--) p = p * r + EXP_P[n];
  const y = 1 + (r + r * r * p);
  return scale2(y, k);
}

/** y·2^k for y ∈ [½, 2], by exact power-of-two factors (at most one rounding, in the subnormal range). */
function scale2(y: number, k: number): number {
  if (k > 1023) return y * pow2(1023) * pow2(k - 1023);
  if (k < -1022) return y * pow2(k + 54) * pow2(-54);
  return y * pow2(k);
}

function pow2(k: number): number {
  U32[HI] = (k + 1023) << 20;
  U32[LO] = 0;
  return F64[0];
}

/** log(1 + x), accurate for small x: log(u)·x/(u − 1) with u = 1 + x corrects the rounding of u. */
export function log1p(x: number): number {
  const u = 1 + x;
  if (u === 1) return x;
  if (u === Infinity) return u;
  return (log(u) * x) / (u - 1);
}

/** x^y for x > 0 as e^{y·log x} (relative error ≈ |y·log x|·2⁻⁵³), 0^y for y > 0, NaN for x < 0. */
export function pow(x: number, y: number): number {
  if (x === 0) return y > 0 ? 0 : y === 0 ? 1 : Infinity;
  if (y === 0) return 1;
  return exp(y * log(x));
}
