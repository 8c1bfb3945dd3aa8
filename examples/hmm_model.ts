// Seed 000's marginal HMM as a PyMC-style model: priors on the emission parameters and the
// state probabilities, and the forward-algorithm log-likelihood as a Potential.
// Run: node --import @swc-node/register/esm-register examples/hmm_model.ts
import { pm, pt } from "../mod.ts";
import { hmmLogp, loadHmmFixture } from "../bench/hmm_graph.ts";

export function hmmObserved(): number[][] {
  return loadHmmFixture().emission_observed;
}

export function buildHmmModel(observed: readonly (readonly number[])[]) {
  return pm.model(() => {
    const signal = pm.Normal("emission_signal", { mu: 0, sigma: 1 });
    const noise = pm.HalfNormal("emission_noise", { sigma: 1 });
    const pInit = pm.Dirichlet("p_initial_state", { a: [1, 1, 1] });
    const pTrans = pm.Dirichlet("p_transition", { a: [1, 1, 1], size: 3 });
    const { logp } = hmmLogp(observed, { signal, noise, logPInit: pt.log(pInit), logPTrans: pt.log(pTrans) });
    pm.Potential("hmm_loglike", logp);
  });
}

if (import.meta.main ?? (typeof process !== "undefined" && process.argv[1]?.endsWith("hmm_model.ts"))) {
  const model = buildHmmModel(hmmObserved());
  const point = model.initialPoint();
  console.log("initial point:");
  for (const [k, v] of Object.entries(point)) console.log(`  ${k} = ${String(v).replace(/\n\s*/g, " ")}`);
  console.log("point logps:");
  for (const [k, v] of Object.entries(model.pointLogps(point))) console.log(`  ${k} = ${v.toFixed(8)}`);
  console.log("(seed: emission_signal -0.92, emission_noise -0.73, p_initial_state -1.5, p_transition -4.51, hmm_loglike -9812.67)");
  console.log(model.toGraphviz());
}
