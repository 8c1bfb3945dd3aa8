// The js backend against the interpreter and hand-written JS, in one benchmark.js run each:
// (1) µs per call of a 10-node scalar graph (js fused and unfused, interp, a plain JS function);
// (2) a normal log-density summed over 10⁴ values, compiled vs a hand-written loop.
import Benchmark from "benchmark";
import { NDArray, createRuntime, runtime } from "../mod.ts";
import { jsBackendPlugin } from "../plugins/backends/js/index.ts";

// the default runtime once "js" is wired into the standard plugins
const rt = runtime.backends.has("js") ? runtime : createRuntime({ plugins: [jsBackendPlugin] });
const pt = rt.pt;

type Result = { name: string; us: number; rme: number; hz: number };

function suite(title: string, cases: [string, () => void][]): Promise<Result[]> {
  return new Promise((resolve) => {
    const s = new Benchmark.Suite(title);
    for (const [name, fn] of cases) s.add(name, fn);
    const out: Result[] = [];
    s.on("cycle", (ev: { target: Benchmark }) => {
      const t = ev.target;
      const r = { name: t.name!, us: 1e6 / (t.hz ?? 1), rme: t.stats?.rme ?? 0, hz: t.hz ?? 1 };
      out.push(r);
      console.log(`${r.name}: ${r.us.toFixed(3)} µs/call ±${r.rme.toFixed(1)}%`);
    }).on("complete", () => resolve(out)).run();
  });
}

async function scalarGraph(): Promise<void> {
  const x = pt.scalar("x"), y = pt.scalar("y");
  // 10 nodes: ((x·y + x)² − exp(y/3)) · sin(x) + log1p(y²) − tanh(x)
  let e = pt.add(pt.mul(x, y), x);
  e = pt.sub(pt.sqr(e), pt.exp(pt.div(y, 3)));
  e = pt.add(pt.mul(e, pt.sin(x)), pt.log1p(pt.sqr(y)));
  e = pt.sub(e, pt.tanh(x));
  const noFusion = { exclude: ["elemwise_fusion"] };
  const js = pt.fn([x, y], e, { mode: "js" });
  const jsUnfused = pt.fn([x, y], e, { mode: "js", rewrites: noFusion });
  const interp = pt.fn([x, y], e, { mode: "interp", rewrites: noFusion });
  const plain = (a: number, b: number) => ((a * b + a) ** 2 - Math.exp(b / 3)) * Math.sin(a) + Math.log1p(b * b) - Math.tanh(a);
  let sink = 0;
  console.log(`## 10-node scalar graph (${jsUnfused.fgraph.nodes.length} nodes unfused, ${js.fgraph.nodes.length} after fusion)`);
  const [a, b, c, d] = await suite("scalar graph", [
    ["js, fused", () => { sink += js(0.3, 0.7).data[0]; }],
    ["js, unfused", () => { sink += jsUnfused(0.3, 0.7).data[0]; }],
    ["interp, unfused", () => { sink += interp(0.3, 0.7).data[0]; }],
    ["plain JS function", () => { sink += plain(0.3, 0.7); }],
  ]);
  console.log(`ratios: js/plain ${(a.us / d.us).toFixed(1)}×, interp/js ${(c.us / a.us).toFixed(1)}× (unfused js: interp/js ${(c.us / b.us).toFixed(1)}×)  (checksum ${sink.toFixed(1)})`);
}

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * The normal log-density of `x` summed, as a graph. `reciprocal` writes z = (x − mu)·(1/sigma), as
 * the hand-written loop does: the gradient graph then divides per element no more (divisions,
 * not memory, bound these loops).
 */
