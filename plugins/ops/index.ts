// The standard op families as one plugin: each family's tensor functions go into `pt`.
import type { Plugin } from "../../core/runtime.ts";
import { elemwiseFunctions } from "./elemwise.ts";
import { mathFunctions } from "./elemwise_math.ts";
import { broadcastTo } from "./broadcast.ts";
import { tensorFunctions } from "./tensor.ts";
import { dimshuffle, expandDims, squeeze, transpose } from "./dimshuffle.ts";

/** Every standard tensor function, flat (`pt.add`) except namespaces like `pt.linalg`. */
export const stdFunctions = {
  ...tensorFunctions,
  ...elemwiseFunctions,
  ...mathFunctions,
  broadcastTo,
  dimshuffle,
  expandDims,
  squeeze,
  transpose,
};
export type StdPt = typeof stdFunctions;

export const opsPlugin: Plugin = {
  name: "ops/standard",
  register(rt) {
    rt.ops.define(stdFunctions);
  },
};
