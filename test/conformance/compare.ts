// Differential testing of backends: the same graph compiled under "interp" (the oracle) and
// "js" must give the same values (1e-12 relative, NaN/±Inf at the same places) or the same error.
import { strict as assert } from "node:assert";
import { createRuntime, runtime } from "../../mod.ts";
import type { Variable } from "../../core/graph.ts";
import type { NDArray } from "../../core/ndarray.ts";
import type { FnOptions } from "../../core/compile.ts";
import { jsBackendPlugin } from "../../plugins/backends/js/index.ts";

/** The default runtime once it has "js"; until the lead wires it in, one with the js backend added. */
export const rt = runtime.backends.has("js") ? runtime : createRuntime({ plugins: [jsBackendPlugin] });
export const pt = rt.pt;

export const MODES = ["interp", "js"] as const;

type Outcome = { values: NDArray[] } | { error: string };

function attempt(f: () => NDArray[]): Outcome {
  try {
    return { values: f() };
  } catch (e) {
    return { error: `${(e as Error).constructor.name}: ${(e as Error).message}` };
  }
}

/** Values agree to `rtol` relative; NaN and ±Inf must sit at the same entries. */
export function assertSame(got: NDArray, want: NDArray, what: string, rtol = 1e-12): void {
  assert.equal(got.dtype, want.dtype, `${what}: dtype`);
  assert.deepEqual([...got.shape], [...want.shape], `${what}: shape`);
  for (let i = 0; i < want.size; i++) {
    const g = got.data[i], w = want.data[i];
    if (Number.isNaN(w) || !Number.isFinite(w)) {
      assert.ok(Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w)), `${what}[${i}]: js ${g}, interp ${w}`);
    } else {
      assert.ok(Math.abs(g - w) <= rtol * Math.abs(w), `${what}[${i}]: js ${g}, interp ${w}`);
    }
  }
}

export interface AgreeOptions {
  what?: string;
  rtol?: number;
  rewrites?: FnOptions["rewrites"];
  /** Fixture tables include error cases; elsewhere an error (in both modes alike) fails the test. */
  errorsAllowed?: boolean;
}

/**
 * Compile `outputs` in both modes and run them on each argument list. The js function runs every
 * call twice (the second reuses its buffers) and must match interp each time.
 */
export function agree(inputs: readonly Variable[], outputs: readonly Variable[], argLists: readonly (readonly NDArray[])[], opts: AgreeOptions = {}): void {
  const what = opts.what ?? "graph";
  const compiled = MODES.map((mode) => {
    try {
      return pt.fn(inputs, outputs, { mode, rewrites: opts.rewrites });
    } catch (e) {
      return `${(e as Error).constructor.name}: ${(e as Error).message}`;
    }
  });
  const [fi, fj] = compiled;
  if (typeof fi === "string" || typeof fj === "string") {
    assert.equal(fj, fi, `${what}: compiling fails the same way`);
    assert.ok(opts.errorsAllowed, `${what}: compiling fails: ${fi}`);
    return;
  }
  for (const args of argLists) {
    const want = attempt(() => fi(...args));
    if ("error" in want && !opts.errorsAllowed) assert.fail(`${what}: interp throws ${want.error}`);
    for (const call of ["first call", "second call"]) {
      const got = attempt(() => fj(...args));
      if ("error" in want) {
        assert.ok("error" in got, `${what} (${call}): interp throws ${want.error} but js returned values`);
        assert.equal(got.error, want.error, `${what} (${call}): both throw`);
        continue;
      }
      assert.ok("values" in got, `${what} (${call}): js throws ${"error" in got ? got.error : ""}`);
      want.values.forEach((w, k) => assertSame(got.values[k], w, `${what} (${call}) output ${k}`, opts.rtol));
    }
  }
}
