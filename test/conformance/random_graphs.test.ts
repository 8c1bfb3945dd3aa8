// The js backend must agree with the interpreter on every random graph (random_graph.ts): this
// exercises fused groups, partial sums, unrolled short loops and outlined kernels together, in
// combinations no hand-written test lists.
import { agree } from "./compare.ts";
import { randomGraph } from "./random_graph.ts";

describe("conformance: random graphs (js against interp)", () => {
  for (let seed = 1; seed <= 100; seed++) {
    it(`graph ${seed}`, () => {
      const { inputs, outs, args } = randomGraph(seed);
      agree(inputs, outs, [args]);
    });
  }
});
