// The seed HMM logp + gradient (14 parameters): tensorloom's compiled graph beside the hand-fused
// reference in bench/reference/hmm_fused.mjs, in one benchmark.js suite; also a naive graph with
// the 50 forward steps unrolled (no scan). Prints µs per call, compile times and ratios.
import Benchmark from "benchmark";
import { pt, type Variable } from "../mod.ts";
import { hmmLogp, loadHmmFixture } from "./hmm_graph.ts";
import { makeHmmLogpGrad } from "./reference/hmm_fused.mjs";


/** The forward algorithm with every step written out as elementwise ops and logsumexp. */
export function unrolledHmm(observed: readonly (readonly number[])[]) {
  const signal = pt.scalar("emission_signal"), noise = pt.scalar("emission_noise");
  const lpi = pt.vector("logp_initial_state", { shape: [3] }), lpt = pt.matrix("logp_transition", { shape: [3, 3] });
  const T = observed[0].length;
  const Y = pt.constant(observed.map((r) => [...r]));
  const means = pt.mul(pt.constant([1, 2, 3]), signal);
  const lpeAt = (t: number) => {
    const z = pt.div(pt.sub(pt.expandDims(pt.index(Y, [pt.slice(), t]), 1), means), noise);
    return pt.sub(pt.sub(pt.mul(-0.5, pt.sqr(z)), pt.log(noise)), 0.5 * Math.log(2 * Math.PI));
  };
  let alpha: Variable = pt.add(lpi, lpeAt(0));
  for (let t = 1; t < T; t++) alpha = pt.add(pt.logsumexp(pt.add(pt.expandDims(alpha, 2), lpt), { axis: 1 }), lpeAt(t));
  return { inputs: [signal, noise, lpi, lpt], logp: pt.sum(pt.logsumexp(alpha, { axis: -1 })) };
}

/**
 * Wall times of `reps` runs of f, in ms, each followed by a timing of one reference call (the
 * best of `refCalls`): the host's speed drifts, so compile times are also given in units of a
 * reference call measured right beside them.
 */
function times(f: () => unknown, reps: number, refCall: () => void, refCalls = 20): { ms: number[]; refMs: number } {
  const ms: number[] = [];
  let refMs = Infinity;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    f();
    ms.push(performance.now() - t0);
    for (let k = 0; k < refCalls; k++) {
      const t1 = performance.now();
      refCall();
      refMs = Math.min(refMs, performance.now() - t1);
    }
  }
  return { ms, refMs };
}
const fmt = ({ ms, refMs }: { ms: number[]; refMs: number }) => {
  const best = Math.min(...ms);
  return `first ${ms[0].toFixed(0)} ms, best ${best.toFixed(0)} ms (${(best / refMs).toFixed(0)} reference calls of ${refMs.toFixed(2)} ms)`;
};

/** Rounds of the suite: this machine's speed drifts by tens of percent over seconds (shared host). */
const ROUNDS = 3;

export function run(): Promise<void> {
  const fx = loadHmmFixture();
  const tp = fx.true_params;
  const lpi = tp.p_initial_state.map(Math.log), lpt = tp.p_transition.map((r) => r.map(Math.log));
  const g = hmmLogp(fx.emission_observed);
  const wrt = [g.signal, g.noise, g.logPInit, g.logPTrans];
  const outs = [g.logp, ...pt.grad(g.logp, wrt)];
  const first = [tp.emission_signal, tp.emission_noise, lpi, lpt] as const;
  const ref = makeHmmLogpGrad(fx.emission_observed);
  const gradBuf = new Float64Array(14), lpiF = new Float64Array(lpi), lptF = new Float64Array(lpt.flat());
  const refCall = () => void ref(tp.emission_signal, tp.emission_noise, lpiF, lptF, gradBuf);
  // compile time includes the first call: the js backend generates code for the first shapes it
  // sees. The first compile in a process also pays for warming up the compiler's own code.
  const compileScan = times(() => pt.fn(wrt, outs, { borrow: true })(...first), 5, refCall);
  const f = pt.fn(wrt, outs, { borrow: true });
  const naive = unrolledHmm(fx.emission_observed);
  const naiveOuts = [naive.logp, ...pt.grad(naive.logp, naive.inputs)];
  const compileNaive = times(() => pt.fn(naive.inputs, naiveOuts, { borrow: true })(...first), 5, refCall);
  const fNaive = pt.fn(naive.inputs, naiveOuts, { borrow: true });
  console.log(`mode ${f.mode}; compile (rewrites + codegen + first call): scan graph ${fmt(compileScan)}; unrolled graph ${fmt(compileNaive)}`);
  let sink = 0;
  const cases: [string, () => void][] = [
    ["hand-fused reference", () => { sink += ref(tp.emission_signal, tp.emission_noise, lpiF, lptF, gradBuf); }],
    [`tensorloom scan graph (${f.mode})`, () => { sink += f(tp.emission_signal, tp.emission_noise, lpi, lpt)[0].data[0]; }],
    [`tensorloom unrolled graph (${fNaive.mode})`, () => { sink += fNaive(tp.emission_signal, tp.emission_noise, lpi, lpt)[0].data[0]; }],
  ];
  const suite = new Benchmark.Suite("hmm logp+grad");
  for (let r = 1; r <= ROUNDS; r++) for (const [name, fn] of cases) suite.add(`${name} #${r}`, fn, { maxTime: 1.5 });
  return new Promise((resolve) => {
    suite
      .on("cycle", (ev: { target: Benchmark }) => {
        const t = ev.target;
        console.log(`${t.name}: ${(1e6 / (t.hz ?? 1)).toFixed(1)} µs/call ±${t.stats?.rme.toFixed(1)}%`);
      })
      .on("complete", function (this: Benchmark.Suite) {
        const all = this as unknown as Benchmark[];
        // each case at its fastest round, and the ratios of the rounds side by side
        const best = cases.map((_, k) => Math.max(...all.filter((_, i) => i % cases.length === k).map((b) => b.hz ?? 0)));
        // a round runs the cases back to back, so its ratios see one host speed; the fastest rounds
        // of two cases may come from different speeds, hence the median of the rounds beside them
        const rounds = (k: number) => [...Array(ROUNDS).keys()].map((r) => (all[r * cases.length].hz ?? 1) / (all[r * cases.length + k].hz ?? 1));
        const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
        const summary = (k: number) => `${(best[0] / best[k]).toFixed(2)} (fastest rounds; median round ${median(rounds(k)).toFixed(2)}; per round ${rounds(k).map((x) => x.toFixed(2)).join(", ")})`;
        console.log(`ratio scan graph / reference: ${summary(1)}`);
        console.log(`ratio unrolled graph / reference: ${summary(2)}  (checksum ${sink.toFixed(0)})`);
        resolve();
      })
      .run();
  });
}
