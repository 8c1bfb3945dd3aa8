// Seed 003, "PyMC and PyTensor" — the PyMC half: random variables, draws, logp, value variables.
// Run: node --import @swc-node/register/esm-register examples/pymc_intro.ts   (or deno run -A …)
import { NDArray, pm, pt } from "../mod.ts";

const show = (title: string) => console.log(`\n── ${title} ${"─".repeat(Math.max(0, 70 - title.length))}`);

show("PyTensor RandomVariables");
const x = pm.Normal.dist({ mu: 0, sigma: 1 });
console.log(pt.dprint(x));
for (let i = 0; i < 3; i++) console.log(`Sample ${i}: ${x.eval()}`, "(eval: always the same)");
for (let i = 0; i < 3; i++) console.log(`Sample ${i}: ${pm.draw(x)}`, "(pm.draw: new each time)");

show("What is going on behind the scenes?");
const model = pm.model(() => {
  pm.Normal("z", { mu: [0, 0], sigma: [1, 2] });
});
const z = model.basicRVs[0];
console.log(`model.basicRVs = [${model.basicRVs.map(String).join(", ")}]`);
for (let i = 0; i < 3; i++) console.log(`Sample ${i}: ${pm.draw(z)}`);
const zDraws = pm.draw(z, { draws: 10_000, seed: 3 }) as NDArray;
console.log(`10 000 draws of z: shape [${zDraws.shape}], sd ≈ [${[0, 1].map((j) => sd(zDraws, j).toFixed(2)).join(", ")}] (expect [1, 2])`);

show("Enough with Random Variables, I want to see some (log)probabilities!");
const zValue = pt.vector("z");
const zLogp = pm.logp(z, zValue);
console.log(pt.dprint(zLogp));
console.log("z_logp.eval({z: [0, 0]}) =", String(zLogp.eval(new Map([[zValue, [0, 0]]]))), "  (scipy: [-0.91893853 -1.61208571])");
const point = model.initialPoint();
console.log("model.initialPoint() =", fmtPoint(point));
console.log("model.compileLogp({ sum: false })(point) =", String((model.compileLogp({ sum: false })(point) as NDArray[])[0]));

show("What are value variables and why are they important?");
console.log("pm.logp(Normal(0, 1), 1.25) =", pm.logp(pm.Normal.dist({ mu: 0, sigma: 1 }), 1.25).eval().item(), "  (scipy: -1.7001885332046727)");
const model2 = pm.model(() => {
  const mu = pm.Normal("mu", { mu: 0, sigma: 2 });
  const sigma = pm.HalfNormal("sigma", { sigma: 3 });
  pm.Normal("x", { mu, sigma });
});
console.log(`model_2.valueVars = [${model2.valueVars.map(String).join(", ")}]`);
const logpGraph = pt.stack(model2.logp({ sum: false }) as ReturnType<typeof pt.scalar>[]);
const values = new Map(model2.valueVars.map((v) => [v, { mu: 0, sigma_log__: -10, x: 0 }[v.name as "mu"]]));
console.log("logp at {mu: 0, sigma_log__: -10, x: 0} =", String(logpGraph.eval(values)), "  (seed: [ -1.61208571 -11.32440364   9.08106147])");
console.log("compiled:", (model2.compileLogp({ sum: false })({ mu: 0, sigma_log__: -10, x: 0 }) as NDArray[]).map(String).join(", "));

function sd(a: NDArray, j: number): number {
  const n = a.shape[0];
  let s = 0, s2 = 0;
  for (let i = 0; i < n; i++) {
    const v = a.data[i * 2 + j];
    s += v;
    s2 += v * v;
  }
  return Math.sqrt(s2 / n - (s / n) ** 2);
}
function fmtPoint(p: Record<string, NDArray>): string {
  return `{ ${Object.entries(p).map(([k, v]) => `${k}: ${v}`).join(", ")} }`;
}
