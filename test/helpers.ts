// Shared test helpers: fixtures written by the python3 generators in test/fixtures, and
// tolerant comparisons that report the worst entry.
import { readFileSync } from "node:fs";
import { strict as assert } from "node:assert";
import { NDArray } from "../core/ndarray.ts";
import type { DType } from "../core/types.ts";

/** Fixture numbers: JSON numbers, or "nan" / "inf" / "-inf" strings for what JSON cannot hold. */
export type FixNum = number | "nan" | "inf" | "-inf";
export type FixNested = FixNum | boolean | FixNested[];
/** An array as fixtures store it. */
export interface FixArray {
  dtype: DType;
  shape: number[];
  data: FixNum[];
}

export function loadFixture<T = unknown>(name: string): T {
  const url = new URL(`./fixtures/${name}`, import.meta.url);
  return JSON.parse(readFileSync(url, "utf8")) as T;
}

export function num(x: FixNum | boolean): number {
  if (typeof x === "boolean") return x ? 1 : 0;
  if (x === "nan") return NaN;
  if (x === "inf") return Infinity;
  if (x === "-inf") return -Infinity;
  return x;
}

/** A fixture array (or nested list with a dtype) as an NDArray. */
export function fromFixture(a: FixArray): NDArray {
  const out = new NDArray(a.dtype, a.shape);
  a.data.forEach((v, i) => (out.data[i] = num(v)));
  return out;
}

/** Nested numbers → NDArray of the given dtype, decoding nan/inf strings. */
export function nested(x: FixNested, dtype: DType = "float64"): NDArray {
  const decode = (v: FixNested): unknown => (Array.isArray(v) ? v.map(decode) : num(v as FixNum));
  return NDArray.from(decode(x) as number[], dtype);
}

export interface CloseOpts {
  rtol?: number;
  atol?: number;
  /** Also require equal dtypes (default true). */
  dtype?: boolean;
  what?: string;
}

/** Same shape, same NaN/Inf positions, and |a−e| ≤ atol + rtol·|e| everywhere. */
export function assertClose(actual: NDArray, expected: NDArray | number | number[], opts: CloseOpts = {}): void {
  const exp = expected instanceof NDArray ? expected : NDArray.from(expected as number[]);
  const { rtol = 1e-12, atol = 0, what = "value" } = opts;
  assert.deepEqual([...actual.shape], [...exp.shape], `${what}: shape ${JSON.stringify(actual.shape)} != expected ${JSON.stringify(exp.shape)}`);
  if (opts.dtype !== false && expected instanceof NDArray) assert.equal(actual.dtype, exp.dtype, `${what}: dtype`);
  let worst = -1, worstErr = 0;
  for (let i = 0; i < exp.size; i++) {
    const a = actual.data[i], e = exp.data[i];
    if (Number.isNaN(e) || Number.isNaN(a)) {
      assert.ok(Number.isNaN(e) && Number.isNaN(a), `${what}[${i}]: got ${a}, expected ${e}`);
      continue;
    }
    if (!Number.isFinite(e) || !Number.isFinite(a)) {
      assert.equal(a, e, `${what}[${i}]: got ${a}, expected ${e}`);
      continue;
    }
    const err = Math.abs(a - e) - (atol + rtol * Math.abs(e));
    if (err > worstErr) {
      worstErr = err;
      worst = i;
    }
  }
  if (worst >= 0) {
    assert.fail(`${what}: entry ${worst} is ${actual.data[worst]}, expected ${exp.data[worst]} (rtol ${rtol}, atol ${atol})`);
  }
}

/** Run `f` and check it throws an error whose message contains every fragment. */
export function assertThrowsMatching(f: () => unknown, ...fragments: string[]): void {
  let msg: string | null = null;
  try {
    f();
  } catch (e) {
    msg = (e as Error).message;
  }
  assert.ok(msg !== null, `expected an error mentioning ${fragments.map((x) => JSON.stringify(x)).join(", ")}`);
  for (const f of fragments) assert.ok(msg!.includes(f), `error message ${JSON.stringify(msg)} should mention ${JSON.stringify(f)}`);
}
