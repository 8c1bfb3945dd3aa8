// Compile time (merge, rewrites and backend) of a 1000-node graph, beside compiling the same graph
// with rewrites off — the ratio is what the rewrite phases cost.
import Benchmark from "benchmark";
import { pt, type Variable } from "../mod.ts";

/** 1000 elementwise and reduction nodes mixing patterns the rules look for. */
export function buildGraph(nodes = 1000): { inputs: Variable[]; out: Variable; size: number } {
  const x = pt.vector("x"), y = pt.vector("y");
  let acc: Variable = x;
  let count = 0;
  const steps: ((a: Variable) => Variable)[] = [
    (a) => pt.add(a, y),
    (a) => pt.log(pt.add(1, pt.sqr(a))),
    (a) => pt.mul(y, pt.div(a, y)),
    (a) => pt.tanh(pt.mul(a, 0.5)),
    (a) => pt.sub(pt.exp(pt.mul(a, 0.1)), 1),
  ];
  while (count < nodes) {
    const before = pt.toposort([acc]).length;
    acc = steps[count % steps.length](acc);
    count += pt.toposort([acc]).length - before;
  }
  return { inputs: [x, y], out: pt.sum(acc), size: pt.toposort([acc]).length + 1 };
}

export function run(): Promise<void> {
  const g = buildGraph();
  let nodesAfter = 0;
  return new Promise((resolve) => {
    new Benchmark.Suite("compile")
      .add(`compile ${g.size}-node graph with rewrites`, () => {
        nodesAfter = pt.fn(g.inputs, g.out, { mode: "interp" }).fgraph.nodes.length;
      })
      .add(`compile ${g.size}-node graph without rewrites`, () => {
        pt.fn(g.inputs, g.out, { mode: "interp", rewrites: { none: true } });
      })
      .on("cycle", (ev: { target: Benchmark }) => {
        const t = ev.target;
        console.log(`${t.name}: ${(1e3 / (t.hz ?? 1)).toFixed(2)} ms ±${t.stats?.rme.toFixed(1)}%`);
      })
      .on("complete", function (this: Benchmark.Suite) {
        const [a, b] = [0, 1].map((i) => (this as unknown as Benchmark[])[i]);
        console.log(`rewritten graph: ${nodesAfter} nodes; ratio with/without rewrites: ${((b.hz ?? 1) / (a.hz ?? 1)).toFixed(1)}×`);
        resolve();
      })
      .run();
  });
}
