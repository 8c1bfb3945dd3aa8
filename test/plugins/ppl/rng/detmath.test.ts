// The engine-independent exp/log/log1p/pow the samplers use, against the engine's Math (an independent
// implementation, itself within ~1 ulp): at most 1 ulp apart for exp and log, 2 for log1p, and the
// documented |y·log x|·2⁻⁵³ bound for pow. Plus the IEEE special cases.
import { strict as assert } from "node:assert";
import * as dm from "../../../../plugins/ppl/rng/detmath.ts";

/** Spacing of doubles at |x| (2⁻¹⁰⁷⁴ for subnormals). */
function ulp(x: number): number {
  const a = Math.abs(x);
  if (a < 2 ** -1022) return 2 ** -1074;
  let e = 0, m = a;
  while (m >= 2) { m /= 2; e++; }
  while (m < 1) { m *= 2; e--; }
  return 2 ** (e - 52);
}

/** Deterministic points u ∈ [0, 1) (a 31-bit LCG, so the test needs no RNG of its own). */
function points(n: number): number[] {
  let s = 12345;
  return Array.from({ length: n }, () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
}

function maxUlps(f: (x: number) => number, ref: (x: number) => number, xs: number[]): { ulps: number; at: number } {
  let worst = { ulps: 0, at: NaN };
  for (const x of xs) {
    const e = Math.abs(f(x) - ref(x)) / ulp(ref(x));
    if (!(e <= worst.ulps)) worst = { ulps: e, at: x };
  }
  return worst;
}

describe("rng/detmath: engine-independent exp and log", () => {
  const u = points(20_000);
  const table: [string, (x: number) => number, (x: number) => number, number[], number][] = [
    ["log over 2^±1000", dm.log, Math.log, u.map((v) => 2 ** ((v - 0.5) * 2000)), 1],
    ["log near 1", dm.log, Math.log, u.map((v) => 1 + (v - 0.5) / 8), 1],
    ["log of subnormals", dm.log, Math.log, u.map((v) => (v + 1e-3) * 1e-310), 1],
    ["exp on [-745, 709]", dm.exp, Math.exp, u.map((v) => -745 + v * 1454), 1],
    ["exp on [-1, 1]", dm.exp, Math.exp, u.map((v) => 2 * v - 1), 1],
    ["log1p on (-1, 0]", dm.log1p, Math.log1p, u.map((v) => -v), 2],
    ["log1p tiny and large", dm.log1p, Math.log1p, u.map((v) => 10 ** ((v - 0.5) * 40)), 2],
  ];
  for (const [name, f, ref, xs, bound] of table) {
    it(`${name}: within ${bound} ulp of Math`, () => {
      const w = maxUlps(f, ref, xs);
      assert.ok(w.ulps <= bound, `${w.ulps} ulp at ${w.at}`);
    });
  }
  it("pow(x, y) for x ∈ (0, 1), y = 1/a: relative error within |y·log x|·2^-52 of Math.pow", () => {
    for (const a of [0.01, 0.3, 1.7, 40]) {
      for (const x of u.slice(0, 5000)) {
        if (x === 0) continue;
        const got = dm.pow(x, 1 / a), want = Math.pow(x, 1 / a);
        const tol = (Math.abs(Math.log(x) / a) + 2) * 2 ** -52 * want;
        assert.ok(Math.abs(got - want) <= tol || want < 1e-300, `pow(${x}, 1/${a}) = ${got} vs ${want}`);
      }
    }
  });
  it("special values", () => {
    assert.equal(dm.log(0), -Infinity);
    assert.ok(Number.isNaN(dm.log(-1)) && Number.isNaN(dm.log(NaN)));
    assert.equal(dm.log(Infinity), Infinity);
    assert.equal(dm.log(1), 0);
    assert.equal(dm.exp(0), 1);
    assert.equal(dm.exp(-Infinity), 0);
    assert.equal(dm.exp(Infinity), Infinity);
    assert.equal(dm.exp(710), Infinity);
    assert.equal(dm.exp(-746), 0);
    assert.ok(dm.exp(-745) > 0, "exp(-745) is the smallest subnormal, not 0");
    assert.equal(dm.log1p(-1), -Infinity);
    assert.equal(dm.log1p(1e-300), 1e-300);
    assert.equal(dm.pow(0, 2), 0);
    assert.equal(dm.pow(5, 0), 1);
  });
});