function normalGraph(reciprocal = false) {
  const x = pt.vector("x"), mu = pt.scalar("mu"), sigma = pt.scalar("sigma");
  const z = reciprocal ? pt.mul(pt.sub(x, mu), pt.reciprocal(sigma)) : pt.div(pt.sub(x, mu), sigma);
  const logp = pt.sum(pt.sub(pt.mul(-0.5, pt.sqr(z)), pt.add(pt.log(sigma), LOG_SQRT_2PI)));
  return { inputs: [x, mu, sigma], logp };
}

function handLogp(xs: Float64Array, m: number, s: number): number {
  const c = Math.log(s) + LOG_SQRT_2PI;
  let acc = 0;
  for (let i = 0; i < xs.length; i++) {
    const t = (xs[i] - m) / s;
    acc += -0.5 * (t * t) - c;
  }
  return acc;
}

/** logp and its gradient in one loop; d/dx into `gx`, d/dmu and d/dsigma returned. */
function handLogpGrad(xs: Float64Array, m: number, s: number, gx: Float64Array): [number, number, number] {
  const c = Math.log(s) + LOG_SQRT_2PI, inv = 1 / s;
  let acc = 0, gm = 0, gs = 0;
  for (let i = 0; i < xs.length; i++) {
    const t = (xs[i] - m) * inv;
    acc += -0.5 * (t * t) - c;
    gx[i] = -t * inv;
    gm += t * inv;
    gs += t * t * inv - inv;
  }
  return [acc, gm, gs];
}

async function normalLogp(): Promise<void> {
  const n = 10_000;
  const data = new NDArray("float64", [n]);
  for (let i = 0; i < n; i++) data.data[i] = Math.sin(i * 0.37) * 2 + 0.1;
  const xs = data.data as Float64Array, gx = new Float64Array(n);
  const { inputs, logp } = normalGraph();
  const js = pt.fn(inputs, logp, { mode: "js" });
  const interp = pt.fn(inputs, logp, { mode: "interp" });
  // borrow: the gradient stays in the function's buffer, as the hand-written loop's does in gx
  const jsGrad = pt.fn(inputs, [logp, ...pt.grad(logp, inputs)], { mode: "js", borrow: true });
  const r = normalGraph(true);
  const jsGradRecip = pt.fn(r.inputs, [r.logp, ...pt.grad(r.logp, r.inputs)], { mode: "js", borrow: true });
  const check = js(data, 0.2, 1.3).item() - handLogp(xs, 0.2, 1.3);
  const gcheck = jsGrad(data, 0.2, 1.3)[3].item() - handLogpGrad(xs, 0.2, 1.3, gx)[2];
  let sink = 0;
  console.log(`## normal logp summed over ${n} values (${js.fgraph.nodes.length} nodes after rewrites; js − hand: logp ${check.toExponential(1)}, d/dsigma ${gcheck.toExponential(1)})`);
  const [a, b, c, d, e, f] = await suite("normal logp", [
    ["js logp", () => { sink += js(data, 0.2, 1.3).data[0]; }],
    ["interp logp", () => { sink += interp(data, 0.2, 1.3).data[0]; }],
    ["hand-written logp loop", () => { sink += handLogp(xs, 0.2, 1.3); }],
    ["js logp + gradient (borrow)", () => { sink += jsGrad(data, 0.2, 1.3)[2].data[0]; }],
    ["js logp + gradient, z = (x − mu)·reciprocal(sigma)", () => { sink += jsGradRecip(data, 0.2, 1.3)[2].data[0]; }],
    ["hand-written logp + gradient loop", () => { sink += handLogpGrad(xs, 0.2, 1.3, gx)[1]; }],
  ]);
  console.log(`ratios: logp js/hand-written ${(a.us / c.us).toFixed(2)}×, interp/js ${(b.us / a.us).toFixed(1)}×; ` +
    `logp+grad js/hand-written ${(d.us / f.us).toFixed(2)}× (${(e.us / f.us).toFixed(2)}× with the reciprocal)  (checksum ${sink.toFixed(1)})`);
}

export async function run(): Promise<void> {
  await scalarGraph();
  await normalLogp();
}
