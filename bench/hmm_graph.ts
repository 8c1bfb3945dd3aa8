// The seed HMM's marginal log-likelihood (forward algorithm over 3 hidden states, normal
// emissions, summed over sequences) as a tensorloom graph: vectorised over sequences, a scan
// over time. Used by the HMM benchmark, its test and the HMM example.
import { readFileSync } from "node:fs";
import { pt, type Variable } from "../mod.ts";

export interface HmmGraph {
  signal: Variable;
  noise: Variable;
  /** log initial-state probabilities, [3] */
  logPInit: Variable;
  /** log transition probabilities, [3, 3] row-major (from → to) */
  logPTrans: Variable;
  logp: Variable;
}

/** log N(y | μ, σ) written out, as the seed's jsp.stats.norm.logpdf. */
export function normalLogpdf(y: Variable, mu: Variable, sigma: Variable): Variable {
  const z = pt.div(pt.sub(y, mu), sigma);
  return pt.sub(pt.sub(pt.mul(-0.5, pt.sqr(z)), pt.log(sigma)), 0.5 * Math.log(2 * Math.PI));
}

export function hmmLogp(
  observed: readonly (readonly number[])[],
  inputs: { signal?: Variable; noise?: Variable; logPInit?: Variable; logPTrans?: Variable } = {},
): HmmGraph {
  const signal = inputs.signal ?? pt.scalar("emission_signal");
  const noise = inputs.noise ?? pt.scalar("emission_noise");
  const logPInit = inputs.logPInit ?? pt.vector("logp_initial_state", { shape: [3] });
  const logPTrans = inputs.logPTrans ?? pt.matrix("logp_transition", { shape: [3, 3] });
  const Y = pt.constant(observed.map((r) => [...r]), { name: "emission_observed" }); // [N, T]
  const means = pt.mul(pt.constant([1, 2, 3]), signal); // (state + 1) · signal
  // [T, N, 3]: time first, so scan walks it
  const lpe = normalLogpdf(pt.expandDims(pt.transpose(Y), 2), means, noise);
  const alpha0 = pt.add(logPInit, pt.index(lpe, [0])); // [N, 3]
  const [alphas] = pt.scan({
    fn: (lpeT, alpha, lpt) => pt.add(pt.logsumexp(pt.add(pt.expandDims(alpha, 2), lpt), { axis: 1 }), lpeT),
    sequences: [pt.index(lpe, [pt.slice(1)])],
    outputsInfo: [alpha0],
    nonSequences: [logPTrans],
    name: "forward",
  });
  const logp = pt.sum(pt.logsumexp(pt.index(alphas, [-1]), { axis: -1 }), { name: "hmm_logp" });
  return { signal, noise, logPInit, logPTrans, logp };
}

/** test/fixtures/hmm_seed.json: the seed's data, true parameters and printed numbers. */
export interface HmmFixture {
  emission_observed: number[][];
  true_params: { emission_signal: number; emission_noise: number; p_initial_state: number[]; p_transition: number[][] };
  expected: {
    hmm_logp_first_sequence_at_true_params: number;
    vec_hmm_logp_all_sequences_at_true_params: number;
    grad_wrt_emission_signal_at_true_params: number;
    model_initial_point: Record<string, number | number[] | number[][]>;
    point_logps_at_initial_point: Record<string, number>;
  };
}

export function loadHmmFixture(): HmmFixture {
  return JSON.parse(readFileSync(new URL("../test/fixtures/hmm_seed.json", import.meta.url), "utf8"));
}

/** The graph's arguments at the true parameters: signal, noise, log p_initial, log p_transition. */
export function trueArgs(fx: HmmFixture): [number, number, number[], number[][]] {
  const tp = fx.true_params;
  return [tp.emission_signal, tp.emission_noise, tp.p_initial_state.map(Math.log), tp.p_transition.map((r) => r.map(Math.log))];
}
