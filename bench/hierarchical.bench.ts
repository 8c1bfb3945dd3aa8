// A hierarchical normal model's logp + gradient (the radon shape: observations indexed by group),
// compiled by the js backend, beside a hand-written loop, in one benchmark.js suite:
//   mu_j ~ N(mu0, tau), y_i ~ N(mu[g_i], sigma), tau = exp(log_tau), sigma = exp(log_sigma)
// The group index is data in the graph, so mu[g] is a generated gather and its gradient a scatter.
import Benchmark from "benchmark";
import { NDArray, pt, type Variable } from "../mod.ts";
import { normalLogpdf } from "./hmm_graph.ts";

export const J = 50, N = 2000;
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** Deterministic data: group sizes vary, values around group means. */
export function data() {
  let s = 12345;
  const u = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296;
  const g = Int32Array.from({ length: N }, () => Math.floor(u() ** 2 * J));
  const y = Float64Array.from(g, (k) => Math.sin(k) * 2 + (u() - 0.5) * 1.5);
  return { g, y };
}

export function graph(g: Int32Array, y: Float64Array) {
  const mu = pt.vector("mu", { shape: [J] }), mu0 = pt.scalar("mu0"), logTau = pt.scalar("log_tau"), logSigma = pt.scalar("log_sigma");
  const G = pt.constant(new NDArray("int32", [N], g)), Y = pt.constant(new NDArray("float64", [N], y));
  // log N written out, as models do; log(exp(log σ)) is rewritten to log σ
  const normal = (x: Variable, m: Variable, logS: Variable) => pt.sum(normalLogpdf(x, m, pt.exp(logS)));
  const logp = pt.add(normal(Y, pt.take(mu, G), logSigma), normal(mu, pt.expandDims(mu0, 0), logTau));
  const inputs = [mu, mu0, logTau, logSigma];
  return { inputs, outs: [logp, ...pt.grad(logp, inputs)] };
}

/**
 * The same logp and gradient by hand: one pass over the observations, one over the groups. The
 * gradient lands in `grad`: d/dmu (J entries), then d/dmu0, d/dlog_tau, d/dlog_sigma.
 */
export function makeHand(g: Int32Array, y: Float64Array) {
  const grad = new Float64Array(J + 3), gmu = grad.subarray(0, J);
  const logpGrad = (mu: Float64Array, mu0: number, logTau: number, logSigma: number): number => {
    const is = Math.exp(-logSigma), it = Math.exp(-logTau);
    let lp = 0, gls = 0, gm0 = 0, glt = 0;
    gmu.fill(0);
    for (let i = 0; i < N; i++) {
      const z = (y[i] - mu[g[i]]) * is;
      lp += -0.5 * z * z;
      gmu[g[i]] += z * is;
      gls += z * z;
    }
    lp -= N * (logSigma + LOG_SQRT_2PI);
    gls -= N;
    for (let j = 0; j < J; j++) {
      const z = (mu[j] - mu0) * it;
      lp += -0.5 * z * z - logTau - LOG_SQRT_2PI;
      gmu[j] -= z * it;
      gm0 += z * it;
      glt += z * z - 1;
    }
    grad[J] = gm0;
    grad[J + 1] = glt;
    grad[J + 2] = gls;
    return lp;
  };
  return { logpGrad, grad };
}

export function run(): Promise<void> {
  const { g, y } = data();
  const { inputs, outs } = graph(g, y);
  const f = pt.fn(inputs, outs, { borrow: true });
  const hand = makeHand(g, y).logpGrad;
  const mu = Float64Array.from({ length: J }, (_, j) => Math.sin(j) * 1.8), args = [mu, 0.1, -0.2, 0.3] as const;
  const [lp] = f(NDArray.from(mu), args[1], args[2], args[3]);
  const muArr = NDArray.from(mu);
  console.log(`mode ${f.mode}; ${f.fgraph.nodes.length} nodes; fallbacks: ${f.fallbacks().length ? f.fallbacks().join(", ") : "none"}; logp js − hand ${(lp.data[0] - hand(...args)).toExponential(1)}`);
  let sink = 0;
  return new Promise((resolve) => {
    const out: number[] = [];
    new Benchmark.Suite("hierarchical logp+grad")
      .add("hand-written loop", () => { sink += hand(...args); })
      .add(`tensorloom (${f.mode})`, () => { sink += f(muArr, args[1], args[2], args[3])[0].data[0]; })
      .on("cycle", (ev: { target: Benchmark }) => {
        const t = ev.target;
        out.push(t.hz ?? 1);
        console.log(`${t.name}: ${(1e6 / (t.hz ?? 1)).toFixed(1)} µs/call ±${t.stats?.rme.toFixed(1)}%`);
      })
      .on("complete", () => {
        console.log(`ratio tensorloom / hand-written: ${(out[0] / out[1]).toFixed(2)}  (checksum ${sink.toFixed(0)})`);
        resolve();
      })
      .run();
  });
}
