// µs per call of a 10-node scalar graph under the interpreter, beside the same arithmetic written
// as a plain JS function (the floor any backend can reach).
import Benchmark from "benchmark";
import { pt } from "../mod.ts";

export function run(): Promise<void> {
  const x = pt.scalar("x"), y = pt.scalar("y");
  // 10 nodes: ((x·y + x)² − exp(y/3)) · sin(x) + log1p(y²) − tanh(x)
  let e = pt.add(pt.mul(x, y), x);
  e = pt.sub(pt.sqr(e), pt.exp(pt.div(y, 3)));
  e = pt.add(pt.mul(e, pt.sin(x)), pt.log1p(pt.sqr(y)));
  e = pt.sub(e, pt.tanh(x));
  const f = pt.fn([x, y], e, { mode: "interp", rewrites: { exclude: ["elemwise_fusion"] } });
  const plain = (a: number, b: number) => ((a * b + a) ** 2 - Math.exp(b / 3)) * Math.sin(a) + Math.log1p(b * b) - Math.tanh(a);
  const nodes = f.fgraph.nodes.length;
  let sink = 0;
  return new Promise((resolve) => {
    new Benchmark.Suite("scalar graph")
      .add(`interp (${nodes} nodes)`, () => { sink += f(0.3, 0.7).data[0]; })
      .add("plain JS function", () => { sink += plain(0.3, 0.7); })
      .on("cycle", (ev: { target: Benchmark }) => {
        const t = ev.target;
        console.log(`${t.name}: ${(1e6 / (t.hz ?? 1)).toFixed(3)} µs/call ±${t.stats?.rme.toFixed(1)}%`);
      })
      .on("complete", function (this: Benchmark.Suite) {
        const [a, b] = [0, 1].map((i) => (this as unknown as Benchmark[])[i]);
        console.log(`ratio interp / plain JS: ${((b.hz ?? 1) / (a.hz ?? 1)).toFixed(0)}×  (checksum ${sink.toFixed(1)})`);
        resolve();
      })
      .run();
  });
}
