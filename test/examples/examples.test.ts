// The examples are documentation: each one runs, in the runtime running the tests, and prints the
// seeds' numbers.
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const isDeno = "Deno" in globalThis;

function run(example: string): string {
  const file = `examples/${example}.ts`;
  const args = isDeno ? ["run", "-A", file] : ["--import", "@swc-node/register/esm-register", file];
  return execFileSync(process.execPath, args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 });
}

describe("examples", function () {
  this.timeout(180_000);
  it("pytensor_intro prints seed 003's graphs and values", () => {
    const out = run("pytensor_intro");
    assert.match(out, /Log \[id A\] 'log\(x \+ y\)'\n└─ Add \[id B\] 'x \+ y'/);
    assert.match(out, /f\(x=0, y=\[1, e\]\) = \[0\. 1\.\]/);
    assert.match(out, /compiled:\nDeepCopyOp \[id A\] 0\n└─ a \[id B\]/);
    assert.match(out, /new_w\.eval\(\{x: 0, y: \[1, e\]\}\) = \[1\.\s+2\.71828183\]/);
  });
  it("pymc_intro prints seed 003's log-probabilities", () => {
    const out = run("pymc_intro");
    assert.match(out, /z_logp\.eval\(\{z: \[0, 0\]\}\) = \[-0\.91893853 -1\.61208571\]/);
    assert.match(out, /pm\.logp\(Normal\(0, 1\), 1\.25\) = -1\.7001885332046727/);
    assert.match(out, /logp at \{mu: 0, sigma_log__: -10, x: 0\} = \[ -1\.61208571 -11\.32440364\s+9\.08106147\]/);
  });
  it("custom_op registers its op in its own runtime only", () => {
    const out = run("custom_op");
    assert.match(out, /softsign\(\[1, -3, 0\.5\]\) = \[ 0\.5\s+-0\.75\s+0\.33333333\]/);
    assert.match(out, /in the default runtime: pt\.softsign is undefined/);
    // its rewrite finds the formula written out by hand, which then computes the same values
    assert.match(out, /x \/ \(1 \+ \|x\|\) compiles to: Softsign \[id A\] 0 — rules fired: constant_folding, softsign_formula/);
    assert.match(out, /and computes \[ 0\.5\s+-0\.75\s+0\.33333333\]/);
  });
  it("hmm_model prints seed 000's point logps", () => {
    const out = run("hmm_model");
    assert.match(out, /hmm_loglike = -9812\.66649064/);
    assert.match(out, /emission_noise_log__ = 0\./);
    assert.match(out, /p_transition_simplex__ = \[\[0\. 0\.\] \[0\. 0\.\] \[0\. 0\.\]\]/);
  });
});
