// The standard rewrite tables as one plugin.
import type { Plugin } from "../../core/runtime.ts";
import { canonicalizeRules } from "./canonicalize.ts";
import { stabilizeRules } from "./stabilize.ts";
import { specializeRules } from "./specialize.ts";
import { fusionRule } from "./fusion.ts";
import { subtensorRules } from "./subtensor.ts";
import { scanRules } from "./scan.ts";
import { exponentialRules } from "./exponentials.ts";

export const rewritesPlugin: Plugin = {
  name: "rewrites/standard",
  requires: ["ops/standard"],
  register(rt) {
    rt.rewrites.add(...canonicalizeRules, ...subtensorRules, ...scanRules, ...stabilizeRules, ...specializeRules, ...exponentialRules, fusionRule);
  },
};
