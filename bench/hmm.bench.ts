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

const ms = (f: () => unknown, reps = 5) => {
  let best = Infinity;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    f();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
};

export function run(): Promise<void> {
  const fx = loadHmmFixture();
  const tp = fx.true_params;
  const lpi = tp.p_initial_state.map(Math.log), lpt = tp.p_transition.map((r) => r.map(Math.log));
  const g = hmmLogp(fx.emission_observed);
  const wrt = [g.signal, g.noise, g.logPInit, g.logPTrans];
  const outs = [g.logp, ...pt.grad(g.logp, wrt)];
  const first = [tp.emission_signal, tp.emission_noise, lpi, lpt] as const;
  // compile time includes the first call: the js backend generates code for the first shapes it sees
  const compileScan = ms(() => pt.fn(wrt, outs, { borrow: true })(...first));
  const f = pt.fn(wrt, outs, { borrow: true });
  const naive = unrolledHmm(fx.emission_observed);
  const naiveOuts = [naive.logp, ...pt.grad(naive.logp, naive.inputs)];
  const compileNaive = ms(() => pt.fn(naive.inputs, naiveOuts, { borrow: true })(...first), 2);
  const fNaive = pt.fn(naive.inputs, naiveOuts, { borrow: true });
  const ref = makeHmmLogpGrad(fx.emission_observed);
  const gradBuf = new Float64Array(14), lpiF = new Float64Array(lpi), lptF = new Float64Array(lpt.flat());
  console.log(`mode ${f.mode}; compile (rewrites + codegen + first call): scan graph ${compileScan.toFixed(1)} ms, unrolled graph ${compileNaive.toFixed(1)} ms`);
  let sink = 0;
  return new Promise((resolve) => {
    new Benchmark.Suite("hmm logp+grad")
      .add("hand-fused reference", () => { sink += ref(tp.emission_signal, tp.emission_noise, lpiF, lptF, gradBuf); })
      .add(`tensorloom scan graph (${f.mode})`, () => { sink += f(tp.emission_signal, tp.emission_noise, lpi, lpt)[0].data[0]; })
      .add(`tensorloom unrolled graph (${fNaive.mode})`, () => { sink += fNaive(tp.emission_signal, tp.emission_noise, lpi, lpt)[0].data[0]; })
      .on("cycle", (ev: { target: Benchmark }) => {
        const t = ev.target;
        console.log(`${t.name}: ${(1e6 / (t.hz ?? 1)).toFixed(1)} µs/call ±${t.stats?.rme.toFixed(1)}%`);
      })
      .on("complete", function (this: Benchmark.Suite) {
        const [r, a, b] = [0, 1, 2].map((i) => (this as unknown as Benchmark[])[i]);
        console.log(`ratio scan graph / reference: ${((r.hz ?? 1) / (a.hz ?? 1)).toFixed(2)}`);
        console.log(`ratio unrolled graph / reference: ${((r.hz ?? 1) / (b.hz ?? 1)).toFixed(2)}  (checksum ${sink.toFixed(0)})`);
        resolve();
      })
      .run();
  });
}
