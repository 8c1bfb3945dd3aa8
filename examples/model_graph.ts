// The model graph of seed 000's HMM model as DOT text (pm.model_to_graphviz's layout) and as an
// SVG drawn without a graphviz binary. Writes out/model_graph.svg.
// Run: node --import @swc-node/register/esm-register examples/model_graph.ts
import { mkdirSync, writeFileSync } from "node:fs";
import { buildHmmModel, hmmObserved } from "./hmm_model.ts";
import { modelToSvg } from "../plugins/ppl/graph_svg.ts";

const model = buildHmmModel(hmmObserved());
console.log(model.toGraphviz());
mkdirSync(new URL("../out/", import.meta.url), { recursive: true });
const file = new URL("../out/model_graph.svg", import.meta.url);
writeFileSync(file, modelToSvg(model));
console.log(`\nwrote ${file.pathname}`);
