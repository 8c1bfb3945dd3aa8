// The plugins a default runtime starts with.
import type { Plugin } from "../core/runtime.ts";
import { opsPlugin } from "./ops/index.ts";
import { interpPlugin } from "./backends/interp/index.ts";
import { rewritesPlugin } from "./rewrites/index.ts";
import { pplPlugin } from "./ppl/index.ts";
import { jsBackendPlugin } from "./backends/js/index.ts";

export const standardPlugins: readonly Plugin[] = [opsPlugin, rewritesPlugin, interpPlugin, jsBackendPlugin, pplPlugin];
