import { strict as assert } from "node:assert";
import { createRuntime, Op, pt, runtime, TensorType, type Variable, type NDArray } from "../../mod.ts";
import { NDArray as ND } from "../../core/ndarray.ts";
import { InterpBackend } from "../../plugins/backends/interp/index.ts";
import type { Plugin } from "../../core/runtime.ts";
import { assertClose } from "../helpers.ts";

class Softsign extends Op {
  readonly name = "Softsign";
  make([x]: readonly Variable[]) {
    return [new TensorType(x.dtype, x.type.shape)];
  }
  perform([x]: NDArray[]) {
    const out = new ND(x.dtype, x.shape);
    x.data.forEach((v, i) => (out.data[i] = v / (1 + Math.abs(v))));
    return [out];
  }
}
let lowered = 0;
const softsignPlugin: Plugin = {
  name: "user/softsign",
  register(rt) {
    rt.ops.add("softsign", (x: Variable) => new Softsign().call([x]));
    (rt.backends.get("interp") as InterpBackend).lowerings.add(Softsign, (node) => (xs) => {
      lowered++;
      return node.op.perform(xs);
    });
  },
};

describe("runtime and plugins", () => {
  it("a plugin registered in a child runtime works there and is absent from the default runtime", () => {
    const rt = createRuntime({ plugins: [softsignPlugin] });
    const softsign = rt.ops.get("softsign") as (x: Variable) => Variable;
    assert.equal(typeof (rt.pt as unknown as Record<string, unknown>).softsign, "function");
    assert.equal((pt as unknown as Record<string, unknown>).softsign, undefined);
    assert.equal(runtime.ops.has("softsign"), false);
    const x = rt.pt.vector("x");
    const f = rt.pt.fn([x], softsign(x), { mode: "interp" });
    const before = lowered;
    assertClose(f([1, -3]), [0.5, -0.75]);
    assert.equal(lowered, before + 1, "the child runtime's interp lowering ran");
  });

  it("two runtimes never share registries", () => {
    const a = createRuntime(), b = createRuntime();
    assert.notEqual(a.rewrites, b.rewrites);
    assert.notEqual(a.backends.get("interp"), b.backends.get("interp"));
    a.use(softsignPlugin);
    assert.equal(b.ops.has("softsign"), false);
  });

  it("says what is missing", () => {
    assert.throws(() => runtime.backends.get("nope"), /no backend named 'nope'.*registered: /);
    assert.throws(() => createRuntime({ plugins: [softsignPlugin, softsignPlugin] }), /already registered/);
    assert.throws(() => createRuntime({ bare: true, plugins: [{ name: "p", requires: ["q"], register() {} }] }), /requires plugin 'q'/);
  });

  it("a bare runtime has only the core functions", () => {
    const rt = createRuntime({ bare: true });
    assert.equal(typeof rt.pt.fn, "function");
    assert.equal((rt.pt as unknown as Record<string, unknown>).add, undefined);
  });
});
